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
    ConcernForm,
    IntelligenceForm,
    NotificationForm,
    PndForm,
    RationaleForm,
    VisorForm,
    WarrantDecisionForm,
)
from vigil.offenders.models import Breach, HomeVisit, PndCheck, Registration
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
