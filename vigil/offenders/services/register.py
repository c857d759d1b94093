"""The register record: putting a person on it, changing it, reactive management and concerns,
moves within the force and transfers between forces, ending it, and applications for review of
the indefinite requirement."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record, field_changes, snapshot
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import Escalation, Obligation, RiskLevel
from vigil.obligations.sync import sync
from vigil.offenders import selectors
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    Concern,
    Disposal,
    HomeVisit,
    IndefiniteReview,
    Intelligence,
    ManagementMode,
    Notification,
    PndCheck,
    Registration,
    ReviewOutcome,
    RiskLevelEntry,
    RiskManagementPlan,
    RiskSource,
    StaticTool,
    Transfer,
    TransferStatus,
)
from vigil.offenders.reactive import reactive_eligibility
from vigil.offenders.services._common import (
    _decided,
    _ends_reactive,
    _lock,
    _lock_open,
    _not_future,
    _recorded,
    _registration_set,
    _require,
    _risk_entry,
    _team_errors,
)
from vigil.people.models import Address, Alias, Identifier, Nominal
from vigil.policy.pack import active as active_policy


@atomic
def registration_create(
    *,
    actor: User,
    nominal: Nominal,
    team: Team,
    registration_date: date,
    conviction_date: date,
    disposal: str,
    risk_level: str,
    offender_manager: User | None = None,
    register_reference: str = "",
    in_community_since: date | None = None,
    under_18_at_conviction: bool = False,
    mappa_category: int = 1,
    mappa_level: int = 1,
    discharge_months: int | None = None,
) -> Registration:
    _require(actor, "manage_rso")
    errors: dict[str, str] = {}
    if not Nominal.objects.visible_to(actor).filter(pk=nominal.pk).exists():
        errors["nominal"] = "Choose a person record you can see"
    _team_errors(errors, team, actor.force_id)
    if Registration.objects.filter(nominal=nominal).exists():
        errors["nominal"] = "This person is already on the register"
    if disposal not in Disposal.values:
        errors["disposal"] = "Select the disposal"
    elif disposal == Disposal.CONDITIONAL_DISCHARGE:
        if not discharge_months or not 1 <= discharge_months <= 36:
            errors["discharge_months"] = (
                "Enter the length of the conditional discharge in months, from 1 to 36"
            )
    elif discharge_months:
        errors["discharge_months"] = "Only a conditional discharge has a length to enter"
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = "Select the risk of serious harm level"
    _manager_errors(errors, team, offender_manager, nominal)
    if conviction_date > registration_date:
        errors["registration_date"] = "The registration date must be on or after the conviction"
    _not_future(errors, "registration_date", registration_date, "registration date")
    _not_future(errors, "in_community_since", in_community_since, "date")
    if mappa_category not in (1, 2, 3, 4):
        errors["mappa_category"] = "Select a MAPPA category from 1 to 4"
    if mappa_level not in (1, 2, 3):
        errors["mappa_level"] = "Select a MAPPA level from 1 to 3"
    if errors:
        raise ValidationError(errors)
    registration = Registration.objects.create(
        force_id=nominal.force_id,
        nominal=nominal,
        team=team,
        offender_manager=offender_manager,
        register_reference=register_reference.strip().upper(),
        registration_date=registration_date,
        conviction_date=conviction_date,
        disposal=disposal,
        discharge_months=discharge_months if disposal == Disposal.CONDITIONAL_DISCHARGE else None,
        under_18_at_conviction=under_18_at_conviction,
        in_community_since=in_community_since,
        risk_level=risk_level,
        mappa_category=mappa_category,
        mappa_level=mappa_level,
    )
    _recorded(actor, registration)
    _risk_entry(actor, registration, clock.today(), risk_level, RiskSource.REGISTERED)
    sync(registration)
    return registration


REGISTRATION_FIELDS = (
    "risk_level",
    "offender_manager_id",
    "static_tool",
    "static_band",
    "static_date",
    "in_community_since",
    "register_reference",
    "mappa_category",
    "mappa_level",
)


@atomic
def registration_update(
    *, actor: User, registration: Registration, expected_version: int, **changes: Any
) -> Registration:
    """Changes the register record (risk level, manager within the team, MAPPA, ...).
    Entering reactive management is `reactive_enter`, which needs a supervisor, and leaving
    it follows new intelligence; moving to another team or force is a transfer."""
    _require(actor, "manage_rso")
    unknown = set(changes) - set(REGISTRATION_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This cannot be changed here"))
    current = _lock_open(registration)
    errors: dict[str, str] = {}
    if changes.get("offender_manager_id") is not None:
        manager = User.objects.filter(pk=changes["offender_manager_id"]).first()
        if manager is None:
            errors["offender_manager"] = "Select an offender manager"
        else:
            _manager_errors(errors, current.team, manager, current.nominal)
    if "risk_level" in changes and changes["risk_level"] not in RiskLevel.values:
        errors["risk_level"] = "Select the risk of serious harm level"
    if changes.get("mappa_category", 1) not in (1, 2, 3, 4):
        errors["mappa_category"] = "Select a MAPPA category from 1 to 4"
    if changes.get("mappa_level", 1) not in (1, 2, 3):
        errors["mappa_level"] = "Select a MAPPA level from 1 to 3"
    _not_future(errors, "in_community_since", changes.get("in_community_since"), "date")
    _not_future(errors, "static_date", changes.get("static_date"), "date")
    if changes.get("static_tool") not in (None, *StaticTool.values):
        errors["static_tool"] = "Select the static risk tool"
    elif changes.get("static_tool") and not (
        str(changes.get("static_band", "")).strip() and changes.get("static_date")
    ):
        errors["static_band"] = "Enter the static risk band and the date it was scored"
    if "register_reference" in changes:
        changes["register_reference"] = str(changes["register_reference"]).strip().upper()
    if errors:
        raise ValidationError(errors)
    if current.version != expected_version:
        raise ConflictError("Someone else changed this record. Reload it and try again.")
    before = snapshot(current, tuple(changes))
    for name, value in changes.items():
        setattr(current, name, value)
    diff = field_changes(before, snapshot(current, tuple(changes)))
    if not diff:
        return current
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="rso.updated",
        obj=current,
        person_id=current.nominal_id,
        changes=diff,
    )
    if "risk_level" in diff:
        _risk_entry(actor, current, clock.today(), current.risk_level, RiskSource.CHANGED)
    sync(current)
    return current


@atomic
def reactive_enter(*, actor: User, registration: Registration, rationale: str) -> Registration:
    """A supervisor's decision to manage an eligible RSO reactively (policy conditions)."""
    _require(actor, "authorise_reactive")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if registration.management_mode == ManagementMode.REACTIVE:
        errors["rationale"] = "This RSO is already managed reactively"
    eligibility = reactive_eligibility(registration, active_policy(), clock.today())
    if not eligibility.eligible:
        errors["rationale"] = "Not eligible: " + "; ".join(eligibility.shortfalls)
    if not rationale.strip():
        errors.setdefault("rationale", "Enter the reasons for the decision")
    if errors:
        raise ValidationError(errors)
    registration.management_mode = ManagementMode.REACTIVE
    registration.reactive_since = clock.today()
    registration.reactive_decided_by = actor
    registration.reactive_rationale = rationale.strip()
    registration.version += 1
    registration.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="rso.reactive_entered",
        obj=registration,
        person_id=registration.nominal_id,
        changes={"management_mode": {"before": "active", "after": "reactive"}},
        justification=registration.reactive_rationale,
    )
    sync(registration)
    return registration


