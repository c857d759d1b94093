"""The OCSEA writes declared once (vigil/writes.py): each serves its page
(vigil/ocsea/urls.py) and its API action (vigil/ocsea/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.core import clock
from vigil.ocsea import selectors, services
from vigil.ocsea.api import serializers as api
from vigil.ocsea.forms import IntelligenceForm, OversightForm
from vigil.ocsea.models import Referral
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


ON_THE_REFERRAL: dict[str, Any] = {
    "subject": Referral,
    "subject_arg": "referral",
    "people": _suspects,
    "back": _referral_page,
    "context": _on_the_referral,
    "template": "ocsea/form.html",
}

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
