"""The RSO writes declared once (vigil/writes.py): each serves its page
(vigil/offenders/urls.py) and its API action (vigil/offenders/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core import clock
from vigil.offenders import services
from vigil.offenders.api import serializers as api
from vigil.offenders.forms import (
    ArmsForm,
    BreachForm,
    ConcernForm,
    EndForm,
    IndefiniteReviewApplyForm,
    IndefiniteReviewDetermineForm,
    IntelligenceForm,
    MappaActionDoneForm,
    MappaMeetingForm,
    MoveForm,
    NoteForm,
    NotificationForm,
    PndForm,
    RationaleForm,
    RegistrationEditForm,
    RegistrationForm,
    RmpForm,
    TransferAcceptForm,
    TransferDeclineForm,
    TransferRequestForm,
    VisitForm,
    VisorForm,
    WarrantDecisionForm,
)
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    HomeVisit,
    IndefiniteReview,
    MappaAction,
    PndCheck,
    Registration,
    RiskManagementPlan,
    Transfer,
    TransferStatus,
)
from vigil.offenders.pages import DraftPage, RegisterPage, TransferDeclinePage
from vigil.offenders.reactive import reactive_eligibility
from vigil.people.models import Nominal
from vigil.policy.pack import active as active_policy
from vigil.writes import Write, declare


def _record_page(registration: Registration) -> str:
    return reverse("offenders:rso-detail", kwargs={"pk": registration.pk})


def _people(registration: Registration) -> list[Any]:
    return [registration.nominal]


ON_THE_RECORD: dict[str, Any] = {
    "verbs": ("manage_rso",),
    "subject": Registration,
    "subject_arg": "registration",
    "related": ("nominal",),
    "people": _people,
    "back": _record_page,
}

NOTIFICATION = declare(
    Write(
        name="rso.notification",
        title="Record a notification",
        service=services.notification_record,
        form=NotificationForm,
        serializer=api.NotificationSerializer,
        page="offenders:notification-create",
        api="api:rso-notifications",
        **ON_THE_RECORD,
    )
)
PND_CHECK = declare(
    Write(
        name="rso.pnd_check",
        title="Record a PND check",
        service=services.pnd_check_record,
        form=PndForm,
        serializer=api.PndCheckSerializer,
        page="offenders:pnd-create",
        api="api:rso-pnd-checks",
        **ON_THE_RECORD,
    )
)
INTELLIGENCE = declare(
    Write(
        name="rso.intelligence",
        title="Record intelligence",
        service=services.intelligence_record,
        form=IntelligenceForm,
        serializer=api.IntelligenceSerializer,
        page="offenders:intelligence-create",
        api="api:rso-intelligence",
        **ON_THE_RECORD,
    )
)
CONCERN = declare(
    Write(
        name="rso.concern",
        title="Record a concern",
        help="On a reactively managed RSO it returns them to active management with a risk review.",
        service=services.concern_record,
        form=ConcernForm,
        serializer=api.ConcernSerializer,
        page="offenders:concern-create",
        api="api:rso-concerns",
        **ON_THE_RECORD,
    )
)


# --- decisions on the work: the record in the URL is the work, the page returns to its RSO ---


def _work_page(work: Any) -> str:
    return _record_page(work.registration)


def _work_people(work: Any) -> list[Any]:
    return [work.registration.nominal]


def _text_as(name: str) -> Any:
    """The decision form's one text box as the service's argument `name`."""
    return lambda form: {name: form.cleaned_data["text"]}


ON_THE_WORK: dict[str, Any] = {
    "related": ("registration__nominal",),
    "people": _work_people,
    "back": _work_page,
    "creates": False,
}

PND_ASSESS = declare(
    Write(
        name="rso.pnd_assess",
        title="Assess the result of a PND check",
        heading=lambda check: f"Assess the result: {check}",
        verbs=("manage_rso",),
        subject=PndCheck,
        subject_arg="check",
        service=services.pnd_assess,
        form=RationaleForm,
        from_form=_text_as("assessment"),
        serializer=api.AssessSerializer,
        response=api.PndCheckSerializer,
        success="Assessment recorded.",
        page="offenders:pnd-assess",
        api="api:rso-pnd-check-assess",
        **ON_THE_WORK,
    )
)
VISIT_AUTHORISE = declare(
    Write(
        name="rso.visit_authorise",
        title="Authorise an announced or single-officer visit",
        heading=lambda visit: f"Authorise: {visit}",
        verbs=("authorise_visit",),
        subject=HomeVisit,
        subject_arg="visit",
        service=services.visit_authorise,
        form=RationaleForm,
        from_form=_text_as("rationale"),
        serializer=api.AuthoriseSerializer,
        response=api.VisitSerializer,
        success="Authorisation recorded.",
        page="offenders:visit-authorise",
        api="api:rso-visit-authorise",
        **ON_THE_WORK,
    )
)
VISIT_ASSESS = declare(
    Write(
        name="rso.visit_assess",
        title="Assess a visit's authorisation",
        heading=lambda visit: f"Assess the authorisation: {visit}",
        verbs=("assess_visit_authorisation",),
        subject=HomeVisit,
        subject_arg="visit",
        service=services.visit_assess,
        form=RationaleForm,
        from_form=_text_as("assessment"),
        serializer=api.AssessSerializer,
        response=api.VisitSerializer,
        success="Assessment recorded.",
        page="offenders:visit-assess",
        api="api:rso-visit-assess",
        **ON_THE_WORK,
    )
)
VISIT_WARRANT = declare(
    Write(
        name="rso.visit_warrant",
        title="Decide on a s.96B entry warrant",
        heading=lambda visit: f"Decide on a s.96B entry warrant: {visit}",
        verbs=("authorise_visit",),
        subject=HomeVisit,
        subject_arg="visit",
        service=services.visit_warrant_decide,
        form=WarrantDecisionForm,
        from_form=_text_as("decision"),
        serializer=api.WarrantSerializer,
        response=api.VisitSerializer,
        success="Warrant decision recorded.",
        page="offenders:visit-warrant",
        api="api:rso-visit-warrant",
        **ON_THE_WORK,
    )
)
BREACH_VISOR = declare(
    Write(
        name="rso.breach_visor",
        title="Record a breach as entered on ViSOR",
        heading=lambda breach: f"Recorded on ViSOR: {breach}",
        verbs=("manage_rso",),
        subject=Breach,
        subject_arg="breach",
        service=services.breach_recorded_nationally,
        form=VisorForm,
        from_form=lambda form: {"recorded_at": form.recorded_at()},
        initial=lambda breach: _now_for_visor(),
        serializer=api.VisorSerializer,
        response=api.BreachSerializer,
        success="Recorded on ViSOR.",
        page="offenders:breach-visor",
        api="api:rso-breach-visor",
        **ON_THE_WORK,
    )
)


def _now_for_visor() -> dict[str, Any]:
    now = timezone.localtime(clock.now())
    return {"recorded_on": now.date(), "recorded_time": f"{now:%H:%M}"}


BREACH = declare(
    Write(
        name="rso.breach",
        title="Record a breach",
        help="Recorded as it is identified: it is then due on ViSOR within the policy's hours, "
        "and calls for an ARMS review. On a reactively managed RSO it returns them to active "
        "management.",
        service=services.breach_record,
        form=BreachForm,
        from_form=lambda form: {
            "identified_at": form.identified_at(),
            "kind": form.cleaned_data["kind"],
            "details": form.cleaned_data["details"],
            "action_taken": form.cleaned_data["action_taken"],
        },
        initial=lambda registration: {"identified_on": clock.today()},
        serializer=api.BreachSerializer,
        success="The breach was recorded. Record it on ViSOR too.",
        page="offenders:breach-create",
        api="api:rso-breaches",
        **ON_THE_RECORD,
    )
)
INDEFINITE_REVIEW = declare(
    Write(
        name="rso.indefinite_review",
        title="Record an application for review of the indefinite requirement",
        help="The application under s.91B: its determination falls due.",
        service=services.indefinite_review_apply,
        form=IndefiniteReviewApplyForm,
        serializer=api.IndefiniteReviewSerializer,
        page="offenders:indefinite-review-apply",
        api="api:rso-indefinite-reviews",
        **ON_THE_RECORD,
    )
)
REGISTRATION_END = declare(
    Write(
        name="rso.registration_end",
        title="End the registration",
        help="The notification period is over, or a court discharged it: nothing routine is "
        "due any more.",
        service=services.registration_end,
        form=EndForm,
        initial=lambda registration: {
            "ended_on": registration.notification_ends(active_policy()) or clock.today()
        },
        serializer=api.EndSerializer,
        response=api.RegistrationSerializer,
        creates=False,
        success="The registration has ended.",
        page="offenders:registration-end",
        api="api:rso-end",
        **ON_THE_RECORD,
    )
)
INDEFINITE_REVIEW_DETERMINE = declare(
    Write(
        name="rso.indefinite_review_determine",
        title="Determine an application for review",
        heading=lambda review: f"Determine the {str(review).lower()}",
        verbs=("determine_indefinite_review",),
        subject=IndefiniteReview,
        subject_arg="review",
        service=services.indefinite_review_determine,
        form=IndefiniteReviewDetermineForm,
        serializer=api.DetermineSerializer,
        response=api.IndefiniteReviewSerializer,
        success="Determination recorded.",
        page="offenders:indefinite-review-determine",
        api="api:rso-indefinite-review-determine",
        **ON_THE_WORK,
    )
)


REACTIVE = declare(
    Write(
        name="rso.reactive",
        title="Manage reactively",
        help="Only when the policy's conditions are met (see reactive-eligibility).",
        service=services.reactive_enter,
        form=RationaleForm,
        from_form=_text_as("rationale"),
        serializer=api.ReactiveSerializer,
        response=api.RegistrationSerializer,
        creates=False,
        success="The RSO is now managed reactively.",
        context=lambda registration: {
            "rso": registration,
            "eligibility": reactive_eligibility(registration, active_policy(), clock.today()),
        },
        template="offenders/reactive.html",
        page="offenders:reactive-enter",
        api="api:rso-reactive",
        **{**ON_THE_RECORD, "verbs": ("authorise_reactive",)},
    )
)


MOVE = declare(
    Write(
        name="rso.move",
        title="Move to another team",
        help="Move the RSO's management to another team of the force, at once, with their "
        "open work.",
        service=services.registration_transfer,
        form=MoveForm,
        form_kwargs=lambda registration, user: {
            "user": user,
            "exclude_team": registration.team_id,
        },
        serializer=api.MoveSerializer,
        response=api.RegistrationSerializer,
        creates=False,
        shows=lambda transfer: transfer.registration,
        success="The RSO was moved, with their open work.",
        page="offenders:rso-move",
        api="api:rso-move",
        **{**ON_THE_RECORD, "verbs": ("transfer_rso",), "related": ("nominal", "force")},
    )
)
TRANSFER_REQUEST = declare(
    Write(
        name="rso.transfer_request",
        title="Transfer to another force",
        help="Ask another force to take on the RSO; nothing moves until it accepts.",
        service=services.transfer_request,
        form=TransferRequestForm,
        form_kwargs=lambda registration, user: {"force": registration.force},
        serializer=api.TransferRequestSerializer,
        response=api.TransferSerializer,
        success="The receiving force has been asked to accept the RSO.",
        page="offenders:transfer-request",
        api="api:rso-transfer",
        **{**ON_THE_RECORD, "related": ("nominal", "force")},
    )
)


# --- the register record ----------------------------------------------------------------------


REGISTER = declare(
    Write(
        name="rso.register",
        title="Put on the register",
        help="The person, team and manager are given by id and must be ones you can see in "
        "your own force (otherwise: no such object). What is due is listed on the record.",
        verbs=("manage_rso",),
        subject=Nominal,
        subject_arg="nominal",
        service=services.registration_create,
        form=RegistrationForm,
        form_kwargs=lambda nominal, user: {"user": user},
        serializer=api.RegistrationCreateSerializer,
        response=api.RegistrationSerializer,
        success="The person is on the register. What is due is listed.",
        initial=lambda nominal: {
            "mappa_category": 1,
            "mappa_level": 1,
            "under_18_at_conviction": "no",
        },
        people=lambda nominal: [nominal],
        back=lambda nominal: reverse("people:nominal-detail", kwargs={"pk": nominal.pk}),
        then=_record_page,
        view=RegisterPage,
        template="offenders/registration_form.html",
        context=lambda nominal: {"nominal": nominal},
        page="offenders:registration-create",
        api="api:rso-list",
    )
)


def _as_it_stands(registration: Registration) -> dict[str, Any]:
    return {
        "version": registration.version,
        "risk_level": registration.risk_level,
        "offender_manager": registration.offender_manager_id,
        "register_reference": registration.register_reference,
        "in_community_since": registration.in_community_since,
        "mappa_category": registration.mappa_category,
        "mappa_level": registration.mappa_level,
        "static_tool": registration.static_tool,
        "static_band": registration.static_band,
        "static_date": registration.static_date,
    }


def _changes_from_api(data: dict[str, Any]) -> dict[str, Any]:
    if "offender_manager" in data:
        manager = data.pop("offender_manager")
        data["offender_manager_id"] = manager.pk if manager else None
    return data


REGISTRATION_EDIT = declare(
    Write(
        name="rso.registration_edit",
        title="Change register details",
        help="Only the fields given change. Entering reactive management and moving to "
        "another team or force have their own endpoints.",
        service=services.registration_update,
        versioned=True,
        form=RegistrationEditForm,
        form_kwargs=lambda registration, user: {
            "team": registration.team,
            "holder": registration.offender_manager_id,
            "risk_level": "reactive"
            if registration.management_mode == "reactive"
            else registration.risk_level,
        },
        from_form=lambda form: {"version": form.cleaned_data["version"], **form.changes()},
        serializer=api.RegistrationUpdateSerializer,
        from_api=_changes_from_api,
        response=api.RegistrationSerializer,
        creates=False,
        success="The register details were updated.",
        initial=_as_it_stands,
        page="offenders:registration-edit",
        api="api:rso-detail",
        api_method="PATCH",
        **{**ON_THE_RECORD, "related": ("nominal", "team")},
    )
)


# --- visits, ARMS assessments and plans --------------------------------------------------------


def _officers(user: Any) -> Any:
    """The officers who may be named on a visit: the force's active offender managers."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__role__verbs="manage_rso")
        .distinct()
        .prefetch_related("memberships__team")
        .order_by("display_name", "username")
    )


