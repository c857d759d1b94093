from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.api.permissions import HasVerb
from vigil.audit.forms import AuditFilterForm
from vigil.audit.models import AuditAction, AuditEvent
from vigil.audit.selectors import audit_event_list
from vigil.audit.services import audit_record
from vigil.core import api as core_api


class AuditEventSerializer(core_api.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "chain",
            "chain_seq",
            "occurred_at",
            "action",
            "event",
            "actor_label",
            "force",
            "object_type",
            "object_id",
            "object_repr",
            "person_id",
            "people",
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
    """The audit log, for the data protection officer (read only: events never change).

    Reading it over the API takes it out of Vigil, so it is an export: it needs
    `export_audit`, and each page read is recorded as a disclosure to the caller."""

    permission_classes = [HasVerb]
    required_verbs = ("export_audit",)
    serializer_class = AuditEventSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.DISCLOSURE,
                event="audit.exported",
                recipients=[f"API caller {request.user.get_username()}"],
                justification="Read over the API",
                detail={
                    "rows": len(response.data.get("results", [])),
                    "query": request.query_params.dict(),
                    "via": "api",
                },
            )
        return response

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

            from vigil.core.forms import field_errors

            raise ValidationError(field_errors(form))
        return audit_event_list(user=self.request.user, filters=form.cleaned_data)
