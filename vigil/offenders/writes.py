"""The RSO writes declared once (vigil/writes.py): each serves its page
(vigil/offenders/urls.py) and its API action (vigil/offenders/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from vigil.core import clock
from vigil.offenders import services
from vigil.offenders.api import serializers as api
from vigil.offenders.forms import (
    BreachForm,
    ConcernForm,
    EndForm,
    IndefiniteReviewApplyForm,
    IndefiniteReviewDetermineForm,
    IntelligenceForm,
    MoveForm,
    NotificationForm,
    PndForm,
    RationaleForm,
    TransferRequestForm,
    VisorForm,
    WarrantDecisionForm,
)
from vigil.offenders.models import Breach, HomeVisit, IndefiniteReview, PndCheck, Registration
from vigil.offenders.reactive import reactive_eligibility
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
