"""The OCSEA writes declared once (vigil/writes.py): each serves its page
(vigil/ocsea/urls.py) and its API action (vigil/ocsea/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.core import clock
from vigil.ocsea import selectors, services
from vigil.ocsea.api import serializers as api
from vigil.ocsea.forms import (
    ActionForm,
    CloseForm,
    EnforcementForm,
    IntelligenceForm,
    OversightForm,
    PlanForm,
)
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
