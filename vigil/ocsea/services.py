"""Writes to OCSEA referrals, investigations and bail. Each is keyword-only, takes the acting
user, runs in one transaction, refuses bad input with a message naming the field, writes its
audit event (naming the suspect) and re-syncs the obligations of the referral and its bails."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record, field_changes, snapshot
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Area, Force, Team, TeamKind
from vigil.instruments import packs as instrument_packs
from vigil.instruments.services import assessment_create
from vigil.obligations.models import Obligation, RiskLevel
from vigil.obligations.sync import sync
from vigil.ocsea import bail as bail_clock
from vigil.ocsea.models import (
    INSTRUMENT_KIND,
    AgeBand,
    AgeGroup,
    Allocation,
    ArrestDecision,
    Bail,
    BailCondition,
    BailEnd,
    BailExtension,
    BailKind,
    CheckMethod,
    CheckResult,
    ChildAtRisk,
    ConditionCheck,
    ConditionKind,
    Enforcement,
    EnforcementOutcome,
    ExtensionStage,
    FamilyMember,
    Intelligence,
    Leaflet,
    Outcome,
    OversightReview,
    Rank,
    Referral,
    ReferralStatus,
    Relationship,
    ReviewKind,
    RiskReview,
    RuiReview,
    Source,
    SupportOrganisation,
    Suspect,
    VictimViews,
)
from vigil.ocsea.selectors import rebail_clock
from vigil.people.models import Nominal
from vigil.people.services import nominal_create
from vigil.policy.pack import active as active_policy

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
    person_id: Any,  # one person, or a list (one event each)
    fields: tuple[str, ...] = (),
    *,
    action: AuditAction = AuditAction.COLLECTION,
    before: dict[str, Any] | None = None,
    justification: str = "",
    extra: dict[str, Any] | None = None,
) -> None:
    changes = field_changes(before or {}, {**snapshot(obj, fields), **(extra or {})})
    for person in person_id if isinstance(person_id, list) else [person_id]:
        audit_record(
            actor=actor,
            action=action,
            event=event,
            obj=obj,
            person_id=person,
            justification=justification,
            changes=changes,
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


# --- Intake -----------------------------------------------------------------------------------


@dataclass
class SuspectDetails:
    """A suspect named on a referral: an existing person record, or the details to create one."""

    age_group: str
    nominal: Nominal | None = None
    family_name: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    online_identifiers: str = ""


@dataclass
class ChildDetails:
    description: str
    age: int | None = None


@dataclass
class Intake:
    source: str
    received_at: datetime
    summary: str
    ocsea_team: Team
    suspects: list[SuspectDetails]
    source_reference: str = ""
    other_references: str = ""
    category_a: int = 0
    category_b: int = 0
    category_c: int = 0
    area: Area | None = None
    children: list[ChildDetails] = field(default_factory=list)


def _next_reference(force_id: Any, year: int) -> str:
    """The next reference of the force's year, numbered under a lock on the force's row so
    that two referrals received at once never take the same number."""
    Force.objects.select_for_update().filter(pk=force_id).first()
    prefix = f"OC-{year}-"
    taken = Referral.objects.filter(force_id=force_id, reference__startswith=prefix).count()
    return f"{prefix}{taken + 1:05d}"


def _intake_errors(actor: User, intake: Intake) -> dict[str, str]:
    errors: dict[str, str] = {}
    _choice(errors, "source", intake.source, Source, "where the referral came from")
    if intake.received_at > clock.now():
        errors["received_at"] = "The time received must be now or in the past"
    if not intake.summary.strip():
        errors["summary"] = "Enter a summary of the referral"
    team = intake.ocsea_team
    if team.force_id != actor.force_id or team.kind != TeamKind.OCSEA:
        errors["ocsea_team"] = "Choose an OCSEA team of your force"
    if intake.area is not None and intake.area.force_id != actor.force_id:
        errors["area"] = "Choose a local policing area of your force"
    for name in ("category_a", "category_b", "category_c"):
        if getattr(intake, name) < 0:
            errors[name] = "Enter a count of 0 or more"
    if not intake.suspects:
        errors["suspects"] = "Name at least one suspect"
    for i, suspect in enumerate(intake.suspects):
        prefix = f"suspect_{i}_" if i else ""
        if suspect.age_group not in AgeGroup.values:
            errors[f"{prefix}age_group"] = "Select whether the suspect is an adult or a child"
        if (
            suspect.nominal is None
            and not suspect.family_name.strip()
            and not suspect.online_identifiers.strip()
        ):
            errors[f"{prefix}family_name"] = (
                "Enter the suspect's family name, or their online identifiers if not known"
            )
    for i, child in enumerate(intake.children):
        if not child.description.strip():
            errors[f"child_{i}_description"] = "Describe the child at risk"
    return errors


@transaction.atomic
def referral_receive(*, actor: User, intake: Intake) -> Referral:
    """Receives a referral: its suspects (existing person records or new ones) and the
    children at risk. A referral naming a suspect already on an open referral (the same
    person, or a shared online identifier) is linked to the earliest such referral."""
    _require(actor, "triage_referral")
    _raise(_intake_errors(actor, intake))
    assert actor.force_id is not None  # _require checked the user
    referral = Referral.objects.create(
        force_id=actor.force_id,
        reference=_next_reference(actor.force_id, clock.localdate(intake.received_at).year),
        source=intake.source,
        source_reference=intake.source_reference.strip(),
        other_references=intake.other_references.strip(),
        received_at=intake.received_at,
        summary=intake.summary.strip(),
        category_a=intake.category_a,
        category_b=intake.category_b,
        category_c=intake.category_c,
        ocsea_team=intake.ocsea_team,
        team=intake.ocsea_team,
        area=intake.area or intake.ocsea_team.area,
    )
    for details in intake.suspects:
        _suspect_add(actor, referral, details)
    for child in intake.children:
        ChildAtRisk.objects.create(
            force_id=referral.force_id,
            referral=referral,
            description=child.description.strip(),
            age=child.age,
        )
    duplicate = _find_duplicate(referral)
    if duplicate is not None:
        referral.linked_to = duplicate
        referral.save(update_fields=["linked_to"])
    _audit(
        actor,
        referral,
        "ocsea.referral_received",
        _people(referral),
        (
            "reference",
            "source",
            "source_reference",
            "received_at",
            "category_a",
            "category_b",
            "category_c",
            "linked_to_id",
        ),
        extra={"children_at_risk": [c.description.strip() for c in intake.children]},
    )
    sync(referral)
    return referral


def _suspect_add(actor: User, referral: Referral, details: SuspectDetails) -> Suspect:
    nominal = details.nominal
    if nominal is None and details.family_name.strip():
        nominal = nominal_create(
            actor=actor,
            family_name=details.family_name,
            given_names=details.given_names or "(not known)",
            date_of_birth=details.date_of_birth,
        )
    elif nominal is None:  # known only by online identifiers (a CyberTipline report, say)
        first = next(
            line.strip() for line in details.online_identifiers.splitlines() if line.strip()
        )
        nominal = nominal_create(
            actor=actor,
            family_name=UNIDENTIFIED,
            given_names=f"(online: {first})"[:150],
            date_of_birth=details.date_of_birth,
        )
    elif not Nominal.objects.visible_to(actor).filter(pk=nominal.pk).exists():
        raise ValidationError({"nominal": "Choose a person record you can see"})
    if referral.suspects.filter(nominal=nominal).exists():
        raise ValidationError({"nominal": "This person is already a suspect on this referral"})
    suspect = Suspect.objects.create(
        force_id=referral.force_id,
        referral=referral,
        nominal=nominal,
        age_group=details.age_group,
        online_identifiers="\n".join(
            line.strip() for line in details.online_identifiers.splitlines() if line.strip()
        ),
    )
    _audit(actor, suspect, "ocsea.suspect_added", nominal.pk, ("age_group", "online_identifiers"))
    return suspect


@transaction.atomic
def suspect_add(*, actor: User, referral: Referral, details: SuspectDetails) -> Suspect:
    _require(actor, "triage_referral", "investigate")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    if details.age_group not in AgeGroup.values:
        errors["age_group"] = "Select whether the suspect is an adult or a child"
    if (
        details.nominal is None
        and not details.family_name.strip()
        and not details.online_identifiers.strip()
    ):
        errors["family_name"] = "Enter the suspect's family name, or their online identifiers"
    _raise(errors)
    suspect = _suspect_add(actor, referral, details)
    if referral.linked_to_id is None:
        duplicate = _find_duplicate(referral)
        if duplicate is not None:
            referral.linked_to = duplicate
            _saved(referral, ["linked_to"])
    _sync_case(referral)
    return suspect


def _find_duplicate(referral: Referral) -> Referral | None:
    """The earliest other open referral of the force on the same suspect: the same person
    record, or an online identifier in common."""
    suspects = list(referral.suspects.all())
    nominal_ids = [s.nominal_id for s in suspects]
    identifiers = set().union(*(s.identifiers() for s in suspects)) if suspects else set()
    others = (
        Referral.objects.filter(force_id=referral.force_id)
        .exclude(pk=referral.pk)
        .exclude(status=ReferralStatus.CLOSED)
        .order_by("received_at")
    )
    same_person = others.filter(suspects__nominal_id__in=nominal_ids).first()
    if same_person is not None:
        return same_person
    if identifiers:
        candidates = Suspect.objects.filter(
            referral__in=others, online_identifiers__gt=""
        ).select_related("referral")
        for other in sorted(candidates, key=lambda s: s.referral.received_at):
            if other.identifiers() & identifiers:
                return other.referral
    return None


# --- Triage and reviews -----------------------------------------------------------------------


def _pack_errors(referral: Referral, pack_code: str) -> dict[str, str]:
    try:
        pack = instrument_packs.get_pack(pack_code)
    except KeyError:
        return {"pack_code": "Choose an instrument"}
    groups = set(referral.suspects.values_list("age_group", flat=True))
    if pack.kind != INSTRUMENT_KIND or not groups & set(pack.applies_to):
        names = " or ".join(sorted(AgeGroup(g).label.lower() for g in groups))
        return {"pack_code": f"{pack.name} is not for this referral's suspect ({names})"}
    return {}


def _assess(
    actor: User, referral: Referral, pack_code: str, answers: dict[str, str], notes: str
) -> Any:
    assessment = assessment_create(
        actor=actor,
        pack_code=pack_code,
        answers=answers,
        force_id=referral.force_id,
        subject_type="ocsea.referral",
        subject_id=referral.pk,
        person_id=_primary(referral),
        notes=notes,
    )
    if assessment.band not in RiskLevel.values:
        raise ValidationError({"pack_code": f"{assessment.pack_name} gives no KIRAT band"})
    return assessment


@transaction.atomic
def referral_triage(
    *,
    actor: User,
    referral: Referral,
    pack_code: str,
    answers: dict[str, str],
    notes: str = "",
) -> RiskReview:
    """Prioritises a referral with an instrument (R1): the assessment sets the band, and the
    band sets the action clock."""
    _require(actor, "triage_referral")
    referral = _lock_open(referral)
    if referral.reviews.filter(kind=ReviewKind.TRIAGE).exists():
        raise ValidationError("This referral has been triaged: record a risk review instead")
    _raise(_pack_errors(referral, pack_code))
    assessment = _assess(actor, referral, pack_code, answers, notes)
    review = RiskReview.objects.create(
        force_id=referral.force_id,
        referral=referral,
        kind=ReviewKind.TRIAGE,
        reviewed_on=clock.localdate(assessment.assessed_at),
        reviewed_by=actor,
        assessment=assessment,
        band=assessment.band,
        notes=notes.strip(),
    )
    referral.band = assessment.band
    if referral.status == ReferralStatus.RECEIVED:
        referral.status = ReferralStatus.TRIAGED
    _saved(referral, ["band", "status"])
    _audit(actor, review, "ocsea.referral_triaged", _people(referral), ("kind", "band"))
    _sync_case(referral)
    return review


@transaction.atomic
def risk_review_record(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    reviewed_on: date,
    notes: str,
    band: str = "",
    pack_code: str = "",
    answers: dict[str, str] | None = None,
) -> RiskReview:
    """An intelligence and risk review (R2). Re-running the instrument sets the band from its
    answers; otherwise the reviewer keeps the band or changes it with the notes as rationale.
    A changed band moves the clocks; a rise escalates."""
    _require(actor, "investigate", "triage_referral")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    if kind not in (ReviewKind.PERIODIC, ReviewKind.PRE_ENFORCEMENT, ReviewKind.INTELLIGENCE):
        errors["kind"] = "Select why the review is being done"
    triage = referral.reviews.filter(kind=ReviewKind.TRIAGE).first()
    if triage is None:
        errors["kind"] = "Triage the referral with an instrument first"
    _not_future(errors, "reviewed_on", reviewed_on, "review date")
    if triage is not None:
        _not_before(errors, "reviewed_on", reviewed_on, triage.reviewed_on, "review date")
    if not notes.strip():
        errors["notes"] = "Enter what the review found"
    if not pack_code and band and band not in RiskLevel.values:
        errors["band"] = "Select the band"
    if pack_code:
        errors.update(_pack_errors(referral, pack_code))
    _raise(errors)
    assessment = None
    if pack_code:
        assessment = _assess(actor, referral, pack_code, answers or {}, notes)
        band = assessment.band
    band = band or referral.band
    review = RiskReview.objects.create(
        force_id=referral.force_id,
        referral=referral,
        kind=kind,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        assessment=assessment,
        band=band,
        previous_band=referral.band,
        notes=notes.strip(),
    )
    if band != referral.band:
        referral.band = band
        _saved(referral, ["band"])
    _audit(
        actor,
        review,
        "ocsea.risk_reviewed",
        _people(referral),
        ("kind", "reviewed_on", "band", "previous_band"),
    )
    _sync_case(referral)
    return review


@transaction.atomic
def intelligence_record(
    *, actor: User, referral: Referral, received_on: date, summary: str
) -> Intelligence:
    """New intelligence on an open investigation: a risk review falls due."""
    _require(actor, "investigate", "triage_referral")
    referral = _lock_open(referral)
    errors: dict[str, str] = {}
    _not_future(errors, "received_on", received_on, "date received")
    if not summary.strip():
        errors["summary"] = "Enter what the intelligence says"
    _raise(errors)
    item = Intelligence.objects.create(
        force_id=referral.force_id,
        referral=referral,
        received_on=received_on,
        summary=summary.strip(),
        recorded_by=actor,
    )
    _audit(actor, item, "ocsea.intelligence_recorded", _people(referral), ("received_on",))
    _sync_case(referral)
    return item


# --- Investigation ----------------------------------------------------------------------------


@transaction.atomic
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
    before = snapshot(referral, ("team_id", "officer_id", "status"))
    referral.team, referral.officer, referral.allocated_on = team, officer, allocated_on
    referral.status = ReferralStatus.INVESTIGATING
    _saved(referral, ["team", "officer", "allocated_on", "status"])
    _audit(
        actor,
        referral,
        "ocsea.investigation_allocated",
        _people(referral),
        ("team_id", "officer_id", "status"),
        action=AuditAction.ALTERATION,
        before=before,
    )
    _sync_case(referral)
    return allocation


@transaction.atomic
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
    _audit(
        actor,
        referral,
        "ocsea.action_recorded",
        _people(referral),
        ("actioned_on", "action_taken"),
        action=AuditAction.ALTERATION,
    )
    _sync_case(referral)
    return referral


@transaction.atomic
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
    before = snapshot(referral, ("planned_enforcement_on",))
    referral.planned_enforcement_on = planned_on
    _saved(referral, ["planned_enforcement_on"])
    _audit(
        actor,
        referral,
        "ocsea.enforcement_planned",
        _people(referral),
        ("planned_enforcement_on",),
        action=AuditAction.ALTERATION,
        before=before,
    )
    _sync_case(referral)
    return referral


@transaction.atomic
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
    _audit(actor, review, "ocsea.oversight_reviewed", _people(referral), ("reviewed_on",))
    _sync_case(referral)
    return review


@transaction.atomic
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
    _audit(
        actor,
        enforcement,
        "ocsea.enforcement_recorded",
        _people(referral),
        (
            "enforced_on",
            "warrant",
            "warrant_reference",
            "outcome",
            "devices_seized",
            "children_safeguarded",
            "family_present",
        ),
    )
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


@transaction.atomic
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
    before = snapshot(suspect, ("arrest_decision", "arrest_decided_on", "arrest_rationale"))
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
    _audit(
        actor,
        suspect,
        "ocsea.arrest_decided",
        suspect.nominal_id,
        ("arrest_decision", "arrest_decided_on", "arrest_rationale"),
        action=AuditAction.ALTERATION,
        before=before,
    )
    _sync_case(referral)
    return suspect


@transaction.atomic
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
        actor,
        suspect,
        "ocsea.non_arrest_ratified",
        suspect.nominal_id,
        ("ratified_on", "ratification_note"),
        action=AuditAction.ALTERATION,
        justification=note.strip(),
    )
    _sync_case(referral)
    return suspect


@transaction.atomic
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
    before = snapshot(suspect, ("outcome", "outcome_on", "outcome_detail"))
    suspect.outcome, suspect.outcome_on, suspect.outcome_detail = (
        outcome,
        outcome_on,
        detail.strip(),
    )
    _saved(suspect, ["outcome", "outcome_on", "outcome_detail"])
    _audit(
        actor,
        suspect,
        "ocsea.outcome_recorded",
        suspect.nominal_id,
        ("outcome", "outcome_on", "outcome_detail"),
        action=AuditAction.ALTERATION,
        before=before,
    )
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


@transaction.atomic
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
    _audit(
        actor,
        referral,
        "ocsea.referral_closed",
        _people(referral),
        ("status", "closed_on", "closure_note"),
        action=AuditAction.ALTERATION,
    )
    _sync_case(referral)
    return referral


@transaction.atomic
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
    _audit(
        actor,
        child,
        "ocsea.child_safeguarded",
        _people(referral),
        ("safeguarded_on",),
        action=AuditAction.ALTERATION,
    )
    return child


# --- Family support ---------------------------------------------------------------------------


def _enforcement_locked(enforcement: Enforcement) -> tuple[Enforcement, Referral]:
    referral = _lock_open(enforcement.referral)
    return Enforcement.objects.select_for_update().get(pk=enforcement.pk), referral


@transaction.atomic
def family_member_add(
    *,
    actor: User,
    enforcement: Enforcement,
    relationship: str,
    age_band: str,
    lives_with_suspect: bool = True,
    vulnerability: str = "",
    vulnerability_identified_on: date | None = None,
) -> FamilyMember:
    """A household member or family in contact, and any vulnerability found (which calls for a
    MARF). Recording family marks the enforcement as one where family were present."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(enforcement)
    errors: dict[str, str] = {}
    _choice(errors, "relationship", relationship, Relationship, "the relationship")
    _choice(errors, "age_band", age_band, AgeBand, "the age band")
    if vulnerability.strip() and vulnerability_identified_on is None:
        errors["vulnerability_identified_on"] = "Enter when the vulnerability was identified"
    if vulnerability_identified_on is not None and not vulnerability.strip():
        errors["vulnerability"] = "Describe the vulnerability"
    _not_future(errors, "vulnerability_identified_on", vulnerability_identified_on, "date")
    _not_before(
        errors,
        "vulnerability_identified_on",
        vulnerability_identified_on,
        enforcement.enforced_on,
        "date",
    )
    _raise(errors)
    member = FamilyMember.objects.create(
        force_id=referral.force_id,
        enforcement=enforcement,
        relationship=relationship,
        age_band=age_band,
        lives_with_suspect=lives_with_suspect,
        vulnerability=vulnerability.strip(),
        vulnerability_identified_on=vulnerability_identified_on,
    )
    if not enforcement.family_present:
        enforcement.family_present = True
        _saved(enforcement, ["family_present"])
    _audit(
        actor,
        member,
        "ocsea.family_member_recorded",
        _people(referral),
        ("relationship", "age_band", "lives_with_suspect", "vulnerability_identified_on"),
    )
    _sync_case(referral)
    return member


