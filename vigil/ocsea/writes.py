"""The OCSEA writes declared once (vigil/writes.py): each serves its page
(vigil/ocsea/urls.py) and its API action (vigil/ocsea/api/views.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.urls import reverse

from vigil.core import clock
from vigil.ocsea import selectors, services
from vigil.ocsea.api import serializers as api
from vigil.ocsea.forms import (
    ActionForm,
    ArrestForm,
    BailEndForm,
    BreachActionForm,
    CheckForm,
    CloseForm,
    EnforcementForm,
    FamilyMemberForm,
    FamilySupportForm,
    IntelligenceForm,
    MarfForm,
    OutcomeForm,
    OversightForm,
    PlanForm,
    RatifyForm,
    RemoveConditionForm,
    RuiReviewForm,
    SafeguardedForm,
    VulnerabilityForm,
)
from vigil.ocsea.models import (
    Bail,
    BailCondition,
    ChildAtRisk,
    ConditionCheck,
    Enforcement,
    FamilyMember,
    Referral,
    Suspect,
)
from vigil.policy.pack import active as active_policy
from vigil.writes import Write, declare


def _referral_page(referral: Referral) -> str:
    return reverse("ocsea:referral-detail", kwargs={"pk": referral.pk})


def _suspects(referral: Referral) -> list[Any]:
    return [suspect.nominal for suspect in referral.suspects.select_related("nominal")]


def _on_the_referral(referral: Referral) -> dict[str, Any]:
    """The OCSEA form page's context: the referral's bar and its clock."""
    return {
        "referral": referral,
        "back": _referral_page(referral),
        "clock": selectors.referral_clock(referral, active_policy()),
    }


def _follow(record: Any, path: str) -> Any:
    """The record at the end of a field path ("enforcement__referral"; "" is the record)."""
    for step in path.split("__") if path else ():
        record = getattr(record, step)
    return record


def _on(path: str = "") -> dict[str, Any]:
    """A referral, or a record found through one (`path` from it to the referral): the page
    shows the referral's bar and clock, asks the purpose for each of its suspects, and
    returns to it."""

    def referral(record: Any) -> Referral:
        return cast(Referral, _follow(record, path))

    return {
        "related": (path,) if path else (),
        "people": lambda record: _suspects(referral(record)),
        "back": lambda record: _referral_page(referral(record)),
        "context": lambda record: _on_the_referral(referral(record)),
        "template": "ocsea/form.html",
    }


ON_THE_REFERRAL: dict[str, Any] = {"subject": Referral, "subject_arg": "referral", **_on()}

INTELLIGENCE = declare(
    Write(
        name="ocsea.intelligence",
        title="Record new intelligence",
        help="A risk review falls due.",
        verbs=("investigate", "triage_referral"),
        service=services.intelligence_record,
        form=IntelligenceForm,
        serializer=api.OcseaIntelligenceInputSerializer,
        response=api.OcseaIntelligenceSerializer,
        success="The intelligence was recorded: a risk review is due.",
        initial=lambda referral: {"received_on": clock.today()},
        page="ocsea:intelligence-create",
        api="api:ocsea-referral-intelligence",
        **ON_THE_REFERRAL,
    )
)
OVERSIGHT = declare(
    Write(
        name="ocsea.oversight",
        title="Record an oversight review",
        help="An OCSEA supervisor's review of an investigation another team owns.",
        verbs=("oversee_investigations",),
        service=services.oversight_review_record,
        form=OversightForm,
        serializer=api.OversightReviewInputSerializer,
        response=api.OversightReviewSerializer,
        initial=lambda referral: {"reviewed_on": clock.today()},
        page="ocsea:oversight-create",
        api="api:ocsea-referral-oversight",
        **ON_THE_REFERRAL,
    )
)
ACTION = declare(
    Write(
        name="ocsea.action",
        title="Record the police action",
        help="The first police action: meets the band's action clock.",
        verbs=("investigate", "triage_referral"),
        service=services.action_record,
        form=ActionForm,
        serializer=api.PoliceActionSerializer,
        response=api.ReferralSerializer,
        creates=False,
        initial=lambda referral: {"actioned_on": clock.today()},
        page="ocsea:action-create",
        api="api:ocsea-referral-action",
        **ON_THE_REFERRAL,
    )
)
ENFORCEMENT_PLAN = declare(
    Write(
        name="ocsea.enforcement_plan",
        title="Plan the enforcement",
        help="Plan (or with null clear) the enforcement date: a review before it and an "
        "arrest decision for every suspect fall due.",
        verbs=("investigate",),
        service=services.enforcement_plan,
        form=PlanForm,
        serializer=api.EnforcementPlanSerializer,
        response=api.ReferralSerializer,
        creates=False,
        initial=lambda referral: {"planned_on": referral.planned_enforcement_on},
        page="ocsea:enforcement-plan",
        api="api:ocsea-referral-plan-enforcement",
        **ON_THE_REFERRAL,
    )
)
ENFORCEMENT = declare(
    Write(
        name="ocsea.enforcement",
        title="Record an enforcement",
        help="A warrant or other enforcement carried out.",
        verbs=("investigate",),
        service=services.enforcement_record,
        form=EnforcementForm,
        serializer=api.EnforcementInputSerializer,
        response=api.EnforcementSerializer,
        success="The enforcement was recorded. Record an arrest decision for every suspect.",
        initial=lambda referral: {
            "enforced_on": referral.planned_enforcement_on or clock.today(),
            "warrant": "yes",
        },
        page="ocsea:enforcement-create",
        api="api:ocsea-referral-enforcements",
        **ON_THE_REFERRAL,
    )
)
CLOSE = declare(
    Write(
        name="ocsea.close",
        title="Close the referral",
        help="Every suspect has an outcome and no bail is open.",
        verbs=("investigate", "oversee_investigations"),
        service=services.referral_close,
        form=CloseForm,
        serializer=api.ReferralCloseSerializer,
        response=api.ReferralSerializer,
        creates=False,
        success="The referral was closed.",
        initial=lambda referral: {"closed_on": clock.today()},
        page="ocsea:referral-close",
        api="api:ocsea-referral-close",
        **ON_THE_REFERRAL,
    )
)


# --- on a suspect, a child, an enforcement or a family member: the referral's page ----------


ARREST_DECISION = declare(
    Write(
        name="ocsea.arrest_decision",
        title="Record an arrest decision",
        help="Whether the suspect was arrested; a decision not to arrest needs a rationale and "
        "a supervisor's ratification.",
        heading=lambda suspect: f"Arrest decision for {suspect.nominal}",
        verbs=("investigate",),
        subject=Suspect,
        subject_arg="suspect",
        service=services.arrest_decision_record,
        versioned=True,
        form=ArrestForm,
        serializer=api.ArrestDecisionSerializer,
        response=api.SuspectSerializer,
        creates=False,
        initial=lambda suspect: {"decided_on": clock.today(), "version": suspect.version},
        page="ocsea:arrest-decision",
        api="api:ocsea-referral-suspect-arrest-decision",
        **{**_on("referral"), "related": ("referral", "nominal")},
    )
)
RATIFY = declare(
    Write(
        name="ocsea.ratify",
        title="Ratify a decision not to arrest",
        help="A supervisor (not the one who decided) ratifies a decision not to arrest, dated "
        "`ratified_on` (today when left out).",
        heading=lambda suspect: f"Ratify the decision not to arrest {suspect.nominal}",
        verbs=("oversee_investigations",),
        subject=Suspect,
        subject_arg="suspect",
        service=services.arrest_ratify,
        form=RatifyForm,
        serializer=api.RatificationSerializer,
        response=api.SuspectSerializer,
        creates=False,
        initial=lambda suspect: {"ratified_on": clock.today()},
        page="ocsea:arrest-ratify",
        api="api:ocsea-referral-suspect-ratify",
        **{
            **_on("referral"),
            "related": ("referral", "nominal", "arrest_decided_by"),
            "context": lambda suspect: {
                **_on_the_referral(suspect.referral),
                "summary": [
                    ("Decided", suspect.arrest_decided_on),
                    ("Rationale", suspect.arrest_rationale),
                    ("By", suspect.arrest_decided_by),
                ],
            },
        },
    )
)
OUTCOME = declare(
    Write(
        name="ocsea.outcome",
        title="Record a suspect's outcome",
        heading=lambda suspect: f"Outcome for {suspect.nominal}",
        verbs=("investigate",),
        subject=Suspect,
        subject_arg="suspect",
        service=services.outcome_record,
        versioned=True,
        form=OutcomeForm,
        serializer=api.OutcomeInputSerializer,
        response=api.SuspectSerializer,
        creates=False,
        initial=lambda suspect: {"outcome_on": clock.today(), "version": suspect.version},
        page="ocsea:outcome-create",
        api="api:ocsea-referral-suspect-outcome",
        **{**_on("referral"), "related": ("referral", "nominal")},
    )
)
CHILD_SAFEGUARDED = declare(
    Write(
        name="ocsea.child_safeguarded",
        title="Record that a child was safeguarded",
        help="When a child at risk named on the referral was safeguarded.",
        heading=lambda child: f"Record that {child} was safeguarded",
        verbs=("investigate",),
        subject=ChildAtRisk,
        subject_arg="child",
        service=services.child_safeguarded,
        form=SafeguardedForm,
        serializer=api.ChildSafeguardedSerializer,
        response=api.ChildAtRiskSerializer,
        creates=False,
        initial=lambda child: {"safeguarded_on": clock.today()},
        page="ocsea:child-safeguarded",
        api="api:ocsea-referral-child-safeguarded",
        **_on("referral"),
    )
)
FAMILY_MEMBER = declare(
    Write(
        name="ocsea.family_member",
        title="Record a family member",
        help="A household member or family in contact, and any vulnerability found (which "
        "calls for a MARF).",
        verbs=("investigate",),
        subject=Enforcement,
        subject_arg="enforcement",
        service=services.family_member_add,
        form=FamilyMemberForm,
        serializer=api.FamilyMemberInputSerializer,
        response=api.FamilyMemberSerializer,
        initial=lambda enforcement: {"lives_with_suspect": "yes"},
        page="ocsea:family-member-create",
        api="api:ocsea-referral-enforcement-family",
        **_on("referral"),
    )
)
FAMILY_SUPPORT = declare(
    Write(
        name="ocsea.family_support",
        title="Record support for the family",
        help="The support given to the suspect's family: signposting, a leaflet, a welfare pack.",
        verbs=("investigate",),
        subject=Enforcement,
        subject_arg="enforcement",
        service=services.family_support_record,
        form=FamilySupportForm,
        form_kwargs=lambda enforcement, user: {"user": user},
        serializer=api.FamilySupportSerializer,
        response=api.EnforcementSerializer,
        creates=False,
        page="ocsea:family-support",
        api="api:ocsea-referral-enforcement-family-support",
        **_on("referral"),
    )
)


def _marf_due(member: FamilyMember) -> str:
    assert member.vulnerability_identified_on is not None
    due = member.vulnerability_identified_on + timedelta(
        days=int(active_policy()["ocsea.marf_days"])
    )
    return f"The vulnerability was recorded: a MARF is due by {due:%-d %b %Y}."


FAMILY_VULNERABILITY = declare(
    Write(
        name="ocsea.family_vulnerability",
        title="Record a vulnerability",
        help="A vulnerability found after the family member was recorded: a MARF falls due.",
        heading=lambda member: f"Record a vulnerability ({member})",
        verbs=("investigate",),
        subject=FamilyMember,
        subject_arg="member",
        service=services.family_vulnerability_record,
        form=VulnerabilityForm,
        serializer=api.VulnerabilityInputSerializer,
        response=api.FamilyMemberSerializer,
        creates=False,
        success=_marf_due,
        initial=lambda member: {"vulnerability_identified_on": clock.today()},
        page="ocsea:family-vulnerability",
        api="api:ocsea-referral-enforcement-family-vulnerability",
        **_on("enforcement__referral"),
    )
)
MARF = declare(
    Write(
        name="ocsea.marf",
        title="Record the MARF",
        help="The multi-agency referral form submitted for a family member's vulnerability.",
        heading=lambda member: f"Record the MARF for {member}",
        verbs=("investigate",),
        subject=FamilyMember,
        subject_arg="member",
        service=services.marf_record,
        form=MarfForm,
        serializer=api.MarfSerializer,
        response=api.FamilyMemberSerializer,
        creates=False,
        initial=lambda member: {"submitted_on": clock.today()},
        page="ocsea:marf-create",
        api="api:ocsea-referral-enforcement-family-marf",
        **_on("enforcement__referral"),
    )
)


# --- on a bail: the page shows the referral's bar and the bail, and returns to the bail ------


def _bail_page(bail: Bail) -> str:
    return reverse("ocsea:bail-detail", kwargs={"pk": bail.pk})


def _on_bail(path: str = "") -> dict[str, Any]:
    """A bail, or a record on one (`path` from it to the bail)."""

    def bail(record: Any) -> Bail:
        return cast(Bail, _follow(record, path))

    to_bail = f"{path}__" if path else ""
    return {
        "related": (f"{to_bail}suspect__referral",),
        "people": lambda record: _suspects(bail(record).suspect.referral),
        "back": lambda record: _bail_page(bail(record)),
        "context": lambda record: {
            **_on_the_referral(bail(record).suspect.referral),
            "bail": bail(record),
            "back": _bail_page(bail(record)),
        },
        "template": "ocsea/form.html",
    }


def _ended(bail: Bail) -> str:
    said = f"The {bail.get_kind_display().lower()} ended: {bail.get_end_reason_display().lower()}."
    if bail.end_reason == "charged":
        suspect = Suspect.objects.select_related("nominal").get(pk=bail.suspect_id)
        said += (
            f" {suspect.nominal}'s outcome is recorded as charged ({suspect.outcome_on:%-d %b %Y})."
        )
    return said


CONDITION_REMOVE = declare(
    Write(
        name="ocsea.condition_remove",
        title="Remove a bail condition",
        heading=lambda condition: f"Remove the condition: {condition}",
        verbs=("investigate",),
        subject=BailCondition,
        subject_arg="condition",
        service=services.bail_condition_remove,
        form=RemoveConditionForm,
        serializer=api.ConditionRemoveSerializer,
        response=api.BailConditionSerializer,
        creates=False,
        initial=lambda condition: {"removed_on": clock.today()},
        page="ocsea:condition-remove",
        api="api:ocsea-bail-condition-remove",
        **_on_bail("bail"),
    )
)
CHECK = declare(
    Write(
        name="ocsea.condition_check",
        title="Record a check of the bail conditions",
        help="A breach found raises an action.",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="bail",
        service=services.condition_check_record,
        form=CheckForm,
        serializer=api.ConditionCheckInputSerializer,
        response=api.ConditionCheckSerializer,
        initial=lambda bail: {"checked_on": clock.today()},
        page="ocsea:check-create",
        api="api:ocsea-bail-checks",
        **_on_bail(),
    )
)
BREACH_ACTION = declare(
    Write(
        name="ocsea.breach_action",
        title="Record the action on the breach",
        help="The action taken on a breach a check found.",
        verbs=("investigate",),
        subject=ConditionCheck,
        subject_arg="check",
        service=services.breach_action_record,
        form=BreachActionForm,
        serializer=api.BreachActionSerializer,
        response=api.ConditionCheckSerializer,
        creates=False,
        initial=lambda check: {"actioned_on": clock.today()},
        page="ocsea:breach-action",
        api="api:ocsea-bail-check-breach-action",
        **_on_bail("bail"),
    )
)
BAIL_END = declare(
    Write(
        name="ocsea.bail_end",
        title="End a bail or release",
        help="Charged (which records the suspect's outcome as charged in the same "
        "transaction, unless it is already), no further action, released under "
        "investigation (which starts one), or other.",
        heading=lambda bail: f"End the {bail.get_kind_display().lower()}",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="bail",
        service=services.bail_end,
        form=BailEndForm,
        form_kwargs=lambda bail, user: {"kind": bail.kind},
        serializer=api.BailEndSerializer,
        response=api.BailSerializer,
        creates=False,
        success=_ended,
        fresh=True,  # ending as charged records the suspect's outcome too
        initial=lambda bail: {"ended_on": clock.today()},
        page="ocsea:bail-end",
        api="api:ocsea-bail-end",
        **_on_bail(),
    )
)
RUI_REVIEW = declare(
    Write(
        name="ocsea.rui_review",
        title="Review the release under investigation",
        help="A review of a release under investigation.",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="bail",
        service=services.rui_review_record,
        form=RuiReviewForm,
        serializer=api.RuiReviewInputSerializer,
        response=api.RuiReviewSerializer,
        initial=lambda bail: {"reviewed_on": clock.today()},
        page="ocsea:rui-review-create",
        api="api:ocsea-bail-rui-reviews",
        **_on_bail(),
    )
)