def _visit_officers(registration: Registration, user: Any) -> dict[str, Any]:
    """The officer's own teams' offender managers as checkboxes (the officer ticked), and
    everyone else in the force to find by name."""
    teams = user.memberships.values("team")
    team = _officers(user).filter(memberships__team__in=teams)
    return {
        "team": team,
        "others": _officers(user).exclude(pk__in=team.values("pk")),
        "initial": {"officers": [user], "visited_on": clock.today()},
    }


def _visit_from_page(form: Any) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "visited_at": form.visited_at(),
        "announced": d["announced"],
        "officers": d["attended"],
        "access_gained": d["access_gained"],
        "outcome": d["outcome"],
    }


def _visit_errors(exc: ValidationError) -> ValidationError:
    """A refusal of the visit's moment (in the future) beside the page's date field, as
    well as in the summary; the others on the fields they name."""
    if not hasattr(exc, "error_dict") or "visited_at" not in exc.error_dict:
        return exc
    errors = dict(exc.error_dict)
    errors["visited_on"] = errors.pop("visited_at")
    return ValidationError(errors)


VISIT = declare(
    Write(
        name="rso.visit",
        title="Record a home visit",
        help="Announced or single-officer visits are flagged for a supervisor's authorisation.",
        service=services.visit_record,
        form=VisitForm,
        form_kwargs=_visit_officers,
        from_form=_visit_from_page,
        page_errors=_visit_errors,
        serializer=api.VisitSerializer,
        from_api=lambda d: {**d, "officers": list(d["officers"])},
        success="The visit was recorded.",
        page="offenders:visit-create",
        api="api:rso-visits",
        **ON_THE_RECORD,
    )
)


