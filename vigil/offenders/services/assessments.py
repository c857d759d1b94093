"""ARMS assessments and risk management plans, written over time as drafts, completed, and reviewed
by a supervisor (with the review of a visit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record, field_changes, snapshot
from vigil.core import clock
from vigil.obligations.models import RiskLevel
from vigil.obligations.sync import sync
from vigil.offenders.models import (
    ArmsAssessment,
    HomeVisit,
    Registration,
    RiskManagementPlan,
    RiskSource,
)
from vigil.offenders.services._common import (
    _decided,
    _lock_open,
    _not_future,
    _recorded,
    _require,
    _risk_entry,
)


def _draft_of(model: Any, registration: Registration, draft: Any) -> Any:
    """The draft being continued, locked; it must be a draft on this registration."""
    if draft is None:
        return None
    current = model.objects.select_for_update().get(pk=draft.pk)
    if current.registration_id != registration.pk:
        raise ValidationError("This draft belongs to another record")
    if current.completed_on is not None:
        raise ValidationError("This has already been completed")
    return current


def _write_work(
    actor: User,
    registration: Registration,
    model: Any,
    draft: Any,
    fields: dict[str, Any],
    event: str,
    then: Callable[[Any], object] | None = None,
) -> Any:
    """Saves new work or a continued draft with its audit event, then (after `then`, given
    the work) re-syncs."""
    if draft is None:
        work = model.objects.create(
            force_id=registration.force_id,
            registration=registration,
            completed_by=actor,
            **fields,
        )
        _recorded(actor, work, event=event, fields=tuple(fields))
    else:
        before = snapshot(draft, tuple(fields))
        for name, value in fields.items():
            setattr(draft, name, value)
        draft.version += 1
        draft.save()
        work = draft
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            event=event,
            obj=work,
            person_id=registration.nominal_id,
            changes=field_changes(before, snapshot(work, tuple(fields))),
        )
    if then is not None:
        then(work)
    sync(registration)
    return work


@atomic
def arms_draft_save(
    *,
    actor: User,
    registration: Registration,
    priority: str = "",
    summary: str = "",
    draft: ArmsAssessment | None = None,
) -> ArmsAssessment:
    """Saves an ARMS assessment in progress: it counts for nothing until completed."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    current = _draft_of(ArmsAssessment, registration, draft)
    if priority and priority not in RiskLevel.values:
        raise ValidationError({"priority": "Select the priority for work"})
    return _write_work(
        actor,
        registration,
        ArmsAssessment,
        current,
        {"priority": priority, "summary": summary.strip()},
        "rso.arms_drafted",
    )


@atomic
def arms_complete(
    *,
    actor: User,
    registration: Registration,
    completed_on: date | None,
    priority: str = "",
    summary: str = "",
    draft: ArmsAssessment | None = None,
) -> ArmsAssessment:
    """Completes an ARMS assessment (new, or a draft continued): its reviews, plan and PND
    check fall due, and its priority joins the dated risk history. A priority above low on
    a reactively managed RSO returns them to active management."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    current = _draft_of(ArmsAssessment, registration, draft)
    errors: dict[str, str] = {}
    if completed_on is None:
        errors["completed_on"] = "Enter the date the assessment was completed"
    _not_future(errors, "completed_on", completed_on, "date")
    if priority not in RiskLevel.values:
        errors["priority"] = "Select the priority for work"
    if not summary.strip():
        errors["summary"] = "Enter a summary of the risk and protective factors"
    if errors:
        raise ValidationError(errors)
    return _write_work(
        actor,
        registration,
        ArmsAssessment,
        current,
        {"completed_on": completed_on, "priority": priority, "summary": summary.strip()},
        "rso.arms_completed",
        then=lambda work: _risk_entry(
            actor, registration, work.completed_on, priority, RiskSource.ARMS, arms=work
        ),
    )


def _frequency_errors(errors: dict[str, str], months: int | None) -> None:
    if months is not None and not 1 <= months <= 24:
        errors["visit_frequency_months"] = "Visit frequency must be from 1 to 24 months"


@atomic
def rmp_draft_save(
    *,
    actor: User,
    registration: Registration,
    actions: str = "",
    visit_frequency_months: int | None = None,
    draft: RiskManagementPlan | None = None,
) -> RiskManagementPlan:
    """Saves a risk management plan in progress: it counts for nothing until completed."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    current = _draft_of(RiskManagementPlan, registration, draft)
    errors: dict[str, str] = {}
    _frequency_errors(errors, visit_frequency_months)
    if errors:
        raise ValidationError(errors)
    return _write_work(
        actor,
        registration,
        RiskManagementPlan,
        current,
        {"actions": actions.strip(), "visit_frequency_months": visit_frequency_months},
        "rso.rmp_drafted",
    )


@atomic
def rmp_complete(
    *,
    actor: User,
    registration: Registration,
    completed_on: date | None,
    actions: str = "",
    visit_frequency_months: int | None = None,
    draft: RiskManagementPlan | None = None,
) -> RiskManagementPlan:
    """Completes a risk management plan (new, or a draft continued): its frequency sets the
    visits from then on, and its review falls due."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    current = _draft_of(RiskManagementPlan, registration, draft)
    errors: dict[str, str] = {}
    if completed_on is None:
        errors["completed_on"] = "Enter the date the plan was completed"
    _not_future(errors, "completed_on", completed_on, "date")
    if not actions.strip():
        errors["actions"] = "Enter the plan's actions"
    _frequency_errors(errors, visit_frequency_months)
    if errors:
        raise ValidationError(errors)
    return _write_work(
        actor,
        registration,
        RiskManagementPlan,
        current,
        {
            "completed_on": completed_on,
            "actions": actions.strip(),
            "visit_frequency_months": visit_frequency_months,
        },
        "rso.rmp_completed",
    )


@atomic
def work_review(
    *, actor: User, work: ArmsAssessment | RiskManagementPlan | HomeVisit, note: str = ""
) -> Any:
    """A supervisor's review of an ARMS, RMP or visit (not of their own work)."""
    _require(actor, "review_rso_work")
    current = type(work).objects.select_for_update().get(pk=work.pk)
    if current.completed_on is None:
        raise ValidationError({"note": "A draft is reviewed once it is completed"})
    if current.completed_by_id == actor.pk:
        raise ValidationError({"note": "Someone other than its author must review this"})
    if current.reviewed_on is not None:
        raise ValidationError({"note": "This has already been reviewed"})
    current.reviewed_on = clock.today()
    current.reviewed_by = actor
    current.review_note = note.strip()
    return _decided(
        actor,
        current,
        "rso.work_reviewed",
        current.review_note,
        {"reviewed_on": {"before": None, "after": current.reviewed_on}},
    )
