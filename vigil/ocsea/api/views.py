"""OCSEA referrals, investigations and bail over the API: the triage queue and the
investigations lists, one referral in full (with a stated purpose), receiving a referral and
every step of its investigation (triage, reviews, intelligence, allocation, action, planned
and recorded enforcement, oversight, suspects' arrest decisions, ratification and outcomes,
family support and vulnerabilities found later, closure), the bail dashboard and each bail's
conditions, checks, extensions and end, and bail from a release under investigation (ADR 13);
the same services, access rules and audit as the pages.

A referral is found only through `Referral.objects.visible_to(user)` (the user's force,
`view_ocsea`, none of its suspects kept from the user by limited access), a bail through the
referral of its suspect, and everything on them (a suspect, an enforcement, a family member, a
condition, a check, an extension) only within the referral or bail named in the path: what
the user may not see is a 404. Teams, areas, officers, people and reference data named in a
body are looked up within what the user may name, so another force's id is "does not exist",
as for an id that names nothing. Service errors become 400s naming the field, a refusal a 403
(`vigil.core.api.exception_handler`)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import get_visible_or_404
from vigil.accounts.api.permissions import HasVerb
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.core import api as core_api
from vigil.core import clock
from vigil.core.api_views import ScopedGenericViewSet
from vigil.core.models import Area, Team
from vigil.instruments.models import Assessment
from vigil.obligations.api.views import ObligationSerializer
from vigil.obligations.models import Obligation, RiskLevel
from vigil.ocsea import rules, selectors, services
from vigil.ocsea.models import (
    AgeBand,
    AgeGroup,
    Allocation,
    ArrestDecision,
    Bail,
    BailCondition,
    BailEnd,
    BailExtension,
    BailKind,
    CheckMethod,
    CheckResult,
    ChildAtRisk,
    ConditionCheck,
    ConditionKind,
    Enforcement,
    EnforcementOutcome,
    ExtensionStage,
    FamilyMember,
    Intelligence,
    Leaflet,
    Outcome,
    OversightReview,
    Rank,
    Referral,
    Relationship,
    ReviewKind,
    RiskReview,
    RuiReview,
    Source,
    SupportOrganisation,
    Suspect,
    VictimViews,
)
from vigil.people import services as people_services
from vigil.people.api.views import PURPOSE_HEADERS
from vigil.people.models import Nominal
from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy

# --- What a body may name ---------------------------------------------------------------------


# --- Reading ----------------------------------------------------------------------------------


class NameField(serializers.CharField):
    """How a related record reads (a person's name as the register shows it, a team's name);
    null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


class SuspectSerializer(core_api.ModelSerializer):
    name = NameField(source="nominal")
    online_identifiers = serializers.SerializerMethodField()

    class Meta:
        model = Suspect
        fields = [
            "id",
            "version",
            "nominal",
            "name",
            "age_group",
            "online_identifiers",
            "arrest_decision",
            "arrest_decided_on",
            "arrest_decided_by",
            "arrest_rationale",
            "ratified_on",
            "ratified_by",
            "ratification_note",
            "outcome",
            "outcome_on",
            "outcome_detail",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=core_api.CharField()))
    def get_online_identifiers(self, obj: Suspect) -> list[str]:
        return _lines(obj.online_identifiers)


class ChildAtRiskSerializer(core_api.ModelSerializer):
    class Meta:
        model = ChildAtRisk
        fields = ["id", "description", "age", "safeguarded_on"]
        read_only_fields = fields


class AssessmentSerializer(core_api.ModelSerializer):
    """The instrument as completed: which pack and version, what it scored, any override."""

    class Meta:
        model = Assessment
        fields = [
            "id",
            "pack_code",
            "pack_name",
            "pack_version",
            "score",
            "band",
            "band_label",
            "override_item",
            "override_reason",
            "assessed_at",
        ]
        read_only_fields = fields


class RiskReviewSerializer(core_api.ModelSerializer):
    assessment = AssessmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "kind",
            "reviewed_on",
            "reviewed_by",
            "band",
            "previous_band",
            "notes",
            "assessment",
        ]
        read_only_fields = fields


class OcseaIntelligenceSerializer(core_api.ModelSerializer):
    class Meta:
        model = Intelligence
        fields = ["id", "received_on", "summary", "recorded_by"]
        read_only_fields = fields


class AllocationSerializer(core_api.ModelSerializer):
    team_name = NameField(source="team")
    officer_name = NameField(source="officer", allow_null=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "team",
            "team_name",
            "officer",
            "officer_name",
            "allocated_on",
            "allocated_by",
            "reason",
        ]
        read_only_fields = fields


class OversightReviewSerializer(core_api.ModelSerializer):
    class Meta:
        model = OversightReview
        fields = ["id", "reviewed_on", "reviewed_by", "notes"]
        read_only_fields = fields


class FamilyMemberSerializer(core_api.ModelSerializer):
    class Meta:
        model = FamilyMember
        fields = [
            "id",
            "relationship",
            "age_band",
            "lives_with_suspect",
            "vulnerability_identified_on",
            "vulnerability",
            "marf_submitted_on",
            "marf_reference",
        ]
        read_only_fields = fields


class EnforcementSerializer(core_api.ModelSerializer):
    family = FamilyMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Enforcement
        fields = [
            "id",
            "enforced_on",
            "warrant",
            "warrant_reference",
            "outcome",
            "devices_seized",
            "children_safeguarded",
            "notes",
            "recorded_by",
            "family_present",
            "family",
            "support_signposted_on",
            "support_organisation",
            "leaflet_given_on",
            "leaflet",
            "welfare_pack_on",
        ]
        read_only_fields = fields


class BailPeriodSerializer(serializers.Serializer):
    """An applicable bail period (PACE s.47ZB and the extensions granted so far)."""

    stage = core_api.CharField(help_text="initial, inspector, superintendent or court")
    stage_label = serializers.SerializerMethodField()
    start = serializers.DateField()
    end = serializers.DateField(
        allow_null=True, help_text="Null while a court application is awaiting decision"
    )
    policy_keys = serializers.ListField(child=core_api.CharField())

    def get_stage_label(self, obj: Any) -> str:
        return selectors.STAGE_LABELS.get(obj.stage, obj.stage)


class BailExtensionSerializer(core_api.ModelSerializer):
    court_pending = serializers.BooleanField(read_only=True)

    class Meta:
        model = BailExtension
        fields = [
            "id",
            "stage",
            "authorised_on",
            "authoriser_name",
            "authoriser_rank",
            "grounds_to_suspect",
            "further_time_needed",
            "diligent_and_expeditious",
            "bail_necessary_and_proportionate",
            "court_order_reference",
            "court_decided_on",
            "court_end_date",
            "court_refused",
            "court_pending",
            "recorded_by",
        ]
        read_only_fields = fields


