"""The obligation engine over the API: the same worklists, table, waivers and escalations as
the pages, under the same access rules, statuses and audit."""

from __future__ import annotations

import re
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import has_verb
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.core import clock
from vigil.obligations import selectors, services, writes
from vigil.obligations.api.serializers import (
    EscalationGroupSerializer,
    EscalationSerializer,
    GroupAcknowledgementSerializer,
    ObligationSerializer,
    RiskBandTableSerializer,
)
from vigil.obligations.models import Escalation, GroupAcknowledgement, Obligation, RiskLevel
from vigil.obligations.selectors import WorklistFilters
from vigil.obligations.status import statuses
from vigil.writes import api_action, api_create

_UUID = "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
FILTERS = [
    OpenApiParameter(
        "status",
        str,
        enum=["open", "overdue", "all", *(code for code, _ in statuses())],
        description="open (default), overdue, all, or a status code (the overdue bands are "
        "the policy pack's)",
    ),
    OpenApiParameter("kind", str, description="a kind or kind prefix, e.g. rso.visit or rso"),
    OpenApiParameter(
        "rules",
        str,
        description="rule id prefixes, comma-separated (e.g. rso.arms.,rso.rmp.): the work a "
        "figure of the performance dashboard counts",
    ),
    OpenApiParameter(
        "risk", str, enum=[*RiskLevel.values, "none"], description="a risk level, or none"
    ),
    OpenApiParameter(
        "team",
        str,
        pattern=f"^(mine|all|{_UUID})$",
        description="mine, all, or a team id; by default all for a role that reads the whole "
        "force's work (the head of public protection), else mine",
    ),
    OpenApiParameter("area", OpenApiTypes.UUID, description="an area id"),
    OpenApiParameter("owner", OpenApiTypes.UUID, description="a user id"),
    OpenApiParameter(
        "sort",
        str,
        enum=list(selectors.SORTS),
        description="the order: due (default), -due, risk, subject, owner or kind",
    ),
]


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _filters(request: Request) -> WorklistFilters:
    """The worklist's filters from the query; an unknown status or sort is a 400 naming it."""
    params = request.query_params
    known = {"", "open", "overdue", "all", *(code for code, _ in statuses())}
    if params.get("status", "") not in known:
        raise ValidationError(
            {"status": f"Unknown status: choose one of {', '.join(sorted(known - {''}))}"}
        )
    if (params.get("sort") or "due") not in selectors.SORTS:
        raise ValidationError(
            {"sort": f"Unknown order: choose one of {', '.join(selectors.SORTS)}"}
        )
    if (params.get("risk") or "") not in ("", "none", *RiskLevel.values):
        raise ValidationError({"risk": "Unknown risk level"})
    for name, also in (("team", ("mine", "all")), ("area", ()), ("owner", ())):
        value = params.get(name) or ""
        if value and value not in also and not re.fullmatch(_UUID, value):
            raise ValidationError({name: "Not a valid id"})
    return WorklistFilters(
        **{
            name: params.get(name, "")
            for name in ("status", "kind", "rules", "risk", "team", "area", "owner")
        },
        sort=params.get("sort") or "due",
    )


class ObligationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Obligations: a supervisor's team worklist (or, for others, their own work), one
    obligation, a waiver, and the risk level x overdue band table."""

    model = Obligation
    serializer_class = ObligationSerializer
    required_verbs = {
        "list": ("view_nominal",),
        "retrieve": ("view_nominal",),
        "risk_bands": ("view_team_work",),
    }

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": clock.today()}

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            filters = _filters(self.request)
            work = selectors.team_worklist(
                user=self.request.user, filters=filters, today=clock.today()
            )
            if not has_verb(self.request.user, "view_team_work"):  # type: ignore[arg-type]
                work = work.filter(owner_user=_actor(self.request))
            return work
        return super().get_queryset().select_related("owner_team", "owner_user")

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        services.obligations_listed(actor=_actor(request), obligations=shown, via="api")
        data = ObligationSerializer(shown, many=True, context=self.get_serializer_context()).data
        return paginator.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obligation = self.get_object()
        services.obligations_listed(actor=_actor(request), obligations=[obligation], via="api")
        return Response(
            ObligationSerializer(obligation, context=self.get_serializer_context()).data
        )

    waive = api_action(writes.WAIVE, url_path="waive")

    @extend_schema(parameters=FILTERS, responses=RiskBandTableSerializer)
    @action(detail=False, methods=["get"], url_path="risk-bands")
    def risk_bands(self, request: Request) -> Response:
        bands, rows, totals = selectors.risk_band_table(
            user=request.user, filters=_filters(request), today=clock.today()
        )
        return Response(
            RiskBandTableSerializer(
                {
                    "bands": [
                        {"status": b.status, "label": b.label, "first": b.first, "last": b.last}
                        for b in bands
                    ],
                    "rows": rows,
                    "totals": totals,
                }
            ).data
        )


class EscalationViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Escalations for those who act on them: list (open by default), acknowledge, resolve."""

    model = Escalation
    serializer_class = EscalationSerializer
    required_verbs = ("act_on_escalations",)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": clock.today()}

    def get_queryset(self) -> QuerySet[Any]:
        open_only = self.request.query_params.get("show") != "all"
        return selectors.escalation_list(user=self.request.user, open_only=open_only)

    @extend_schema(
        parameters=[OpenApiParameter("show", str, description="all: include resolved ones")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    acknowledge = api_action(writes.ACKNOWLEDGE, url_path="acknowledge")
    resolve = api_action(writes.RESOLVE, url_path="resolve")

    @extend_schema(
        parameters=[OpenApiParameter("show", str, description="all: include resolved ones")],
        responses=EscalationGroupSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="groups", pagination_class=None)
    def groups(self, request: Request) -> Response:
        """The escalations counted by rung, team, kind of work and reason (no names): what
        the escalations page lists, and what is acknowledged together (ADR 20)."""
        open_only = request.query_params.get("show") != "all"
        found = selectors.escalation_groups(user=request.user, open_only=open_only)
        return Response(EscalationGroupSerializer(found, many=True).data)


class EscalationAcknowledgementViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Escalations acknowledged together: the decisions of the user's force (list), and a
    group acknowledged (POST: its rung, team, kind and reason, and the reason why)."""

    model = GroupAcknowledgement
    serializer_class = GroupAcknowledgementSerializer
    required_verbs = ("act_on_escalations",)

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("acknowledged_by", "team")

    create = api_create(writes.ACKNOWLEDGE_GROUP)
