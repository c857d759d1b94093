"""Writes to RSO records. Each is keyword-only, takes the acting user, runs in one
transaction, writes its audit event and re-syncs the registration's obligations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record, field_changes, snapshot
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import Escalation, Obligation, RiskLevel
from vigil.obligations.sync import sync
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    BreachKind,
    ChangeKind,
    Concern,
    Disposal,
    HomeVisit,
    IndefiniteReview,
    Intelligence,
    ManagementMode,
    Notification,
    NotificationKind,
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
from vigil.people import services as people_services
from vigil.people.models import Address, AddressKind, Alias, Identifier, Nominal
from vigil.policy.pack import active as active_policy


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
    actor: User, obj: models.Model, event: str, registration: Registration, fields: tuple[str, ...]
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event=event,
        obj=obj,
        person_id=registration.nominal_id,
        changes=field_changes({}, snapshot(obj, fields)),
    )


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


@transaction.atomic
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
    _recorded(
        actor,
        registration,
        "rso.registered",
        registration,
        (
            "register_reference",
            "registration_date",
            "conviction_date",
            "disposal",
            "discharge_months",
            "risk_level",
            "in_community_since",
            "mappa_category",
            "mappa_level",
        ),
    )
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


@transaction.atomic
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


@transaction.atomic
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
    _recorded(
        actor,
        visit,
        "rso.visit_recorded",
        registration,
        ("visited_at", "announced", "officer_count", "access_gained", "outcome"),
    )
    sync(registration)
    return visit


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
        _recorded(actor, work, event, registration, tuple(fields))
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
def notification_record(
    *,
    actor: User,
    registration: Registration,
    kind: str,
    made_on: date,
    details: str = "",
    change_kind: str = "",
    changed_on: date | None = None,
    address_kind: str = "",
    address_line_1: str = "",
    address_line_2: str = "",
    address_town: str = "",
    address_postcode: str = "",
) -> Notification:
    """Records a notification made in person. A notification of a change names what changed
    and when: that dates it (s.84: within 3 days beginning with the change).

    - A new home address (or no fixed abode) is entered into the person's address history,
      from the day of the change, through the people service (which audits it), unless the
      history already has a home address from that day. It also calls for an ARMS review.
    - A release from custody is the day the person came into the community, if the record
      still has them in custody (s.83(6)): recorded in the same step."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if kind not in NotificationKind.values:
        errors["kind"] = "Select the kind of notification"
    _not_future(errors, "made_on", made_on, "date")
    if kind == NotificationKind.CHANGE:
        if change_kind not in ChangeKind.values:
            errors["change_kind"] = "Select what changed"
        if changed_on is None:
            errors["changed_on"] = "Enter the date of the change"
        elif changed_on > made_on:
            errors["changed_on"] = "The change must be on or before the date it was notified"
    else:
        if change_kind:
            errors["change_kind"] = "Only a notification of a change says what changed"
        if changed_on:
            errors["changed_on"] = "Only a notification of a change has a date of the change"
    address = {
        "kind": address_kind,
        "line_1": address_line_1,
        "line_2": address_line_2,
        "town": address_town,
        "postcode": address_postcode,
    }
    moving = change_kind == ChangeKind.HOME_ADDRESS and changed_on is not None and not errors
    if moving:
        assert changed_on is not None
        if not any(address.values()) and _home_from(registration.nominal, changed_on):
            moving = False  # the history has it already
        elif address_kind not in (AddressKind.HOME, AddressKind.NO_FIXED_ABODE):
            errors["address_kind"] = "Select whether the new address is a home or no fixed abode"
    elif any(address.values()):
        errors["address_kind"] = "Only a notification of a change of home address gives one"
    if errors:
        raise ValidationError(errors)
    notification = Notification.objects.create(
        force_id=registration.force_id,
        registration=registration,
        kind=kind,
        made_on=made_on,
        change_kind=change_kind,
        changed_on=changed_on,
        details=details.strip(),
        recorded_by=actor,
    )
    _recorded(
        actor,
        notification,
        "rso.notification_recorded",
        registration,
        ("kind", "made_on", "change_kind", "changed_on", "details"),
    )
    if moving:
        try:
            with transaction.atomic():
                people_services.address_add(
                    actor=actor,
                    nominal=registration.nominal,
                    valid_from=changed_on,  # type: ignore[arg-type]
                    **address,
                )
        except ValidationError as exc:
            raise ValidationError(
                {f"address_{name}": messages for name, messages in exc.message_dict.items()}
            ) from None
    if change_kind == ChangeKind.RELEASE and registration.in_community_since is None:
        _registration_set(
            actor,
            registration,
            "rso.updated",
            "Notified release from custody",
            in_community_since=changed_on,
        )
    sync(registration)
    return notification