class BailConditionSerializer(core_api.ModelSerializer):
    class Meta:
        model = BailCondition
        fields = ["id", "kind", "text", "protects", "victims_views", "imposed_on", "removed_on"]
        read_only_fields = fields


class ConditionCheckSerializer(core_api.ModelSerializer):
    class Meta:
        model = ConditionCheck
        fields = [
            "id",
            "checked_on",
            "method",
            "result",
            "officer",
            "notes",
            "breach_actioned_on",
            "breach_action",
        ]
        read_only_fields = fields


class RuiReviewSerializer(core_api.ModelSerializer):
    class Meta:
        model = RuiReview
        fields = ["id", "reviewed_on", "reviewed_by", "notes"]
        read_only_fields = fields


def _pack(context: dict[str, Any]) -> PolicyPack:
    return cast(PolicyPack, context.get("pack") or active_policy())


def _today(context: dict[str, Any]) -> date:
    return cast(date, context.get("today") or clock.today())


class BailSerializer(core_api.ModelSerializer):
    """A suspect's bail (with its periods under the policy in force) or release under
    investigation, and everything recorded on it."""

    name = NameField(source="suspect.nominal")
    referral = serializers.UUIDField(source="suspect.referral_id", read_only=True)
    reference = core_api.CharField(source="suspect.referral.reference", read_only=True)
    suspect_outcome = serializers.ChoiceField(
        source="suspect.outcome",
        choices=Outcome.choices,
        read_only=True,
        help_text="The suspect's outcome (ending a bail as charged records `charged`)",
    )
    periods = serializers.SerializerMethodField()
    extensions = BailExtensionSerializer(many=True, read_only=True)
    conditions = BailConditionSerializer(many=True, read_only=True)
    checks = ConditionCheckSerializer(many=True, read_only=True)
    rui_reviews = RuiReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Bail
        fields = [
            "id",
            "version",
            "suspect",
            "name",
            "referral",
            "reference",
            "kind",
            "arrested_on",
            "start_date",
            "designated",
            "area",
            "continues",
            "rebailed_on",
            "rearrested_on",
            "ended_on",
            "end_reason",
            "ended_by",
            "end_note",
            "suspect_outcome",
            "periods",
            "extensions",
            "conditions",
            "checks",
            "rui_reviews",
        ]
        read_only_fields = fields

    @extend_schema_field(BailPeriodSerializer(many=True))
    def get_periods(self, obj: Bail) -> Any:
        """The statutory periods of a bail (none for a release under investigation)."""
        if obj.kind != BailKind.BAIL:
            return []
        return BailPeriodSerializer(rules.bail_periods(obj, _pack(self.context)), many=True).data


class BailDetailSerializer(BailSerializer):
    open_obligations = serializers.SerializerMethodField()

    class Meta(BailSerializer.Meta):
        fields = [*BailSerializer.Meta.fields, "open_obligations"]
        read_only_fields = fields

    @extend_schema_field(ObligationSerializer(many=True))
    def get_open_obligations(self, obj: Bail) -> Any:
        work = (
            Obligation.objects.open()
            .filter(subject_type="ocsea.bail", subject_id=obj.pk)
            .select_related("owner_user", "owner_team")
            .order_by("due_date")
        )
        return ObligationSerializer(work, many=True, context={"today": _today(self.context)}).data


class ReferralClockSerializer(serializers.Serializer):
    """The referral's clock, and the policy rule that sets it."""

    label = core_api.CharField()  # type: ignore[assignment]
    due = serializers.DateField(allow_null=True)
    met = serializers.DateField(allow_null=True)
    explanation = core_api.CharField()


class LinkedVisibleMixin:
    """A referral linked to another (the same suspect) names it only to a user who may open
    it: otherwise `linked_to` and its reference are null, and `linked_hidden` says a link
    exists."""

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)  # type: ignore[misc]
        data["linked_hidden"] = False
        if instance.linked_to_id is not None:
            user = self.context.get("user")  # type: ignore[attr-defined]
            if not Referral.objects.visible_to(user).filter(pk=instance.linked_to_id).exists():
                data["linked_to"] = data["linked_to_reference"] = None
                data["linked_hidden"] = True
        return data


class ReferralSerializer(LinkedVisibleMixin, serializers.ModelSerializer):
    """The referral and its suspects, as a write returns it."""

    team_name = NameField(source="team")
    officer_name = NameField(source="officer", allow_null=True)
    owned_elsewhere = serializers.BooleanField(
        read_only=True, help_text="Owned outside OCSEA: it stays under OCSEA oversight"
    )
    linked_to_reference = core_api.CharField(
        source="linked_to.reference", read_only=True, allow_null=True
    )
    linked_hidden = serializers.BooleanField(
        read_only=True, default=False, help_text="Linked to a referral the user may not open"
    )
    suspects = SuspectSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "version",
            "reference",
            "source",
            "source_reference",
            "other_references",
            "received_at",
            "summary",
            "category_a",
            "category_b",
            "category_c",
            "ocsea_team",
            "team",
            "team_name",
            "owned_elsewhere",
            "officer",
            "officer_name",
            "allocated_on",
            "area",
            "band",
            "status",
            "linked_to",
            "linked_to_reference",
            "linked_hidden",
            "actioned_on",
            "action_taken",
            "planned_enforcement_on",
            "closed_on",
            "closure_note",
            "suspects",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSerializer):
    """The referral in full: what was recorded on it, its suspects' bails, its clock and its
    open work (and its suspects' bails')."""

    children = ChildAtRiskSerializer(many=True, read_only=True)
    reviews = RiskReviewSerializer(many=True, read_only=True)
    intelligence = OcseaIntelligenceSerializer(many=True, read_only=True)
    allocations = AllocationSerializer(many=True, read_only=True)
    oversight = OversightReviewSerializer(many=True, read_only=True)
    enforcements = EnforcementSerializer(many=True, read_only=True)
    bails = serializers.SerializerMethodField()
    clock = serializers.SerializerMethodField()
    open_obligations = serializers.SerializerMethodField()

    class Meta(ReferralSerializer.Meta):
        fields = [
            *ReferralSerializer.Meta.fields,
            "children",
            "reviews",
            "intelligence",
            "allocations",
            "oversight",
            "enforcements",
            "bails",
            "clock",
            "open_obligations",
        ]
        read_only_fields = fields

    @extend_schema_field(BailSerializer(many=True))
    def get_bails(self, obj: Referral) -> Any:
        bails = (
            Bail.objects.filter(suspect__referral=obj)
            .select_related("suspect__nominal", "suspect__referral")
            .prefetch_related("extensions", "conditions", "checks", "rui_reviews")
        )
        return BailSerializer(bails, many=True, context=self.context).data

    @extend_schema_field(ReferralClockSerializer)
    def get_clock(self, obj: Referral) -> Any:
        return ReferralClockSerializer(selectors.referral_clock(obj, _pack(self.context))).data

    @extend_schema_field(ObligationSerializer(many=True))
    def get_open_obligations(self, obj: Referral) -> Any:
        return ObligationSerializer(
            selectors.open_obligations(obj), many=True, context={"today": _today(self.context)}
        ).data


