"""The probation partnership's writes (R17): the agreement's terms, exchanges raised and
answered by either side on the agreement's working-day clock, and the joint reviews with
their figures attached."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.access import has_verb, hidden_persons
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record, field_changes, snapshot
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Force, Team, TeamKind
from vigil.core.workdays import add_working_days
from vigil.obligations.sync import sync
from vigil.offenders.models import Registration, reference_key
from vigil.people.models import Nominal
from vigil.policy.pack import active as active_policy
from vigil.probation.models import (
    POLICE_LADDER,
    PROBATION_LADDER,
    Agreement,
    Direction,
    Exchange,
    ExchangeKind,
    JointReview,
    Priority,
    side_of,
)

MAX_WORKING_DAYS = 30
MAX_ACTIONS = 10


def _require(actor: User, verb: str) -> Any:
    """Refuses an actor without the verb or a force; returns the actor's force's id."""
    if not has_verb(actor, verb) or actor.force_id is None:
        raise PermissionDenied(f"Your roles do not allow {verb.replace('_', ' ')}.")
    return actor.force_id


def agreement_of(force_id: Any) -> Agreement | None:
    return Agreement.objects.filter(force_id=force_id).select_related("probation_team").first()


# --- the agreement ---------------------------------------------------------------------------

AGREEMENT_FIELDS = (
    "name",
    "probation_party",
    "probation_team_id",
    "police_team_id",
    "starts_on",
    "urgent_working_days",
    "standard_working_days",
    "review_months",
    "closures",
)


@atomic
def agreement_save(
    *,
    actor: User,
    name: str,
    probation_party: str,
    probation_team: Team,
    police_team: Team,
    starts_on: date,
    urgent_working_days: int | None = None,
    standard_working_days: int | None = None,
    review_months: int | None = None,
    closures: list[date] | None = None,
) -> Agreement:
    """The force's agreement with the Probation Service: made, or its terms changed (an
    exchange already raised keeps the due date it was given). Response times and the review
    cadence default to the policy's."""
    force_id = _require(actor, "manage_agreement")
    pack = active_policy()
    days = pack["probation.response_working_days"]
    urgent = days["urgent"] if urgent_working_days is None else urgent_working_days
    standard = days["standard"] if standard_working_days is None else standard_working_days
    months = pack["probation.agreement_review_months"] if review_months is None else review_months
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the agreement's name"
    if not probation_party.strip():
        errors["probation_party"] = "Enter the probation delivery unit or region party to it"
    if (
        probation_team.force_id != actor.force_id
        or probation_team.kind != TeamKind.PROBATION_PARTNER
    ):
        errors["probation_team"] = "Choose the force's probation partnership team"
    if police_team.force_id != actor.force_id or police_team.kind == TeamKind.PROBATION_PARTNER:
        errors["police_team"] = "Choose a police team of the force"
    for field, value in (("urgent_working_days", urgent), ("standard_working_days", standard)):
        if not 1 <= int(value) <= MAX_WORKING_DAYS:
            errors[field] = f"Enter a number of working days from 1 to {MAX_WORKING_DAYS}"
    both = "urgent_working_days" not in errors and "standard_working_days" not in errors
    if both and urgent > standard:
        errors["urgent_working_days"] = "An urgent answer cannot have longer than a standard one"
    if not 1 <= int(months) <= 12:
        errors["review_months"] = "Enter a number of months from 1 to 12"
    if errors:
        raise ValidationError(errors)
    values = {
        "name": name.strip(),
        "probation_party": probation_party.strip(),
        "probation_team_id": probation_team.pk,
        "police_team_id": police_team.pk,
        "starts_on": starts_on,
        "urgent_working_days": int(urgent),
        "standard_working_days": int(standard),
        "review_months": int(months),
        "closures": sorted({d.isoformat() for d in closures or []}),
    }
    Force.objects.select_for_update().filter(pk=force_id).first()  # the first, made once
    current = Agreement.objects.select_for_update().filter(force_id=force_id).first()
    if current is None:
        current = Agreement.objects.create(
            force_id=force_id,
            police_ladder=POLICE_LADDER,
            probation_ladder=PROBATION_LADDER,
            **values,
        )
        audit_record(
            actor=actor,
            action=AuditAction.COLLECTION,
            event="probation.agreement_made",
            obj=current,
            changes=field_changes({}, snapshot(current, AGREEMENT_FIELDS)),
        )
    else:
        before = snapshot(current, AGREEMENT_FIELDS)
        for field, value in values.items():
            setattr(current, field, value)
        diff = field_changes(before, snapshot(current, AGREEMENT_FIELDS))
        if not diff:
            return current
        current.version += 1
        current.save()
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            event="probation.agreement_changed",
            obj=current,
            changes=diff,
        )
    sync(current)
    return current


