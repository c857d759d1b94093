"""The investigation: allocation, the police action, the enforcement plan and the enforcement,
oversight of work owned elsewhere, each suspect's arrest decision, its ratification and outcome,
a child safeguarded, and closing the referral."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Team
from vigil.obligations.models import Obligation
from vigil.ocsea.models import (
    Allocation,
    ArrestDecision,
    Bail,
    ChildAtRisk,
    Enforcement,
    EnforcementOutcome,
    Outcome,
    OversightReview,
    Referral,
    ReferralStatus,
    ReviewKind,
    Suspect,
)
from vigil.ocsea.services._common import (
    INVESTIGATING_TEAMS,
    _audit,
    _choice,
    _lock_open,
    _not_before,
    _not_future,
    _people,
    _raise,
    _require,
    _saved,
    _sync_case,
)
from vigil.ocsea.services.entries import recorded_before

# --- Investigation ----------------------------------------------------------------------------


@atomic
def referral_allocate(
    *,
    actor: User,
    referral: Referral,
    team: Team,
    officer: User | None,
    reason: str = "",
    allocated_on: date | None = None,
) -> Allocation:
    """Allocates the investigation to a team and officer (the allocation history is kept).
    A team outside OCSEA keeps it under OCSEA oversight (R3)."""
    _require(actor, "oversee_investigations")
    referral = _lock_open(referral)
    allocated_on = allocated_on or clock.today()
    errors: dict[str, str] = {}
    if team.force_id != referral.force_id or team.kind not in INVESTIGATING_TEAMS:
        errors["team"] = "Choose an investigating team of the force (OCSEA, child abuse or local)"
    if officer is not None and not officer.memberships.filter(team=team).exists():
        errors["officer"] = f"Choose an officer of {team}"
    if officer is not None and not has_verb(officer, "investigate"):
        errors["officer"] = "Choose an officer who can investigate"
    elif (
        officer is not None
        and not Referral.objects.visible_to(officer).filter(pk=referral.pk).exists()
    ):
        errors["officer"] = (
            f"{officer} cannot see this referral (a suspect on it has limited access): choose "
            "an officer on its access lists, or ask for them to be added first"
        )
    _not_future(errors, "allocated_on", allocated_on, "allocation date")
    _not_before(
        errors,
        "allocated_on",
        allocated_on,
        clock.localdate(referral.received_at),
        "allocation date",
    )
    if referral.team_id == team.pk and referral.officer_id == (officer.pk if officer else None):
        errors["officer"] = "The investigation is already allocated to them"
    last = referral.allocations.order_by("-allocated_on").first()
    if last is not None:
        _not_before(errors, "allocated_on", allocated_on, last.allocated_on, "allocation date")
    _raise(errors)
    allocation = Allocation.objects.create(
        force_id=referral.force_id,
        referral=referral,
        team=team,
        officer=officer,
        allocated_on=allocated_on,
        allocated_by=actor,
        reason=reason.strip(),
    )
    before = recorded_before(referral, "ocsea.investigation_allocated")
    referral.team, referral.officer, referral.allocated_on = team, officer, allocated_on
    referral.status = ReferralStatus.INVESTIGATING
    _saved(referral, ["team", "officer", "allocated_on", "status"])
    _audit(actor, referral, "ocsea.investigation_allocated", _people(referral), before=before)
    _sync_case(referral)
    return allocation


@atomic
def action_record(
    *, actor: User, referral: Referral, actioned_on: date, action_taken: str
) -> Referral:
    """The first police action on the referral: meets the band's action clock."""
    _require(actor, "investigate", "triage_referral")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    if referral.actioned_on is not None:
        errors["actioned_on"] = f"Action was recorded on {referral.actioned_on:%-d %b %Y}"
    _not_future(errors, "actioned_on", actioned_on, "date of the action")
    _not_before(
        errors,
        "actioned_on",
        actioned_on,
        clock.localdate(referral.received_at),
        "date of the action",
    )
    if not action_taken.strip():
        errors["action_taken"] = "Enter what action was taken"
    _raise(errors)
    referral.actioned_on, referral.action_taken = actioned_on, action_taken.strip()
    _saved(referral, ["actioned_on", "action_taken"])
    _audit(actor, referral, "ocsea.action_recorded", _people(referral))
    _sync_case(referral)
    return referral


