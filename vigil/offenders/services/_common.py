"""What every RSO write shares: the verb check, locks, the audit event, decisions on work, and the
return to active management."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record, audit_record_many, field_changes, snapshot
from vigil.core import clock
from vigil.core.models import Team, TeamKind
from vigil.obligations.models import RiskLevel
from vigil.obligations.sync import sync
from vigil.offenders.models import (
    ArmsAssessment,
    ManagementMode,
    Registration,
    RiskLevelEntry,
)
from vigil.offenders.services.entries import recorded_entry


def _require(actor: User, verb: str) -> None:
    if not has_verb(actor, verb):
        raise PermissionDenied(f"Your roles do not allow {verb.replace('_', ' ')}.")


def _lock(registration: Registration) -> Registration:
    return (
        Registration.objects.select_for_update().select_related("nominal").get(pk=registration.pk)
    )


def _lock_open(registration: Registration) -> Registration:
    """The registration locked for a write that adds work to it: refused once it has ended."""
    current = _lock(registration)
    if current.ended_on is not None:
        raise ValidationError(
            f"This registration ended on {current.ended_on:%-d %b %Y}: nothing more is recorded"
        )
    return current


def _team_errors(errors: dict[str, str], team: Team, force_id: Any) -> None:
    if team.force_id != force_id:
        errors["team"] = "Choose a team of the record's force"
    elif team.kind != TeamKind.MOSOVO:
        errors["team"] = "Choose a team that manages registered sex offenders (MOSOVO)"


def _not_future(errors: dict[str, str], field: str, value: date | None, what: str) -> None:
    if value is not None and value > clock.today():
        errors[field] = f"The {what} must be today or in the past"


def _recorded(
    actor: User, obj: models.Model, *, event: str = "", fields: tuple[str, ...] = ()
) -> None:
    audit_record_many([recorded_entry(actor, obj, event=event, fields=fields)])


def _decided(
    actor: User, record: Any, event: str, justification: str, changes: dict[str, Any]
) -> Any:
    """The tail of every decision on a piece of work (a review, an authorisation, an
    assessment): save it, audit it, and re-sync the registration's obligations."""
    record.version += 1
    record.save()
    registration = _lock(record.registration)
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event=event,
        obj=record,
        person_id=registration.nominal_id,
        justification=justification,
        changes=changes,
    )
    sync(registration)
    return record


def _ends_reactive(actor: User, registration: Registration, record: Any, why: str) -> None:
    """A record that ends reactive management (intelligence, a breach, a concern) says so
    when it did (`_return_to_active`)."""
    if _return_to_active(actor, registration, why):
        record.returned_to_active = True
        record.save(update_fields=["returned_to_active"])


def _return_to_active(actor: User, registration: Registration, why: str) -> bool:
    """New intelligence, a breach, a rise in risk or a recorded concern ends reactive
    management (NPCC 2017): the RSO is actively managed again, audited, and the caller's
    record says it did this, which calls for a risk review within the policy's days (the
    rules). Returns whether it did."""
    if registration.management_mode != ManagementMode.REACTIVE:
        return False
    _registration_set(
        actor,
        registration,
        "rso.returned_to_active",
        why,
        management_mode=ManagementMode.ACTIVE,
        reactive_since=None,
    )
    return True


def _registration_set(
    actor: User, registration: Registration, event: str, justification: str, **values: Any
) -> None:
    """Sets fields of a locked registration, a new version, audited as `event` with each
    change; the caller re-syncs."""
    before = snapshot(registration, tuple(values))
    for name, value in values.items():
        setattr(registration, name, value)
    registration.version += 1
    registration.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event=event,
        obj=registration,
        person_id=registration.nominal_id,
        changes=field_changes(before, snapshot(registration, tuple(values))),
        justification=justification,
    )


def _risk_entry(
    actor: User,
    registration: Registration,
    effective_on: date,
    level: str,
    source: str,
    arms: ArmsAssessment | None = None,
) -> RiskLevelEntry:
    """Adds to the dated risk history (reactive management reads it); a rise above low on a
    reactively managed RSO returns them to active management. Audited with the write that
    made it (the ARMS, the register change)."""
    returned = level != RiskLevel.LOW and _return_to_active(
        actor, registration, f"Risk assessed {RiskLevel(level).label.lower()}"
    )
    return RiskLevelEntry.objects.create(
        force_id=registration.force_id,
        registration=registration,
        effective_on=effective_on,
        level=level,
        source=source,
        arms=arms,
        returned_to_active=returned,
        recorded_by=actor,
    )
