"""The workforce in the API: abstractions (list, one, record, review) and each team's
capacity (R4, R11). The same scopes and writes as the pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.api.permissions import HasVerb
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.core import clock
from vigil.core.dates import add_years
from vigil.policy.pack import active as active_policy
from vigil.workforce import selectors, writes
from vigil.workforce.api.serializers import (
    AbstractionSerializer,
    AbstractionSummarySerializer,
    ExposureSerializer,
    ForecastRunSerializer,
    ScreeningSerializer,
    TeamCapacitySerializer,
    TrainingSerializer,
    WellbeingCountSerializer,
)
from vigil.workforce.models import (
    Abstraction,
    ExposureEntry,
    ForecastRun,
    ScreeningRecord,
    TrainingRecord,
)
from vigil.writes import api_action, api_create

VIEW = ("view_workforce",)


class AbstractionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Abstractions of the user's teams (the force's, for a role that reads it)."""

    model = Abstraction
    serializer_class = AbstractionSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        found = super().get_queryset().select_related("person", "team", "reason", "reviewed_by")
        if self.action == "list":
            waiting = self.request.query_params.get("waiting")
            if waiting:  # given, and not empty
                try:
                    only_waiting = serializers.BooleanField().to_internal_value(waiting)
                except ValidationError:
                    raise ValidationError({"waiting": ["Must be true or false."]}) from None
                if only_waiting:
                    found = found.filter(reviewed_on__isnull=True)
        return found

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "waiting", OpenApiTypes.BOOL, description="Only those waiting for review"
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    create = api_create(writes.ABSTRACTION)
    review = api_action(writes.ABSTRACTION_REVIEW, url_path="review")


class CapacityView(APIView):
    """Each team the user sees: its staff's caseload points against capacity, abstractions
    in the rolling quarter against the threshold, and its span of control."""

    permission_classes = [HasVerb]
    required_verbs = VIEW

    @extend_schema(
        parameters=[OpenApiParameter("team", OpenApiTypes.UUID, description="One team")],
        responses=TeamCapacitySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        given = request.query_params.get("team") or None
        team = None
        if given is not None:
            try:
                team = uuid.UUID(given)
            except ValueError:
                raise ValidationError({"team": ["Must be a valid UUID."]}) from None
        teams = selectors.capacity(
            user=request.user, today=clock.today(), pack=active_policy(), team=team
        )
        return Response(TeamCapacitySerializer(teams, many=True).data)


class ScreeningViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Screenings recorded (the wellbeing lead's): that and when, never a result."""

    model = ScreeningRecord
    serializer_class = ScreeningSerializer
    required_verbs = {"list": ("manage_wellbeing",)}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("person")

    create = api_create(writes.SCREENING)


class TrainingViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Supervisors' trauma-informed training recorded (the wellbeing lead's)."""

    model = TrainingRecord
    serializer_class = TrainingSerializer
    required_verbs = {"list": ("manage_wellbeing",)}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("person")

    create = api_create(writes.TRAINING)


class ExposureViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Weeks of indecent-image review: one's own (the wellbeing lead's: everyone's)."""

    model = ExposureEntry
    serializer_class = ExposureSerializer
    required_verbs = {"list": ("record_exposure",)}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("person")

    create = api_create(writes.EXPOSURE)


class ForecastRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The force's forecast runs, newest first: method, backtest, inputs and each year's
    P10, P50 and P90 of demand, staff and supervisors needed."""

    model = ForecastRun
    serializer_class = ForecastRunSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW}
    http_method_names = ["get", "post", "head", "options"]

    create = api_create(writes.FORECAST)


class WellbeingCountsView(APIView):
    """Each OCSEA and MOSOVO team's people and how many were screened in the policy's
    months; a count that could name someone (one to four) is null. Individuals are the
    wellbeing lead's, at `screenings/`."""

    permission_classes = [HasVerb]
    required_verbs = VIEW

    @extend_schema(responses=WellbeingCountSerializer(many=True))
    def get(self, request: Request) -> Response:
        counts = selectors.wellbeing_counts(
            user=request.user, today=clock.today(), pack=active_policy()
        )
        return Response(WellbeingCountSerializer(counts, many=True).data)


class AbstractionSummaryView(APIView):
    """Hours abstracted in each of the last twelve months by team, and whether abstraction
    harms the work (late or overdue when it fell due while its owner was away, and not)."""

    permission_classes = [HasVerb]
    required_verbs = VIEW

    @extend_schema(responses=AbstractionSummarySerializer)
    def get(self, request: Request) -> Response:
        today = clock.today()
        months = selectors.hours_by_month(
            user=request.user, months=selectors.MONTHS_SHOWN, today=today
        )
        effect = selectors.completion_effect(
            user=request.user, since=add_years(today, -1), today=today
        )
        return Response(
            AbstractionSummarySerializer(
                {
                    "months": [
                        {"month": first, "by_team": {t: float(h) for t, h in by_team.items()}}
                        for first, by_team in months
                    ],
                    "completion": effect,
                }
            ).data
        )