def _drafted(save_draft: Any, complete: Any, fields: tuple[str, ...]) -> Any:
    """Work written over time: saved as a draft (only its own fields), or completed (a new
    piece of work, or the draft continued)."""

    def service(
        *,
        actor: Any,
        registration: Registration | None = None,
        draft: Any = None,
        as_draft: bool = False,
        **data: Any,
    ) -> Any:
        registration = registration or draft.registration
        if as_draft:
            kept = {name: data[name] for name in fields if name in data}
            return save_draft(actor=actor, registration=registration, draft=draft, **kept)
        completed_on = data.pop("completed_on", None)
        return complete(
            actor=actor, registration=registration, draft=draft, completed_on=completed_on, **data
        )

    return service


def _drafted_from_api(data: dict[str, Any]) -> dict[str, Any]:
    as_draft = data.pop("draft")
    return {**data, "as_draft": as_draft}


def _completed_from_api(data: dict[str, Any]) -> dict[str, Any]:
    """The draft's endpoint completes it (its `draft` is read as false)."""
    data.pop("draft", None)
    return {**data, "as_draft": False}


def _saved(what: str) -> Any:
    return lambda work: f"The {what} was {'saved as a draft' if work.is_draft else 'completed'}."


def _still_a_draft(user: Any) -> Q:
    return Q(completed_on__isnull=True)