# --- exchanges -------------------------------------------------------------------------------


def _registration_by_reference(
    actor: User, side: str, reference: str, agreement_force: Any
) -> Registration | None:
    """The RSO an exchange is about, named by the register's reference both sides hold: for
    the police, among the records the officer may open; for probation, among the force's
    (a partner opens no record: the exchange shares the name and reference only)."""
    key = reference_key(reference)
    if not key:
        return None
    if side == "police":
        records = Registration.objects.visible_to(actor)
    else:  # the force's, less anyone's whose limited-access lists keep the partner out
        records = Registration.objects.filter(force_id=agreement_force)
        for source in hidden_persons(actor):
            records = records.exclude(nominal_id__in=source.values("pk"))
    for found in records.filter(register_reference__iexact=reference.strip()).select_related(
        "nominal", "team"
    ):
        if reference_key(found.register_reference) == key:
            return found
    return None


@atomic
def exchange_raise(
    *,
    actor: User,
    kind: str,
    priority: str,
    register_reference: str,
    summary: str,
    detail: str,
) -> Exchange:
    """An exchange raised by either side about an RSO, due from the other by the
    agreement's working days for its priority (bank holidays and the parties' closures
    skipped): one clock that both sides see."""
    force_id = _require(actor, "raise_exchange")
    agreement = agreement_of(force_id)
    if agreement is None:
        raise ValidationError(
            "The force has no agreement with the Probation Service yet: the head of public "
            "protection records it first"
        )
    side = side_of(actor, agreement)
    errors: dict[str, str] = {}
    if kind not in ExchangeKind.values:
        errors["kind"] = "Select what kind of exchange it is"
    if priority not in Priority.values:
        errors["priority"] = "Select the priority"
    registration = _registration_by_reference(actor, side, register_reference, force_id)
    if registration is None:
        errors["register_reference"] = (
            "Enter the register reference of an RSO of the force"
            if register_reference.strip()
            else "Enter the register reference of the RSO it is about"
        )
    elif side == "police" and _kept_from_probation(registration, agreement):
        errors["register_reference"] = (
            "This record has limited access that keeps the probation partners out: add them "
            "to its access list first, or share it another way"
        )
    if not summary.strip():
        errors["summary"] = "Enter what it is about, in a line"
    elif len(summary.strip()) > 200:
        errors["summary"] = "The summary must be 200 characters or fewer"
    if not detail.strip():
        errors["detail"] = "Enter what you are asking or telling the other side"
    if errors:
        raise ValidationError(errors)
    assert registration is not None
    raised_on = clock.today()
    made = Exchange.objects.create(
        force_id=force_id,
        agreement=agreement,
        direction=Direction.TO_POLICE if side == "probation" else Direction.TO_PROBATION,
        kind=kind,
        priority=priority,
        registration=registration,
        shared_as=f"{registration.nominal} ({registration.register_reference})"[:200],
        summary=summary.strip(),
        detail=detail.strip(),
        raised_by=actor,
        raised_on=raised_on,
        due_on=add_working_days(
            raised_on, agreement.working_days(priority), agreement.closure_days()
        ),
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="probation.exchange_raised",
        obj=made,
        person_id=registration.nominal_id,
        detail={"kind": kind, "priority": priority, "direction": made.direction},
    )
    sync(made)
    return made


