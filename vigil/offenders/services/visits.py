"""Home visits, and the decisions on them: authorising an announced or single-officer visit,
assessing that authorisation, and the s.96B warrant decision."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.obligations.sync import sync
from vigil.offenders.models import (
    HomeVisit,
    Registration,
)
from vigil.offenders.services._common import (
    _decided,
    _lock_open,
    _recorded,
    _require,
)


@atomic
def visit_record(
    *,
    actor: User,
    registration: Registration,
    visited_at: datetime,
    announced: bool,
    officers: list[User],
    access_gained: bool,
    outcome: str = "",
) -> HomeVisit:
    """Records a home visit. Announced or single-officer visits are flagged: their
    authorisation and its later assessment become obligations."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if visited_at > clock.now():
        errors["visited_at"] = "The visit must be now or in the past"
    if not officers:
        errors["officers"] = "Select who attended"
    elif any(o.force_id != registration.force_id for o in officers):
        errors["officers"] = "Officers must belong to the record's force"
    if errors:
        raise ValidationError(errors)
    visit = HomeVisit.objects.create(
        force_id=registration.force_id,
        registration=registration,
        visited_at=visited_at,
        completed_on=clock.localdate(visited_at),
        completed_by=actor,
        announced=announced,
        officer_count=len(officers),
        access_gained=access_gained,
        outcome=outcome.strip(),
    )
    visit.officers.set(officers)
    _recorded(actor, visit)
    sync(registration)
    return visit


@atomic
def visit_authorise(*, actor: User, visit: HomeVisit, rationale: str) -> HomeVisit:
    _require(actor, "authorise_visit")
    current = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    if current.compliant:
        raise ValidationError({"rationale": "This visit was unannounced and in pairs"})
    if current.authorised_on is not None:
        raise ValidationError({"rationale": "This visit has already been authorised"})
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter why the visit was announced or single-officer"})
    current.authorised_on, current.authorised_by = clock.today(), actor
    current.authorisation_rationale = rationale.strip()
    return _decided(
        actor,
        current,
        "rso.visit_authorised",
        current.authorisation_rationale,
        {"authorised_on": {"before": None, "after": current.authorised_on}},
    )


@atomic
def visit_assess(*, actor: User, visit: HomeVisit, assessment: str) -> HomeVisit:
    _require(actor, "assess_visit_authorisation")
    current = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    if current.authorised_on is None:
        raise ValidationError({"assessment": "The visit has not been authorised yet"})
    if current.assessed_on is not None:
        raise ValidationError({"assessment": "This authorisation has already been assessed"})
    if not assessment.strip():
        raise ValidationError({"assessment": "Enter your assessment of the decision"})
    current.assessed_on, current.assessed_by = clock.today(), actor
    current.assessment = assessment.strip()
    return _decided(
        actor,
        current,
        "rso.visit_assessed",
        current.assessment,
        {"assessed_on": {"before": None, "after": current.assessed_on}},
    )


@atomic
def visit_warrant_decide(*, actor: User, visit: HomeVisit, decision: str) -> HomeVisit:
    """A supervisor's decision, after the policy's failed attempts to enter the home, on
    applying for a s.96B entry warrant."""
    _require(actor, "authorise_visit")
    current = HomeVisit.objects.select_for_update().get(pk=visit.pk)
    if current.warrant_decided_on is not None:
        raise ValidationError({"decision": "A warrant decision has already been recorded"})
    flagged = (
        Obligation.objects.open()
        .filter(
            subject_type="offenders.registration",
            subject_id=current.registration_id,
            rule_id="rso.visit.warrant",
            key=str(current.pk),
        )
        .exists()
    )
    if not flagged:
        raise ValidationError(
            {
                "decision": "No warrant decision is due on this visit: it follows repeated "
                "failed attempts to enter, until access is gained"
            }
        )
    if not decision.strip():
        raise ValidationError({"decision": "Enter the decision and the reasons for it"})
    current.warrant_decided_on, current.warrant_decided_by = clock.today(), actor
    current.warrant_decision = decision.strip()
    return _decided(
        actor,
        current,
        "rso.warrant_decided",
        current.warrant_decision,
        {"warrant_decided_on": {"before": None, "after": current.warrant_decided_on}},
    )