@atomic
def concern_record(
    *, actor: User, registration: Registration, raised_on: date, details: str
) -> Concern:
    """Records a concern short of intelligence or a breach. It counts against reactive
    management for the policy's years, and returns a reactively managed RSO to active
    management with a risk review due within the policy's days."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "raised_on", raised_on, "date")
    if not details.strip():
        errors["details"] = "Enter what the concern is"
    if errors:
        raise ValidationError(errors)
    concern = Concern.objects.create(
        force_id=registration.force_id,
        registration=registration,
        raised_on=raised_on,
        details=details.strip(),
        recorded_by=actor,
    )
    _recorded(actor, concern)
    _ends_reactive(actor, registration, concern, "A concern was recorded")
    sync(registration)
    return concern


def _manager_errors(
    errors: dict[str, str], team: Team, manager: User | None, nominal: Nominal | None = None
) -> None:
    """The offender manager must manage RSOs in the team and, for a record of the team's
    force, be able to see it: no one owns work on a record they are kept out of."""
    if manager is not None and (
        manager.force_id != team.force_id
        or not manager.memberships.filter(team=team, role__verbs="manage_rso").exists()
    ):
        errors["offender_manager"] = "The offender manager must be an offender manager in the team"
    elif (
        manager is not None
        and nominal is not None
        and not Nominal.objects.visible_to(manager).filter(pk=nominal.pk).exists()
    ):
        errors["offender_manager"] = (
            f"{manager} cannot see this record (it has limited access): choose an officer on "
            "its access list, or ask for them to be added to it first"
        )


def _audit_transfer(actor: User, transfer: Transfer, event: str, **extra: Any) -> None:
    audit_record(
        actor=actor,
        action=extra.pop("action", AuditAction.ALTERATION),
        event=event,
        obj=transfer,
        person_id=transfer.registration.nominal_id,
        **extra,
    )


@atomic
def registration_transfer(
    *,
    actor: User,
    registration: Registration,
    team: Team,
    offender_manager: User | None,
    reason: str,
) -> Transfer:
    """Moves an RSO's management to another team of the force, at once. Its open obligations
    follow it to the new team and manager; met ones stay as the old team's history."""
    _require(actor, "transfer_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if team.force_id != registration.force_id:
        errors["team"] = "To move an RSO to another force, ask that force to accept them"
    elif team.kind != TeamKind.MOSOVO:
        errors["team"] = "Choose a team that manages registered sex offenders (MOSOVO)"
    elif team.pk == registration.team_id:
        errors["team"] = "The RSO is already managed by this team"
    _manager_errors(errors, team, offender_manager, registration.nominal)
    if not reason.strip():
        errors["reason"] = "Enter the reason for the move"
    if errors:
        raise ValidationError(errors)
    today = clock.today()
    transfer = Transfer.objects.create(
        registration=registration,
        status=TransferStatus.COMPLETED,
        from_force_id=registration.force_id,
        to_force_id=registration.force_id,
        from_team_id=registration.team_id,
        to_team=team,
        from_manager_id=registration.offender_manager_id,
        to_manager=offender_manager,
        reason=reason.strip(),
        requested_on=today,
        requested_by=actor,
        decided_on=today,
        decided_by=actor,
    )
    changes = {
        "team": {"before": str(registration.team), "after": str(team)},
        "offender_manager": {
            "before": str(registration.offender_manager or ""),
            "after": str(offender_manager or ""),
        },
    }
    registration.team, registration.offender_manager = team, offender_manager
    registration.version += 1
    registration.save()
    _audit_transfer(
        actor, transfer, "rso.transferred", changes=changes, justification=transfer.reason
    )
    sync(registration)
    return transfer


@atomic
def transfer_request(
    *, actor: User, registration: Registration, to_force: Force, reason: str
) -> Transfer:
    """Asks another force to take on an RSO who is moving there. The receiving force sees
    who it is asked to accept (a disclosure to that force, recorded); nothing moves until it
    accepts."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if to_force.pk == registration.force_id:
        errors["to_force"] = "Choose another force: to move within the force, move the team"
    if Transfer.objects.filter(registration=registration, status=TransferStatus.PENDING).exists():
        errors["to_force"] = "A transfer of this RSO is already awaiting a decision"
    if not reason.strip():
        errors["reason"] = "Enter the reason for the transfer, such as the new address's area"
    if errors:
        raise ValidationError(errors)
    transfer = Transfer.objects.create(
        registration=registration,
        status=TransferStatus.PENDING,
        from_force_id=registration.force_id,
        to_force=to_force,
        from_team_id=registration.team_id,
        from_manager_id=registration.offender_manager_id,
        reason=reason.strip(),
        requested_on=clock.today(),
        requested_by=actor,
    )
    _audit_transfer(
        actor,
        transfer,
        "rso.transfer_requested",
        action=AuditAction.DISCLOSURE,
        recipients=[to_force.name],
        justification=transfer.reason,
    )
    return transfer


def _pending(transfer: Transfer) -> Transfer:
    current = (
        Transfer.objects.select_for_update().select_related("registration").get(pk=transfer.pk)
    )
    if current.status != TransferStatus.PENDING:
        raise ValidationError({"note": "This transfer has already been decided"})
    return current


def _move_force(registration: Registration, force_id: Any) -> None:
    """Moves the person, the record and everything on it to the receiving force. Open (and
    withdrawn) obligations and their open escalations move too; met and waived obligations,
    and resolved escalations, stay with the sending force as its history."""
    people: tuple[Any, ...] = (Alias, Identifier, Address)
    for person_model in people:
        person_model.objects.filter(nominal_id=registration.nominal_id).update(force_id=force_id)
    work: tuple[Any, ...] = (
        ArmsAssessment,
        RiskManagementPlan,
        HomeVisit,
        Notification,
        PndCheck,
        Intelligence,
        Breach,
        Concern,
        RiskLevelEntry,
        IndefiniteReview,
    )
    for work_model in work:
        work_model.objects.filter(registration=registration).update(force_id=force_id)
    moving = Obligation.objects.filter(
        subject_type="offenders.registration",
        subject_id=registration.pk,
        met_date__isnull=True,
        waived_at__isnull=True,
    )
    Escalation.objects.filter(obligation__in=moving, resolved_at__isnull=True).update(
        force_id=force_id
    )
    moving.update(force_id=force_id)


@atomic
def transfer_accept(
    *,
    actor: User,
    transfer: Transfer,
    team: Team,
    offender_manager: User | None,
    note: str = "",
) -> Transfer:
    """The receiving force accepts an RSO: the person and the record join it, managed by
    the team and manager it chooses. A limited-access record stays limited, open to the
    accepting supervisor and the new manager (the sending force's lists name its own
    people). Refused if the person seems to be recorded in the force already."""
    _require(actor, "transfer_rso")
    if transfer.to_force_id != actor.force_id:
        raise PermissionDenied("Only the receiving force accepts a transfer.")
    current = _pending(transfer)
    errors: dict[str, str] = {}
    _team_errors(errors, team, actor.force_id)
    _manager_errors(errors, team, offender_manager)
    registration = _lock(current.registration)
    nominal = Nominal.objects.select_for_update().get(pk=registration.nominal_id)
    clash = Identifier.objects.filter(
        force_id=actor.force_id,
        kind__in=nominal.identifiers.values("kind"),
        value__in=nominal.identifiers.values("value"),
    ).first()
    if clash is not None:
        errors["team"] = (
            f"Your force already holds this {clash.get_kind_display()} on another person "
            "record: link or merge the records before accepting"
        )
    if errors:
        raise ValidationError(errors)
    _move_force(registration, actor.force_id)
    nominal.force_id = actor.force_id
    nominal.version += 1
    nominal.save()
    if nominal.limited_access:
        nominal.excluded_from.clear()
        nominal.restricted_to.set([u for u in (actor, offender_manager) if u is not None])
    registration.force_id = actor.force_id
    registration.team, registration.offender_manager = team, offender_manager
    registration.version += 1
    registration.save()
    current.status = TransferStatus.COMPLETED
    current.to_team, current.to_manager = team, offender_manager
    current.decided_on, current.decided_by = clock.today(), actor
    current.decision_note = note.strip()
    current.version += 1
    current.save()
    _audit_transfer(
        actor,
        current,
        "rso.transfer_accepted",
        changes={"force": {"before": str(current.from_force), "after": str(current.to_force)}},
        justification=current.decision_note,
    )
    sync(registration)
    return current


@atomic
def transfer_decline(*, actor: User, transfer: Transfer, note: str) -> Transfer:
    """The receiving force declines (the RSO stays with the sending force), or the sending
    force withdraws its request."""
    current = _pending(transfer)
    _require(actor, selectors.transfer_decline_verb(current, actor))
    if actor.force_id == current.to_force_id:
        status, event = TransferStatus.DECLINED, "rso.transfer_declined"
    else:
        status, event = TransferStatus.WITHDRAWN, "rso.transfer_withdrawn"
    if not note.strip():
        raise ValidationError({"note": "Enter the reason"})
    current.status = status
    current.decided_on, current.decided_by = clock.today(), actor
    current.decision_note = note.strip()
    current.version += 1
    current.save()
    _audit_transfer(actor, current, event, justification=current.decision_note)
    return current


@atomic
def registration_end(
    *, actor: User, registration: Registration, ended_on: date, reason: str
) -> Registration:
    """Ends the registration (the notification period is over, or a court discharged the
    requirement): no further visits, assessments or notifications are due."""
    _require(actor, "manage_rso")
    registration = _lock(registration)
    errors: dict[str, str] = {}
    if registration.ended_on is not None:
        errors["ended_on"] = "This registration has already ended"
    _not_future(errors, "ended_on", ended_on, "date")
    if ended_on < registration.registration_date:
        errors["ended_on"] = "The end must be on or after the registration date"
    if not reason.strip():
        errors["reason"] = "Enter why the registration ends"
    if errors:
        raise ValidationError(errors)
    _ended(actor, registration, ended_on, reason.strip())
    sync(registration)
    return registration


def _ended(actor: User, registration: Registration, ended_on: date, reason: str) -> None:
    """Ends a locked registration, audited (by `registration_end`, or by the discharge of an
    indefinite requirement); the caller re-syncs."""
    _registration_set(actor, registration, "rso.registration_ended", reason, ended_on=ended_on)


@atomic
def indefinite_review_apply(
    *, actor: User, registration: Registration, applied_on: date
) -> IndefiniteReview:
    """Records an RSO's application for review of an indefinite requirement (s.91B): only
    from the date they become eligible, and one at a time. Its determination falls due."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "applied_on", applied_on, "date")
    eligibility = registration.indefinite_review_eligibility(active_policy())
    if eligibility is None:
        errors["applied_on"] = "The requirement is for a fixed period: there is nothing to review"
    elif eligibility.on is None:
        errors["applied_on"] = f"The RSO cannot apply yet. {eligibility.reason}"
    elif applied_on < eligibility.on:
        errors["applied_on"] = (
            f"The RSO may apply from {eligibility.on:%-d %B %Y}, not before: {eligibility.reason}"
        )
    if registration.indefinite_reviews.filter(decided_on__isnull=True).exists():
        errors["applied_on"] = "An application is already awaiting a determination"
    if errors:
        raise ValidationError(errors)
    review = IndefiniteReview.objects.create(
        force_id=registration.force_id,
        registration=registration,
        applied_on=applied_on,
        recorded_by=actor,
    )
    _recorded(actor, review)
    sync(registration)
    return review


@atomic
def indefinite_review_determine(
    *, actor: User, review: IndefiniteReview, outcome: str, rationale: str
) -> IndefiniteReview:
    """The determination (for the chief officer): discharged ends the registration on the
    day; continued sets the next date the RSO may apply (the policy's years after)."""
    _require(actor, "determine_indefinite_review")
    current = IndefiniteReview.objects.select_for_update().get(pk=review.pk)
    errors: dict[str, str] = {}
    if current.decided_on is not None:
        errors["outcome"] = "This application has already been determined"
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = "Select the determination"
    if not rationale.strip():
        errors["rationale"] = "Enter the reasons for the determination"
    if errors:
        raise ValidationError(errors)
    today = clock.today()
    current.decided_on, current.decided_by = today, actor
    current.outcome, current.rationale = outcome, rationale.strip()
    if outcome == ReviewOutcome.DISCHARGED:
        _ended(actor, _lock(current.registration), today, "Discharged on review (s.91C)")
    return _decided(
        actor,
        current,
        "rso.indefinite_review_determined",
        current.rationale,
        {
            "decided_on": {"before": None, "after": today},
            "outcome": {"before": "", "after": outcome},
        },
    )
