"""The OCSEA writes declared once (vigil/writes.py): each serves its page
(vigil/ocsea/urls.py) and its API action (vigil/ocsea/api/views.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vigil.core import clock
from vigil.instruments.forms import AssessmentForm
from vigil.instruments.services import field_name
from vigil.ocsea import selectors, services
from vigil.ocsea.api import serializers as api
from vigil.ocsea.forms import (
    ActionForm,
    AllocateForm,
    ArrestForm,
    BailEndForm,
    BailForm,
    BreachActionForm,
    CheckForm,
    CloseForm,
    ConditionForm,
    CourtDecisionForm,
    EnforcementForm,
    ExtensionForm,
    FamilyMemberForm,
    FamilySupportForm,
    IntelligenceForm,
    MarfForm,
    OutcomeForm,
    OversightForm,
    PlanForm,
    RatifyForm,
    RebailForm,
    ReferralForm,
    RemoveConditionForm,
    RescoreForm,
    ReviewForm,
    RuiReviewForm,
    SafeguardedForm,
    SuspectForm,
    VulnerabilityForm,
)
from vigil.ocsea.models import (
    Bail,
    BailCondition,
    BailExtension,
    ChildAtRisk,
    ConditionCheck,
    Enforcement,
    FamilyMember,
    Referral,
    Suspect,
)
from vigil.ocsea.pages import InstrumentPage, ReceivePage, SuspectPage
from vigil.ocsea.rules import bail_periods
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


# --- receipt, triage and review ----------------------------------------------------------------


def _received_now() -> dict[str, Any]:
    now = timezone.localtime(clock.now()).time().replace(second=0, microsecond=0)
    return {"received_on": clock.today(), "received_time": now}


def _suspect(data: dict[str, Any], *, nominal: Any = None) -> services.SuspectDetails:
    """A suspect's details as the service takes them (the page's online identifiers are one
    per line; the API's a list)."""
    identifiers = data.get("online_identifiers") or ""
    return services.SuspectDetails(
        age_group=data["age_group"],
        nominal=nominal if nominal is not None else data.get("nominal"),
        family_name=data.get("family_name", ""),
        given_names=data.get("given_names", ""),
        date_of_birth=data.get("date_of_birth"),
        online_identifiers=identifiers if isinstance(identifiers, str) else "\n".join(identifiers),
    )


def _received_from_page(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "intake": services.Intake(
            source=d["source"],
            received_at=form.received_at(),
            summary=d["summary"],
            ocsea_team=d["ocsea_team"],
            area=d["area"],
            source_reference=d["source_reference"],
            other_references=d["other_references"],
            category_a=d["category_a"],
            category_b=d["category_b"],
            category_c=d["category_c"],
            suspects=[_suspect(d, nominal=form.nominal)],
            children=[
                services.ChildDetails(description=line.strip())
                for line in d["children"].splitlines()
                if line.strip()
            ],
        )
    }


def _received_from_api(d: dict[str, Any]) -> dict[str, Any]:
    children = d.pop("children")
    suspects = d.pop("suspects")
    return {
        "intake": services.Intake(
            **d,
            suspects=[_suspect(s) for s in suspects],
            children=[
                services.ChildDetails(description=c["description"], age=c["age"]) for c in children
            ],
        )
    }


def _received(referral: Referral) -> str:
    linked = f" It is linked to {referral.linked_to}." if referral.linked_to else ""
    return f"Referral {referral.reference} was received.{linked}"


RECEIVE = declare(
    Write(
        name="ocsea.receive",
        title="Receive a referral",
        help="With its suspects (existing person records or new ones) and the children at "
        "risk; one naming a suspect of an open referral is linked to it.",
        verbs=("triage_referral",),
        subject=None,
        subject_arg="",
        service=services.referral_receive,
        form=ReferralForm,
        from_form=_received_from_page,
        serializer=api.ReferralCreateSerializer,
        from_api=_received_from_api,
        response=api.ReferralSerializer,
        success=_received,
        initial=lambda nothing: _received_now(),
        people=lambda nothing: [],
        back=lambda nothing: reverse("ocsea:triage-queue"),
        then=_referral_page,
        view=ReceivePage,
        template="ocsea/referral_form.html",
        page="ocsea:referral-create",
        api="api:ocsea-referral-list",
    )
)


