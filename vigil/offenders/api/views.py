"""RSO records over the API: the caseload, one record (with a stated purpose), registering a
person and changing the record, recording the work on it (visits, ARMS assessments, plans,
notifications, PND checks, intelligence, breaches), the decisions on that work (reviews,
authorisations, assessments, the s.96B warrant decision, ViSOR entry) and moves to another
team or force; the same services, access rules and audit as the pages.

Work on a record is found only through `Registration.objects.visible_to(user)`, so what the
user may not see is a 404; a transfer through the forces it is between, less the people the
user is kept out of. Service errors become 400s naming the field, a refusal a 403 and a stale
version a 409 (`vigil.core.api.exception_handler`)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.db.models import F, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import get_visible_or_404
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.core import api as core_api
from vigil.core import clock
from vigil.core.api_views import ScopedGenericViewSet
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.api.views import ObligationSerializer
from vigil.obligations.models import RiskLevel
from vigil.offenders import selectors, services
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    Concern,
    Disposal,
    HomeVisit,
    IndefiniteReview,
    Intelligence,
    Notification,
    PndCheck,
    Registration,
    ReviewOutcome,
    RiskManagementPlan,
    StaticTool,
    Transfer,
)
from vigil.offenders.reactive import reactive_eligibility
from vigil.people import services as people_services
from vigil.people.api.views import PURPOSE_HEADERS
from vigil.people.models import AddressKind, Nominal
from vigil.policy.pack import active as active_policy


class RegistrationSummarySerializer(core_api.ModelSerializer):
    name = core_api.CharField(source="nominal.__str__")
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


class RegistrationSerializer(core_api.ModelSerializer):
    name = core_api.CharField(source="nominal.__str__")

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
            "discharge_months",
            "under_18_at_conviction",
            "in_community_since",
            "risk_level",
            "mappa_category",
            "mappa_level",
            "management_mode",
            "ended_on",
        ]
        read_only_fields = fields


def _rso_teams(teams: QuerySet[Team]) -> QuerySet[Team]:
    """The teams that manage RSOs, as the pages offer them."""
    return teams.filter(kind=TeamKind.MOSOVO)


class RegistrationCreateSerializer(serializers.Serializer):
    """Put a person on the register. The person, team and manager are given by id and must
    be ones the user can see in their own force (otherwise: no such object)."""

    nominal = core_api.VisibleRelatedField(Nominal)
    team = core_api.VisibleRelatedField(Team, narrow=_rso_teams)
    offender_manager = core_api.VisibleRelatedField(
        User, narrow=core_api.active, required=False, allow_null=True
    )
    register_reference = core_api.CharField(max_length=40, required=False, allow_blank=True)
    registration_date = serializers.DateField(
        help_text="The relevant date the notification requirements began"
    )
    conviction_date = serializers.DateField()
    disposal = serializers.ChoiceField(choices=Disposal.choices)
    discharge_months = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="For a conditional discharge: its length in months (the notification period)",
    )
    under_18_at_conviction = serializers.BooleanField(required=False, default=False)
    in_community_since = serializers.DateField(required=False, allow_null=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    mappa_category = serializers.IntegerField(required=False, default=1)
    mappa_level = serializers.IntegerField(required=False, default=1)


class RegistrationUpdateSerializer(serializers.Serializer):
    """Change the register record: only the fields given change. Entering reactive
    management and moving to another team or force have their own endpoints."""

    version = serializers.IntegerField(
        help_text="Required: the version you read; a stale one is a 409."
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    offender_manager = core_api.VisibleRelatedField(
        User, narrow=core_api.active, required=False, allow_null=True
    )
    register_reference = core_api.CharField(max_length=40, required=False, allow_blank=True)
    in_community_since = serializers.DateField(required=False, allow_null=True)
    mappa_category = serializers.IntegerField(required=False)
    mappa_level = serializers.IntegerField(required=False)
    static_tool = serializers.ChoiceField(
        choices=StaticTool.choices, required=False, allow_blank=True
    )
    static_band = core_api.CharField(max_length=20, required=False, allow_blank=True)
    static_date = serializers.DateField(required=False, allow_null=True)


class VisitSerializer(core_api.ModelSerializer):
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
            "warrant_decided_on",
        ]
        read_only_fields = [
            "id",
            "completed_on",
            "reviewed_on",
            "authorised_on",
            "assessed_on",
            "warrant_decided_on",
        ]


class ArmsSerializer(core_api.ModelSerializer):
    draft = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="True saves a draft (no completion date) to complete later",
    )

    class Meta:
        model = ArmsAssessment
        fields = ["id", "draft", "is_draft", "completed_on", "priority", "summary", "reviewed_on"]
        read_only_fields = ["id", "is_draft", "reviewed_on"]


class RmpSerializer(core_api.ModelSerializer):
    draft = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="True saves a draft (no completion date) to complete later",
    )

    class Meta:
        model = RiskManagementPlan
        fields = [
            "id",
            "draft",
            "is_draft",
            "completed_on",
            "visit_frequency_months",
            "actions",
            "reviewed_on",
        ]
        read_only_fields = ["id", "is_draft", "reviewed_on"]


class NotificationSerializer(core_api.ModelSerializer):
    """A notification. A change of home address gives the new address (`address_*`), which
    goes into the person's address history from the date of the change, unless the history
    has a home address from that day already."""

    address_kind = serializers.ChoiceField(
        choices=[AddressKind.HOME, AddressKind.NO_FIXED_ABODE],
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="For a change of home address: a home, or no fixed abode",
    )
    address_line_1 = core_api.CharField(
        max_length=150, required=False, allow_blank=True, write_only=True
    )
    address_line_2 = core_api.CharField(
        max_length=150, required=False, allow_blank=True, write_only=True
    )
    address_town = core_api.CharField(
        max_length=100, required=False, allow_blank=True, write_only=True
    )
    address_postcode = core_api.CharField(
        max_length=10, required=False, allow_blank=True, write_only=True
    )

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "made_on",
            "change_kind",
            "changed_on",
            "details",
            "address_kind",
            "address_line_1",
            "address_line_2",
            "address_town",
            "address_postcode",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {
            "change_kind": {"help_text": "For a notification of a change: what changed"},
            "changed_on": {"help_text": "For a notification of a change: when it changed"},
        }


class PndCheckSerializer(core_api.ModelSerializer):
    class Meta:
        model = PndCheck
        fields = ["id", "requested_on", "checked_on", "result", "assessed_on", "assessment"]
        read_only_fields = ["id", "assessed_on", "assessment"]


class IntelligenceSerializer(core_api.ModelSerializer):
    class Meta:
        model = Intelligence
        fields = ["id", "received_on", "source", "grading", "summary", "returned_to_active"]
        read_only_fields = ["id", "returned_to_active"]


class ConcernSerializer(core_api.ModelSerializer):
    class Meta:
        model = Concern
        fields = ["id", "raised_on", "details", "returned_to_active"]
        read_only_fields = ["id", "returned_to_active"]


class EligibilitySerializer(serializers.Serializer):
    """Whether the RSO may be managed reactively now, and why (the policy's conditions)."""

    eligible = serializers.BooleanField()
    since = serializers.DateField(help_text="The first day of the window the policy looks at")
    met = serializers.ListField(child=core_api.CharField())
    shortfalls = serializers.ListField(child=core_api.CharField())


class BreachSerializer(core_api.ModelSerializer):
    class Meta:
        model = Breach
        fields = [
            "id",
            "identified_at",
            "kind",
            "details",
            "action_taken",
            "returned_to_active",
            "recorded_nationally_on",
            "recorded_nationally_at",
        ]
        read_only_fields = [
            "id",
            "returned_to_active",
            "recorded_nationally_on",
            "recorded_nationally_at",
        ]


class IndefiniteReviewSerializer(core_api.ModelSerializer):
    class Meta:
        model = IndefiniteReview
        fields = ["id", "applied_on", "decided_on", "outcome", "rationale"]
        read_only_fields = ["id", "decided_on", "outcome", "rationale"]


class DetermineSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    rationale = core_api.CharField(max_length=4000)


class ReactiveSerializer(serializers.Serializer):
    rationale = core_api.CharField(max_length=2000)


class ReviewSerializer(serializers.Serializer):
    note = core_api.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AuthoriseSerializer(serializers.Serializer):
    rationale = core_api.CharField(
        max_length=2000, help_text="Why the visit was announced or single-officer"
    )


class AssessSerializer(serializers.Serializer):
    assessment = core_api.CharField(max_length=2000)


class WarrantSerializer(serializers.Serializer):
    decision = core_api.CharField(
        max_length=2000, help_text="Whether to apply for a s.96B entry warrant, and why"
    )


class VisorSerializer(serializers.Serializer):
    recorded_at = serializers.DateTimeField(
        required=False,
        help_text="When the breach was recorded on ViSOR (due within the policy's hours of its "
        "identification, so the time counts)",
    )
    recorded_on = serializers.DateField(
        required=False,
        help_text="Deprecated: the day only, judged by the day; give recorded_at instead",
    )


class EndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = core_api.CharField(max_length=2000)


class MoveSerializer(serializers.Serializer):
    team = core_api.VisibleRelatedField(Team, narrow=_rso_teams)
    offender_manager = core_api.VisibleRelatedField(
        User, narrow=core_api.active, required=False, allow_null=True, default=None
    )
    reason = core_api.CharField(max_length=2000)


class TransferRequestSerializer(serializers.Serializer):
    to_force = core_api.CharField(
        max_length=40, help_text="The receiving force, by its code (such as `beta`) or id"
    )
    reason = core_api.CharField(
        max_length=2000, help_text="For example the new address's area and the date of the move"
    )

    def validate_to_force(self, value: str) -> Force:
        by_id = Q(pk=value) if _is_uuid(value) else Q()
        found = Force.objects.filter(Q(code=value) | by_id).first()
        if found is None:
            raise serializers.ValidationError("No such force")
        return found


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


class TransferAcceptSerializer(serializers.Serializer):
    team = core_api.VisibleRelatedField(Team, narrow=_rso_teams)
    offender_manager = core_api.VisibleRelatedField(
        User, narrow=core_api.active, required=False, allow_null=True, default=None
    )
    note = core_api.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransferDeclineSerializer(serializers.Serializer):
    # Optional here so that the service says whose decision it is before what is missing.
    note = core_api.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="The reason: the receiving force declines, the sending force withdraws",
    )