def _draft_fields(fields: tuple[str, ...]) -> Any:
    return lambda draft: {name: getattr(draft, name) for name in fields}


ARMS_FIELDS = ("priority", "summary")
RMP_FIELDS = ("actions", "visit_frequency_months")
ARMS_SERVICE = _drafted(services.arms_draft_save, services.arms_complete, ARMS_FIELDS)
RMP_SERVICE = _drafted(services.rmp_draft_save, services.rmp_complete, RMP_FIELDS)
DRAFTED: dict[str, Any] = {"view": DraftPage, "from_api": _drafted_from_api}

ARMS = declare(
    Write(
        name="rso.arms",
        title="Record an ARMS assessment",
        help="Complete one, or with `draft` save one to complete later.",
        service=ARMS_SERVICE,
        form=ArmsForm,
        serializer=api.ArmsSerializer,
        success=_saved("ARMS assessment"),
        page="offenders:arms-create",
        api="api:rso-arms",
        **DRAFTED,
        **ON_THE_RECORD,
    )
)
RMP = declare(
    Write(
        name="rso.rmp",
        title="Record a risk management plan",
        help="Complete one, or with `draft` save one to complete later.",
        service=RMP_SERVICE,
        form=RmpForm,
        serializer=api.RmpSerializer,
        success=_saved("risk management plan"),
        page="offenders:rmp-create",
        api="api:rso-rmps",
        **DRAFTED,
        **ON_THE_RECORD,
    )
)
ON_THE_DRAFT: dict[str, Any] = {
    **ON_THE_WORK,
    "verbs": ("manage_rso",),
    "subject_arg": "draft",
    "where": _still_a_draft,
    "view": DraftPage,
    "from_api": _completed_from_api,
}
ARMS_DRAFT = declare(
    Write(
        name="rso.arms_draft",
        title="Continue the ARMS assessment",
        subject=ArmsAssessment,
        service=ARMS_SERVICE,
        form=ArmsForm,
        serializer=api.ArmsSerializer,
        success=_saved("ARMS assessment"),
        initial=_draft_fields(ARMS_FIELDS),
        page="offenders:arms-continue",
        api="api:rso-arms-complete",
        **ON_THE_DRAFT,
    )
)
RMP_DRAFT = declare(
    Write(
        name="rso.rmp_draft",
        title="Continue the risk management plan",
        subject=RiskManagementPlan,
        service=RMP_SERVICE,
        form=RmpForm,
        serializer=api.RmpSerializer,
        success=_saved("risk management plan"),
        initial=_draft_fields(RMP_FIELDS),
        page="offenders:rmp-continue",
        api="api:rso-rmp-complete",
        **ON_THE_DRAFT,
    )
)