@atomic
def enforcement_plan(*, actor: User, referral: Referral, planned_on: date | None) -> Referral:
    """Plans (or clears) the enforcement date: a risk review falls due within the policy's
    days before it, and an arrest decision for every suspect by then."""
    _require(actor, "investigate")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    _not_before(
        errors, "planned_on", planned_on, clock.localdate(referral.received_at), "planned date"
    )
    _raise(errors)
    before = recorded_before(referral, "ocsea.enforcement_planned")
    referral.planned_enforcement_on = planned_on
    _saved(referral, ["planned_enforcement_on"])
    _audit(actor, referral, "ocsea.enforcement_planned", _people(referral), before=before)
    _sync_case(referral)
    return referral


@atomic
def oversight_review_record(
    *, actor: User, referral: Referral, reviewed_on: date, notes: str
) -> OversightReview:
    """An OCSEA supervisor's oversight of an investigation another team owns (R3)."""
    _require(actor, "oversee_investigations")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    if not referral.owned_elsewhere:
        errors["notes"] = "An OCSEA team owns this investigation: oversight reviews are for others"
    _not_future(errors, "reviewed_on", reviewed_on, "review date")
    if not notes.strip():
        errors["notes"] = errors.get("notes") or "Enter the oversight and any direction given"
    _raise(errors)
    review = OversightReview.objects.create(
        force_id=referral.force_id,
        referral=referral,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        notes=notes.strip(),
    )
    _audit(actor, review, "ocsea.oversight_reviewed", _people(referral))
    _sync_case(referral)
    return review


@atomic
def enforcement_record(
    *,
    actor: User,
    referral: Referral,
    enforced_on: date,
    outcome: str,
    warrant: bool = True,
    warrant_reference: str = "",
    devices_seized: int = 0,
    children_safeguarded: int = 0,
    family_present: bool = False,
    notes: str = "",
) -> Enforcement:
    _require(actor, "investigate")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    _not_future(errors, "enforced_on", enforced_on, "enforcement date")
    _not_before(
        errors,
        "enforced_on",
        enforced_on,
        clock.localdate(referral.received_at),
        "enforcement date",
    )
    _choice(errors, "outcome", outcome, EnforcementOutcome, "what happened")
    if warrant and not warrant_reference.strip():
        errors["warrant_reference"] = "Enter the warrant's reference"
    if devices_seized < 0:
        errors["devices_seized"] = "Enter a number of devices of 0 or more"
    if children_safeguarded < 0:
        errors["children_safeguarded"] = "Enter a number of children of 0 or more"
    _raise(errors)
    enforcement = Enforcement.objects.create(
        force_id=referral.force_id,
        referral=referral,
        enforced_on=enforced_on,
        warrant=warrant,
        warrant_reference=warrant_reference.strip() if warrant else "",
        outcome=outcome,
        devices_seized=devices_seized,
        children_safeguarded=children_safeguarded,
        family_present=family_present,
        notes=notes.strip(),
        recorded_by=actor,
    )
    referral.planned_enforcement_on = None  # carried out (on the day planned or not)
    if referral.status in (ReferralStatus.RECEIVED, ReferralStatus.TRIAGED):
        referral.status = ReferralStatus.INVESTIGATING
    _saved(referral, ["planned_enforcement_on", "status"])
    _audit(actor, enforcement, "ocsea.enforcement_recorded", _people(referral))
    _sync_case(referral)
    return enforcement


def _suspect_locked(suspect: Suspect) -> tuple[Suspect, Referral]:
    referral = _lock_open(suspect.referral)
    locked = Suspect.objects.select_for_update().get(pk=suspect.pk)
    return Suspect.objects.select_related("nominal").get(pk=locked.pk), referral


def _check_version(record: Any, expected: int | None) -> None:
    """The version the user's form was built from must still be the stored one: a decision
    made on a stale page never silently replaces a colleague's."""
    if expected is not None and expected != record.version:
        raise ConflictError("Someone else changed this record. Reload it and try again.")