class RowClockSerializer(serializers.Serializer):
    label = core_api.CharField(  # type: ignore[assignment]
        allow_null=True,
        help_text="In the triage view the assessment's or action's clock; otherwise the "
        "next work due",
    )
    due = serializers.DateField(allow_null=True)
    overdue = serializers.IntegerField(
        allow_null=True, help_text="Open work overdue (not given in the triage view)"
    )


class ReferralRowSerializer(LinkedVisibleMixin, serializers.ModelSerializer):
    """A referral in a list: its clock comes from the list's own annotation."""

    team_name = NameField(source="team")
    officer_name = NameField(source="officer", allow_null=True)
    clock = serializers.SerializerMethodField()
    suspects = serializers.SerializerMethodField()
    linked_to_reference = core_api.CharField(
        source="linked_to.reference", read_only=True, allow_null=True
    )
    linked_hidden = serializers.BooleanField(
        read_only=True, default=False, help_text="Linked to a referral the user may not open"
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "source",
            "received_at",
            "band",
            "status",
            "team",
            "team_name",
            "officer",
            "officer_name",
            "clock",
            "suspects",
            "linked_to",
            "linked_to_reference",
            "linked_hidden",
        ]
        read_only_fields = fields

    @extend_schema_field(RowClockSerializer)
    def get_clock(self, obj: Referral) -> Any:
        row: Any = obj  # annotated by the list's selector
        if hasattr(row, "clock_due"):  # the triage queue: the assessment's or action's clock
            shown = {"label": row.clock_label, "due": row.clock_due, "overdue": None}
        else:  # investigations: the next work due
            shown = {"label": row.next_label, "due": row.next_due, "overdue": row.overdue or 0}
        return RowClockSerializer(shown).data

    @extend_schema_field(serializers.ListField(child=core_api.CharField()))
    def get_suspects(self, obj: Referral) -> list[str]:
        return [str(s.nominal) for s in obj.suspects.all()]


class BailRowSerializer(serializers.Serializer):
    """A suspect on the bail dashboard."""

    id = serializers.UUIDField(source="bail.pk")
    suspect = serializers.UUIDField(source="bail.suspect_id")
    name = NameField(source="bail.suspect.nominal")
    referral = serializers.UUIDField(source="bail.suspect.referral_id")
    reference = core_api.CharField(source="bail.suspect.referral.reference")
    area = serializers.UUIDField(source="bail.area_id")
    area_name = core_api.CharField(source="bail.area.name")
    kind = serializers.ChoiceField(source="bail.kind", choices=BailKind.choices)
    start_date = serializers.DateField(source="bail.start_date")
    stage = core_api.CharField()
    period_end = serializers.DateField(
        allow_null=True,
        help_text="Null for a release under investigation or while the court decides",
    )
    days_left = serializers.IntegerField(allow_null=True)
    court_pending = serializers.BooleanField()
    expired = serializers.BooleanField(help_text="The period has ended with no decision recorded")
    next_check = serializers.DateField(allow_null=True)
    next_due = serializers.DateField(allow_null=True)
    conditions = BailConditionSerializer(many=True)


class SupportOrganisationSerializer(core_api.ModelSerializer):
    class Meta:
        model = SupportOrganisation
        fields = ["id", "name", "phone", "website", "description"]
        read_only_fields = fields


class LeafletSerializer(core_api.ModelSerializer):
    class Meta:
        model = Leaflet
        fields = ["id", "title", "edition", "organisation"]
        read_only_fields = fields


# --- Writing: what each step takes ------------------------------------------------------------

OPTIONAL_TEXT: dict[str, Any] = {"required": False, "allow_blank": True, "default": ""}
OPTIONAL_DATE: dict[str, Any] = {"required": False, "allow_null": True, "default": None}


class SuspectInputSerializer(serializers.Serializer):
    """A suspect: an existing person record by id, or the details to create one."""

    nominal = core_api.VisibleRelatedField(
        Nominal,
        required=False,
        allow_null=True,
        default=None,
        help_text="A person record you can see; leave out to create one from the details",
    )
    family_name = core_api.CharField(max_length=100, **OPTIONAL_TEXT)
    given_names = core_api.CharField(max_length=150, **OPTIONAL_TEXT)
    date_of_birth = serializers.DateField(**OPTIONAL_DATE)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    online_identifiers = serializers.ListField(
        child=core_api.CharField(max_length=200),
        required=False,
        default=list,
        help_text="E-mail addresses, user names, IP addresses",
    )


class ChildAtRiskInputSerializer(serializers.Serializer):
    description = core_api.CharField(max_length=200, help_text="Name, or how the child is known")
    age = serializers.IntegerField(min_value=0, max_value=17, **OPTIONAL_DATE)


class ReferralCreateSerializer(serializers.Serializer):
    """Receive a referral. The OCSEA team and the area are given by id and must be of the
    user's force (otherwise: no such object)."""

    source = serializers.ChoiceField(choices=Source.choices)  # type: ignore[assignment]
    source_reference = core_api.CharField(max_length=60, **OPTIONAL_TEXT)
    other_references = core_api.CharField(max_length=200, **OPTIONAL_TEXT)
    received_at = serializers.DateTimeField()
    summary = core_api.CharField(max_length=10000)
    category_a = serializers.IntegerField(required=False, default=0)
    category_b = serializers.IntegerField(required=False, default=0)
    category_c = serializers.IntegerField(required=False, default=0)
    ocsea_team = core_api.VisibleRelatedField(Team)
    area = core_api.VisibleRelatedField(
        Area,
        required=False,
        allow_null=True,
        default=None,
        help_text="The local policing area; the OCSEA team's when left out",
    )
    suspects = SuspectInputSerializer(many=True)
    children = ChildAtRiskInputSerializer(many=True, required=False, default=list)


class TriageSerializer(serializers.Serializer):
    pack_code = core_api.CharField(
        max_length=60, help_text="The instrument (see /api/v1/instruments/)"
    )
    answers = serializers.DictField(
        child=core_api.CharField(max_length=60), help_text="Item id to option id"
    )
    notes = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)


class ReviewInputSerializer(serializers.Serializer):
    """A risk review: re-run the instrument (`pack_code` and `answers`), or keep the band or
    change it (`band`) with the notes as rationale."""

    kind = serializers.ChoiceField(choices=ReviewKind.choices, help_text="Not `triage`")
    reviewed_on = serializers.DateField()
    notes = core_api.CharField(max_length=4000)
    band = serializers.ChoiceField(choices=RiskLevel.choices, **OPTIONAL_TEXT)
    pack_code = core_api.CharField(max_length=60, **OPTIONAL_TEXT)
    answers = serializers.DictField(
        child=core_api.CharField(max_length=60), required=False, default=dict
    )


class OcseaIntelligenceInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    summary = core_api.CharField(max_length=4000)


class AllocateSerializer(serializers.Serializer):
    team = core_api.VisibleRelatedField(Team)
    officer = core_api.VisibleRelatedField(
        User, narrow=core_api.active, required=False, allow_null=True, default=None
    )
    reason = core_api.CharField(max_length=2000, **OPTIONAL_TEXT)
    allocated_on = serializers.DateField(**OPTIONAL_DATE, help_text="Today when left out")


class PoliceActionSerializer(serializers.Serializer):
    actioned_on = serializers.DateField()
    action_taken = core_api.CharField(max_length=4000)


class EnforcementPlanSerializer(serializers.Serializer):
    planned_on = serializers.DateField(
        allow_null=True, help_text="The planned enforcement date; null clears it"
    )


class OversightReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    notes = core_api.CharField(max_length=4000)


class EnforcementInputSerializer(serializers.Serializer):
    enforced_on = serializers.DateField()
    outcome = serializers.ChoiceField(choices=EnforcementOutcome.choices)
    warrant = serializers.BooleanField(required=False, default=True)
    warrant_reference = core_api.CharField(max_length=60, **OPTIONAL_TEXT)
    devices_seized = serializers.IntegerField(required=False, default=0)
    children_safeguarded = serializers.IntegerField(required=False, default=0)
    family_present = serializers.BooleanField(required=False, default=False)
    notes = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)


class ReferralCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    note = core_api.CharField(max_length=4000)


class ArrestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ArrestDecision.choices)
    decided_on = serializers.DateField(help_text="For an arrest, the date of arrest")
    rationale = core_api.CharField(
        max_length=4000, help_text="Needed for a decision not to arrest", **OPTIONAL_TEXT
    )
    version = serializers.IntegerField(
        required=False, help_text="The suspect's version you read: a stale one is refused (409)"
    )


class RatificationSerializer(serializers.Serializer):
    note = core_api.CharField(max_length=4000)
    ratified_on = serializers.DateField(
        **OPTIONAL_DATE,
        help_text="When it was ratified: today when left out; not in the future, not before "
        "the decision",
    )


class OutcomeInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_on = serializers.DateField()
    detail = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)
    version = serializers.IntegerField(
        required=False, help_text="The suspect's version you read: a stale one is refused (409)"
    )


class ChildSafeguardedSerializer(serializers.Serializer):
    safeguarded_on = serializers.DateField()


class FamilyMemberInputSerializer(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices)
    lives_with_suspect = serializers.BooleanField(required=False, default=True)
    vulnerability = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)
    vulnerability_identified_on = serializers.DateField(**OPTIONAL_DATE)


class FamilySupportSerializer(serializers.Serializer):
    """The support given to the family; what was recorded before stays unless given again.
    The organisation and leaflet are the force's (see ocsea/support-organisations and
    ocsea/leaflets)."""

    support_signposted_on = serializers.DateField(**OPTIONAL_DATE)
    support_organisation = core_api.VisibleRelatedField(
        SupportOrganisation, narrow=core_api.active, required=False, allow_null=True, default=None
    )
    leaflet_given_on = serializers.DateField(**OPTIONAL_DATE)
    leaflet = core_api.VisibleRelatedField(
        Leaflet, narrow=core_api.active, required=False, allow_null=True, default=None
    )
    welfare_pack_on = serializers.DateField(**OPTIONAL_DATE)


class VulnerabilityInputSerializer(serializers.Serializer):
    """A vulnerability found after the family member was recorded: a MARF falls due within
    the policy's days (`ocsea.marf_days`) of the day it was identified."""

    vulnerability = core_api.CharField(max_length=4000)
    vulnerability_identified_on = serializers.DateField(
        help_text="Not in the future, not before the enforcement"
    )


class MarfSerializer(serializers.Serializer):
    submitted_on = serializers.DateField()
    reference = core_api.CharField(max_length=60)


class ConditionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConditionKind.choices)
    text = core_api.CharField(max_length=4000)
    victims_views = serializers.ChoiceField(choices=VictimViews.choices)
    protects = core_api.CharField(max_length=200, **OPTIONAL_TEXT)


class ConditionAddSerializer(ConditionInputSerializer):
    imposed_on = serializers.DateField()


class ConditionRemoveSerializer(serializers.Serializer):
    removed_on = serializers.DateField()


class BailCreateSerializer(serializers.Serializer):
    """Bail an arrested suspect (from the day after the arrest) or release them under
    investigation (from `released_on`, no conditions)."""

    suspect = core_api.VisibleRelatedField(
        Suspect,
        narrow=lambda found: found.select_related("referral", "nominal"),
        help_text="A suspect on a referral you can see",
    )
    kind = serializers.ChoiceField(choices=BailKind.choices)
    area = core_api.VisibleRelatedField(Area)
    released_on = serializers.DateField(**OPTIONAL_DATE, help_text="For a release (RUI)")
    designated = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An NCA, SFO, FCA or HMRC case: the first period is 6 months",
    )
    conditions = ConditionInputSerializer(many=True, required=False, default=list)


class ConditionCheckInputSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    method = serializers.ChoiceField(choices=CheckMethod.choices)
    result = serializers.ChoiceField(choices=CheckResult.choices)
    notes = core_api.CharField(
        max_length=4000, help_text="Needed when a breach is found", **OPTIONAL_TEXT
    )


class BreachActionSerializer(serializers.Serializer):
    actioned_on = serializers.DateField()
    action = core_api.CharField(max_length=4000)


class ExtendSerializer(serializers.Serializer):
    """An extension of the applicable bail period: by an inspector or above (to 6 months), a
    superintendent or above (to 9 months) with the four conditions confirmed, then by a
    magistrates' court (its reference, and the order's end date once decided)."""

    stage = serializers.ChoiceField(choices=ExtensionStage.choices)
    authorised_on = serializers.DateField(help_text="Authorised, or for the court applied for")
    authoriser_name = core_api.CharField(max_length=150, **OPTIONAL_TEXT)
    authoriser_rank = serializers.ChoiceField(choices=Rank.choices, **OPTIONAL_TEXT)
    grounds_to_suspect = serializers.BooleanField(required=False, default=False)
    further_time_needed = serializers.BooleanField(required=False, default=False)
    diligent_and_expeditious = serializers.BooleanField(required=False, default=False)
    bail_necessary_and_proportionate = serializers.BooleanField(required=False, default=False)
    court_order_reference = core_api.CharField(max_length=60, **OPTIONAL_TEXT)
    court_end_date = serializers.DateField(**OPTIONAL_DATE)


class CourtDecisionSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    end_date = serializers.DateField(
        allow_null=True, help_text="The end date the court ordered; null when it refused"
    )


class BailEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField()
    reason = serializers.ChoiceField(
        choices=[c for c in BailEnd.choices if c[0] != BailEnd.BAILED],
        help_text="`charged` also records the suspect's outcome as charged (refused while "
        "another outcome is recorded). To bail a suspect released under investigation, "
        "POST to the release's `rebail`",
    )
    note = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)


class RebailSerializer(serializers.Serializer):
    """Bail a suspect released under investigation (the release in the path). The bail start
    date stays the day after the arrest the release followed (PACE s.47ZB(4)(a)); extensions
    already granted after that arrest stand; refused when the applicable bail period has
    ended (ADR 13)."""

    bailed_on = serializers.DateField(help_text="The day of release on bail")
    rearrested_on = serializers.DateField(
        **OPTIONAL_DATE,
        help_text="The day the suspect was arrested again for the offence, if they were: it "
        "does not move the bail start date",
    )
    area = core_api.VisibleRelatedField(
        Area,
        required=False,
        allow_null=True,
        default=None,
        help_text="The local policing area; the release's when left out",
    )
    designated = serializers.BooleanField(
        required=False,
        default=False,
        help_text="An NCA, SFO, FCA or HMRC case (kept when an earlier bail after the arrest "
        "was one)",
    )
    conditions = ConditionInputSerializer(many=True, required=False, default=list)
    note = core_api.CharField(max_length=4000, **OPTIONAL_TEXT)


class RuiReviewInputSerializer(serializers.Serializer):
    reviewed_on = serializers.DateField()
    notes = core_api.CharField(max_length=4000)


# --- The views ----------------------------------------------------------------------------------


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _path_id(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=what)


def _stated_purpose(request: Request) -> purposes.StatedPurpose:
    purpose = request.headers.get("X-Vigil-Purpose", "")
    detail = request.headers.get("X-Vigil-Purpose-Detail", "")
    errors = purposes.validate(purpose, detail)
    if errors:
        raise ValidationError({"X-Vigil-Purpose": list(errors.values())})
    return purposes.StatedPurpose(purpose, detail)


# A record named in the path within the referral or bail (see `_within`).
SUSPECT = r"suspects/(?P<suspect_id>[^/.]+)"
ENFORCEMENT = r"enforcements/(?P<enforcement_id>[^/.]+)"
MEMBER = r"family/(?P<member_id>[^/.]+)"
CHILD = r"children/(?P<child_id>[^/.]+)"
CONDITION = r"conditions/(?P<condition_id>[^/.]+)"
CHECK = r"checks/(?P<check_id>[^/.]+)"
EXTENSION = r"extensions/(?P<extension_id>[^/.]+)"

VIEW = ("view_ocsea",)
TRIAGE = ("triage_referral",)
INVESTIGATE = ("investigate",)
OVERSEE = ("oversee_investigations",)
WORK = ("investigate", "triage_referral")  # either records reviews, intelligence and action
VIEWS = ("triage", *selectors.SCOPES)


class _Steps(ScopedGenericViewSet):  # type: ignore[misc]
    """What the referral and bail endpoints share: input read with the user in its context,
    and a step's answer."""

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "today": clock.today(),
            "pack": active_policy(),
        }

    def _input(self, serializer_class: Any) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, serializer_class: Any, obj: Any, *, created: bool = False) -> Response:
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _within(self, model: Any, pk: Any, related: tuple[str, ...], **parent: Any) -> Any:
        """A record on the referral or bail in the path (itself visible, else 404)."""
        return get_visible_or_404(model, self.request.user, pk, related=related, **parent)