# --- a supervisor's review of a visit, an ARMS assessment or a plan ----------------------------


def _review(name: str, model: type[Any], answer: Any) -> Write:
    what = model._meta.verbose_name
    return declare(
        Write(
            name=f"rso.{name}_review",
            title=f"Review a {what}" if what[0] not in "aeiouAEIOU" else f"Review an {what}",
            heading=lambda work: f"Review: {work}",
            help="A supervisor's review (not of their own work).",
            verbs=("review_rso_work",),
            subject=model,
            subject_arg="work",
            service=services.work_review,
            form=NoteForm,
            serializer=api.ReviewSerializer,
            response=answer,
            success="Review recorded.",
            page=f"offenders:{name}-review",
            api=f"api:rso-{name}-review",
            **ON_THE_WORK,
        )
    )


VISIT_REVIEW = _review("visit", HomeVisit, api.VisitSerializer)
ARMS_REVIEW = _review("arms", ArmsAssessment, api.ArmsSerializer)
RMP_REVIEW = _review("rmp", RiskManagementPlan, api.RmpSerializer)


# --- transfers between forces: the receiving force decides; the sending force may withdraw -----


def _between_forces(user: Any) -> Q:
    return ~Q(from_force=F("to_force"))


def _asked_of(user: Any) -> Q:
    return _between_forces(user) & Q(to_force_id=user.force_id)