@atomic
def arrest_decision_record(
    *,
    actor: User,
    suspect: Suspect,
    decision: str,
    decided_on: date,
    rationale: str = "",
    expected_version: int | None = None,
) -> Suspect:
    """Records whether the suspect was arrested (R5): for an arrest, `decided_on` is the date
    of arrest. A decision not to arrest needs a rationale and a supervisor's ratification; a
    new decision replaces the last (a supervisor who does not ratify records the decision
    they direct)."""
    _require(actor, "investigate")
    suspect, referral = _suspect_locked(suspect)
    _check_version(suspect, expected_version)
    errors: dict[str, str] = {}
    if decision not in (ArrestDecision.ARRESTED, ArrestDecision.NOT_ARRESTED):
        errors["decision"] = "Select whether the suspect was arrested"
    _not_future(errors, "decided_on", decided_on, "decision date")
    received = clock.localdate(referral.received_at)
    _not_before(errors, "decided_on", decided_on, received, "decision date")
    if decision == ArrestDecision.NOT_ARRESTED and not rationale.strip():
        errors["rationale"] = "Enter why the suspect was not arrested"
    _raise(errors)
    before = recorded_before(suspect, "ocsea.arrest_decided")
    suspect.arrest_decision = decision
    suspect.arrest_decisions += 1
    suspect.arrest_decided_on = decided_on
    suspect.arrest_decided_by = actor
    suspect.arrest_rationale = rationale.strip()
    suspect.ratified_on, suspect.ratified_by, suspect.ratification_note = None, None, ""
    _saved(
        suspect,
        [
            "arrest_decision",
            "arrest_decisions",
            "arrest_decided_on",
            "arrest_decided_by",
            "arrest_rationale",
            "ratified_on",
            "ratified_by",
            "ratification_note",
        ],
    )
    _audit(actor, suspect, "ocsea.arrest_decided", suspect.nominal_id, before=before)
    _sync_case(referral)
    return suspect


@atomic
def arrest_ratify(
    *, actor: User, suspect: Suspect, note: str, ratified_on: date | None = None
) -> Suspect:
    """A supervisor ratifies a decision not to arrest (R5), on the day it was ratified (today
    unless given: a ratification made earlier and recorded late keeps its own date)."""
    _require(actor, "oversee_investigations")
    suspect, referral = _suspect_locked(suspect)
    ratified_on = ratified_on or clock.today()
    errors: dict[str, str] = {}
    if suspect.arrest_decision != ArrestDecision.NOT_ARRESTED:
        errors["note"] = "Only a decision not to arrest is ratified"
    elif suspect.ratified_on is not None:
        errors["note"] = f"This decision was ratified on {suspect.ratified_on:%-d %b %Y}"
    elif suspect.arrest_decided_by_id == actor.pk:
        errors["note"] = "Another supervisor must ratify a decision you made"
    if not note.strip():
        errors["note"] = errors.get("note") or "Enter why you ratify the decision"
    _not_future(errors, "ratified_on", ratified_on, "date of ratification")
    decided = suspect.arrest_decided_on
    if decided is not None and ratified_on < decided and "ratified_on" not in errors:
        errors["ratified_on"] = (
            f"The date of ratification must be on or after {decided:%-d %b %Y}, "
            "the day of the decision it ratifies"
        )
    _raise(errors)
    suspect.ratified_on, suspect.ratified_by = ratified_on, actor
    suspect.ratification_note = note.strip()
    _saved(suspect, ["ratified_on", "ratified_by", "ratification_note"])
    _audit(
        actor, suspect, "ocsea.non_arrest_ratified", suspect.nominal_id, justification=note.strip()
    )
    _sync_case(referral)
    return suspect


