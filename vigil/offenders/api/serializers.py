"""The RSO API's request and response bodies (vigil/offenders/api/views.py serves them)."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from rest_framework import serializers

from vigil.accounts.models import User
from vigil.core import api as core_api
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import RiskLevel
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
from vigil.people.models import AddressKind, Nominal


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
    officers = core_api.VisibleSlugRelatedField(
        User, slug_field="username", narrow=core_api.active, many=True
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


class MappaActionInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    description = serializers.CharField(max_length=300)
    agency = serializers.CharField(max_length=100)
    owner = core_api.VisibleRelatedField(User, required=False, allow_null=True)
    due_on = serializers.DateField()


class MappaActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    description = serializers.CharField()
    agency = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True)
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()


class MappaMeetingInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(choices=[2, 3])
    held_on = serializers.DateField()
    chair = serializers.CharField(max_length=150)
    summary = serializers.CharField(required=False, allow_blank=True)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    actions = MappaActionInputSerializer(many=True, required=False)


class MappaMeetingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    level = serializers.IntegerField()
    held_on = serializers.DateField()
    next_review_on = serializers.DateField()
    chair = serializers.CharField()
    summary = serializers.CharField()
    actions = MappaActionSerializer(many=True, source="actions.all")


class MappaActionDoneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    done_on = serializers.DateField()
    outcome = serializers.CharField(max_length=5000)