def _transfers_page(transfer: Transfer) -> str:
    return reverse("offenders:transfer-list")


def _declined(transfer: Transfer) -> str:
    declined = transfer.status == TransferStatus.DECLINED
    return "Declined." if declined else "The request was withdrawn."


ON_THE_TRANSFER: dict[str, Any] = {
    "subject": Transfer,
    "subject_arg": "transfer",
    "related": ("registration__nominal", "from_force", "to_force"),
    # The receiving force may not open the person's record until it accepts: the page shows
    # what the transfers list shows (each person listed there is logged).
    "people": lambda transfer: [],
    "back": _transfers_page,
    "response": api.TransferSerializer,
    "creates": False,
    "template": "offenders/transfer_decide.html",
    "context": lambda transfer: {"transfer": transfer},
}
TRANSFER_ACCEPT = declare(
    Write(
        name="rso.transfer_accept",
        title="Accept the transfer",
        help="The receiving force accepts: the person and the record join it.",
        verbs=("transfer_rso",),
        where=_asked_of,
        service=services.transfer_accept,
        form=TransferAcceptForm,
        form_kwargs=lambda transfer, user: {"user": user},
        serializer=api.TransferAcceptSerializer,
        success="The RSO has joined your force's register.",
        then=lambda transfer: _record_page(transfer.registration),
        page="offenders:transfer-accept",
        api="api:rso-transfer-accept",
        **ON_THE_TRANSFER,
    )
)
TRANSFER_DECLINE = declare(
    Write(
        name="rso.transfer_decline",
        title="Decline or withdraw a transfer",
        help="The receiving force declines, or the sending force withdraws its request (each "
        "held to its own verb).",
        verbs=("manage_rso", "transfer_rso"),
        where=_between_forces,
        service=services.transfer_decline,
        form=TransferDeclineForm,
        serializer=api.TransferDeclineSerializer,
        success=_declined,
        view=TransferDeclinePage,
        page="offenders:transfer-decline",
        api="api:rso-transfer-decline",
        **ON_THE_TRANSFER,
    )
)


def _meeting_kwargs(registration: Registration, user: Any) -> dict[str, Any]:
    return {"officers": _officers(user), "initial": {"held_on": clock.today()}}


MAPPA_MEETING = declare(
    Write(
        name="rso.mappa_meeting",
        title="Record a MAPPA meeting",
        help="A MAPPA level 2 or 3 meeting and the actions it agreed: the next review is due "
        "by the date it set (the policy's weeks for the level if none), each action by its "
        "date, owned by its police owner or else the offender manager; the RSO's MAPPA level "
        "becomes the meeting's.",
        service=services.mappa_meeting_record,
        form=MappaMeetingForm,
        serializer=api.MappaMeetingInputSerializer,
        response=api.MappaMeetingSerializer,
        form_kwargs=_meeting_kwargs,
        from_form=lambda form: form.service_input(),
        success="The MAPPA meeting was recorded.",
        page="offenders:mappa-meeting-create",
        api="api:rso-mappa-meetings",
        **ON_THE_RECORD,
    )
)


def _action_record(action: MappaAction) -> str:
    return _record_page(action.meeting.registration)


MAPPA_ACTION_DONE = declare(
    Write(
        name="rso.mappa_action_done",
        title="Record a MAPPA action done",
        help="An action a MAPPA meeting agreed, recorded done with what came of it.",
        verbs=("manage_rso",),
        subject=MappaAction,
        subject_arg="action",
        related=("meeting", "meeting__registration", "meeting__registration__nominal"),
        service=services.mappa_action_done,
        form=MappaActionDoneForm,
        serializer=api.MappaActionDoneSerializer,
        response=api.MappaActionSerializer,
        creates=False,
        initial=lambda action: {"done_on": clock.today()},
        heading=lambda action: f"Done: {action.description[:80]}",
        success="The action was recorded done.",
        people=lambda action: [action.meeting.registration.nominal],
        back=_action_record,
        page="offenders:mappa-action-done",
        api="api:rso-mappa-action-done",
    )
)
