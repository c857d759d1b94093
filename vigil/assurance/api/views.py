"""Assurance in the API: the recommendations scorecard, the performance dashboard and the
reports, with the same figures as the pages, suppressed the same way for a viewer who sees
aggregates only."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.api.permissions import HasVerb
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.assurance import writes
from vigil.assurance.api.serializers import (
    DashboardSerializer,
    NationalSerializer,
    ReportSerializer,
    ReportSummarySerializer,
    RowSerializer,
)
from vigil.assurance.dashboard import dashboard, dashboard_data
from vigil.assurance.disclosure import smallest_shown, withheld
from vigil.assurance.forms import NationalForm, UnitForm
from vigil.assurance.metrics import metrics
from vigil.assurance.models import AssuranceReport
from vigil.assurance.national import compared, spread
from vigil.assurance.reports import FORMATS, attachment, rendered
from vigil.assurance.selectors import PERIODS, scorecard
from vigil.assurance.services import report_exported
from vigil.core import clock
from vigil.core.forms import field_errors
from vigil.policy.pack import active as active_policy
from vigil.writes import api_create, api_update

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # a month, as 2026-11


class ScorecardView(APIView):
    """Every recommendation item (R1 to R17) with its evidence for the user's force: work
    that fell due in the period (`days`: 30, 90 or 365), and open work today."""

    permission_classes = [HasVerb]
    required_verbs = ("view_aggregates",)

    @extend_schema(
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, enum=list(PERIODS))],
        responses=RowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("days") or "90"  # given and not empty, else 90
        if raw not in {str(p) for p in PERIODS}:
            raise ValidationError({"days": [f"Must be one of {', '.join(map(str, PERIODS))}."]})
        rows = scorecard(
            user=request.user, today=clock.today(), days=int(raw), pack=active_policy()
        )
        return Response(RowSerializer(rows, many=True).data)


class DashboardView(APIView):
    """The force performance dashboard: each theme's work for the force, an area or a team
    (`area`, `team`: ids of the user's force), its trend by month and its teams; the RSO
    work overdue by risk level and band."""

    permission_classes = [HasVerb]
    required_verbs = ("view_aggregates",)

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.UUID, description="An area of your force"),
            OpenApiParameter("team", OpenApiTypes.UUID, description="A team of your force"),
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                pattern=MONTH,
                description="This month so far (the default), or a month gone read as it "
                "closed, as 2026-11: one of the last 12 (another is not found, 404)",
            ),
        ],
        responses={200: DashboardSerializer, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        form = UnitForm(request.query_params, user=request.user)
        for name, known in (("area", form.areas), ("team", form.teams)):
            if (asked := request.query_params.get(name)) and asked not in known:
                raise NotFound({name: f"No {name} of your force has this id."})
        asked = request.query_params.get("month") or ""
        months = {value for value, _ in form.fields["month"].choices}  # type: ignore[attr-defined]
        if re.fullmatch(MONTH, asked) and asked not in months:
            raise NotFound({"month": "This month is not one of the last 12."})
        if not form.is_valid():
            raise ValidationError(field_errors(form))
        pack = active_policy()
        smallest = smallest_shown(request.user, pack)
        figures = dashboard(
            unit=form.unit(),
            today=clock.today(),
            smallest=smallest,
            pack=pack,
            withheld=withheld(request.user),
            month=form.chosen_month(),
        )
        return Response(dashboard_data(figures, form.describe()))


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The force's assurance reports (the PCC's report, the monthly pack), each with the
    figures kept when it was made; `download` gives a copy (a disclosure, audited)."""

    model = AssuranceReport
    serializer_class = ReportSerializer
    required_verbs = {
        "list": ("view_aggregates",),
        "retrieve": ("view_aggregates",),
        "download": ("view_aggregates",),
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        found = super().get_queryset()
        return found.defer("figures") if self.action == "list" else found

    def get_serializer_class(self) -> Any:
        return ReportSummarySerializer if self.action == "list" else ReportSerializer

    create = api_create(writes.REPORT)
    partial_update = api_update(writes.NARRATIVE)

    @extend_schema(
        parameters=[
            OpenApiParameter("as", OpenApiTypes.STR, enum=list(FORMATS), required=True),
            OpenApiParameter(
                "recipients",
                OpenApiTypes.STR,
                description="Who receives the copy, comma-separated (by default, you: the "
                "API caller)",
            ),
            OpenApiParameter("justification", OpenApiTypes.STR, description="Why"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> HttpResponse:
        """A copy of the report (PDF, HTML or CSV). Reading it over the API takes it out of
        Vigil: each copy is recorded as a disclosure, to the recipients given or to the
        caller, as the audit log's API does."""
        report = self.get_object()
        params = request.query_params
        fmt = params.get("as", "")
        if fmt not in FORMATS:
            raise ValidationError({"as": [f"Must be one of {', '.join(FORMATS)}."]})
        given = [r.strip() for r in params.get("recipients", "").split(",") if r.strip()]
        content = rendered(report, fmt)
        report_exported(
            actor=request.user,
            report=report,
            fmt=fmt,
            recipients=given[:20] or [f"API caller {request.user.get_username()}"],
            justification=params.get("justification", "")[:500] or "Read over the API",
        )
        return attachment(report, fmt, content)


class NationalView(APIView):
    """The deployment's forces compared on one metric (`metric`) in a month (`month`, as
    2026-11; the newest kept by default), and every metric's forces by RAG."""

    permission_classes = [HasVerb]
    required_verbs = ("compare_forces",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                pattern=MONTH,
                description="As 2026-11; a month with no snapshots kept is not found (404)",
            ),
            OpenApiParameter("metric", OpenApiTypes.STR, enum=[m.id for m in metrics()]),
        ],
        responses={200: NationalSerializer, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        form = NationalForm(request.query_params)
        asked = request.query_params.get("month") or ""
        kept = {m.isoformat()[:7] for m in form.months}
        if re.fullmatch(MONTH, asked) and asked not in kept:
            raise NotFound({"month": "No figures are kept for this month."})
        if not form.is_valid():
            raise ValidationError(field_errors(form))
        month, metric_id = form.chosen()
        own = request.user.force_id  # type: ignore[union-attr]
        smallest = active_policy()["workforce.smallest_count"]
        body = {
            "month": month,
            "metric": metric_id,
            "forces": compared(month=month, metric_id=metric_id, own_force=own, smallest=smallest)
            if month
            else [],
            "spread": spread(month=month, own_force=own, smallest=smallest) if month else [],
        }
        return Response(NationalSerializer(body).data)
