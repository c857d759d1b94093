"""A referral received (its suspects and the children at risk, linked to a duplicate), triaged with
the instrument, reviewed, and given new intelligence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.core import clock
from vigil.core.models import Area, Force, Team, TeamKind
from vigil.instruments import packs as instrument_packs
from vigil.instruments.services import assessment_create
from vigil.obligations.models import RiskLevel
from vigil.obligations.sync import sync
from vigil.ocsea.models import (
    INSTRUMENT_KIND,
    AgeGroup,
    ChildAtRisk,
    Intelligence,
    Referral,
    ReferralStatus,
    ReviewKind,
    RiskReview,
    Source,
    Suspect,
)
from vigil.ocsea.services._common import (
    UNIDENTIFIED,
    _audit,
    _choice,
    _lock_open,
    _not_before,
    _not_future,
    _people,
    _primary,
    _raise,
    _require,
    _saved,
    _sync_case,
)
from vigil.people.models import Nominal
from vigil.people.services import nominal_create

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


@atomic
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
    _audit(actor, suspect, "ocsea.suspect_added", nominal.pk)
    return suspect


@atomic
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


@atomic
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
    _audit(actor, review, "ocsea.referral_triaged", _people(referral))
    _sync_case(referral)
    return review


@atomic
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
    _audit(actor, review, "ocsea.risk_reviewed", _people(referral))
    _sync_case(referral)
    return review


@atomic
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
    _audit(actor, item, "ocsea.intelligence_recorded", _people(referral))
    _sync_case(referral)
    return item
