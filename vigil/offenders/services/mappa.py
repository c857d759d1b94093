"""MAPPA level 2 and 3 management of an RSO: the meetings held about them (with the next
review each sets) and the actions each agreed, done by their owners."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record
from vigil.obligations.sync import sync
from vigil.offenders.models import MappaAction, MappaMeeting, Registration
from vigil.offenders.services._common import (
    _lock,
    _lock_open,
    _not_future,
    _registration_set,
    _require,
)
from vigil.people.models import Nominal
from vigil.policy.pack import active as active_policy

MAX_ACTIONS = 20


@atomic
def mappa_meeting_record(
    *,
    actor: User,
    registration: Registration,
    level: int,
    held_on: date,
    chair: str,
    summary: str = "",
    next_review_on: date | None = None,
    actions: list[dict[str, Any]] | None = None,
) -> MappaMeeting:
    """A MAPPA level 2 or 3 meeting and the actions it agreed: the next review falls due by
    the date it set (the policy's weeks for the level if it set none), each action by its
    date; the RSO's MAPPA level becomes the meeting's."""
    _require(actor, "manage_rso")
    current = _lock_open(registration)
    errors: dict[str, str] = {}
    if level not in (2, 3):
        errors["level"] = "Select level 2 or level 3: level 1 is managed without meetings"
    _not_future(errors, "held_on", held_on, "meeting date")
    if not chair.strip():
        errors["chair"] = "Enter who chaired the meeting"
    if next_review_on is None and level in (2, 3):
        weeks = active_policy()["rso.mappa_review_weeks"][str(level)]
        next_review_on = held_on + timedelta(weeks=weeks)
    if next_review_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = "The next review must be after the meeting"
    agreed = _actions(errors, actions or [], held_on, current.nominal)
    if errors:
        raise ValidationError(errors)
    assert next_review_on is not None
    meeting = MappaMeeting.objects.create(
        force_id=current.force_id,
        registration=current,
        level=level,
        held_on=held_on,
        next_review_on=next_review_on,
        chair=chair.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    MappaAction.objects.bulk_create(
        [MappaAction(force_id=current.force_id, meeting=meeting, **a) for a in agreed]
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="rso.mappa_meeting_recorded",
        obj=meeting,
        person_id=current.nominal_id,
        detail={"level": level, "held_on": str(held_on), "actions": len(agreed)},
    )
    latest = not MappaMeeting.objects.filter(registration=current, held_on__gt=held_on).exists()
    if latest and current.mappa_level != level:  # an older meeting recorded late sets nothing
        _registration_set(
            actor,
            current,
            "rso.mappa_level_set",
            f"Managed at MAPPA level {level} by the meeting of {held_on:%-d %b %Y}",
            mappa_level=level,
        )
    sync(current)
    return meeting


def _actions(
    errors: dict[str, str], actions: list[dict[str, Any]], held_on: date, nominal: Nominal
) -> list[dict[str, Any]]:
    agreed = []
    for n, item in enumerate(actions, start=1):
        what = str(item.get("description") or "").strip()
        agency = str(item.get("agency") or "").strip()
        due, owner = item.get("due_on"), item.get("owner")
        if not (what or agency or due or owner):
            continue
        if not what or not agency or due is None:
            errors[f"description_{n}"] = f"Action {n}: enter what, which agency and when it is due"
            continue
        if due < held_on:
            errors[f"due_{n}"] = f"Action {n} must be due on or after the meeting"
            continue
        if owner is not None and (
            owner.force_id != nominal.force_id
            or not Nominal.objects.visible_to(owner).filter(pk=nominal.pk).exists()
        ):
            errors[f"owner_{n}"] = (
                f"Action {n}: choose an officer of the force who may see the record"
            )
            continue
        agreed.append(
            {"description": what[:300], "agency": agency[:100], "due_on": due, "owner": owner}
        )
    if len(agreed) > MAX_ACTIONS:
        errors["actions"] = f"Record at most {MAX_ACTIONS} actions a meeting"
    return agreed


@atomic
def mappa_action_done(
    *, actor: User, action: MappaAction, done_on: date, outcome: str
) -> MappaAction:
    """An agreed action recorded done, with what came of it."""
    _require(actor, "manage_rso")
    current = MappaAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    errors: dict[str, str] = {}
    if current.done_on is not None:
        errors["done_on"] = f"It was recorded done on {current.done_on:%-d %B %Y}"
    _not_future(errors, "done_on", done_on, "date")
    if done_on is not None and done_on < current.meeting.held_on:
        errors["done_on"] = "It cannot be done before the meeting agreed it"
    if not outcome.strip():
        errors["outcome"] = "Enter what was done"
    if errors:
        raise ValidationError(errors)
    current.done_on, current.done_by, current.outcome = done_on, actor, outcome.strip()
    current.version += 1
    current.save()
    registration = _lock(current.meeting.registration)
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="rso.mappa_action_done",
        obj=current,
        person_id=registration.nominal_id,
        changes={"done_on": {"before": None, "after": str(done_on)}},
    )
    sync(registration)
    return current