def _triaged(review: Any) -> str:
    score = review.assessment.score if review.assessment else "-"
    return f"Triaged: {review.get_band_display().lower()} band (score {score})."


def _instrument_input(form: Any) -> dict[str, Any]:
    """The instrument's answers, and the page's other fields, as the service takes them."""
    data = form.cleaned_data
    others = {name: value for name, value in data.items() if not name.startswith("item_")}
    return {**others, "pack_code": form.pack.code, "answers": form.answers()}


IMAGE_CATEGORIES = ("category_a", "category_b", "category_c")  # the most serious first


def _told_by_the_referral(referral: Any) -> dict[str, Any]:
    """What an instrument can be told by the referral itself, pre-filled for the officer to
    confirm: the most serious category of indecent image the referral counted, for an item
    `image_category` whose answers are the categories or `none` (KIRAT's)."""
    worst = next((c for c in IMAGE_CATEGORIES if getattr(referral, c)), "none")
    return {field_name("image_category"): worst}


TRIAGE = declare(
    Write(
        name="ocsea.triage",
        title="Triage",
        help="Prioritise the referral with an instrument: its band sets the action clock. An "
        "unanswered or unknown item is named `item_<item id>`.",
        verbs=("triage_referral",),
        service=services.referral_triage,
        form=AssessmentForm,
        from_form=_instrument_input,
        serializer=api.TriageSerializer,
        response=api.RiskReviewSerializer,
        success=_triaged,
        initial=_told_by_the_referral,
        view=InstrumentPage,
        page="ocsea:referral-triage",
        api="api:ocsea-referral-triage",
        **{**ON_THE_REFERRAL, "template": "ocsea/triage_form.html"},
    )
)


def _reviewed(review: Any) -> str:
    return f"The review was recorded: {review.get_band_display().lower()} band."


RISK_REVIEW = declare(
    Write(
        name="ocsea.risk_review",
        title="Record a risk review",
        help="An intelligence and risk review: re-run the instrument (`pack_code` and "
        "`answers`), or keep the band or change it (`band`) with the notes as rationale; a "
        "changed band moves the clocks.",
        verbs=("investigate", "triage_referral"),
        service=services.risk_review_record,
        form=ReviewForm,
        serializer=api.ReviewInputSerializer,
        response=api.RiskReviewSerializer,
        success="The risk review was recorded.",
        initial=lambda referral: {"reviewed_on": clock.today(), "band": referral.band},
        page="ocsea:review-create",
        api="api:ocsea-referral-reviews",
        **{
            **ON_THE_REFERRAL,
            "context": lambda referral: {
                **_on_the_referral(referral),
                "rescore_url": reverse("ocsea:review-rescore", kwargs={"pk": referral.pk}),
            },
        },
    )
)
RISK_REVIEW_RESCORE = declare(
    Write(
        name="ocsea.risk_review_rescore",
        title="Risk review",
        help="A risk review that re-runs the instrument: the new score sets the band.",
        verbs=RISK_REVIEW.verbs,
        service=services.risk_review_record,
        form=RescoreForm,
        from_form=_instrument_input,
        serializer=api.ReviewInputSerializer,
        success=_reviewed,
        initial=lambda referral: {"reviewed_on": clock.today(), **_told_by_the_referral(referral)},
        view=InstrumentPage,
        page="ocsea:review-rescore",
        api="",  # the risk reviews' endpoint takes `pack_code` and `answers`
        **{
            **ON_THE_REFERRAL,
            "template": "ocsea/triage_form.html",
            "context": lambda referral: {
                **_on_the_referral(referral),
                "submit": "Record the review",
            },
        },
    )
)
ALLOCATE = declare(
    Write(
        name="ocsea.allocate",
        title="Allocate the investigation",
        help="To a team and officer of the force; a team outside OCSEA keeps it under OCSEA "
        "oversight.",
        verbs=("oversee_investigations",),
        service=services.referral_allocate,
        form=AllocateForm,
        form_kwargs=lambda referral, user: {
            "user": user,
            "holder": referral.officer_id,
            "band": referral.band,
        },
        serializer=api.AllocateSerializer,
        response=api.AllocationSerializer,
        success="The investigation was allocated.",
        initial=lambda referral: {"team": referral.team_id, "officer": referral.officer_id},
        page="ocsea:allocate",
        api="api:ocsea-referral-allocate",
        **ON_THE_REFERRAL,
    )
)
SUSPECT = declare(
    Write(
        name="ocsea.suspect",
        title="Add a suspect",
        help="To an open referral: a person record by id, or the details of a new one.",
        verbs=("triage_referral", "investigate"),
        service=services.suspect_add,
        form=SuspectForm,
        from_form=lambda form: {"details": _suspect(form.cleaned_data)},
        serializer=api.SuspectInputSerializer,
        from_api=lambda d: {"details": _suspect(d)},
        response=api.SuspectSerializer,
        view=SuspectPage,
        page="ocsea:suspect-create",
        api="api:ocsea-referral-suspects",
        **{**ON_THE_REFERRAL, "template": "ocsea/suspect_form.html"},
    )
)

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


