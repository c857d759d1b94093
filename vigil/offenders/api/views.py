"""RSO records over the API: the caseload, one record (with a stated purpose), and recording
visits, ARMS assessments and plans; the same services, access rules and audit as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.core import clock
from vigil.core.api_views import ScopedGenericViewSet
from vigil.obligations.api.views import ObligationSerializer
from vigil.offenders import selectors, services
from vigil.offenders.models import (
    ArmsAssessment,
    HomeVisit,
    Intelligence,
    Notification,
    PndCheck,
    Registration,
    RiskManagementPlan,
)
from vigil.people import services as people_services
from vigil.people.api.views import PURPOSE_HEADERS


class RegistrationSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="nominal.__str__")
    next_visit = serializers.DateField(allow_null=True)
    overdue = serializers.IntegerField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "name",
            "register_reference",
            "risk_level",
            "management_mode",
            "team",
            "offender_manager",
            "next_visit",
            "overdue",
        ]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="nominal.__str__")

    class Meta:
        model = Registration
        fields = [
            "id",
            "version",
            "nominal",
            "name",
            "register_reference",
            "team",
            "offender_manager",
            "registration_date",
            "conviction_date",
            "disposal",
            "under_18_at_conviction",
            "in_community_since",
            "risk_level",
            "mappa_category",
            "mappa_level",
            "management_mode",
            "ended_on",
        ]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    officers = serializers.SlugRelatedField(
        many=True, slug_field="username", queryset=User.objects.all()
    )

    class Meta:
        model = HomeVisit
        fields = [
            "id",
            "visited_at",
            "announced",
            "officers",
            "access_gained",
            "outcome",
            "completed_on",
            "reviewed_on",
            "authorised_on",
            "assessed_on",
        ]
        read_only_fields = ["id", "completed_on", "reviewed_on", "authorised_on", "assessed_on"]


class ArmsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArmsAssessment
        fields = ["id", "completed_on", "priority", "summary", "reviewed_on"]
        read_only_fields = ["id", "reviewed_on"]


class RmpSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskManagementPlan
        fields = ["id", "completed_on", "visit_frequency_months", "actions", "reviewed_on"]
        read_only_fields = ["id", "reviewed_on"]


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "made_on", "details"]
        read_only_fields = ["id"]


class PndCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = PndCheck
        fields = ["id", "checked_on", "result", "assessed_on", "assessment"]
        read_only_fields = ["id", "assessed_on", "assessment"]


class IntelligenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Intelligence
        fields = ["id", "received_on", "source", "grading", "summary", "returned_to_active"]
        read_only_fields = ["id", "returned_to_active"]


class ReactiveSerializer(serializers.Serializer):
    rationale = serializers.CharField(max_length=2000)


def _actor(request: Request) -> User:
    return cast(User, request.user)


class RegistrationViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    model = Registration
    serializer_class = RegistrationSerializer
    required_verbs = {
        "list": ("manage_rso", "review_rso_work"),
        "retrieve": ("manage_rso", "review_rso_work"),
        "visits": ("manage_rso",),
        "arms": ("manage_rso",),
        "rmps": ("manage_rso",),
        "notifications": ("manage_rso",),
        "pnd_checks": ("manage_rso",),
        "intelligence": ("manage_rso",),
        "reactive": ("authorise_reactive",),
    }

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            scope = self.request.query_params.get("scope", "mine")
            return selectors.caseload(user=self.request.user, scope=scope, today=clock.today())
        return super().get_queryset().select_related("nominal")

    def get_serializer_class(self) -> Any:
        return RegistrationSummarySerializer if self.action == "list" else RegistrationSerializer

    @extend_schema(parameters=[OpenApiParameter("scope", str, description="mine, team or all")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("scope", "mine") not in ("mine", "team", "all"):
            raise ValidationError({"scope": "Choose mine, team or all"})
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        people_services.nominals_listed(
            actor=_actor(request), nominals=[r.nominal for r in shown], via="api caseload"
        )
        return paginator.get_paginated_response(
            RegistrationSummarySerializer(shown, many=True).data
        )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=RegistrationSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        registration = self.get_object()
        purpose = request.headers.get("X-Vigil-Purpose", "")
        detail = request.headers.get("X-Vigil-Purpose-Detail", "")
        errors = purposes.validate(purpose, detail)
        if errors:
            raise ValidationError({"X-Vigil-Purpose": list(errors.values())})
        people_services.nominal_consulted(
            actor=_actor(request),
            nominal=registration.nominal,
            stated=purposes.StatedPurpose(purpose, detail),
            via="api rso",
        )
        data = dict(RegistrationSerializer(registration).data)
        data["open_obligations"] = ObligationSerializer(
            selectors.open_obligations(registration), many=True, context={"today": clock.today()}
        ).data
        return Response(data)

    def _add(self, request: Request, serializer_class: Any, save: Any) -> Response:
        registration = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = save(registration, dict(serializer.validated_data))
        return Response(serializer_class(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VisitSerializer, responses={201: VisitSerializer})
    @action(detail=True, methods=["post"])
    def visits(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> HomeVisit:
            return services.visit_record(
                actor=_actor(request),
                registration=registration,
                officers=list(data.pop("officers")),
                **data,
            )

        return self._add(request, VisitSerializer, save)

    @extend_schema(request=ArmsSerializer, responses={201: ArmsSerializer})
    @action(detail=True, methods=["post"])
    def arms(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> ArmsAssessment:
            return services.arms_complete(actor=_actor(request), registration=registration, **data)

        return self._add(request, ArmsSerializer, save)

    @extend_schema(request=RmpSerializer, responses={201: RmpSerializer})
    @action(detail=True, methods=["post"])
    def rmps(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> RiskManagementPlan:
            return services.rmp_complete(actor=_actor(request), registration=registration, **data)

        return self._add(request, RmpSerializer, save)

    @extend_schema(request=NotificationSerializer, responses={201: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def notifications(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> Notification:
            return services.notification_record(
                actor=_actor(request), registration=registration, **data
            )

        return self._add(request, NotificationSerializer, save)

    @extend_schema(request=PndCheckSerializer, responses={201: PndCheckSerializer})
    @action(detail=True, methods=["post"], url_path="pnd-checks")
    def pnd_checks(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> PndCheck:
            return services.pnd_check_record(
                actor=_actor(request), registration=registration, **data
            )

        return self._add(request, PndCheckSerializer, save)

    @extend_schema(request=IntelligenceSerializer, responses={201: IntelligenceSerializer})
    @action(detail=True, methods=["post"])
    def intelligence(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> Intelligence:
            return services.intelligence_record(
                actor=_actor(request), registration=registration, **data
            )

        return self._add(request, IntelligenceSerializer, save)

    @extend_schema(request=ReactiveSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def reactive(self, request: Request, pk: Any = None) -> Response:
        registration = self.get_object()
        serializer = ReactiveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = services.reactive_enter(
            actor=_actor(request),
            registration=registration,
            rationale=serializer.validated_data["rationale"],
        )
        return Response(RegistrationSerializer(registration).data)
