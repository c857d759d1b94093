"""What every OCSEA write shares: the verb check, locks, the audit event naming the suspects, and
the obligation re-sync."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.services import audit_record_many
from vigil.core import clock
from vigil.core.models import TeamKind
from vigil.obligations.sync import sync
from vigil.ocsea.models import (
    Bail,
    Referral,
    ReferralStatus,
)
from vigil.ocsea.services.entries import recorded_entries

UNIDENTIFIED = "UNIDENTIFIED"  # the family name of a suspect known only online
INVESTIGATING_TEAMS = (TeamKind.OCSEA, TeamKind.CHILD_ABUSE, TeamKind.LOCAL_POLICING)


# --- Shared steps -----------------------------------------------------------------------------


def _require(actor: User, *verbs: str) -> None:
    if not any(has_verb(actor, verb) for verb in verbs):
        raise PermissionDenied(f"Your roles do not allow {verbs[0].replace('_', ' ')}.")


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("team").get(pk=referral.pk)


def _lock_open(referral: Referral) -> Referral:
    current = _lock(referral)
    if current.status == ReferralStatus.CLOSED:
        raise ValidationError(
            f"Referral {current.reference} was closed on {current.closed_on:%-d %b %Y}: "
            "nothing more is recorded"
        )
    return current


def _primary(referral: Referral) -> Any:
    first = referral.suspects.order_by("created_at").first()
    return first.nominal_id if first else None


def _people(referral: Referral) -> list[Any]:
    """Every suspect on the referral: a write to the referral is recorded against each, so
    that the DPO's search for any one of them finds it."""
    return list(referral.suspects.order_by("created_at").values_list("nominal_id", flat=True))


def _not_future(errors: dict[str, str], name: str, value: date | None, what: str) -> None:
    if value is not None and value > clock.today():
        errors[name] = f"The {what} must be today or in the past"


def _not_before(
    errors: dict[str, str], name: str, value: date | None, earliest: date, what: str
) -> None:
    if value is not None and value < earliest and name not in errors:
        errors[name] = f"The {what} must be on or after {earliest:%-d %b %Y}"


def _choice(errors: dict[str, str], name: str, value: str, choices: Any, what: str) -> None:
    if value not in choices.values:
        errors[name] = f"Select {what}"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _audit(
    actor: User,
    obj: models.Model,
    event: str,
    people: Any,  # one person, or a list (one event each)
    *,
    before: dict[str, Any] | None = None,
    justification: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    """Appends the event's entries (services/entries.py: what it records, and as what)."""
    audit_record_many(
        recorded_entries(
            actor, obj, event, people, before=before, extra=extra, justification=justification
        )
    )


def _sync_case(referral: Referral) -> None:
    """Re-derives the obligations of a referral and of every bail of its suspects (a bail's
    owner and risk follow the referral's)."""
    sync(referral)
    for bail in Bail.objects.filter(suspect__referral=referral):
        sync(bail)


def _saved(record: models.Model, fields: list[str]) -> None:
    record.version += 1  # type: ignore[attr-defined]
    record.save(update_fields=[*fields, "version", "updated_at"])