class ReferralViewSet(mixins.ListModelMixin, _Steps):  # type: ignore[misc]
    """OCSEA referrals: the triage queue and investigations, one referral in full, receipt and
    every step of the investigation."""

    model = Referral
    serializer_class = ReferralSerializer
    required_verbs = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": TRIAGE,
        "triage": TRIAGE,
        "reviews": WORK,
        "intelligence": WORK,
        "allocate": OVERSEE,
        "actioned": WORK,
        "plan_enforcement": INVESTIGATE,
        "oversight": OVERSEE,
        "enforcements": INVESTIGATE,
        "suspects": ("triage_referral", "investigate"),
        "close": ("investigate", "oversee_investigations"),
        "arrest_decision": INVESTIGATE,
        "ratify": OVERSEE,
        "outcome": INVESTIGATE,
        "child_safeguarded": INVESTIGATE,
        "family": INVESTIGATE,
        "family_support": INVESTIGATE,
        "vulnerability": INVESTIGATE,
        "marf": INVESTIGATE,
    }
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if self.action == "list":
            view = self.request.query_params.get("view") or "mine"
            if view == "triage":
                found = selectors.triage_queue(user=user)
            else:
                found = selectors.investigations(user=user, scope=view, today=clock.today())
            return found.select_related("linked_to")
        found = super().get_queryset().select_related("team", "officer", "linked_to")
        if self.action == "retrieve":
            found = found.prefetch_related(
                "suspects__nominal",
                "children",
                "reviews__assessment",
                "intelligence",
                "allocations__team",
                "allocations__officer",
                "oversight",
                "enforcements__family",
            )
        return found

    def get_serializer_class(self) -> Any:
        return ReferralRowSerializer if self.action == "list" else ReferralSerializer

    # --- reading -----------------------------------------------------------------------------

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view",
                str,
                enum=list(VIEWS),
                description="triage: not yet actioned, most urgent first; mine, team, "
                "elsewhere (owned outside OCSEA) or all: open investigations, next due first "
                "(default mine)",
            )
        ],
        responses=ReferralRowSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Referrals to triage or under investigation. Each suspect shown is logged as
        listed."""
        if (request.query_params.get("view") or "mine") not in VIEWS:
            raise ValidationError({"view": f"Choose {', '.join(VIEWS[:-1])} or {VIEWS[-1]}"})
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        people_services.nominals_listed(
            actor=_actor(request),
            nominals=[s.nominal for r in shown for s in r.suspects.all()],
            via="api ocsea referrals",
        )
        return paginator.get_paginated_response(
            ReferralRowSerializer(shown, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=ReferralDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """The referral in full. Needs a stated purpose; each suspect's record is logged as
        consulted."""
        referral = self.get_object()
        stated = _stated_purpose(request)
        with transaction.atomic():
            for suspect in referral.suspects.all():
                people_services.nominal_consulted(
                    actor=_actor(request),
                    nominal=suspect.nominal,
                    stated=stated,
                    via="api ocsea referral",
                )
        return self._answer(ReferralDetailSerializer, referral)

    # --- receipt and triage ------------------------------------------------------------------

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request) -> Response:
        """Receive a referral with its suspects (existing person records or new ones) and the
        children at risk; one naming a suspect of an open referral is linked to it."""
        data = self._input(ReferralCreateSerializer)
        intake = services.Intake(
            source=data["source"],
            received_at=data["received_at"],
            summary=data["summary"],
            ocsea_team=data["ocsea_team"],
            area=data["area"],
            source_reference=data["source_reference"],
            other_references=data["other_references"],
            category_a=data["category_a"],
            category_b=data["category_b"],
            category_c=data["category_c"],
            suspects=[_suspect_details(s) for s in data["suspects"]],
            children=[
                services.ChildDetails(description=c["description"], age=c["age"])
                for c in data["children"]
            ],
        )
        referral = services.referral_receive(actor=_actor(request), intake=intake)
        return self._answer(ReferralSerializer, referral, created=True)

    @extend_schema(request=TriageSerializer, responses={201: RiskReviewSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: Any = None) -> Response:
        """Prioritise the referral with an instrument: its band sets the action clock. An
        unanswered or unknown item is named `item_<item id>`."""
        referral = self.get_object()
        review = services.referral_triage(
            actor=_actor(request), referral=referral, **self._input(TriageSerializer)
        )
        return self._answer(RiskReviewSerializer, review, created=True)

    @extend_schema(request=ReviewInputSerializer, responses={201: RiskReviewSerializer})
    @action(detail=True, methods=["post"])
    def reviews(self, request: Request, pk: Any = None) -> Response:
        """An intelligence and risk review; a changed band moves the clocks."""
        referral = self.get_object()
        review = services.risk_review_record(
            actor=_actor(request), referral=referral, **self._input(ReviewInputSerializer)
        )
        return self._answer(RiskReviewSerializer, review, created=True)

    @extend_schema(
        request=OcseaIntelligenceInputSerializer, responses={201: OcseaIntelligenceSerializer}
    )
    @action(detail=True, methods=["post"])
    def intelligence(self, request: Request, pk: Any = None) -> Response:
        """New intelligence: a risk review falls due."""
        referral = self.get_object()
        item = services.intelligence_record(
            actor=_actor(request),
            referral=referral,
            **self._input(OcseaIntelligenceInputSerializer),
        )
        return self._answer(OcseaIntelligenceSerializer, item, created=True)

    # --- the investigation -------------------------------------------------------------------

    @extend_schema(request=AllocateSerializer, responses={201: AllocationSerializer})
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk: Any = None) -> Response:
        """Allocate the investigation to a team and officer of the force; a team outside
        OCSEA keeps it under OCSEA oversight."""
        referral = self.get_object()
        allocation = services.referral_allocate(
            actor=_actor(request), referral=referral, **self._input(AllocateSerializer)
        )
        return self._answer(AllocationSerializer, allocation, created=True)

    @extend_schema(request=PoliceActionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="action", url_name="action")
    def actioned(self, request: Request, pk: Any = None) -> Response:
        """The first police action: meets the band's action clock."""
        referral = self.get_object()
        referral = services.action_record(
            actor=_actor(request), referral=referral, **self._input(PoliceActionSerializer)
        )
        return self._answer(ReferralSerializer, referral)

    @extend_schema(request=EnforcementPlanSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="plan-enforcement")
    def plan_enforcement(self, request: Request, pk: Any = None) -> Response:
        """Plan (or with null clear) the enforcement date: a review before it and an arrest
        decision for every suspect fall due."""
        referral = self.get_object()
        referral = services.enforcement_plan(
            actor=_actor(request), referral=referral, **self._input(EnforcementPlanSerializer)
        )
        return self._answer(ReferralSerializer, referral)

    @extend_schema(
        request=OversightReviewInputSerializer, responses={201: OversightReviewSerializer}
    )
    @action(detail=True, methods=["post"])
    def oversight(self, request: Request, pk: Any = None) -> Response:
        """An OCSEA supervisor's review of an investigation another team owns."""
        referral = self.get_object()
        review = services.oversight_review_record(
            actor=_actor(request), referral=referral, **self._input(OversightReviewInputSerializer)
        )
        return self._answer(OversightReviewSerializer, review, created=True)

    @extend_schema(request=EnforcementInputSerializer, responses={201: EnforcementSerializer})
    @action(detail=True, methods=["post"])
    def enforcements(self, request: Request, pk: Any = None) -> Response:
        """A warrant or other enforcement carried out."""
        referral = self.get_object()
        enforcement = services.enforcement_record(
            actor=_actor(request), referral=referral, **self._input(EnforcementInputSerializer)
        )
        return self._answer(EnforcementSerializer, enforcement, created=True)

    @extend_schema(request=SuspectInputSerializer, responses={201: SuspectSerializer})
    @action(detail=True, methods=["post"])
    def suspects(self, request: Request, pk: Any = None) -> Response:
        """Add a suspect to an open referral."""
        referral = self.get_object()
        suspect = services.suspect_add(
            actor=_actor(request),
            referral=referral,
            details=_suspect_details(self._input(SuspectInputSerializer)),
        )
        return self._answer(SuspectSerializer, suspect, created=True)

    @extend_schema(request=ReferralCloseSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the referral: every suspect has an outcome and no bail is open."""
        referral = self.get_object()
        referral = services.referral_close(
            actor=_actor(request), referral=referral, **self._input(ReferralCloseSerializer)
        )
        return self._answer(ReferralSerializer, referral)

    # --- a suspect -----------------------------------------------------------------------------

    def _suspect(self, suspect_id: Any) -> Suspect:
        return cast(
            Suspect,
            self._within(Suspect, suspect_id, ("referral", "nominal"), referral=self.get_object()),
        )

    @extend_schema(
        parameters=[_path_id("suspect_id", "The suspect's id")],
        request=ArrestDecisionSerializer,
        responses=SuspectSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{SUSPECT}/arrest-decision",
        url_name="suspect-arrest-decision",
    )
    def arrest_decision(self, request: Request, pk: Any = None, suspect_id: Any = None) -> Response:
        """Whether the suspect was arrested; a decision not to arrest needs a rationale and a
        supervisor's ratification."""
        suspect = self._suspect(suspect_id)
        data = self._input(ArrestDecisionSerializer)
        suspect = services.arrest_decision_record(
            actor=_actor(request),
            suspect=suspect,
            expected_version=data.pop("version", None),
            **data,
        )
        return self._answer(SuspectSerializer, suspect)

    @extend_schema(
        parameters=[_path_id("suspect_id", "The suspect's id")],
        request=RatificationSerializer,
        responses=SuspectSerializer,
    )
    @action(detail=True, methods=["post"], url_path=f"{SUSPECT}/ratify", url_name="suspect-ratify")
    def ratify(self, request: Request, pk: Any = None, suspect_id: Any = None) -> Response:
        """A supervisor (not the one who decided) ratifies a decision not to arrest, dated
        `ratified_on` (today when left out)."""
        suspect = self._suspect(suspect_id)
        suspect = services.arrest_ratify(
            actor=_actor(request), suspect=suspect, **self._input(RatificationSerializer)
        )
        return self._answer(SuspectSerializer, suspect)

    @extend_schema(
        parameters=[_path_id("suspect_id", "The suspect's id")],
        request=OutcomeInputSerializer,
        responses=SuspectSerializer,
    )
    @action(
        detail=True, methods=["post"], url_path=f"{SUSPECT}/outcome", url_name="suspect-outcome"
    )
    def outcome(self, request: Request, pk: Any = None, suspect_id: Any = None) -> Response:
        suspect = self._suspect(suspect_id)
        data = self._input(OutcomeInputSerializer)
        suspect = services.outcome_record(
            actor=_actor(request),
            suspect=suspect,
            expected_version=data.pop("version", None),
            **data,
        )
        return self._answer(SuspectSerializer, suspect)

    @extend_schema(
        parameters=[_path_id("child_id", "The child's id")],
        request=ChildSafeguardedSerializer,
        responses=ChildAtRiskSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{CHILD}/safeguarded",
        url_name="child-safeguarded",
    )
    def child_safeguarded(self, request: Request, pk: Any = None, child_id: Any = None) -> Response:
        """When a child at risk named on the referral was safeguarded."""
        child = self._within(ChildAtRisk, child_id, ("referral",), referral=self.get_object())
        child = services.child_safeguarded(
            actor=_actor(request), child=child, **self._input(ChildSafeguardedSerializer)
        )
        return self._answer(ChildAtRiskSerializer, child)

    # --- family support ------------------------------------------------------------------------

    def _enforcement(self, enforcement_id: Any) -> Enforcement:
        return cast(
            Enforcement,
            self._within(Enforcement, enforcement_id, ("referral",), referral=self.get_object()),
        )

    @extend_schema(
        parameters=[_path_id("enforcement_id", "The enforcement's id")],
        request=FamilyMemberInputSerializer,
        responses={201: FamilyMemberSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{ENFORCEMENT}/family",
        url_name="enforcement-family",
    )
    def family(self, request: Request, pk: Any = None, enforcement_id: Any = None) -> Response:
        """A household member or family in contact, and any vulnerability found (which calls
        for a MARF)."""
        enforcement = self._enforcement(enforcement_id)
        member = services.family_member_add(
            actor=_actor(request),
            enforcement=enforcement,
            **self._input(FamilyMemberInputSerializer),
        )
        return self._answer(FamilyMemberSerializer, member, created=True)

    @extend_schema(
        parameters=[_path_id("enforcement_id", "The enforcement's id")],
        request=FamilySupportSerializer,
        responses=EnforcementSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{ENFORCEMENT}/family-support",
        url_name="enforcement-family-support",
    )
    def family_support(
        self, request: Request, pk: Any = None, enforcement_id: Any = None
    ) -> Response:
        """The support given to the suspect's family: signposting, a leaflet, a welfare pack."""
        enforcement = self._enforcement(enforcement_id)
        enforcement = services.family_support_record(
            actor=_actor(request), enforcement=enforcement, **self._input(FamilySupportSerializer)
        )
        return self._answer(EnforcementSerializer, enforcement)

    def _member(self, enforcement_id: Any, member_id: Any) -> FamilyMember:
        return cast(
            FamilyMember,
            self._within(
                FamilyMember,
                member_id,
                ("enforcement__referral",),
                enforcement=self._enforcement(enforcement_id),
            ),
        )

    @extend_schema(
        parameters=[
            _path_id("enforcement_id", "The enforcement's id"),
            _path_id("member_id", "The family member's id"),
        ],
        request=VulnerabilityInputSerializer,
        responses=FamilyMemberSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{ENFORCEMENT}/{MEMBER}/vulnerability",
        url_name="enforcement-family-vulnerability",
    )
    def vulnerability(
        self,
        request: Request,
        pk: Any = None,
        enforcement_id: Any = None,
        member_id: Any = None,
    ) -> Response:
        """A vulnerability found after the family member was recorded: a MARF falls due."""
        member = services.family_vulnerability_record(
            actor=_actor(request),
            member=self._member(enforcement_id, member_id),
            **self._input(VulnerabilityInputSerializer),
        )
        return self._answer(FamilyMemberSerializer, member)

    @extend_schema(
        parameters=[
            _path_id("enforcement_id", "The enforcement's id"),
            _path_id("member_id", "The family member's id"),
        ],
        request=MarfSerializer,
        responses=FamilyMemberSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{ENFORCEMENT}/{MEMBER}/marf",
        url_name="enforcement-family-marf",
    )
    def marf(
        self,
        request: Request,
        pk: Any = None,
        enforcement_id: Any = None,
        member_id: Any = None,
    ) -> Response:
        """The multi-agency referral form submitted for a family member's vulnerability."""
        member = services.marf_record(
            actor=_actor(request),
            member=self._member(enforcement_id, member_id),
            **self._input(MarfSerializer),
        )
        return self._answer(FamilyMemberSerializer, member)


def _suspect_details(data: dict[str, Any]) -> services.SuspectDetails:
    return services.SuspectDetails(
        age_group=data["age_group"],
        nominal=data["nominal"],
        family_name=data["family_name"],
        given_names=data["given_names"],
        date_of_birth=data["date_of_birth"],
        online_identifiers="\n".join(data["online_identifiers"]),
    )


class BailViewSet(mixins.ListModelMixin, _Steps):  # type: ignore[misc]
    """Suspects on bail or released under investigation: the dashboard, one bail (with a
    stated purpose), and everything recorded on it."""

    model = Bail
    serializer_class = BailSerializer
    required_verbs = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": INVESTIGATE,
        "conditions": INVESTIGATE,
        "condition_remove": INVESTIGATE,
        "checks": INVESTIGATE,
        "breach_action": INVESTIGATE,
        "extend": INVESTIGATE,
        "court_decision": INVESTIGATE,
        "end": INVESTIGATE,
        "rebail": INVESTIGATE,
        "rui_reviews": INVESTIGATE,
    }
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("suspect__nominal", "suspect__referral")
            .prefetch_related("extensions", "conditions", "checks", "rui_reviews")
        )

    def get_serializer_class(self) -> Any:
        return BailRowSerializer if self.action == "list" else BailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.UUID, description="A local policing area"),
            OpenApiParameter("kind", str, enum=list(BailKind.values)),
        ],
        responses=BailRowSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The bail dashboard: bails run out without a decision first, then by the period's
        end. Each suspect shown is logged as listed."""
        filters = _DashboardFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.bail_dashboard(
            user=request.user,
            today=clock.today(),
            pack=active_policy(),
            area_id=filters.validated_data.get("area"),
            kind=filters.validated_data.get("kind", ""),
        )
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(rows, request, view=self)
        people_services.nominals_listed(
            actor=_actor(request),
            nominals=[row.bail.suspect.nominal for row in shown],
            via="api ocsea bails",
        )
        return paginator.get_paginated_response(BailRowSerializer(shown, many=True).data)

    @extend_schema(parameters=PURPOSE_HEADERS, responses=BailDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One bail in full with its open work. Needs a stated purpose; the suspect's record
        is logged as consulted."""
        bail = self.get_object()
        people_services.nominal_consulted(
            actor=_actor(request),
            nominal=bail.suspect.nominal,
            stated=_stated_purpose(request),
            via="api ocsea bail",
        )
        return self._answer(BailDetailSerializer, bail)

    @extend_schema(request=BailCreateSerializer, responses={201: BailSerializer})
    def create(self, request: Request) -> Response:
        data = self._input(BailCreateSerializer)
        bail = services.bail_begin(
            actor=_actor(request),
            suspect=data["suspect"],
            kind=data["kind"],
            area=data["area"],
            released_on=data["released_on"],
            designated=data["designated"],
            conditions=[services.ConditionDetails(**c) for c in data["conditions"]],
        )
        return self._answer(BailSerializer, bail, created=True)

    def _bail_step(self, bail: Bail) -> Bail:
        """The bail as it now stands, for the answer."""
        return cast(Bail, self.get_queryset().get(pk=bail.pk))

    @extend_schema(request=ConditionAddSerializer, responses={201: BailConditionSerializer})
    @action(detail=True, methods=["post"])
    def conditions(self, request: Request, pk: Any = None) -> Response:
        """Impose a condition on a bail."""
        bail = self.get_object()
        data = self._input(ConditionAddSerializer)
        imposed_on = data.pop("imposed_on")
        condition = services.bail_condition_add(
            actor=_actor(request),
            bail=bail,
            details=services.ConditionDetails(**data),
            imposed_on=imposed_on,
        )
        return self._answer(BailConditionSerializer, condition, created=True)

    @extend_schema(
        parameters=[_path_id("condition_id", "The condition's id")],
        request=ConditionRemoveSerializer,
        responses=BailConditionSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{CONDITION}/remove",
        url_name="condition-remove",
    )
    def condition_remove(
        self, request: Request, pk: Any = None, condition_id: Any = None
    ) -> Response:
        condition = self._within(
            BailCondition, condition_id, ("bail__suspect__referral",), bail=self.get_object()
        )
        condition = services.bail_condition_remove(
            actor=_actor(request), condition=condition, **self._input(ConditionRemoveSerializer)
        )
        return self._answer(BailConditionSerializer, condition)

    @extend_schema(request=ConditionCheckInputSerializer, responses={201: ConditionCheckSerializer})
    @action(detail=True, methods=["post"])
    def checks(self, request: Request, pk: Any = None) -> Response:
        """A check of the bail conditions; a breach found raises an action."""
        bail = self.get_object()
        check = services.condition_check_record(
            actor=_actor(request), bail=bail, **self._input(ConditionCheckInputSerializer)
        )
        return self._answer(ConditionCheckSerializer, check, created=True)

    @extend_schema(
        parameters=[_path_id("check_id", "The check's id")],
        request=BreachActionSerializer,
        responses=ConditionCheckSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{CHECK}/breach-action",
        url_name="check-breach-action",
    )
    def breach_action(self, request: Request, pk: Any = None, check_id: Any = None) -> Response:
        """The action taken on a breach a check found."""
        check = self._within(
            ConditionCheck, check_id, ("bail__suspect__referral",), bail=self.get_object()
        )
        check = services.breach_action_record(
            actor=_actor(request), check=check, **self._input(BreachActionSerializer)
        )
        return self._answer(ConditionCheckSerializer, check)

    @extend_schema(request=ExtendSerializer, responses={201: BailExtensionSerializer})
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        """Extend the applicable bail period. An authority of too low a rank is refused,
        naming `authoriser_rank`."""
        bail = self.get_object()
        extension = services.bail_extend(
            actor=_actor(request),
            bail=bail,
            details=services.ExtensionDetails(**self._input(ExtendSerializer)),
        )
        return self._answer(BailExtensionSerializer, extension, created=True)

    @extend_schema(
        parameters=[_path_id("extension_id", "The court application's id")],
        request=CourtDecisionSerializer,
        responses=BailExtensionSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=f"{EXTENSION}/court-decision",
        url_name="extension-court-decision",
    )
    def court_decision(
        self, request: Request, pk: Any = None, extension_id: Any = None
    ) -> Response:
        """The court's decision on a pending application: the order's end date, or refusal."""
        extension = self._within(
            BailExtension, extension_id, ("bail__suspect__referral",), bail=self.get_object()
        )
        extension = services.court_decision_record(
            actor=_actor(request), extension=extension, **self._input(CourtDecisionSerializer)
        )
        return self._answer(BailExtensionSerializer, extension)

    @extend_schema(request=BailEndSerializer, responses=BailSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        """End the bail or release: charged (which records the suspect's outcome as charged
        in the same transaction, unless it is already), no further action, released under
        investigation (which starts one), or other."""
        bail = services.bail_end(
            actor=_actor(request), bail=self.get_object(), **self._input(BailEndSerializer)
        )
        return self._answer(BailSerializer, self._bail_step(bail))

    @extend_schema(request=RebailSerializer, responses={201: BailSerializer})
    @action(detail=True, methods=["post"])
    def rebail(self, request: Request, pk: Any = None) -> Response:
        """Bail a suspect released under investigation: ends the release (its reviews end)
        and starts a pre-charge bail whose clock continues from the arrest (ADR 13). Answers
        the new bail."""
        data = self._input(RebailSerializer)
        bail = services.bail_from_rui(
            actor=_actor(request),
            rui=self.get_object(),
            bailed_on=data["bailed_on"],
            rearrested_on=data["rearrested_on"],
            area=data["area"],
            designated=data["designated"],
            conditions=[services.ConditionDetails(**c) for c in data["conditions"]],
            note=data["note"],
        )
        return self._answer(BailSerializer, self._bail_step(bail), created=True)

    @extend_schema(request=RuiReviewInputSerializer, responses={201: RuiReviewSerializer})
    @action(detail=True, methods=["post"], url_path="rui-reviews")
    def rui_reviews(self, request: Request, pk: Any = None) -> Response:
        """A review of a release under investigation."""
        review = services.rui_review_record(
            actor=_actor(request), bail=self.get_object(), **self._input(RuiReviewInputSerializer)
        )
        return self._answer(RuiReviewSerializer, review, created=True)


class _DashboardFilters(serializers.Serializer):
    area = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=BailKind.choices, required=False)


class SupportOrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Organisations a suspect's family can be signposted to: the force's active ones."""

    permission_classes = [HasVerb]
    required_verbs = VIEW
    serializer_class = SupportOrganisationSerializer

    def get_queryset(self) -> QuerySet[SupportOrganisation]:
        return core_api.active(SupportOrganisation.objects.visible_to(self.request.user))


class LeafletViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Leaflets given to a suspect's family: the force's active ones."""

    permission_classes = [HasVerb]
    required_verbs = VIEW
    serializer_class = LeafletSerializer

    def get_queryset(self) -> QuerySet[Leaflet]:
        return core_api.active(Leaflet.objects.visible_to(self.request.user))
