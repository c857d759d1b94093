"""The OCSEA API's request and response bodies (vigil/ocsea/api/views.py serves them)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.accounts.models import User
from vigil.core import api as core_api
from vigil.core import clock
from vigil.core.models import Area, Team
from vigil.instruments.models import Assessment
from vigil.obligations.api.views import ObligationSerializer
from vigil.obligations.models import Obligation, RiskLevel
from vigil.ocsea import rules, selectors
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
