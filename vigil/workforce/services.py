"""Writes to the workforce records: abstractions recorded and reviewed (R11). Each is
audited, and syncs the obligations its rules derive (the manager's review)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record, field_changes
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Force, Team, TeamKind
from vigil.jobs.models import Job
from vigil.jobs.selectors import job_in_progress
from vigil.jobs.services import job_enqueue
from vigil.obligations.sync import sync
from vigil.workforce.models import (
    SCREENED_TEAMS,
    SUPERVISOR_ROLES,
    Abstraction,
    AbstractionReason,
    ExposureEntry,
    FollowUp,
    ForecastRun,
    ScreeningRecord,
    StaffRecord,
    TrainingRecord,
)

MAX_HOURS_A_DAY = Decimal(24)
FORECAST_JOB = "workforce.forecast"
MAX_FORECAST_YEARS = 20


def _require(actor: User, verb: str) -> None:
    if not has_verb(actor, verb) or actor.force_id is None:
        raise PermissionDenied(f"This needs the {verb} right.")


@atomic
def abstraction_record(
    *,
    actor: User,
    person: User,
    team: Team,
    starts_on: date,
    ends_on: date,
    hours: Decimal,
    reason: AbstractionReason,
    requested_by: str,
    note: str = "",
) -> Abstraction:
    """Records hours a member of the actor's teams is taken from the team's work (past,
    current or scheduled). The manager's review falls due."""
    _require(actor, "manage_abstractions")
    errors: dict[str, str] = {}
    if not Team.objects.visible_to(actor).filter(pk=team.pk).exists() or (
        not has_verb(actor, "view_force_work")
        and not actor.memberships.filter(team_id=team.pk).exists()
    ):
        errors["team"] = "Choose one of your teams"
    elif not person.memberships.filter(team_id=team.pk).exists():
        errors["person"] = "Choose someone in the team"
    if person.force_id != actor.force_id:
        errors["person"] = "Choose someone in your force"
    if reason.force_id != actor.force_id or not reason.active:
        errors["reason"] = "Choose a reason from the list"
    if ends_on < starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    days = (ends_on - starts_on).days + 1
    if hours <= 0:
        errors["hours"] = "Enter the hours away, more than 0"
    elif days > 0 and hours > MAX_HOURS_A_DAY * days:
        errors["hours"] = (
            f"Enter no more than {MAX_HOURS_A_DAY * days} hours for {days} "
            f"day{'s' if days != 1 else ''}"
        )
    if not requested_by.strip():
        errors["requested_by"] = "Enter who asked for the officer"
    if errors:
        raise ValidationError(errors)
    assert actor.force_id is not None  # _require checked it
    made = Abstraction.objects.create(
        force_id=actor.force_id,
        person=person,
        team=team,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        reason=reason,
        requested_by=requested_by.strip(),
        note=note.strip(),
        recorded_by=actor,
        recorded_on=clock.today(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="workforce.abstraction_recorded",
        obj=made,
        changes=field_changes(
            {},
            {
                "person": str(person),
                "team": str(team),
                "starts_on": str(starts_on),
                "ends_on": str(ends_on),
                "hours": str(hours),
                "reason": str(reason),
            },
        ),
    )
    sync(made)
    return made


@atomic
def abstraction_review(
    *,
    actor: User,
    abstraction: Abstraction,
    note: str,
    expected_version: int | None = None,
) -> Abstraction:
    """A manager's review of an abstraction (R11: recorded, reviewed, not regular), with
    what they found. Not one's own."""
    _require(actor, "manage_abstractions")
    current = Abstraction.objects.select_for_update().get(pk=abstraction.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError("Someone else changed this abstraction; read it again.")
    errors: dict[str, str] = {}
    if current.reviewed_on is not None:
        errors["note"] = "This abstraction has been reviewed"
    if current.person_id == actor.pk:
        errors["note"] = "Someone else must review your own abstraction"
    if not note.strip():
        errors["note"] = "Enter what the review found"
    if errors:
        raise ValidationError(errors)
    current.reviewed_by = actor
    current.reviewed_on = clock.today()
    current.review_note = note.strip()
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="workforce.abstraction_reviewed",
        obj=current,
        changes={"reviewed_on": {"before": None, "after": str(current.reviewed_on)}},
    )
    sync(current)
    return current


def _staff_record(person: User) -> StaffRecord | None:
    return StaffRecord.objects.filter(user=person).first()


@atomic
def screening_record(
    *, actor: User, person: User, screened_on: date, follow_up: str
) -> ScreeningRecord:
    """That a member of an OCSEA or MOSOVO team was screened, when, and whether follow-up
    support was offered and taken up (never the result). The audit log names the person and
    the record only: health information stays with the wellbeing lead."""
    _require(actor, "manage_wellbeing")
    errors: dict[str, str] = {}
    if person.force_id != actor.force_id:
        errors["person"] = "Choose someone in your force"
    elif not person.memberships.filter(team__kind__in=SCREENED_TEAMS).exists():
        errors["person"] = "Choose a member of an OCSEA or MOSOVO team"
    if screened_on > clock.today():
        errors["screened_on"] = "The screening date must be today or in the past"
    if follow_up not in FollowUp.values:
        errors["follow_up"] = "Select whether follow-up support was offered"
    if errors:
        raise ValidationError(errors)
    assert actor.force_id is not None
    made = ScreeningRecord.objects.create(
        force_id=actor.force_id,
        person=person,
        screened_on=screened_on,
        follow_up=follow_up,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="workforce.screening_recorded",
        obj=made,
        detail={"person": person.username},  # nothing more: not the date, never the follow-up
    )
    _sync_staff(person)
    return made


@atomic
def training_record(*, actor: User, person: User, completed_on: date) -> TrainingRecord:
    """A supervisor's trauma-informed training (R16)."""
    _require(actor, "manage_wellbeing")
    errors: dict[str, str] = {}
    if person.force_id != actor.force_id:
        errors["person"] = "Choose someone in your force"
    elif not person.memberships.filter(role_id__in=SUPERVISOR_ROLES).exists():
        errors["person"] = "Choose a supervisor"
    if completed_on > clock.today():
        errors["completed_on"] = "The training date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    assert actor.force_id is not None
    made = TrainingRecord.objects.create(
        force_id=actor.force_id, person=person, completed_on=completed_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="workforce.training_recorded",
        obj=made,
        changes={"completed_on": {"before": None, "after": str(completed_on)}},
        detail={"person": person.username},
    )
    _sync_staff(person)
    return made


def _sync_staff(person: User) -> None:
    record = _staff_record(person)
    if record is not None:
        sync(record)


@atomic
def exposure_record(
    *, actor: User, week_starting: date, images_reviewed: int, hours: Decimal | None = None
) -> ExposureEntry:
    """An OCSEA officer's own record of a week's indecent-image review (optional): how much,
    never what. One a week; a later record of the same week replaces the number."""
    _require(actor, "record_exposure")
    errors: dict[str, str] = {}
    if not actor.memberships.filter(team__kind=TeamKind.OCSEA).exists():
        errors["week_starting"] = "Only members of an OCSEA team record image review"
    if week_starting.weekday() != 0:
        errors["week_starting"] = "Enter the Monday the week began"
    elif week_starting > clock.today():
        errors["week_starting"] = "The week must have begun"
    if images_reviewed < 0:
        errors["images_reviewed"] = "Enter the number of images, 0 or more"
    if hours is not None and not Decimal(0) <= hours <= Decimal(80):
        errors["hours"] = "Enter the hours, from 0 to 80"
    if errors:
        raise ValidationError(errors)
    assert actor.force_id is not None
    entry, created = ExposureEntry.objects.update_or_create(
        person=actor,
        week_starting=week_starting,
        defaults={
            "force_id": actor.force_id,
            "images_reviewed": images_reviewed,
            "hours": hours,
        },
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION if created else AuditAction.ALTERATION,
        event="workforce.exposure_recorded",
        obj=entry,
        changes={"week_starting": {"before": None, "after": str(week_starting)}},
    )
    return entry


@atomic
def forecast_request(*, actor: User | None, years: int) -> Job:
    """Queues the demand forecast as background work (`vigil forecast`): the actor's force's,
    or every force's from the command line (no actor). One already waiting or running for
    the force is the one to watch: a second is refused, naming it."""
    if actor is not None:
        _require(actor, "run_forecast")  # and a force: _require refuses an actor without one
    if not 1 <= years <= MAX_FORECAST_YEARS:
        raise ValidationError({"years": f"Enter a number of years from 1 to {MAX_FORECAST_YEARS}"})
    force_id = actor.force_id if actor is not None else None
    if force_id is not None:  # two requests at once: the second waits, then finds the first
        Force.objects.select_for_update().filter(pk=force_id).first()
    if (waiting := job_in_progress(kind=FORECAST_JOB, force_id=force_id)) is not None:
        queued = timezone.localtime(waiting.created_at)
        raise ValidationError(
            f"A forecast is already being made ({waiting.get_status_display().lower()}, "
            f"queued {queued.day} {queued:%B %Y at %H:%M}): see Background work, job "
            f"{waiting.pk}."
        )
    return job_enqueue(
        actor=actor,
        kind=FORECAST_JOB,
        arguments={"years": years},
        title=f"The demand forecast, {years} year{'s' if years != 1 else ''} ahead",
    )


def forecast_exported(*, actor: User, run: ForecastRun, file_format: str) -> None:
    """A forecast's staffing table downloaded: logged as an export (it holds no one's
    personal data)."""
    audit_record(
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="workforce.forecast_exported",
        obj=run,
        detail={"format": file_format, "kind": run.kind, "made_on": str(run.made_on)},
    )