class TransferSerializer(core_api.ModelSerializer):
    """A transfer between forces, with only what the receiving force needs to decide."""

    name = core_api.CharField(source="registration.nominal.__str__", read_only=True)
    date_of_birth = serializers.DateField(
        source="registration.nominal.date_of_birth", read_only=True, allow_null=True
    )
    register_reference = core_api.CharField(
        source="registration.register_reference", read_only=True
    )
    risk_level = serializers.ChoiceField(
        source="registration.risk_level", choices=RiskLevel.choices, read_only=True
    )
    from_force = core_api.CharField(source="from_force.code", read_only=True)
    to_force = core_api.CharField(source="to_force.code", read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "status",
            "name",
            "date_of_birth",
            "register_reference",
            "risk_level",
            "from_force",
            "to_force",
            "reason",
            "requested_on",
            "decided_on",
        ]
        read_only_fields = fields


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _path_id(what: str) -> list[OpenApiParameter]:
    # "id": drf-spectacular names a path's `pk` so (SCHEMA_COERCE_PATH_PK)
    return [OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=what)]


# A piece of work or a transfer named in the path (not the registration): see `_work`.
BY_ID = r"(?P<pk>[^/.]+)"

DECIDERS = ("manage_rso", "transfer_rso")


class RegistrationViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    model = Registration
    serializer_class = RegistrationSerializer
    required_verbs = {
        "list": ("manage_rso", "review_rso_work"),
        "retrieve": ("manage_rso", "review_rso_work"),
        "create": ("manage_rso",),
        "partial_update": ("manage_rso",),
        "visits": ("manage_rso",),
        "arms": ("manage_rso",),
        "rmps": ("manage_rso",),
        "arms_complete": ("manage_rso",),
        "rmp_complete": ("manage_rso",),
        "notifications": ("manage_rso",),
        "pnd_checks": ("manage_rso",),
        "intelligence": ("manage_rso",),
        "concerns": ("manage_rso",),
        "breaches": ("manage_rso",),
        "reactive": ("authorise_reactive",),
        "reactive_eligibility": ("authorise_reactive",),
        "visit_review": ("review_rso_work",),
        "arms_review": ("review_rso_work",),
        "rmp_review": ("review_rso_work",),
        "visit_authorise": ("authorise_visit",),
        "visit_assess": ("assess_visit_authorisation",),
        "visit_warrant": ("authorise_visit",),
        "pnd_assess": ("manage_rso",),
        "breach_visor": ("manage_rso",),
        "move": ("transfer_rso",),
        "indefinite_reviews": ("manage_rso",),
        "indefinite_review_determine": ("determine_indefinite_review",),
        "end": ("manage_rso",),
        "transfer": ("manage_rso",),
        # The sending force's managers ask and withdraw; the receiving force's supervisors
        # accept or decline (the service holds each side to its verb).
        "transfers": DECIDERS,
        "transfer_accept": ("transfer_rso",),
        "transfer_decline": DECIDERS,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            scope = self.request.query_params.get("scope") or "mine"
            return selectors.caseload(user=self.request.user, scope=scope, today=clock.today())
        return super().get_queryset().select_related("nominal")

    def get_serializer_class(self) -> Any:
        return RegistrationSummarySerializer if self.action == "list" else RegistrationSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def _input(self, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _work(self, model: Any, pk: Any) -> Any:
        """A piece of work on a record the user can see, else 404 (as on the pages)."""
        return get_visible_or_404(model, self.request.user, pk, related=("registration__nominal",))

    def _transfers(self) -> QuerySet[Transfer]:
        """Transfers between the user's force and another, incoming and outgoing, as the
        transfers page lists them."""
        return (
            Transfer.objects.visible_to(self.request.user)
            .exclude(from_force=F("to_force"))
            .select_related("registration__nominal", "from_force", "to_force")
        )

    # --- the register record ---------------------------------------------------------------

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=["mine", "team", "all"],
                description="mine (default), team or all",
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("scope") not in (None, "", "mine", "team", "all"):
            raise ValidationError({"scope": "Choose mine, team or all"})
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        people_services.nominals_listed(
            actor=_actor(request), nominals=[r.nominal for r in shown], via="api caseload"
        )
        return paginator.get_paginated_response(
            RegistrationSummarySerializer(shown, many=True).data
        )

    def _consulted(self, request: Request, registration: Registration, via: str) -> None:
        """A read of the record: its stated purpose checked and the consultation audited."""
        purpose = request.headers.get("X-Vigil-Purpose", "")
        detail = request.headers.get("X-Vigil-Purpose-Detail", "")
        errors = purposes.validate(purpose, detail)
        if errors:
            raise ValidationError({"X-Vigil-Purpose": list(errors.values())})
        people_services.nominal_consulted(
            actor=_actor(request),
            nominal=registration.nominal,
            stated=purposes.StatedPurpose(purpose, detail),
            via=via,
        )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=RegistrationSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        registration = self.get_object()
        self._consulted(request, registration, "api rso")
        data = dict(RegistrationSerializer(registration).data)
        data["open_obligations"] = ObligationSerializer(
            selectors.open_obligations(registration), many=True, context={"today": clock.today()}
        ).data
        return Response(data)

    @extend_schema(request=RegistrationCreateSerializer, responses={201: RegistrationSerializer})
    def create(self, request: Request) -> Response:
        registration = services.registration_create(
            actor=_actor(request), **self._input(RegistrationCreateSerializer)
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RegistrationUpdateSerializer, responses=RegistrationSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        registration = self.get_object()
        changes = self._input(RegistrationUpdateSerializer)
        version = changes.pop("version")
        if "offender_manager" in changes:
            manager = changes.pop("offender_manager")
            changes["offender_manager_id"] = manager.pk if manager else None
        registration = services.registration_update(
            actor=_actor(request),
            registration=registration,
            expected_version=version,
            **changes,
        )
        return Response(RegistrationSerializer(registration).data)

    # --- work recorded on the record -------------------------------------------------------

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
        """Complete an ARMS assessment, or with `draft` save one to complete later."""

        def save(registration: Registration, data: dict[str, Any]) -> ArmsAssessment:
            if data.pop("draft"):
                data.pop("completed_on", None)
                return services.arms_draft_save(
                    actor=_actor(request), registration=registration, **data
                )
            return services.arms_complete(
                actor=_actor(request),
                registration=registration,
                completed_on=data.pop("completed_on", None),
                **data,
            )

        return self._add(request, ArmsSerializer, save)

    @extend_schema(request=RmpSerializer, responses={201: RmpSerializer})
    @action(detail=True, methods=["post"])
    def rmps(self, request: Request, pk: Any = None) -> Response:
        """Complete a risk management plan, or with `draft` save one to complete later."""

        def save(registration: Registration, data: dict[str, Any]) -> RiskManagementPlan:
            if data.pop("draft"):
                data.pop("completed_on", None)
                return services.rmp_draft_save(
                    actor=_actor(request), registration=registration, **data
                )
            return services.rmp_complete(
                actor=_actor(request),
                registration=registration,
                completed_on=data.pop("completed_on", None),
                **data,
            )

        return self._add(request, RmpSerializer, save)

    def _complete_draft(
        self, model: Any, pk: Any, serializer_class: Any, complete: Any
    ) -> Response:
        draft = self._work(model, pk)
        data = self._input(serializer_class)
        data.pop("draft")
        done = complete(
            actor=_actor(self.request),
            registration=draft.registration,
            draft=draft,
            completed_on=data.pop("completed_on", None),
            **data,
        )
        return Response(serializer_class(done).data)

    @extend_schema(
        parameters=_path_id("The draft's id"), request=ArmsSerializer, responses=ArmsSerializer
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"arms/{BY_ID}/complete",
        url_name="arms-complete",
    )
    def arms_complete(self, request: Request, pk: Any = None) -> Response:
        """Complete a draft ARMS assessment."""
        return self._complete_draft(ArmsAssessment, pk, ArmsSerializer, services.arms_complete)

    @extend_schema(
        parameters=_path_id("The draft's id"), request=RmpSerializer, responses=RmpSerializer
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"rmps/{BY_ID}/complete",
        url_name="rmp-complete",
    )
    def rmp_complete(self, request: Request, pk: Any = None) -> Response:
        """Complete a draft risk management plan."""
        return self._complete_draft(RiskManagementPlan, pk, RmpSerializer, services.rmp_complete)

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

    @extend_schema(request=BreachSerializer, responses={201: BreachSerializer})
    @action(detail=True, methods=["post"])
    def breaches(self, request: Request, pk: Any = None) -> Response:
        def save(registration: Registration, data: dict[str, Any]) -> Breach:
            return services.breach_record(actor=_actor(request), registration=registration, **data)

        return self._add(request, BreachSerializer, save)

    @extend_schema(request=IndefiniteReviewSerializer, responses={201: IndefiniteReviewSerializer})
    @action(detail=True, methods=["post"], url_path="indefinite-reviews")
    def indefinite_reviews(self, request: Request, pk: Any = None) -> Response:
        """Record an application for review of the indefinite requirement (s.91B)."""

        def save(registration: Registration, data: dict[str, Any]) -> IndefiniteReview:
            return services.indefinite_review_apply(
                actor=_actor(request), registration=registration, **data
            )

        return self._add(request, IndefiniteReviewSerializer, save)

    @extend_schema(
        parameters=_path_id("The application's id"),
        request=DetermineSerializer,
        responses=IndefiniteReviewSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"indefinite-reviews/{BY_ID}/determine",
        url_name="indefinite-review-determine",
    )
    def indefinite_review_determine(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            IndefiniteReview,
            pk,
            DetermineSerializer,
            lambda review, outcome, rationale: services.indefinite_review_determine(
                actor=_actor(request), review=review, outcome=outcome, rationale=rationale
            ),
            IndefiniteReviewSerializer,
        )

    @extend_schema(request=ConcernSerializer, responses={201: ConcernSerializer})
    @action(detail=True, methods=["post"])
    def concerns(self, request: Request, pk: Any = None) -> Response:
        """Record a concern: on a reactively managed RSO it returns them to active
        management with a risk review."""

        def save(registration: Registration, data: dict[str, Any]) -> Concern:
            return services.concern_record(actor=_actor(request), registration=registration, **data)

        return self._add(request, ConcernSerializer, save)

    @extend_schema(parameters=PURPOSE_HEADERS, responses=EligibilitySerializer)
    @action(detail=True, methods=["get"], url_path="reactive-eligibility")
    def reactive_eligibility(self, request: Request, pk: Any = None) -> Response:
        """Whether the RSO may be managed reactively now: each condition met or not met. A
        consultation of the record, with its stated purpose."""
        registration = self.get_object()
        self._consulted(request, registration, "api rso reactive eligibility")
        eligibility = reactive_eligibility(registration, active_policy(), clock.today())
        return Response(
            EligibilitySerializer(
                {
                    "eligible": eligibility.eligible,
                    "since": eligibility.since,
                    "met": eligibility.met,
                    "shortfalls": eligibility.shortfalls,
                }
            ).data
        )

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

    # --- decisions on the work -------------------------------------------------------------

    def _decide(
        self, model: Any, pk: Any, serializer_class: Any, decide: Any, shown: Any
    ) -> Response:
        work = self._work(model, pk)  # 404 before anything is said about the input
        decided = decide(work, **self._input(serializer_class))
        return Response(shown(decided).data)

    def _review(self, model: Any, pk: Any, shown: Any) -> Response:
        return self._decide(
            model,
            pk,
            ReviewSerializer,
            lambda work, note: services.work_review(
                actor=_actor(self.request), work=work, note=note
            ),
            shown,
        )

    @extend_schema(
        parameters=_path_id("The visit's id"), request=ReviewSerializer, responses=VisitSerializer
    )
    @action(
        detail=False, methods=["post"], url_path=f"visits/{BY_ID}/review", url_name="visit-review"
    )
    def visit_review(self, request: Request, pk: Any = None) -> Response:
        return self._review(HomeVisit, pk, VisitSerializer)

    @extend_schema(
        parameters=_path_id("The ARMS assessment's id"),
        request=ReviewSerializer,
        responses=ArmsSerializer,
    )
    @action(detail=False, methods=["post"], url_path=f"arms/{BY_ID}/review", url_name="arms-review")
    def arms_review(self, request: Request, pk: Any = None) -> Response:
        return self._review(ArmsAssessment, pk, ArmsSerializer)

    @extend_schema(
        parameters=_path_id("The risk management plan's id"),
        request=ReviewSerializer,
        responses=RmpSerializer,
    )
    @action(detail=False, methods=["post"], url_path=f"rmps/{BY_ID}/review", url_name="rmp-review")
    def rmp_review(self, request: Request, pk: Any = None) -> Response:
        return self._review(RiskManagementPlan, pk, RmpSerializer)

    @extend_schema(
        parameters=_path_id("The visit's id"),
        request=AuthoriseSerializer,
        responses=VisitSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"visits/{BY_ID}/authorise",
        url_name="visit-authorise",
    )
    def visit_authorise(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            HomeVisit,
            pk,
            AuthoriseSerializer,
            lambda visit, rationale: services.visit_authorise(
                actor=_actor(request), visit=visit, rationale=rationale
            ),
            VisitSerializer,
        )

    @extend_schema(
        parameters=_path_id("The visit's id"), request=AssessSerializer, responses=VisitSerializer
    )
    @action(
        detail=False, methods=["post"], url_path=f"visits/{BY_ID}/assess", url_name="visit-assess"
    )
    def visit_assess(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            HomeVisit,
            pk,
            AssessSerializer,
            lambda visit, assessment: services.visit_assess(
                actor=_actor(request), visit=visit, assessment=assessment
            ),
            VisitSerializer,
        )

    @extend_schema(
        parameters=_path_id("The visit's id"), request=WarrantSerializer, responses=VisitSerializer
    )
    @action(
        detail=False, methods=["post"], url_path=f"visits/{BY_ID}/warrant", url_name="visit-warrant"
    )
    def visit_warrant(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            HomeVisit,
            pk,
            WarrantSerializer,
            lambda visit, decision: services.visit_warrant_decide(
                actor=_actor(request), visit=visit, decision=decision
            ),
            VisitSerializer,
        )

    @extend_schema(
        parameters=_path_id("The PND check's id"),
        request=AssessSerializer,
        responses=PndCheckSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"pnd-checks/{BY_ID}/assess",
        url_name="pnd-check-assess",
    )
    def pnd_assess(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            PndCheck,
            pk,
            AssessSerializer,
            lambda check, assessment: services.pnd_assess(
                actor=_actor(request), check=check, assessment=assessment
            ),
            PndCheckSerializer,
        )

    @extend_schema(
        parameters=_path_id("The breach's id"), request=VisorSerializer, responses=BreachSerializer
    )
    @action(
        detail=False, methods=["post"], url_path=f"breaches/{BY_ID}/visor", url_name="breach-visor"
    )
    def breach_visor(self, request: Request, pk: Any = None) -> Response:
        return self._decide(
            Breach,
            pk,
            VisorSerializer,
            lambda breach, **when: services.breach_recorded_nationally(
                actor=_actor(request), breach=breach, **when
            ),
            BreachSerializer,
        )

    # --- moves and transfers ---------------------------------------------------------------

    @extend_schema(request=MoveSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: Any = None) -> Response:
        """Move the RSO's management to another team of the force, at once."""
        registration = self.get_object()
        transfer = services.registration_transfer(
            actor=_actor(request), registration=registration, **self._input(MoveSerializer)
        )
        return Response(RegistrationSerializer(transfer.registration).data)

    @extend_schema(request=TransferRequestSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        """Ask another force to take on the RSO; nothing moves until it accepts."""
        registration = self.get_object()
        transfer = services.transfer_request(
            actor=_actor(request),
            registration=registration,
            **self._input(TransferRequestSerializer),
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        """End the registration (the notification period is over, or a court discharged
        it): nothing routine is due any more."""
        registration = services.registration_end(
            actor=_actor(request), registration=self.get_object(), **self._input(EndSerializer)
        )
        return Response(RegistrationSerializer(registration).data)

    @extend_schema(responses=TransferSerializer(many=True))
    @action(detail=False, methods=["get"])
    def transfers(self, request: Request) -> Response:
        """Transfers between the user's force and another, incoming and outgoing, newest
        first. Each person named is logged as listed."""
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self._transfers(), request, view=self)
        people_services.nominals_listed(
            actor=_actor(request),
            nominals=[t.registration.nominal for t in shown],
            via="api transfers",
        )
        return paginator.get_paginated_response(TransferSerializer(shown, many=True).data)

    @extend_schema(
        parameters=_path_id("The transfer's id"),
        request=TransferAcceptSerializer,
        responses=TransferSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"transfers/{BY_ID}/accept",
        url_name="transfer-accept",
    )
    def transfer_accept(self, request: Request, pk: Any = None) -> Response:
        """The receiving force accepts: the person and the record join it."""
        asked_of_us = self._transfers().filter(to_force_id=_actor(request).force_id)
        transfer = get_object_or_404(asked_of_us, pk=pk)  # as on the page: only the receiver
        accepted = services.transfer_accept(
            actor=_actor(request), transfer=transfer, **self._input(TransferAcceptSerializer)
        )
        return Response(TransferSerializer(accepted).data)

    @extend_schema(
        parameters=_path_id("The transfer's id"),
        request=TransferDeclineSerializer,
        responses=TransferSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path=f"transfers/{BY_ID}/decline",
        url_name="transfer-decline",
    )
    def transfer_decline(self, request: Request, pk: Any = None) -> Response:
        """The receiving force declines, or the sending force withdraws its request."""
        transfer = get_object_or_404(self._transfers(), pk=pk)
        declined = services.transfer_decline(
            actor=_actor(request), transfer=transfer, **self._input(TransferDeclineSerializer)
        )
        return Response(TransferSerializer(declined).data)
