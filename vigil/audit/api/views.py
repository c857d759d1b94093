from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from vigil.accounts.api.permissions import HasVerb
from vigil.audit.forms import AuditFilterForm
from vigil.audit.models import AuditEvent
from vigil.audit.selectors import audit_event_list


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "occurred_at",
            "action",
            "event",
            "actor_label",
            "force",
            "object_type",
            "object_id",
            "object_repr",
            "person_id",
            "changes",
            "detail",
            "recipients",
            "purpose",
            "justification",
            "request_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("person", str, description="Person's name or record id"),
            OpenApiParameter("user", str),
            OpenApiParameter("record", str),
            OpenApiParameter("action", str),
            OpenApiParameter("date_from", str, description="YYYY-MM-DD"),
            OpenApiParameter("date_to", str, description="YYYY-MM-DD"),
        ]
    )
)
class AuditEventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """The audit log, for the data protection officer (read only: events never change)."""

    permission_classes = [HasVerb]
    required_verbs = ("view_audit",)
    serializer_class = AuditEventSerializer

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        data = {k: params.get(k, "") for k in ("person", "user", "record", "action")}
        for name in ("date_from", "date_to"):
            parts = (params.get(name) or "").split("-")
            if len(parts) == 3:
                data[f"{name}_year"], data[f"{name}_month"], data[f"{name}_day"] = parts
        form = AuditFilterForm(data)
        if not form.is_valid():
            from rest_framework.exceptions import ValidationError

            raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
        return audit_event_list(user=self.request.user, filters=form.cleaned_data)