@transaction.atomic
def family_vulnerability_record(
    *,
    actor: User,
    member: FamilyMember,
    vulnerability: str,
    vulnerability_identified_on: date | None,
) -> FamilyMember:
    """A vulnerability found after the family member was recorded (R7): a MARF falls due
    within the policy's days of the day it was identified (`ocsea.marf_days`). A member has
    one vulnerability and one MARF: one already recorded is not replaced."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(member.enforcement)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if member.vulnerability_identified_on is not None:
        errors["vulnerability"] = (
            f"A vulnerability identified on {member.vulnerability_identified_on:%-d %b %Y} "
            f"is already recorded for this family member ({member})"
        )
    elif not vulnerability.strip():
        errors["vulnerability"] = "Describe the vulnerability"
    if vulnerability_identified_on is None:
        errors["vulnerability_identified_on"] = "Enter when the vulnerability was identified"
    _not_future(errors, "vulnerability_identified_on", vulnerability_identified_on, "date")
    found, enforced = vulnerability_identified_on, enforcement.enforced_on
    if found is not None and found < enforced and "vulnerability_identified_on" not in errors:
        errors["vulnerability_identified_on"] = (
            f"The date must be on or after {enforced:%-d %b %Y}, the day of the enforcement"
        )
    _raise(errors)
    fields = ("vulnerability", "vulnerability_identified_on")
    before = snapshot(member, fields)
    member.vulnerability = vulnerability.strip()
    member.vulnerability_identified_on = vulnerability_identified_on
    _saved(member, list(fields))
    _audit(
        actor,
        member,
        "ocsea.family_vulnerability_recorded",
        _people(referral),
        fields,
        action=AuditAction.ALTERATION,
        before=before,
    )
    _sync_case(referral)
    return member


@transaction.atomic
def family_support_record(
    *,
    actor: User,
    enforcement: Enforcement,
    support_signposted_on: date | None = None,
    support_organisation: SupportOrganisation | None = None,
    leaflet_given_on: date | None = None,
    leaflet: Leaflet | None = None,
    welfare_pack_on: date | None = None,
) -> Enforcement:
    """Records the support given to the family (R7); what was recorded before stays unless
    given again."""
    _require(actor, "investigate")
    enforcement, referral = _enforcement_locked(enforcement)
    errors: dict[str, str] = {}
    for name, value in (
        ("support_signposted_on", support_signposted_on),
        ("leaflet_given_on", leaflet_given_on),
        ("welfare_pack_on", welfare_pack_on),
    ):
        _not_future(errors, name, value, "date")
        _not_before(errors, name, value, enforcement.enforced_on, "date")
    if support_signposted_on and support_organisation is None:
        errors["support_organisation"] = "Choose the organisation the family was signposted to"
    if support_organisation is not None and (
        support_organisation.force_id != referral.force_id or not support_organisation.active
    ):
        errors["support_organisation"] = "Choose one of your force's support organisations"
    if leaflet_given_on and leaflet is None:
        errors["leaflet"] = "Choose the leaflet given"
    if leaflet is not None and (leaflet.force_id != referral.force_id or not leaflet.active):
        errors["leaflet"] = "Choose one of your force's leaflets"
    if not any((support_signposted_on, leaflet_given_on, welfare_pack_on)):
        errors["support_signposted_on"] = "Enter at least one date of support given"
    _raise(errors)
    fields = (
        "support_signposted_on",
        "support_organisation_id",
        "leaflet_given_on",
        "leaflet_id",
        "welfare_pack_on",
    )
    before = snapshot(enforcement, fields)
    if support_signposted_on:
        enforcement.support_signposted_on = support_signposted_on
        enforcement.support_organisation = support_organisation
    if leaflet_given_on:
        enforcement.leaflet_given_on, enforcement.leaflet = leaflet_given_on, leaflet
    if welfare_pack_on:
        enforcement.welfare_pack_on = welfare_pack_on
    enforcement.family_present = True
    _saved(
        enforcement,
        [
            "support_signposted_on",
            "support_organisation",
            "leaflet_given_on",
            "leaflet",
            "welfare_pack_on",
            "family_present",
        ],
    )
    _audit(
        actor,
        enforcement,
        "ocsea.family_support_recorded",
        _people(referral),
        fields,
        action=AuditAction.ALTERATION,
        before=before,
    )
    _sync_case(referral)
    return enforcement


@transaction.atomic
def marf_record(
    *, actor: User, member: FamilyMember, submitted_on: date, reference: str
) -> FamilyMember:
    _require(actor, "investigate")
    _, referral = _enforcement_locked(member.enforcement)
    member = FamilyMember.objects.select_for_update().get(pk=member.pk)
    errors: dict[str, str] = {}
    if member.marf_submitted_on is not None:
        errors["submitted_on"] = f"A MARF was submitted on {member.marf_submitted_on:%-d %b %Y}"
    elif member.vulnerability_identified_on is None:
        errors["submitted_on"] = "Record the vulnerability first"
    else:
        _not_before(
            errors, "submitted_on", submitted_on, member.vulnerability_identified_on, "date"
        )
    _not_future(errors, "submitted_on", submitted_on, "date")
    if not reference.strip():
        errors["reference"] = "Enter the MARF's reference"
    _raise(errors)
    member.marf_submitted_on, member.marf_reference = submitted_on, reference.strip()
    _saved(member, ["marf_submitted_on", "marf_reference"])
    _audit(
        actor,
        member,
        "ocsea.marf_submitted",
        _people(referral),
        ("marf_submitted_on", "marf_reference"),
        action=AuditAction.ALTERATION,
    )
    _sync_case(referral)
    return member


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


@transaction.atomic
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
    _audit(
        actor,
        bail,
        "ocsea.bail_started",
        suspect.nominal_id,
        ("kind", "arrested_on", "start_date", "designated", "area_id"),
    )
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
    _audit(
        actor,
        condition,
        "ocsea.bail_condition_imposed",
        bail.suspect.nominal_id,
        ("kind", "text", "protects", "victims_views", "imposed_on"),
    )
    return condition


@transaction.atomic
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


@transaction.atomic
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
    _audit(
        actor,
        condition,
        "ocsea.bail_condition_removed",
        bail.suspect.nominal_id,
        ("removed_on",),
        action=AuditAction.ALTERATION,
    )
    sync(bail)
    return condition


@transaction.atomic
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
    _audit(
        actor,
        check,
        "ocsea.bail_conditions_checked",
        bail.suspect.nominal_id,
        ("checked_on", "method", "result"),
    )
    sync(bail)
    return check


@transaction.atomic
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
    _audit(
        actor,
        check,
        "ocsea.bail_breach_actioned",
        bail.suspect.nominal_id,
        ("breach_actioned_on", "breach_action"),
        action=AuditAction.ALTERATION,
    )
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


@transaction.atomic
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
    _audit(
        actor,
        extension,
        "ocsea.bail_extended",
        bail.suspect.nominal_id,
        (
            "stage",
            "authorised_on",
            "authoriser_name",
            "authoriser_rank",
            *EXTENSION_CONDITIONS,
            "court_order_reference",
            "court_end_date",
        ),
    )
    sync(bail)
    return extension


@transaction.atomic
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
    _audit(
        actor,
        extension,
        "ocsea.bail_court_decided",
        bail.suspect.nominal_id,
        ("court_decided_on", "court_end_date", "court_refused"),
        action=AuditAction.ALTERATION,
    )
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
    before = snapshot(suspect, fields)
    suspect.outcome, suspect.outcome_on, suspect.outcome_detail = Outcome.CHARGED, on, detail
    _saved(suspect, list(fields))
    _audit(
        actor,
        suspect,
        "ocsea.outcome_recorded",
        suspect.nominal_id,
        fields,
        action=AuditAction.ALTERATION,
        before=before,
    )
    return True


@transaction.atomic
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
    _audit(
        actor,
        bail,
        "ocsea.bail_ended",
        bail.suspect.nominal_id,
        ("ended_on", "end_reason", "end_note"),
        action=AuditAction.ALTERATION,
    )
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
        _audit(
            actor,
            rui,
            "ocsea.bail_started",
            bail.suspect.nominal_id,
            ("kind", "arrested_on", "start_date", "area_id"),
        )
        sync(rui)
    return bail


@transaction.atomic
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
    _audit(
        actor,
        rui,
        "ocsea.bail_ended",
        person,
        ("ended_on", "end_reason", "end_note"),
        action=AuditAction.ALTERATION,
    )
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
    _audit(
        actor,
        bail,
        "ocsea.bail_started",
        person,
        (
            "kind",
            "arrested_on",
            "start_date",
            "designated",
            "area_id",
            "continues_id",
            "rebailed_on",
            "rearrested_on",
        ),
    )
    for details in conditions:
        _condition_create(actor, bail, details, bailed_on)
    sync(rui)
    sync(bail)
    return bail


@transaction.atomic
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
    _audit(actor, review, "ocsea.rui_reviewed", bail.suspect.nominal_id, ("reviewed_on",))
    sync(bail)
    return review
