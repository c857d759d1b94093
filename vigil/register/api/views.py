"""The register's imports in the API: list, one, upload (multipart), its rows as the preview
shows them, the rows not imported as CSV, import and discard. The same scopes and writes as
the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.api.permissions import HasVerb
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.csv_export import csv_response
from vigil.offenders.models import Registration
from vigil.people.services import nominals_listed
from vigil.register import selectors, services, writes
from vigil.register.api.serializers import (
    ReconciliationSerializer,
    RegisterExportSerializer,
    RegisterImportSerializer,
    RegistrationVersionSerializer,
    StagedRowSerializer,
)
from vigil.register.models import RegisterExport, RegisterImport, RowAction
from vigil.register.reconcile import KINDS, reconciliation
from vigil.writes import api_action, api_create

VIEW = ("import_register",)
EXPORT = ("export_register",)


class RegisterImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The force's register imports, newest first."""

    model = RegisterImport
    serializer_class = RegisterImportSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW, "rows": VIEW, "not_imported": VIEW}
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("uploaded_by", "imported_by", "default_team", "check_job")
        )

    create = api_create(writes.UPLOAD)
    import_ = api_action(writes.IMPORT, url_path="import", name="import_")
    discard = api_action(writes.DISCARD, url_path="discard")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "action",
                OpenApiTypes.STR,
                enum=RowAction.values,
                description="Only the rows of this action",
            )
        ],
        responses=StagedRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def rows(self, request: Request, pk: Any = None) -> Response:
        """The import's rows in the file's order: what importing each would do, its changes
        and the differences left for the reconciliation (Vigil's values only for a record
        the user may open), or its faults."""
        found = self.get_object()
        wanted = request.query_params.get("action", "")
        if wanted and wanted not in RowAction.values:
            raise ValidationError({"action": [f"Must be one of {', '.join(RowAction.values)}."]})
        rows = selectors.import_rows(user=request.user, register_import=found, action=wanted)
        page = self.paginate_queryset(rows)
        listed = list(page if page is not None else rows)
        if listed:
            services.import_viewed(
                actor=cast(User, request.user), register_import=found, shown=listed
            )
        data = StagedRowSerializer(
            selectors.shown_rows(user=request.user, rows=listed), many=True
        ).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"], url_path="not-imported", url_name="not-imported")
    def not_imported(self, request: Request, pk: Any = None) -> HttpResponse:
        """The rows not imported for their faults, as the file had them, with what is wrong
        (an export: audited)."""
        found = self.get_object()
        header, rows = services.failed_rows(found)
        services.failed_rows_exported(
            actor=cast(User, request.user), register_import=found, rows=len(rows)
        )
        return csv_response("not-imported.csv", header, rows)


class ReconciliationView(APIView):
    """The records the user may open beside the latest register extract: its age, the open
    differences by kind and by team, and each difference (of a kind, of a team)."""

    permission_classes = [HasVerb]
    required_verbs = ("reconcile_register",)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), description="One kind"),
            OpenApiParameter("team", OpenApiTypes.STR, description="One team, by name"),
        ],
        responses=ReconciliationSerializer,
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "")
        if kind and kind not in KINDS:
            raise ValidationError({"kind": [f"Must be one of {', '.join(KINDS)}."]})
        team = request.query_params.get("team", "")
        found = reconciliation(user=request.user, today=clock.today())
        found.mismatches = [
            m
            for m in found.mismatches
            if (not kind or m.kind == kind) and (not team or m.team == team)
        ]
        shown = [m.registration.nominal for m in found.mismatches if m.registration is not None]
        nominals_listed(actor=cast(User, request.user), nominals=shown, via="api reconciliation")
        return Response(ReconciliationSerializer(found).data)


class RegisterRecordViewSet(ScopedGenericViewSet):  # type: ignore[misc]
    """A registration's differences with the register resolved: accept the register's
    value, or mark the register for correction."""

    model = Registration
    serializer_class = RegistrationVersionSerializer
    required_verbs: dict[str, tuple[str, ...]] = {}
    http_method_names = ["post", "options"]

    accept = api_action(writes.ACCEPT, url_path="accept")
    correction = api_action(writes.CORRECTION, url_path="correction")


class RegisterExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The exports of Vigil's changes for entry into the register, newest first."""

    model = RegisterExport
    serializer_class = RegisterExportSerializer
    required_verbs = {"list": EXPORT, "retrieve": EXPORT, "csv": EXPORT}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("made_by")

    create = api_create(writes.EXPORT)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def csv(self, request: Request, pk: Any = None) -> HttpResponse:
        """The export in the extract's columns and spellings (each download a disclosure,
        audited naming each person in it)."""
        made = self.get_object()
        items = services.visible_items(made, request.user)
        header, rows = services.export_table(made, items)
        services.export_seen(
            actor=cast(User, request.user), register_export=made, items=items, downloaded=True
        )
        return csv_response("vigil-register-changes.csv", header, rows)