def _first_condition(d: dict[str, Any]) -> list[services.ConditionDetails]:
    """The condition a bail page imposes with the bail (more are added on the bail page)."""
    if not (d["condition_kind"] or d["condition_text"]):
        return []
    return [
        services.ConditionDetails(
            kind=d["condition_kind"],
            text=d["condition_text"],
            protects=d["condition_protects"],
            victims_views=d["condition_victims_views"],
        )
    ]


def _on_the_condition_fields(exc: ValidationError) -> ValidationError:
    """The service names the first condition's fields `condition_0_*`; the page `condition_*`."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {k.replace("condition_0_", "condition_"): v for k, v in exc.message_dict.items()}
    )


def _conditions(d: dict[str, Any]) -> dict[str, Any]:
    """The API's conditions as the service takes them."""
    return {**d, "conditions": [services.ConditionDetails(**c) for c in d["conditions"]]}


def _bail_from_page(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "kind": d["kind"],
        "area": d["area"],
        "released_on": d["released_on"],
        "designated": bool(d["designated"]),
        "conditions": _first_condition(d),
    }


BAIL = declare(
    Write(
        name="ocsea.bail",
        title="Bail or release a suspect",
        help="Bail an arrested suspect (from the day after the arrest) or release them under "
        "investigation (from `released_on`, no conditions).",
        heading=lambda suspect: f"Bail or release {suspect.nominal}",
        verbs=("investigate",),
        subject=Suspect,
        subject_arg="suspect",
        service=services.bail_begin,
        form=BailForm,
        form_kwargs=lambda suspect, user: {"user": user},
        from_form=_bail_from_page,
        page_errors=_on_the_condition_fields,
        serializer=api.BailCreateSerializer,
        from_api=_conditions,
        response=api.BailSerializer,
        success="Recorded. The bail clock and its checks are on the record.",
        initial=lambda suspect: {"area": suspect.referral.area_id},
        page="ocsea:bail-create",
        api="api:ocsea-bail-list",
        **{**_on("referral"), "related": ("referral", "nominal")},
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
CONDITION = declare(
    Write(
        name="ocsea.condition",
        title="Add a bail condition",
        help="Impose a condition on a bail.",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="bail",
        service=services.bail_condition_add,
        form=ConditionForm,
        from_form=lambda form: _condition(dict(form.cleaned_data)),
        serializer=api.ConditionAddSerializer,
        from_api=lambda d: _condition(d),
        response=api.BailConditionSerializer,
        initial=lambda bail: {"imposed_on": clock.today()},
        page="ocsea:condition-create",
        api="api:ocsea-bail-conditions",
        **_on_bail(),
    )
)


def _condition(d: dict[str, Any]) -> dict[str, Any]:
    imposed_on = d.pop("imposed_on")
    return {"details": services.ConditionDetails(**d), "imposed_on": imposed_on}


def _extension_from_page(form: Any) -> dict[str, Any]:
    d = dict(form.cleaned_data)
    ticked = set(d.pop("conditions"))
    confirmed = {name: name in ticked for name in services.EXTENSION_CONDITIONS}
    values: dict[str, Any] = {**d, **confirmed}
    return {"details": services.ExtensionDetails(**values)}


def _one_conditions_error(exc: ValidationError) -> ValidationError:
    """The service names each unconfirmed condition; the page's checkbox group shows one
    error naming the group and what is not yet confirmed."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = exc.message_dict
    missing = [wording for name, wording in services.EXTENSION_CONDITIONS.items() if name in errors]
    if not missing:
        return exc
    rest = {k: v for k, v in errors.items() if k not in services.EXTENSION_CONDITIONS}
    rest["conditions"] = [
        "Select all four conditions for the extension (not selected: " + "; ".join(missing) + ")"
    ]
    return ValidationError(rest)


EXTEND = declare(
    Write(
        name="ocsea.extend",
        title="Extend the bail period",
        help="Extend the applicable bail period. An authority of too low a rank is refused, "
        "naming `authoriser_rank`.",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="bail",
        service=services.bail_extend,
        form=ExtensionForm,
        from_form=_extension_from_page,
        page_errors=_one_conditions_error,
        serializer=api.ExtendSerializer,
        from_api=lambda d: {"details": services.ExtensionDetails(**d)},
        response=api.BailExtensionSerializer,
        initial=lambda bail: {"authorised_on": clock.today()},
        page="ocsea:bail-extend",
        api="api:ocsea-bail-extend",
        **_on_bail(),
    )
)
COURT_DECISION = declare(
    Write(
        name="ocsea.court_decision",
        title="Record the court's decision",
        help="The court's decision on a pending application: the order's end date, or refusal.",
        verbs=("investigate",),
        subject=BailExtension,
        subject_arg="extension",
        service=services.court_decision_record,
        form=CourtDecisionForm,
        from_form=lambda form: {
            "decided_on": form.cleaned_data["decided_on"],
            "end_date": form.cleaned_data["end_date"] if form.cleaned_data["granted"] else None,
        },
        serializer=api.CourtDecisionSerializer,
        response=api.BailExtensionSerializer,
        creates=False,
        initial=lambda extension: {"decided_on": clock.today()},
        page="ocsea:court-decision",
        api="api:ocsea-bail-extension-court-decision",
        **_on_bail("bail"),
    )
)


def _rebail_from_page(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "bailed_on": d["bailed_on"],
        "rearrested_on": d["rearrested_on"],
        "area": d["area"],
        "designated": bool(d["designated"]),
        "conditions": _first_condition(d),
        "note": d["note"],
    }


def _rebailed(bail: Bail) -> str:
    end = bail_periods(bail, active_policy())[-1].end
    return (
        f"Bailed. The bail start date stays {bail.start_date:%-d %b %Y}, the day after the "
        "arrest; the bail period ends "
        + (f"{end:%-d %b %Y}." if end else "when the court decides.")
    )


REBAIL = declare(
    Write(
        name="ocsea.rebail",
        title="Bail from release under investigation",
        help="Bail a suspect released under investigation: ends the release (its reviews end) "
        "and starts a pre-charge bail whose clock continues from the arrest (ADR 13). Answers "
        "the new bail.",
        heading=lambda rui: f"Bail {rui.suspect.nominal} from release under investigation",
        verbs=("investigate",),
        subject=Bail,
        subject_arg="rui",
        service=services.bail_from_rui,
        form=RebailForm,
        form_kwargs=lambda rui, user: {"user": user},
        from_form=_rebail_from_page,
        page_errors=_on_the_condition_fields,
        serializer=api.RebailSerializer,
        from_api=_conditions,
        response=api.BailSerializer,
        fresh=True,
        success=_rebailed,
        then=_bail_page,
        initial=lambda rui: {"bailed_on": clock.today(), "area": rui.area_id},
        page="ocsea:bail-rebail",
        api="api:ocsea-bail-rebail",
        **{
            **_on_bail(),
            "related": ("suspect__referral", "suspect__nominal"),
            "template": "ocsea/rebail_form.html",
            "context": lambda rui: {
                **_on_bail()["context"](rui),
                "rebail": selectors.rebail_clock(rui, active_policy()),
                "today": clock.today(),
            },
        },
    )
)