def _home_from(nominal: Nominal, day: date) -> bool:
    return Address.objects.filter(
        nominal=nominal,
        kind__in=(AddressKind.HOME, AddressKind.NO_FIXED_ABODE),
        valid_from=day,
    ).exists()


@transaction.atomic
def pnd_check_record(
    *,
    actor: User,
    registration: Registration,
    checked_on: date,
    result: str,
    requested_on: date | None = None,
) -> PndCheck:
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "checked_on", checked_on, "date")
    if not result.strip():
        errors["result"] = "Enter the result of the check"
    if requested_on is not None and requested_on > checked_on:
        errors["requested_on"] = "The request must be on or before the result"
    if errors:
        raise ValidationError(errors)
    check = PndCheck.objects.create(
        force_id=registration.force_id,
        registration=registration,
        requested_on=requested_on,
        checked_on=checked_on,
        result=result.strip(),
        checked_by=actor,
    )
    _recorded(
        actor,
        check,
        "rso.pnd_check_recorded",
        registration,
        ("requested_on", "checked_on", "result"),
    )
    sync(registration)
    return check


@transaction.atomic
def pnd_assess(*, actor: User, check: PndCheck, assessment: str) -> PndCheck:
    _require(actor, "manage_rso")
    current = PndCheck.objects.select_for_update().get(pk=check.pk)
    if current.assessed_on is not None:
        raise ValidationError({"assessment": "This result has already been assessed"})
    if not assessment.strip():
        raise ValidationError({"assessment": "Enter your assessment of the result"})
    current.assessed_on, current.assessed_by = clock.today(), actor
    current.assessment = assessment.strip()
    return _decided(
        actor,
        current,
        "rso.pnd_assessed",
        current.assessment,
        {"assessed_on": {"before": None, "after": current.assessed_on}},
    )


@transaction.atomic
def intelligence_record(
    *,
    actor: User,
    registration: Registration,
    received_on: date,
    source: str,
    grading: str,
    summary: str,
) -> Intelligence:
    """Records intelligence. On a reactively managed RSO it returns them to active
    management, with a risk review due within the policy's days (the rules)."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "received_on", received_on, "date")
    if not source.strip():
        errors["source"] = "Enter where the intelligence came from"
    if not summary.strip():
        errors["summary"] = "Enter a summary of the intelligence"
    if errors:
        raise ValidationError(errors)
    entry = Intelligence.objects.create(
        force_id=registration.force_id,
        registration=registration,
        received_on=received_on,
        source=source.strip(),
        grading=grading.strip().upper(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    _recorded(
        actor,
        entry,
        "rso.intelligence_recorded",
        registration,
        ("received_on", "source", "grading", "summary"),
    )
    if _return_to_active(actor, registration, "New intelligence"):
        entry.returned_to_active = True
        entry.save(update_fields=["returned_to_active"])
    sync(registration)
    return entry


@transaction.atomic
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


@transaction.atomic
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
    _recorded(actor, concern, "rso.concern_recorded", registration, ("raised_on", "details"))
    if _return_to_active(actor, registration, "A concern was recorded"):
        concern.returned_to_active = True
        concern.save(update_fields=["returned_to_active"])
    sync(registration)
    return concern


@transaction.atomic
def breach_record(
    *,
    actor: User,
    registration: Registration,
    identified_at: datetime,
    kind: str,
    details: str,
    action_taken: str = "",
) -> Breach:
    """Records a breach of the notification requirements as it is identified: it is then
    due on ViSOR within the policy's hours, and calls for an ARMS review. On a reactively
    managed RSO it returns them to active management."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if identified_at > clock.now():
        errors["identified_at"] = "The breach must have been identified now or in the past"
    if kind not in BreachKind.values:
        errors["kind"] = "Select the kind of breach"
    if not details.strip():
        errors["details"] = "Enter what the breach was"
    if errors:
        raise ValidationError(errors)
    breach = Breach.objects.create(
        force_id=registration.force_id,
        registration=registration,
        identified_at=identified_at,
        kind=kind,
        details=details.strip(),
        action_taken=action_taken.strip(),
        recorded_by=actor,
    )
    _recorded(
        actor,
        breach,
        "rso.breach_recorded",
        registration,
        ("identified_at", "kind", "details", "action_taken"),
    )
    if _return_to_active(actor, registration, "A breach of the notification requirements"):
        breach.returned_to_active = True
        breach.save(update_fields=["returned_to_active"])
    sync(registration)
    return breach


