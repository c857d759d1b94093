"""The RSO writes declared once (vigil/writes.py): each serves its page
(vigil/offenders/urls.py) and its API action (vigil/offenders/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.offenders import services
from vigil.offenders.api import serializers as api
from vigil.offenders.forms import ConcernForm, IntelligenceForm, NotificationForm, PndForm
from vigil.offenders.models import Registration
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