@atomic
def outcome_record(
    *,
    actor: User,
    suspect: Suspect,
    outcome: str,
    outcome_on: date,
    detail: str = "",
    expected_version: int | None = None,
) -> Suspect:
    _require(actor, "investigate")
    suspect, referral = _suspect_locked(suspect)
    _check_version(suspect, expected_version)
    errors: dict[str, str] = {}
    if outcome not in Outcome.values or outcome == Outcome.NONE:
        errors["outcome"] = "Select the outcome"
    _not_future(errors, "outcome_on", outcome_on, "outcome date")
    _not_before(
        errors, "outcome_on", outcome_on, clock.localdate(referral.received_at), "outcome date"
    )
    if outcome == Outcome.OTHER and not detail.strip():
        errors["detail"] = "Describe the outcome"
    _raise(errors)
    before = recorded_before(suspect, "ocsea.outcome_recorded")
    suspect.outcome, suspect.outcome_on, suspect.outcome_detail = (
        outcome,
        outcome_on,
        detail.strip(),
    )
    _saved(suspect, ["outcome", "outcome_on", "outcome_detail"])
    _audit(actor, suspect, "ocsea.outcome_recorded", suspect.nominal_id, before=before)
    _sync_case(referral)
    return suspect


def _closing_problems(referral: Referral, closed_on: date) -> list[str]:
    """What stops a referral closing: it must be triaged; every suspect needs an outcome; no
    bail open; no arrest decision, ratification or family support outstanding; and no work
    overdue (done late, or waived by a supervisor with the reason): closing never hides late
    work. Work not yet due closes with the referral."""
    problems = []
    if not referral.reviews.filter(kind=ReviewKind.TRIAGE).exists():
        problems.append("Triage the referral with an instrument first")
    waiting = [str(s) for s in referral.suspects.select_related("nominal") if not s.outcome]
    if waiting:
        problems.append("Record an outcome for " + ", ".join(waiting) + " first")
    if Bail.objects.filter(suspect__referral=referral, ended_on__isnull=True).exists():
        problems.append("End every open bail or release under investigation first")
    bails = list(Bail.objects.filter(suspect__referral=referral).values_list("pk", flat=True))
    open_work = Obligation.objects.open().filter(
        models.Q(subject_type="ocsea.referral", subject_id=referral.pk)
        | models.Q(subject_type="ocsea.bail", subject_id__in=bails)
    )
    must_do = open_work.filter(
        models.Q(kind__in=("ocsea.arrest", "ocsea.family")) | models.Q(due_date__lt=closed_on)
    ).order_by("due_date")
    for obligation in must_do[:3]:
        problems.append(
            f"{obligation.label} (due {obligation.due_date:%-d %b %Y}) is outstanding: record "
            "it, or ask a supervisor to waive it with the reason"
        )
    return problems


@atomic
def referral_close(*, actor: User, referral: Referral, closed_on: date, note: str) -> Referral:
    """Closes the referral once every suspect has an outcome and no bail is open. Open clocks
    close with it (withdrawn); work already late stays on record as late."""
    _require(actor, "investigate", "oversee_investigations")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    for problem in _closing_problems(referral, closed_on):
        errors["closed_on"] = problem
        break
    _not_future(errors, "closed_on", closed_on, "closing date")
    if not note.strip():
        errors["note"] = "Enter a closing note"
    _raise(errors)
    referral.status, referral.closed_on, referral.closure_note = (
        ReferralStatus.CLOSED,
        closed_on,
        note.strip(),
    )
    _saved(referral, ["status", "closed_on", "closure_note"])
    _audit(actor, referral, "ocsea.referral_closed", _people(referral))
    _sync_case(referral)
    return referral


@atomic
def child_safeguarded(*, actor: User, child: ChildAtRisk, safeguarded_on: date) -> ChildAtRisk:
    _require(actor, "investigate")
    referral = _lock_open(child.referral)
    child = ChildAtRisk.objects.select_for_update().get(pk=child.pk)
    errors: dict[str, str] = {}
    if child.safeguarded_on is not None:
        errors["safeguarded_on"] = f"Recorded as safeguarded on {child.safeguarded_on:%-d %b %Y}"
    _not_future(errors, "safeguarded_on", safeguarded_on, "date")
    _not_before(
        errors, "safeguarded_on", safeguarded_on, clock.localdate(referral.received_at), "date"
    )
    _raise(errors)
    child.safeguarded_on = safeguarded_on
    _saved(child, ["safeguarded_on"])
    _audit(actor, child, "ocsea.child_safeguarded", _people(referral))
    return child