@transaction.atomic
def breach_recorded_nationally(
    *,
    actor: User,
    breach: Breach,
    recorded_at: datetime | None = None,
    recorded_on: date | None = None,
) -> Breach:
    """Says when the breach was recorded on ViSOR (the national register), meeting its
    obligation: due within the policy's hours of its identification, so the time counts
    (`recorded_at`). Given only the day (`recorded_on`, as API clients before times were
    kept), it is judged by the day."""
    _require(actor, "manage_rso")
    current = Breach.objects.select_for_update().get(pk=breach.pk)
    errors: dict[str, str] = {}
    if (recorded_at is None) == (recorded_on is None):
        errors["recorded_at"] = "Enter when the breach was recorded on ViSOR"
    elif current.recorded_nationally_on is not None:
        errors["recorded_at"] = "This breach is already recorded on ViSOR"
    elif recorded_at is not None and recorded_at > clock.now():
        errors["recorded_at"] = "The time must be now or in the past"
    elif recorded_at is not None and recorded_at < current.identified_at:
        errors["recorded_at"] = "The time must be after the breach was identified"
    elif recorded_on is not None and recorded_on > clock.today():
        errors["recorded_on"] = "The date must be today or in the past"
    elif recorded_on is not None and recorded_on < clock.localdate(current.identified_at):
        errors["recorded_on"] = "The date must be on or after the breach was identified"
    if errors:
        raise ValidationError(errors)
    current.recorded_nationally_at, current.recorded_nationally_by = recorded_at, actor
    current.recorded_nationally_on = (
        clock.localdate(recorded_at) if recorded_at is not None else recorded_on
    )
    return _decided(
        actor,
        current,
        "rso.breach_recorded_nationally",
        "",
        {
            "recorded_nationally_on": {"before": None, "after": current.recorded_nationally_on},
            "recorded_nationally_at": {"before": None, "after": recorded_at},
        },
    )


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
def transfer_decline(*, actor: User, transfer: Transfer, note: str) -> Transfer:
    """The receiving force declines (the RSO stays with the sending force), or the sending
    force withdraws its request."""
    current = _pending(transfer)
    if actor.force_id == current.to_force_id:
        _require(actor, "transfer_rso")
        status, event = TransferStatus.DECLINED, "rso.transfer_declined"
    elif actor.force_id == current.from_force_id:
        _require(actor, "manage_rso")
        status, event = TransferStatus.WITHDRAWN, "rso.transfer_withdrawn"
    else:
        raise PermissionDenied("This transfer is between other forces.")
    if not note.strip():
        raise ValidationError({"note": "Enter the reason"})
    current.status = status
    current.decided_on, current.decided_by = clock.today(), actor
    current.decision_note = note.strip()
    current.version += 1
    current.save()
    _audit_transfer(actor, current, event, justification=current.decision_note)
    return current


@transaction.atomic
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


@transaction.atomic
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
    _recorded(actor, review, "rso.indefinite_review_applied", registration, ("applied_on",))
    sync(registration)
    return review


@transaction.atomic
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
