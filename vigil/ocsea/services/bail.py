"""Pre-charge bail and release under investigation: beginning, conditions and their checks,
breaches, extensions and court decisions, ending, re-bail from release, and release reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.core.models import Area
from vigil.obligations.sync import sync
from vigil.ocsea import bail as bail_clock
from vigil.ocsea.models import (
    ArrestDecision,
    Bail,
    BailCondition,
    BailEnd,
    BailExtension,
    BailKind,
    CheckMethod,
    CheckResult,
    ConditionCheck,
    ConditionKind,
    ExtensionStage,
    Outcome,
    Rank,
    Referral,
    RuiReview,
    Suspect,
    VictimViews,
)
from vigil.ocsea.selectors import rebail_clock
from vigil.ocsea.services._common import (
    _audit,
    _choice,
    _lock_open,
    _not_before,
    _not_future,
    _raise,
    _require,
    _saved,
    _sync_case,
)
from vigil.ocsea.services.entries import recorded_before
from vigil.ocsea.services.investigation import (
    _suspect_locked,
)
from vigil.policy.pack import active as active_policy

# --- Bail -------------------------------------------------------------------------------------


def _bail_locked(bail: Bail, *, ended_too: bool = False) -> tuple[Bail, Referral]:
    """The bail locked for a write: refused once it has ended, unless the write completes
    work it left behind (`ended_too`: the action on a breach found while it ran)."""
    referral = _lock_open(bail.suspect.referral)
    current = Bail.objects.select_for_update().select_related("suspect").get(pk=bail.pk)
    if current.ended_on is not None and not ended_too:
        raise ValidationError(
            f"This {current.get_kind_display().lower()} ended on {current.ended_on:%-d %b %Y}"
        )
    return current, referral


def _current_period(bail: Bail) -> bail_clock.Period:
    return bail_clock.periods(
        bail.start_date, bail.designated, bail.clock_extensions(), active_policy()
    )[-1]


@dataclass
class ConditionDetails:
    kind: str
    text: str
    victims_views: str
    protects: str = ""


def _condition_errors(errors: dict[str, str], details: ConditionDetails, prefix: str = "") -> None:
    _choice(errors, f"{prefix}kind", details.kind, ConditionKind, "the kind of condition")
    if not details.text.strip():
        errors[f"{prefix}text"] = "Enter the condition as imposed"
    _choice(
        errors,
        f"{prefix}victims_views",
        details.victims_views,
        VictimViews,
        "whether victims' views were sought",
    )


@atomic
def bail_begin(
    *,
    actor: User,
    suspect: Suspect,
    kind: str,
    area: Area,
    released_on: date | None = None,
    designated: bool = False,
    conditions: list[ConditionDetails] | None = None,
) -> Bail:
    """Bails an arrested suspect (the bail start date is the day after the arrest) or releases
    them under investigation (from `released_on`; no conditions, no statutory clock)."""
    _require(actor, "investigate")
    suspect, referral = _suspect_locked(suspect)
    errors: dict[str, str] = {}
    _choice(errors, "kind", kind, BailKind, "bail or release under investigation")
    if suspect.arrest_decision != ArrestDecision.ARRESTED or suspect.arrest_decided_on is None:
        errors["kind"] = "Record the suspect's arrest first"
    if Bail.objects.filter(suspect=suspect, ended_on__isnull=True).exists():
        errors["kind"] = "The suspect is already on bail or released under investigation"
    if area.force_id != referral.force_id:
        errors["area"] = "Choose a local policing area of the force"
    conditions = conditions or []
    if kind == BailKind.RUI:
        if conditions:
            errors["conditions"] = "A release under investigation has no conditions"
        if released_on is None:
            errors["released_on"] = "Enter the date of release"
        _not_future(errors, "released_on", released_on, "date of release")
        if suspect.arrest_decided_on is not None:
            _not_before(
                errors, "released_on", released_on, suspect.arrest_decided_on, "date of release"
            )
    for i, details in enumerate(conditions):
        _condition_errors(errors, details, f"condition_{i}_")
    _raise(errors)
    assert suspect.arrest_decided_on is not None
    if kind == BailKind.BAIL:
        start = bail_clock.bail_start(suspect.arrest_decided_on)
    else:
        assert released_on is not None
        start = released_on
    bail = Bail.objects.create(
        force_id=referral.force_id,
        suspect=suspect,
        kind=kind,
        arrested_on=suspect.arrest_decided_on,
        start_date=start,
        designated=designated and kind == BailKind.BAIL,
        area=area,
        recorded_by=actor,
    )
    _audit(actor, bail, "ocsea.bail_started", suspect.nominal_id)
    for details in conditions:
        _condition_create(actor, bail, details, start)
    sync(bail)
    return bail


def _condition_create(
    actor: User, bail: Bail, details: ConditionDetails, on: date
) -> BailCondition:
    condition = BailCondition.objects.create(
        force_id=bail.force_id,
        bail=bail,
        kind=details.kind,
        text=details.text.strip(),
        protects=details.protects.strip(),
        victims_views=details.victims_views,
        imposed_on=on,
    )
    _audit(actor, condition, "ocsea.bail_condition_imposed", bail.suspect.nominal_id)
    return condition


@atomic
def bail_condition_add(
    *, actor: User, bail: Bail, details: ConditionDetails, imposed_on: date
) -> BailCondition:
    _require(actor, "investigate")
    bail, _ = _bail_locked(bail)
    errors: dict[str, str] = {}
    if bail.kind != BailKind.BAIL:
        errors["kind"] = "A release under investigation has no conditions"
    _condition_errors(errors, details)
    _not_future(errors, "imposed_on", imposed_on, "date imposed")
    earliest = bail.rebailed_on or bail.start_date - timedelta(days=1)
    _not_before(errors, "imposed_on", imposed_on, earliest, "date")
    _raise(errors)
    condition = _condition_create(actor, bail, details, imposed_on)
    sync(bail)
    return condition


@atomic
def bail_condition_remove(
    *, actor: User, condition: BailCondition, removed_on: date
) -> BailCondition:
    _require(actor, "investigate")
    bail, _ = _bail_locked(condition.bail)
    condition = BailCondition.objects.select_for_update().get(pk=condition.pk)
    errors: dict[str, str] = {}
    if condition.removed_on is not None:
        errors["removed_on"] = f"This condition was removed on {condition.removed_on:%-d %b %Y}"
    _not_future(errors, "removed_on", removed_on, "date removed")
    _not_before(errors, "removed_on", removed_on, condition.imposed_on, "date removed")
    _raise(errors)
    condition.removed_on = removed_on
    _saved(condition, ["removed_on"])
    _audit(actor, condition, "ocsea.bail_condition_removed", bail.suspect.nominal_id)
    sync(bail)
    return condition


@atomic
def condition_check_record(
    *,
    actor: User,
    bail: Bail,
    checked_on: date,
    method: str,
    result: str,
    notes: str = "",
) -> ConditionCheck:
    """A proactive check of the bail conditions (R6); a breach found raises an action."""
    _require(actor, "investigate")
    bail, _ = _bail_locked(bail)
    errors: dict[str, str] = {}
    if bail.kind != BailKind.BAIL or not bail.conditions.exists():
        errors["checked_on"] = "This suspect has no bail conditions to check"
    _not_future(errors, "checked_on", checked_on, "date of the check")
    _not_before(errors, "checked_on", checked_on, bail.in_force_from, "date of the check")
    _choice(errors, "method", method, CheckMethod, "how the conditions were checked")
    _choice(errors, "result", result, CheckResult, "what the check found")
    if result == CheckResult.BREACH and not notes.strip():
        errors["notes"] = "Describe the breach"
    _raise(errors)
    check = ConditionCheck.objects.create(
        force_id=bail.force_id,
        bail=bail,
        checked_on=checked_on,
        method=method,
        result=result,
        officer=actor,
        notes=notes.strip(),
    )
    _audit(actor, check, "ocsea.bail_conditions_checked", bail.suspect.nominal_id)
    sync(bail)
    return check


@atomic
def breach_action_record(
    *, actor: User, check: ConditionCheck, actioned_on: date, action: str
) -> ConditionCheck:
    _require(actor, "investigate")
    bail, _ = _bail_locked(check.bail, ended_too=True)
    check = ConditionCheck.objects.select_for_update().get(pk=check.pk)
    errors: dict[str, str] = {}
    if check.result != CheckResult.BREACH:
        errors["action"] = "This check found no breach"
    elif check.breach_actioned_on is not None:
        errors["action"] = f"Action was recorded on {check.breach_actioned_on:%-d %b %Y}"
    _not_future(errors, "actioned_on", actioned_on, "date of the action")
    _not_before(errors, "actioned_on", actioned_on, check.checked_on, "date of the action")
    if not action.strip():
        errors["action"] = errors.get("action") or "Enter the action taken on the breach"
    _raise(errors)
    check.breach_actioned_on, check.breach_action = actioned_on, action.strip()
    _saved(check, ["breach_actioned_on", "breach_action"])
    _audit(actor, check, "ocsea.bail_breach_actioned", bail.suspect.nominal_id)
    sync(bail)
    return check


@dataclass
class ExtensionDetails:
    stage: str
    authorised_on: date
    authoriser_name: str = ""
    authoriser_rank: str = ""
    grounds_to_suspect: bool = False
    further_time_needed: bool = False
    diligent_and_expeditious: bool = False
    bail_necessary_and_proportionate: bool = False
    court_order_reference: str = ""
    court_end_date: date | None = None


EXTENSION_CONDITIONS = {
    "grounds_to_suspect": "there are reasonable grounds to suspect the person of the offence",
    "further_time_needed": "further time is needed for the investigation",
    "diligent_and_expeditious": "the investigation is being conducted diligently and expeditiously",
    "bail_necessary_and_proportionate": "bail is still necessary and proportionate",
}


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def _extension_errors(bail: Bail, details: ExtensionDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    period = _current_period(bail)
    pending = [e for e in bail.clock_extensions() if e.court_pending]
    expected = bail_clock.next_stage(period.stage, bail.designated)
    if bail.kind != BailKind.BAIL:
        errors["stage"] = "A release under investigation is not extended"
    elif pending:
        errors["stage"] = "A court application is awaiting the court's decision"
    elif details.stage not in ExtensionStage.values:
        errors["stage"] = "Select the extension"
    elif details.stage != expected:
        want = ExtensionStage(expected).label.lower() if expected else "none"
        errors["stage"] = f"The next extension of this bail is the {want}"
    _not_future(errors, "authorised_on", details.authorised_on, "date of authorisation")
    _not_before(errors, "authorised_on", details.authorised_on, bail.in_force_from, "date")
    if period.end is not None and details.authorised_on > period.end:
        errors["authorised_on"] = (
            f"The bail period ended on {period.end:%-d %b %Y}: it can no longer be extended"
        )
    if details.stage in (ExtensionStage.INSPECTOR, ExtensionStage.SUPERINTENDENT):
        if not details.authoriser_name.strip():
            errors["authoriser_name"] = "Enter the name of the officer who authorised it"
        if details.authoriser_rank not in Rank.values:
            errors["authoriser_rank"] = "Select the authorising officer's rank"
        elif not bail_clock.rank_allows(details.authoriser_rank, details.stage):
            needed = _a(bail_clock.STAGE_RANK[ExtensionStage(details.stage)].label.lower())
            errors["authoriser_rank"] = (
                f"{_a(Rank(details.authoriser_rank).label.lower()).capitalize()} cannot "
                f"authorise this extension: it needs {needed} or above"
            )
        for name, wording in EXTENSION_CONDITIONS.items():
            if not getattr(details, name):
                errors[name] = f"Confirm that {wording}"
    elif details.stage == ExtensionStage.COURT:
        if not details.court_order_reference.strip():
            errors["court_order_reference"] = "Enter the court's reference for the application"
        end = details.court_end_date
        if end is not None and period.end is not None and end <= period.end:
            errors["court_end_date"] = f"The court's end date must be after {period.end:%-d %b %Y}"
    return errors


@atomic
def bail_extend(*, actor: User, bail: Bail, details: ExtensionDetails) -> BailExtension:
    """Extends the applicable bail period: to 6 months by an inspector or above (s.47ZD), to 9
    months by a superintendent or above (s.47ZDA), then only by a magistrates' court (with its
    order's end date; an application made in time without an order yet keeps the period
    running, s.47ZJ). An authority of too low a rank is refused, naming the rank needed."""
    _require(actor, "investigate")
    bail, _ = _bail_locked(bail)
    _raise(_extension_errors(bail, details))
    court = details.stage == ExtensionStage.COURT
    extension = BailExtension.objects.create(
        force_id=bail.force_id,
        bail=bail,
        stage=details.stage,
        authorised_on=details.authorised_on,
        authoriser_name="" if court else details.authoriser_name.strip(),
        authoriser_rank="" if court else details.authoriser_rank,
        grounds_to_suspect=details.grounds_to_suspect,
        further_time_needed=details.further_time_needed,
        diligent_and_expeditious=details.diligent_and_expeditious,
        bail_necessary_and_proportionate=details.bail_necessary_and_proportionate,
        court_order_reference=details.court_order_reference.strip() if court else "",
        court_end_date=details.court_end_date if court else None,
        court_decided_on=details.authorised_on if court and details.court_end_date else None,
        recorded_by=actor,
    )
    _audit(actor, extension, "ocsea.bail_extended", bail.suspect.nominal_id)
    sync(bail)
    return extension


@atomic
def court_decision_record(
    *,
    actor: User,
    extension: BailExtension,
    decided_on: date,
    end_date: date | None,
) -> BailExtension:
    """The court's decision on a pending application: the order's end date, or refusal
    (`end_date` None), after which the period has run out and a decision to charge, take no
    further action or release under investigation is due at once."""
    _require(actor, "investigate")
    bail, _ = _bail_locked(extension.bail)
    extension = BailExtension.objects.select_for_update().get(pk=extension.pk)
    errors: dict[str, str] = {}
    if not extension.court_pending:
        errors["decided_on"] = "This application has been decided"
    _not_future(errors, "decided_on", decided_on, "date of the decision")
    _not_before(errors, "decided_on", decided_on, extension.authorised_on, "date of the decision")
    previous = bail_clock.periods(
        bail.start_date,
        bail.designated,
        [e for e in bail.clock_extensions() if e.pk != extension.pk],
        active_policy(),
    )[-1]
    if end_date is not None and previous.end is not None and end_date <= previous.end:
        errors["end_date"] = f"The court's end date must be after {previous.end:%-d %b %Y}"
    _raise(errors)
    extension.court_decided_on, extension.court_end_date = decided_on, end_date
    extension.court_refused = end_date is None
    _saved(extension, ["court_decided_on", "court_end_date", "court_refused"])
    _audit(actor, extension, "ocsea.bail_court_decided", bail.suspect.nominal_id)
    sync(bail)
    return extension


def _pending_court_errors(errors: dict[str, str], field: str, bail: Bail) -> None:
    """A court application still awaiting the court decides the bail's period: it is
    recorded before the suspect leaves that bail for release under investigation (or is
    bailed from it), so the clock a later bail continues is never left undecided."""
    pending = [e for e in bail.clock_extensions() if e.court_pending]
    if pending:
        errors[field] = (
            f"The application to the court made on {pending[0].authorised_on:%-d %b %Y} "
            "awaits its decision: record the court's decision first"
        )


def _charged_outcome_errors(errors: dict[str, str], suspect: Suspect) -> None:
    """Ending a bail as charged records the suspect's outcome as charged: refused while
    another outcome is recorded (it would contradict it; correct the outcome first)."""
    if suspect.outcome and suspect.outcome != Outcome.CHARGED and "reason" not in errors:
        errors["reason"] = (
            f"{suspect.nominal}'s outcome is recorded as "
            f"{Outcome(suspect.outcome).label.lower()} ({suspect.outcome_on:%-d %b %Y}): "
            "if they were charged, record that outcome first"
        )


def _charge(actor: User, suspect: Suspect, on: date, detail: str) -> bool:
    """Records the outcome `charged` on the day the bail ended, unless it is recorded
    already (then it stands as recorded). True when it was recorded now."""
    if suspect.outcome == Outcome.CHARGED:
        return False
    fields = ("outcome", "outcome_on", "outcome_detail")
    before = recorded_before(suspect, "ocsea.outcome_recorded")
    suspect.outcome, suspect.outcome_on, suspect.outcome_detail = Outcome.CHARGED, on, detail
    _saved(suspect, list(fields))
    _audit(actor, suspect, "ocsea.outcome_recorded", suspect.nominal_id, before=before)
    return True


@atomic
def bail_end(*, actor: User, bail: Bail, ended_on: date, reason: str, note: str = "") -> Bail:
    """Ends a bail or a release under investigation: charged (which records the suspect's
    outcome as charged, in the same transaction, unless it is recorded already), no further
    action, released under investigation (which starts one, with its review date), or other.
    A suspect released under investigation is bailed with `bail_from_rui`, which ends the
    release and carries the clock on (ADR 13)."""
    _require(actor, "investigate")
    bail, referral = _bail_locked(bail)
    suspect = Suspect.objects.select_for_update().select_related("nominal").get(pk=bail.suspect_id)
    errors: dict[str, str] = {}
    _choice(errors, "reason", reason, BailEnd, "how it ended")
    if reason == BailEnd.RUI and bail.kind == BailKind.RUI:
        errors["reason"] = "The suspect is already released under investigation"
    if reason == BailEnd.BAILED and bail.kind == BailKind.BAIL:
        errors["reason"] = "The suspect is already on bail"
    elif reason == BailEnd.BAILED:
        errors["reason"] = (
            "Record the bail with 'Bail from release under investigation': it ends the "
            "release and keeps the bail clock running from the arrest"
        )
    if reason == BailEnd.CHARGED:
        _charged_outcome_errors(errors, suspect)
    if reason == BailEnd.RUI:
        _pending_court_errors(errors, "reason", bail)
    _not_future(errors, "ended_on", ended_on, "date")
    earliest = bail.rebailed_on or bail.start_date - timedelta(days=1)
    _not_before(errors, "ended_on", ended_on, earliest, "date")
    if reason == BailEnd.OTHER and not note.strip():
        errors["note"] = "Describe how it ended"
    _raise(errors)
    bail.ended_on, bail.end_reason, bail.ended_by, bail.end_note = (
        ended_on,
        reason,
        actor,
        note.strip(),
    )
    _saved(bail, ["ended_on", "end_reason", "ended_by", "end_note"])
    _audit(actor, bail, "ocsea.bail_ended", bail.suspect.nominal_id)
    if reason == BailEnd.CHARGED and _charge(actor, suspect, ended_on, note.strip()):
        _sync_case(referral)  # the outcome is the referral's too
    else:
        sync(bail)
    if reason == BailEnd.RUI:
        rui = Bail.objects.create(
            force_id=bail.force_id,
            suspect=bail.suspect,
            kind=BailKind.RUI,
            arrested_on=bail.arrested_on,
            start_date=ended_on,
            area=bail.area,
            recorded_by=actor,
        )
        _audit(actor, rui, "ocsea.bail_started", bail.suspect.nominal_id)
        sync(rui)
    return bail


@atomic
def bail_from_rui(
    *,
    actor: User,
    rui: Bail,
    bailed_on: date,
    area: Area | None = None,
    rearrested_on: date | None = None,
    designated: bool = False,
    conditions: list[ConditionDetails] | None = None,
    note: str = "",
) -> Bail:
    """Bails a suspect released under investigation (pre-charge bail under PACE Part IV, on
    `bailed_on`, after a fresh arrest or attendance for the same offence): ends the release
    (its reviews end with it) and starts a bail whose clock continues from the arrest the
    release followed. The bail start date stays the day after that arrest (s.47ZB(4)(a)):
    time released under investigation counts, extensions already granted after the arrest
    stand, and a re-arrest for the same offence (`rearrested_on`) does not move it. Refused
    when the applicable bail period has already ended (ADR 13)."""
    _require(actor, "investigate")
    rui, referral = _bail_locked(rui)
    if rui.kind != BailKind.RUI:
        raise ValidationError(
            "This is a pre-charge bail: only a suspect released under investigation is bailed "
            "from release"
        )
    area = area or rui.area
    conditions = conditions or []
    errors: dict[str, str] = {}
    if area.force_id != referral.force_id:
        errors["area"] = "Choose a local policing area of the force"
    _not_future(errors, "bailed_on", bailed_on, "date of release on bail")
    _not_before(errors, "bailed_on", bailed_on, rui.start_date, "date of release on bail")
    if rearrested_on is not None:
        _not_future(errors, "rearrested_on", rearrested_on, "date of the arrest")
        _not_before(errors, "rearrested_on", rearrested_on, rui.start_date, "date of the arrest")
        if rearrested_on > bailed_on and "rearrested_on" not in errors:
            errors["rearrested_on"] = "The arrest must be on or before the day of release on bail"
    for i, details in enumerate(conditions):
        _condition_errors(errors, details, f"condition_{i}_")
    continued = rebail_clock(rui, active_policy(), designated=designated)
    if continued is None:
        errors["bailed_on"] = "Record the arrest the release followed first"
    else:
        earlier = (
            rui.continues
            or Bail.objects.filter(
                suspect_id=rui.suspect_id, kind=BailKind.BAIL, arrested_on=rui.arrested_on
            )
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            _pending_court_errors(errors, "bailed_on", earlier)
    _raise(errors)
    assert continued is not None
    if continued.end is not None and bailed_on > continued.end:
        raise ValidationError(
            {
                "bailed_on": (
                    "The applicable bail period for the arrest on "
                    f"{continued.arrested_on:%-d %b %Y} ended on {continued.end:%-d %b %Y}: the "
                    "bail start date stays the day after the arrest (PACE s.47ZB(4)(a)) and "
                    "time released under investigation counts, so pre-charge bail can no "
                    "longer be given for it"
                )
            }
        )
    rui.ended_on, rui.end_reason, rui.ended_by, rui.end_note = (
        bailed_on,
        BailEnd.BAILED,
        actor,
        note.strip(),
    )
    _saved(rui, ["ended_on", "end_reason", "ended_by", "end_note"])
    person = rui.suspect.nominal_id
    _audit(actor, rui, "ocsea.bail_ended", person)
    bail = Bail.objects.create(
        force_id=rui.force_id,
        suspect=rui.suspect,
        kind=BailKind.BAIL,
        arrested_on=continued.arrested_on,
        start_date=continued.start,
        designated=continued.designated,
        area=area,
        recorded_by=actor,
        continues=rui,
        rebailed_on=bailed_on,
        rearrested_on=rearrested_on,
    )
    _audit(actor, bail, "ocsea.bail_started", person)
    for details in conditions:
        _condition_create(actor, bail, details, bailed_on)
    sync(rui)
    sync(bail)
    return bail


@atomic
def rui_review_record(*, actor: User, bail: Bail, reviewed_on: date, notes: str) -> RuiReview:
    _require(actor, "investigate")
    bail, _ = _bail_locked(bail)
    errors: dict[str, str] = {}
    if bail.kind != BailKind.RUI:
        errors["reviewed_on"] = "Only a release under investigation has these reviews"
    _not_future(errors, "reviewed_on", reviewed_on, "review date")
    _not_before(errors, "reviewed_on", reviewed_on, bail.start_date, "review date")
    if not notes.strip():
        errors["notes"] = "Enter what the review found"
    _raise(errors)
    review = RuiReview.objects.create(
        force_id=bail.force_id,
        bail=bail,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        notes=notes.strip(),
    )
    _audit(actor, review, "ocsea.rui_reviewed", bail.suspect.nominal_id)
    sync(bail)
    return review