def _kept_from_probation(registration: Registration, agreement: Agreement) -> bool:
    """Whether a probation partner of the agreement is kept out of the person's record (so
    an exchange about them could be seen, and answered, by no one on that side)."""
    partners = User.objects.filter(memberships__team_id=agreement.probation_team_id).distinct()
    return any(
        Nominal.objects.hidden_from(partner).filter(pk=registration.nominal_id).exists()
        for partner in partners
    )


@atomic
def exchange_answer(*, actor: User, exchange: Exchange, answer: str) -> Exchange:
    """The other side's answer: the exchange's obligation is met (late if after its due
    date), and any escalation of it settles."""
    _require(actor, "raise_exchange")
    current = Exchange.objects.select_for_update().select_related("agreement").get(pk=exchange.pk)
    if current.answered_on is not None:
        raise ConflictError(
            f"This was answered on {current.answered_on:%-d %B %Y}: reload the page to see it."
        )
    if side_of(actor, current.agreement) != current.answering_side:
        raise ValidationError(
            {"answer": f"This exchange is for {current.answering_side} to answer, not you"}
        )
    if not answer.strip():
        raise ValidationError({"answer": "Enter the answer"})
    current.answer = answer.strip()
    current.answered_on = clock.today()
    current.answered_by = actor
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="probation.exchange_answered",
        obj=current,
        person_id=current.registration.nominal_id,
        detail={"late": current.answered_on > current.due_on},
    )
    sync(current)
    return current


@atomic
def exchange_viewed(*, actor: User, exchange: Exchange) -> None:
    """An exchange opened: a consultation of the person it names."""
    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="probation.exchange_viewed",
        obj=exchange,
        person_id=exchange.registration.nominal_id,
    )


# --- joint reviews -----------------------------------------------------------------------------


@atomic
def review_record(
    *,
    actor: User,
    agreement: Agreement,
    held_on: date,
    period_from: date,
    period_to: date,
    attendees: str,
    notes: str = "",
    actions: list[dict[str, Any]] | None = None,
) -> JointReview:
    """A joint review, with the period's figures attached as they stand (answered in time
    each way, escalations, what the exchanges were about), and its actions with owners."""
    from vigil.probation.selectors import partnership_figures

    _require(actor, "record_joint_review")
    today = clock.today()
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = "The review's date must be today or in the past"
    if period_from > period_to:
        errors["period_from"] = "The period must start on or before it ends"
    elif period_to > held_on:
        errors["period_to"] = "The period must end on or before the review"
    if not attendees.strip():
        errors["attendees"] = "Enter who attended, from each side"
    checked: list[dict[str, str]] = []
    for n, item in enumerate(actions or [], start=1):
        what, owner, due = (
            str(item.get("action", "")).strip(),
            str(item.get("owner", "")).strip(),
            item.get("due_on"),
        )
        if not (what or owner or due):
            continue
        if not what or not owner or due is None:
            errors[f"action_{n}"] = f"Action {n}: enter what, who owns it and when it is due"
            continue
        checked.append({"action": what, "owner": owner, "due_on": str(due)})
    if len(checked) > MAX_ACTIONS:
        errors["actions"] = f"Record at most {MAX_ACTIONS} actions"
    if errors:
        raise ValidationError(errors)
    made = JointReview.objects.create(
        force_id=agreement.force_id,
        agreement=agreement,
        held_on=held_on,
        period_from=period_from,
        period_to=period_to,
        attendees=attendees.strip(),
        notes=notes.strip(),
        figures=partnership_figures(
            agreement=agreement, start=period_from, end=period_to, today=today
        ),
        actions=checked,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="probation.review_recorded",
        obj=made,
        detail={"period": [str(period_from), str(period_to)], "actions": len(checked)},
    )
    sync(Agreement.objects.get(pk=agreement.pk))
    return made
