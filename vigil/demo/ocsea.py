"""Synthetic OCSEA work for the demo: referrals, triage, investigations, enforcement and
family support, arrest decisions, bail and release under investigation, outcomes.

Each referral's life is planned first (ocsea_plan.py), then written:

- `generate_small`: the small demo's casebook (about 60 referrals over eighteen months, each
  state a triage officer, investigator or OCSEA supervisor should meet at least once) through
  the services, one step at a time in date order, with `clock.now`/`clock.today` moved to the
  step: every validation, audit event and obligation is the services' own.
- `generate_bulk`: the force and national scales (about 2,000 referrals a year for five years
  in a force of Northmoor's size), planned the same way and inserted in bulk a chunk at a
  time, each record with the audit event its service writes (`ocsea.referral_received`,
  `ocsea.suspect_added`, `instrument.assessment_recorded`, `ocsea.referral_triaged`, ...),
  with the same field-level changes; the obligations are left to the engine's `sync_all`.

Support organisations and leaflets (reference data the force keeps) are invented and marked
synthetic; telephone numbers are in Ofcom's drama range."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models

from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, audit_record_many, field_changes, snapshot
from vigil.core import clock
from vigil.demo.ocsea_plan import (
    NEVER,
    OUTCOME_DETAIL,
    Custody,
    Deck,
    EnforcementLife,
    Knobs,
    Life,
    Planner,
    Staff,
    SuspectLife,
    at,
)
from vigil.instruments.models import Assessment
from vigil.instruments.packs import get_pack
from vigil.instruments.services import assessment_entry
from vigil.ocsea import services
from vigil.ocsea.models import (
    Allocation,
    Bail,
    BailCondition,
    BailExtension,
    ChildAtRisk,
    ConditionCheck,
    Enforcement,
    FamilyMember,
    Intelligence,
    Leaflet,
    OversightReview,
    Referral,
    RiskReview,
    RuiReview,
    SupportOrganisation,
    Suspect,
)
from vigil.ocsea.services import UNIDENTIFIED
from vigil.ocsea.services.entries import recorded_entries
from vigil.people.entries import created_entry
from vigil.people.models import Nominal, Sex
from vigil.people.services import _review_date  # the services' own retention rule
from vigil.policy.pack import active as active_policy

AUDIT_BATCH = 20_000
CHUNK = 1_000  # referrals planned and inserted at a time at scale
DUPLICATE_SHARE = 0.04
KNOWN_PERSON_SHARE = 0.04  # suspects already known as a person record (an RSO)

ORGANISATIONS = [
    (
        "Family Support Line (synthetic)",
        "01632 960101",
        "https://example.org/family-support",
        "Confidential support for families of people under investigation.",
    ),
    (
        "Parents and Carers Helpline (synthetic)",
        "01632 960202",
        "https://example.org/parents-helpline",
        "Advice for parents and carers on keeping children safe online.",
    ),
    (
        "Community Counselling Service (synthetic)",
        "01632 960303",
        "https://example.org/counselling",
        "Free counselling for adults and children affected by an investigation.",
    ),
]
LEAFLETS = [
    ("Support for your family after a police visit (synthetic)", "2026", 0),
    ("Keeping children safe online: where to get help (synthetic)", "2025", 1),
]

# The order of a day's steps on one referral (a review before the enforcement it precedes,
# the bail before its checks, an outcome before the closure).
PRIORITY = {
    "receive": 0,
    "triage": 1,
    "allocate": 2,
    "intelligence": 3,
    "review": 4,
    "action": 5,
    "plan": 6,
    "oversight": 7,
    "enforce": 8,
    "member": 9,
    "support": 10,
    "marf": 11,
    "safeguard": 11,
    "arrest": 12,
    "ratify": 13,
    "custody": 14,
    "check": 15,
    "breach": 16,
    "extend": 17,
    "court": 18,
    "rui_review": 19,
    "end": 20,
    "outcome": 21,
    "close": 22,
}


@dataclass
class OcseaResult:
    referrals: int = 0
    nominals: int = 0  # person records made for new suspects


# --- Reference data ---------------------------------------------------------------------------


def reference_data(force: Any, actor: Any) -> tuple[list[Any], list[Any]]:
    """The force's support organisations and leaflets, as its administrator would add them
    (with the admin site's audit event)."""
    organisations = [
        SupportOrganisation(force=force, name=n, phone=p, website=w, description=d)
        for n, p, w, d in ORGANISATIONS
    ]
    SupportOrganisation.objects.bulk_create(organisations)
    leaflets = [
        Leaflet(force=force, title=t, edition=e, organisation=organisations[o])
        for t, e, o in LEAFLETS
    ]
    Leaflet.objects.bulk_create(leaflets)
    audit_record_many(
        [
            Entry(
                actor=actor,
                action=AuditAction.COLLECTION,
                event=f"{obj._meta.label_lower}.created_in_admin",
                obj=obj,
                changes=field_changes({}, snapshot(obj, fields)),
            )
            for obj, fields in [
                *(
                    (o, ("name", "phone", "website", "description", "active"))
                    for o in organisations
                ),
                *(
                    (leaflet, ("title", "edition", "organisation_id", "active"))
                    for leaflet in leaflets
                ),
            ]
        ]
    )
    return organisations, leaflets


# --- Steps, shared by both writers ------------------------------------------------------------


@dataclass(order=True)
class Step:
    day: date
    priority: int
    n: int
    what: str = field(compare=False)
    args: tuple[Any, ...] = field(compare=False, default=())
    instant: datetime | None = field(compare=False, default=None)


def steps(life: Life) -> list[Step]:
    """The life as dated steps, in the order they happen."""
    made: list[Step] = []

    def add(day: date, what: str, *args: Any, instant: datetime | None = None) -> None:
        made.append(Step(day, PRIORITY[what], len(made), what, args, instant))

    add(life.received_on, "receive", instant=life.received_at)
    if life.triaged_at is None:
        return made
    add(clock.localdate(life.triaged_at), "triage", instant=life.triaged_at)
    for allocation in life.allocations:
        add(allocation[0], "allocate", allocation)
    for day, summary in life.intelligence:
        add(day, "intelligence", summary)
    for review in life.reviews:
        add(review.on, "review", review)
    if life.action:
        add(life.action[0], "action", life.action[1])
    if life.planned:
        add(life.planned[0], "plan", life.planned[1])
    for day, supervisor in life.oversight:
        add(day, "oversight", supervisor)
    for e, enforcement in enumerate(life.enforcements):
        add(enforcement.on, "enforce", e)
        for m, member in enumerate(enforcement.family):
            add(enforcement.on, "member", e, m)
            if member.marf_on:
                add(member.marf_on, "marf", e, m)
        support: dict[date, list[str]] = {}
        for name in ("signposted_on", "leaflet_on", "welfare_on"):
            if getattr(enforcement, name):
                support.setdefault(getattr(enforcement, name), []).append(name)
        for day, names in sorted(support.items()):
            add(day, "support", e, tuple(names))
    for c, (_, _, safeguarded) in enumerate(life.children):
        if safeguarded:
            add(safeguarded, "safeguard", c)
    for s, suspect in enumerate(life.suspects):
        if suspect.decided_on:
            add(suspect.decided_on, "arrest", s)
        if suspect.ratified_on:
            add(suspect.ratified_on, "ratify", s)
        for b, custody in enumerate(suspect.custody):
            if not custody.from_bail:
                begun = suspect.decided_on if custody.kind == "bail" else custody.start
                add(begun or custody.start, "custody", s, b)
            for n, check in enumerate(custody.checks):
                add(check.on, "check", s, b, n)
                if check.actioned_on:
                    add(check.actioned_on, "breach", s, b, n)
            for n, extension in enumerate(custody.extensions):
                add(extension.on, "extend", s, b, n)
                if extension.decided_on:
                    add(extension.decided_on, "court", s, b, n)
            for day in custody.reviews:
                add(day, "rui_review", s, b, day)
            if custody.end:
                add(custody.end[0], "end", s, b)
        if suspect.outcome_on:
            add(suspect.outcome_on, "outcome", s)
    if life.closed:
        add(life.closed[0], "close")
    return sorted(made)


def _actor(life: Life, staff: Staff) -> Any:
    return (
        life.officer or staff.investigators["ocsea"][life.index % len(staff.investigators["ocsea"])]
    )


def _reviewer(life: Life, staff: Staff, day: date) -> Any:
    if life.allocations and life.allocations[0][0] <= day:
        return _actor(life, staff)
    return life.triaged_by


def _outcome_detail(outcome: str) -> str:
    return OUTCOME_DETAIL[outcome]


# --- The small demo: through the services -----------------------------------------------------


class _ServiceWriter:
    """Writes lives through the services, a step at a time."""

    def __init__(self, staff: Staff, organisations: list[Any], leaflets: list[Any]) -> None:
        self.staff, self.organisations, self.leaflets = staff, organisations, leaflets
        self.referrals: dict[int, Referral] = {}
        self.suspects: dict[tuple[int, int], Suspect] = {}
        self.enforcements: dict[tuple[int, int], Enforcement] = {}
        self.members: dict[tuple[int, int, int], FamilyMember] = {}
        self.bails: dict[tuple[int, int, int], Bail] = {}
        self.checks: dict[tuple[int, int, int, int], Any] = {}
        self.extensions: dict[tuple[int, int, int, int], BailExtension] = {}
        self.nominals = 0

    def run(self, life: Life, step: Step) -> None:
        getattr(self, f"_{step.what}")(life, step, *step.args)

    def _receive(self, life: Life, step: Step) -> None:
        details = []
        for suspect in life.suspects:
            nominal = suspect.nominal
            if nominal is None and suspect.same_as is not None:
                nominal = suspect.same_as.nominal
            details.append(
                services.SuspectDetails(
                    age_group=suspect.age_group,
                    nominal=nominal,
                    family_name=suspect.family_name,
                    given_names=suspect.given_names,
                    date_of_birth=suspect.date_of_birth,
                    online_identifiers=suspect.identifiers,
                )
            )
        referral = services.referral_receive(
            actor=life.triaged_by or self.staff.triage[life.index % len(self.staff.triage)],
            intake=services.Intake(
                source=life.source,
                received_at=life.received_at,
                summary=life.summary,
                ocsea_team=self.staff.teams["ocsea"],
                suspects=details,
                source_reference=life.source_reference,
                category_a=life.categories[0],
                category_b=life.categories[1],
                category_c=life.categories[2],
                area=life.area,
                children=[services.ChildDetails(d, a) for d, a, _ in life.children],
            ),
        )
        self.referrals[life.index] = referral
        for n, (suspect, made) in enumerate(
            zip(life.suspects, referral.suspects.order_by("created_at"), strict=True)
        ):
            if suspect.nominal is None and suspect.same_as is None:
                self.nominals += 1
            suspect.nominal = made.nominal
            self.suspects[(life.index, n)] = made

    def _triage(self, life: Life, step: Step) -> None:
        services.referral_triage(
            actor=life.triaged_by,
            referral=self.referrals[life.index],
            pack_code=life.pack_code,
            answers=life.answers,
        )

    def _allocate(self, life: Life, step: Step, allocation: tuple[Any, ...]) -> None:
        day, team, officer, supervisor, reason = allocation
        services.referral_allocate(
            actor=supervisor,
            referral=self.referrals[life.index],
            team=self.staff.teams[team],
            officer=officer,
            reason=reason,
            allocated_on=day,
        )

    def _intelligence(self, life: Life, step: Step, summary: str) -> None:
        services.intelligence_record(
            actor=_reviewer(life, self.staff, step.day),
            referral=self.referrals[life.index],
            received_on=step.day,
            summary=summary,
        )

    def _review(self, life: Life, step: Step, review: Any) -> None:
        services.risk_review_record(
            actor=_reviewer(life, self.staff, step.day),
            referral=self.referrals[life.index],
            kind=review.kind,
            reviewed_on=review.on,
            notes=review.notes,
            band=review.band,
        )

    def _action(self, life: Life, step: Step, text: str) -> None:
        services.action_record(
            actor=_actor(life, self.staff),
            referral=self.referrals[life.index],
            actioned_on=step.day,
            action_taken=text,
        )

    def _plan(self, life: Life, step: Step, planned_for: date) -> None:
        services.enforcement_plan(
            actor=_actor(life, self.staff),
            referral=self.referrals[life.index],
            planned_on=planned_for,
        )

    def _oversight(self, life: Life, step: Step, supervisor: Any) -> None:
        services.oversight_review_record(
            actor=supervisor,
            referral=self.referrals[life.index],
            reviewed_on=step.day,
            notes="Synthetic: oversight review; the investigation plan is sound.",
        )

    def _enforce(self, life: Life, step: Step, e: int) -> None:
        enforcement = life.enforcements[e]
        self.enforcements[(life.index, e)] = services.enforcement_record(
            actor=_actor(life, self.staff),
            referral=self.referrals[life.index],
            enforced_on=enforcement.on,
            outcome=enforcement.outcome,
            warrant=bool(enforcement.warrant_reference),
            warrant_reference=enforcement.warrant_reference,
            devices_seized=enforcement.devices,
            children_safeguarded=enforcement.children_safeguarded,
        )

    def _member(self, life: Life, step: Step, e: int, m: int) -> None:
        member = life.enforcements[e].family[m]
        self.members[(life.index, e, m)] = services.family_member_add(
            actor=_actor(life, self.staff),
            enforcement=self.enforcements[(life.index, e)],
            relationship=member.relationship,
            age_band=member.age_band,
            lives_with_suspect=member.lives_with,
            vulnerability=member.vulnerability,
            vulnerability_identified_on=member.vulnerability_on,
        )

    def _support(self, life: Life, step: Step, e: int, names: tuple[str, ...]) -> None:
        enforcement = life.enforcements[e]
        services.family_support_record(
            actor=_actor(life, self.staff),
            enforcement=self.enforcements[(life.index, e)],
            support_signposted_on=step.day if "signposted_on" in names else None,
            support_organisation=self.organisations[enforcement.organisation]
            if "signposted_on" in names
            else None,
            leaflet_given_on=step.day if "leaflet_on" in names else None,
            leaflet=self.leaflets[enforcement.leaflet] if "leaflet_on" in names else None,
            welfare_pack_on=step.day if "welfare_on" in names else None,
        )

    def _marf(self, life: Life, step: Step, e: int, m: int) -> None:
        member = life.enforcements[e].family[m]
        services.marf_record(
            actor=_actor(life, self.staff),
            member=self.members[(life.index, e, m)],
            submitted_on=step.day,
            reference=member.marf_reference,
        )

    def _safeguard(self, life: Life, step: Step, c: int) -> None:
        child = self.referrals[life.index].children.order_by("created_at")[c]
        services.child_safeguarded(
            actor=_actor(life, self.staff), child=child, safeguarded_on=step.day
        )

    def _arrest(self, life: Life, step: Step, s: int) -> None:
        suspect = life.suspects[s]
        self.suspects[(life.index, s)] = services.arrest_decision_record(
            actor=suspect.decided_by,
            suspect=self.suspects[(life.index, s)],
            decision=suspect.decision,
            decided_on=step.day,
            rationale=suspect.rationale,
        )

    def _ratify(self, life: Life, step: Step, s: int) -> None:
        services.arrest_ratify(
            actor=life.suspects[s].ratified_by,
            suspect=self.suspects[(life.index, s)],
            note="Synthetic: the rationale is sound; no access to children.",
        )

    def _custody(self, life: Life, step: Step, s: int, b: int) -> None:
        custody = life.suspects[s].custody[b]
        self.bails[(life.index, s, b)] = services.bail_begin(
            actor=_actor(life, self.staff),
            suspect=self.suspects[(life.index, s)],
            kind=custody.kind,
            area=custody.area,
            released_on=custody.start if custody.kind == "rui" else None,
            conditions=[
                services.ConditionDetails(kind=k, text=t, victims_views=v)
                for k, t, v in custody.conditions
            ],
        )

    def _check(self, life: Life, step: Step, s: int, b: int, n: int) -> None:
        check = life.suspects[s].custody[b].checks[n]
        self.checks[(life.index, s, b, n)] = services.condition_check_record(
            actor=_actor(life, self.staff),
            bail=self.bails[(life.index, s, b)],
            checked_on=check.on,
            method=check.method,
            result=check.result,
            notes=check.notes,
        )

    def _breach(self, life: Life, step: Step, s: int, b: int, n: int) -> None:
        check = life.suspects[s].custody[b].checks[n]
        services.breach_action_record(
            actor=_actor(life, self.staff),
            check=self.checks[(life.index, s, b, n)],
            actioned_on=step.day,
            action=check.action,
        )

    def _extend(self, life: Life, step: Step, s: int, b: int, n: int) -> None:
        extension = life.suspects[s].custody[b].extensions[n]
        court = extension.stage == "court"
        self.extensions[(life.index, s, b, n)] = services.bail_extend(
            actor=_actor(life, self.staff),
            bail=self.bails[(life.index, s, b)],
            details=services.ExtensionDetails(
                stage=extension.stage,
                authorised_on=extension.on,
                authoriser_name=extension.name,
                authoriser_rank=extension.rank,
                grounds_to_suspect=not court,
                further_time_needed=not court,
                diligent_and_expeditious=not court,
                bail_necessary_and_proportionate=not court,
                court_order_reference=extension.court_reference,
            ),
        )

    def _court(self, life: Life, step: Step, s: int, b: int, n: int) -> None:
        extension = life.suspects[s].custody[b].extensions[n]
        services.court_decision_record(
            actor=_actor(life, self.staff),
            extension=self.extensions[(life.index, s, b, n)],
            decided_on=step.day,
            end_date=extension.court_end,
        )

    def _rui_review(self, life: Life, step: Step, s: int, b: int, day: date) -> None:
        services.rui_review_record(
            actor=_actor(life, self.staff),
            bail=self.bails[(life.index, s, b)],
            reviewed_on=day,
            notes="Synthetic: forensic examination of the devices continues.",
        )

    def _end(self, life: Life, step: Step, s: int, b: int) -> None:
        custody = life.suspects[s].custody[b]
        assert custody.end is not None
        day, reason, note = custody.end
        bail = services.bail_end(
            actor=_actor(life, self.staff),
            bail=self.bails[(life.index, s, b)],
            ended_on=day,
            reason=reason,
            note=note,
        )
        if reason == "rui":  # the service started the release under investigation
            self.bails[(life.index, s, b + 1)] = Bail.objects.get(
                suspect=bail.suspect, kind="rui", ended_on__isnull=True
            )

    def _outcome(self, life: Life, step: Step, s: int) -> None:
        suspect = life.suspects[s]
        recorded = Suspect.objects.get(pk=self.suspects[(life.index, s)].pk)
        if recorded.outcome == suspect.outcome:
            return  # ending the bail as "charged" recorded it
        services.outcome_record(
            actor=_actor(life, self.staff),
            suspect=self.suspects[(life.index, s)],
            outcome=suspect.outcome,
            outcome_on=step.day,
            detail=_outcome_detail(suspect.outcome),
        )

    def _close(self, life: Life, step: Step) -> None:
        assert life.closed is not None
        services.referral_close(
            actor=_actor(life, self.staff),
            referral=self.referrals[life.index],
            closed_on=step.day,
            note=life.closed[1],
        )


def write_through_services(
    lives: list[Life], staff: Staff, organisations: list[Any], leaflets: list[Any], now: datetime
) -> int:
    """Writes every life's steps through the services in date order (all referrals
    interleaved, as they happened), the clock at each step's instant. Returns the person
    records made for new suspects."""
    writer = _ServiceWriter(staff, organisations, leaflets)
    timed: list[tuple[datetime, int, int, Life, Step]] = []
    for life in lives:
        previous = None
        for step in steps(life):
            instant = step.instant or at(step.day, 8) + timedelta(minutes=20 * step.priority)
            if previous is not None and instant <= previous:
                instant = previous + timedelta(seconds=1)
            previous = instant
            timed.append((min(instant, now), life.index, step.n, life, step))
    timed.sort(key=lambda t: t[:3])
    with clock.frozen(now) as move:
        for instant, _, _, life, step in timed:
            move(instant)
            writer.run(life, step)
    return writer.nominals


def _case(days: float, band: str | None = None, **knobs: Any) -> tuple[float, Knobs]:
    return days, Knobs(band=band, casebook=True, **knobs)


WAITING: dict[str, Any] = {"allocate": False, "action_day": -1, "enforce_day": -1}
BAIL: dict[str, Any] = {"arrest": "arrested", "custody": "bail"}
RUI: dict[str, Any] = {"arrest": "arrested", "custody": "rui"}
NOT_ARRESTED: dict[str, Any] = {"arrest": "not_arrested"}


def casebook(rso_nominals: list[Any]) -> list[tuple[float, Knobs]]:
    """The small demo's referrals that must show a particular state today: (days since
    receipt, what must hold). The rest are drawn at random over eighteen months."""
    known = iter(rso_nominals)
    c = _case
    return [
        # 0-3 awaiting triage: unassessed at the top of the queue; one duplicates 16 (linked)
        c(2 / 24, triage_hours=NEVER, source="nca_ceop"),
        c(5 / 24, triage_hours=NEVER, source="ncmec", duplicate_of=16),
        c(26 / 24, triage_hours=NEVER, source="public"),
        c(3, triage_hours=NEVER, source="other_force", age_group="child"),
        # 4-8 triaged, waiting for police action (one overdue, one assessed late)
        c(2, "very_high", **WAITING),
        c(4, "high", **WAITING),
        c(9, "medium", **WAITING),
        c(12, "low", age_group="child", **WAITING),
        c(10, "high", triage_hours=60, action_day=-1, enforce_day=-1, team="ocsea"),
        # 9-11 late clocks; enforcement planned with and without its review
        c(25, "medium", triage_hours=50, action_day=18, enforce_day=-1),
        c(20, "high", action_day=5, enforce_day=24, plan_ahead=10, pre_review=False),
        c(30, "medium", action_day=10, enforce_day=32, plan_ahead=12, pre_review=True),
        # 12-15 enforced: family support and a MARF missing; decisions not to arrest
        c(
            15,
            "high",
            action_day=4,
            enforce_day=12,
            pre_review=False,
            family=True,
            family_missing=("leaflet", "welfare", "marf"),
            investigation_days=200,
            **RUI,
        ),
        c(
            40,
            "medium",
            action_day=10,
            enforce_day=20,
            family=True,
            ratify="on_time",
            **NOT_ARRESTED,
        ),
        c(12, "high", action_day=3, enforce_day=7, ratify="missing", **NOT_ARRESTED),
        c(35, "medium", action_day=12, enforce_day=20, ratify="missing", **NOT_ARRESTED),
        # 16-18 owned outside OCSEA: oversight due, one overdue; 16 is duplicated by 1
        c(75, "high", team="cait", action_day=3, enforce_day=20, investigation_days=300, **BAIL),
        c(
            90,
            "medium",
            team="cait",
            action_day=10,
            enforce_day=30,
            ratify="on_time",
            investigation_days=200,
            oversight_late=True,
            **NOT_ARRESTED,
        ),
        c(50, "low", team="lpa", action_day=20, enforce_day=-1),
        # 19-26 bail: near expiry (two), expired without a decision, extended by an inspector
        # and by a superintendent, a court application pending, to RUI at nine months, a
        # breach not yet acted on
        c(82, "very_high", enforce_day=0, investigation_days=250, decision_missing=True, **BAIL),
        c(
            80,
            "high",
            action_day=1,
            enforce_day=1,
            investigation_days=250,
            decision_missing=True,
            **BAIL,
        ),
        c(
            105,
            "high",
            action_day=1,
            enforce_day=5,
            investigation_days=250,
            decision_missing=True,
            check_missing=True,
            **BAIL,
        ),
        c(140, "medium", action_day=7, enforce_day=15, investigation_days=250, **BAIL),
        c(
            215,
            "high",
            action_day=3,
            enforce_day=10,
            investigation_days=300,
            check_missing=True,
            breach="actioned",
            **BAIL,
        ),
        c(
            290,
            "high",
            action_day=2,
            enforce_day=8,
            investigation_days=400,
            court="pending",
            **BAIL,
        ),
        c(
            300,
            "medium",
            action_day=6,
            enforce_day=12,
            investigation_days=500,
            court="none",
            **BAIL,
        ),
        c(40, "very_high", enforce_day=0, investigation_days=200, breach="open", **BAIL),
        # 27-28 released under investigation: reviews on time, and overdue
        c(110, "medium", action_day=5, enforce_day=8, investigation_days=300, **RUI),
        c(
            75,
            "high",
            action_day=2,
            enforce_day=5,
            investigation_days=300,
            rui_review_late=True,
            **RUI,
        ),
        # 29-31 new intelligence: a review due, one overdue; a periodic review overdue
        c(60, "high", action_day=5, enforce_day=-1, intel_day=57, intel_review="missing"),
        c(80, "medium", action_day=10, enforce_day=-1, intel_day=68, intel_review="missing"),
        c(120, "low", action_day=20, enforce_day=-1, last_review_late=True),
        # 32-33 a duplicate (33) closed under the referral it duplicates (32)
        c(200, "high", action_day=3, enforce_day=10, investigation_days=120, **BAIL),
        c(150, source="ncmec", duplicate_of=32),
        # 34-37 known people as suspects; two suspects; a child suspect not arrested
        c(
            45,
            "medium",
            action_day=5,
            enforce_day=14,
            investigation_days=200,
            nominal=next(known, None),
            **BAIL,
        ),
        c(400, nominal=next(known, None)),
        c(130, "high", suspects=2, action_day=3, enforce_day=6),
        c(
            50,
            "medium",
            age_group="child",
            action_day=8,
            enforce_day=20,
            ratify="on_time",
            **NOT_ARRESTED,
        ),
    ]


SMALL_REFERRALS = 60
SMALL_DAYS = 540  # about eighteen months


def generate_small(
    *,
    rng: random.Random,
    force: Any,
    staff: Staff,
    administrator: Any,
    rso_nominals: list[Any],
) -> OcseaResult:
    """The small demo's OCSEA work through the services: the casebook, then referrals drawn
    at random over eighteen months to make up SMALL_REFERRALS (most of them closed)."""
    now = clock.now()
    today = clock.localdate(now)
    organisations, leaflets = reference_data(force, administrator)
    planner = Planner(rng, staff, active_policy(), today, now, len(organisations), len(leaflets))
    book = casebook(rso_nominals)
    extra = SMALL_REFERRALS - len(book)
    received: list[tuple[float, Knobs]] = [
        *book,
        *((rng.uniform(60, SMALL_DAYS), Knobs()) for _ in range(extra)),
    ]
    deck = Deck(rng, sum(1 for _, k in received if k.triage_hours != NEVER))
    lives: dict[int, Life] = {}
    # originals first, so that a duplicate can name its original's suspect
    order = sorted(range(len(received)), key=lambda i: received[i][1].duplicate_of is not None)
    for i in order:
        days, knobs = received[i]
        instant = now - timedelta(days=days)
        if days >= 1:  # a working hour on the day, not the hour the demo runs
            instant = at(clock.localdate(instant), rng.randint(7, 20), rng.choice([0, 15, 30, 45]))
        band = "" if knobs.triage_hours == NEVER else deck.draw(knobs.band)
        original = lives.get(knobs.duplicate_of) if knobs.duplicate_of is not None else None
        lives[i] = planner.plan(i, instant, band or "medium", knobs, original)
    made = write_through_services(
        [lives[i] for i in range(len(received))], staff, organisations, leaflets, now
    )
    return OcseaResult(referrals=len(lives), nominals=made)


# --- The force and national scales: in bulk ---------------------------------------------------


class _BulkWriter:
    """Turns lives into model instances and their services' audit events, and inserts a
    chunk of them at a time."""

    # In dependency order; intelligence before reviews, as a review meets the intelligence
    # recorded before it (rules.intelligence_reviews compares their creation times).
    MODELS: tuple[type[models.Model], ...] = (
        Nominal,
        Referral,
        Suspect,
        ChildAtRisk,
        Assessment,
        Intelligence,
        RiskReview,
        Allocation,
        OversightReview,
        Enforcement,
        FamilyMember,
        Bail,
        BailCondition,
        ConditionCheck,
        BailExtension,
        RuiReview,
    )

    def __init__(
        self, force: Any, staff: Staff, organisations: list[Any], leaflets: list[Any]
    ) -> None:
        self.force, self.staff = force, staff
        self.organisations, self.leaflets = organisations, leaflets
        self.numbers: dict[int, int] = {}
        self.referrals: dict[int, Referral] = {}  # by life index, for links (recent only)
        self.scores: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        self.nominals = 0
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[type[models.Model], list[Any]] = {m: [] for m in self.MODELS}
        self.entries: list[tuple[date, int, int, Entry]] = []

    def _event(self, day: date, what: str, entries: list[Entry]) -> None:
        """The entries a service appends (its own builder: services/entries.py), on the day
        the demo's life did it, marked as the demo's."""
        for entry in entries:
            marked = replace(entry, detail={"source": "demo"})
            self.entries.append((day, PRIORITY[what], len(self.entries), marked))

    def _reference(self, year: int) -> str:
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"OC-{year}-{self.numbers[year]:05d}"

    def add(self, life: Life) -> None:
        staff, force_id = self.staff, self.force.pk
        triager = life.triaged_by or staff.triage[life.index % len(staff.triage)]
        received = life.received_on
        # the person records of new suspects
        nominals = []
        for suspect in life.suspects:
            if suspect.nominal is None and suspect.same_as is not None:
                suspect.nominal = suspect.same_as.nominal
            if suspect.nominal is None:
                online = suspect.identifiers.splitlines()[0]
                data = {
                    "family_name": suspect.family_name or UNIDENTIFIED,
                    "given_names": suspect.given_names
                    or ("(not known)" if suspect.family_name else f"(online: {online})"[:150]),
                    "date_of_birth": suspect.date_of_birth,
                    "sex": Sex.OTHER,
                }
                review = _review_date(received)
                suspect.nominal = Nominal(
                    force_id=force_id, created_by=triager, review_date=review, **data
                )
                self.rows[Nominal].append(suspect.nominal)
                self.nominals += 1
                self._event(received, "receive", [created_entry(triager, suspect.nominal)])
            nominals.append(suspect.nominal)
        people = [n.pk for n in nominals]
        # the referral as it stands today
        last = life.allocations[-1] if life.allocations else None
        # a planned enforcement stays planned until it is recorded (on its day)
        planned = life.planned[1] if life.planned and not life.enforcements else None
        referral = Referral(
            force_id=force_id,
            reference=self._reference(received.year),
            source=life.source,
            source_reference=life.source_reference,
            received_at=life.received_at,
            summary=life.summary,
            category_a=life.categories[0],
            category_b=life.categories[1],
            category_c=life.categories[2],
            ocsea_team=staff.teams["ocsea"],
            team=staff.teams[last[1]] if last else staff.teams["ocsea"],
            officer=last[2] if last else None,
            allocated_on=last[0] if last else None,
            area=life.area,
            band=life.current_band,
            status="closed"
            if life.closed
            else "investigating"
            if life.allocations or life.enforcements
            else "triaged"
            if life.triaged_at
            else "received",
            linked_to=self.referrals.get(life.linked_to) if life.linked_to is not None else None,
            actioned_on=life.action[0] if life.action else None,
            action_taken=life.action[1] if life.action else "",
            planned_enforcement_on=planned,
            closed_on=life.closed[0] if life.closed else None,
            closure_note=life.closed[1] if life.closed else "",
        )
        self.rows[Referral].append(referral)
        self.referrals[life.index] = referral
        suspects = []
        for suspect, nominal in zip(life.suspects, nominals, strict=True):
            row = Suspect(
                force_id=force_id,
                referral=referral,
                nominal=nominal,
                age_group=suspect.age_group,
                online_identifiers=suspect.identifiers,
                arrest_decision=suspect.decision,
                arrest_decisions=1 if suspect.decision else 0,
                arrest_decided_on=suspect.decided_on,
                arrest_decided_by=suspect.decided_by,
                arrest_rationale=suspect.rationale,
                ratified_on=suspect.ratified_on,
                ratified_by=suspect.ratified_by if suspect.ratified_on else None,
                ratification_note="Synthetic: the rationale is sound; no access to children."
                if suspect.ratified_on
                else "",
                outcome=suspect.outcome,
                outcome_on=suspect.outcome_on,
                outcome_detail=_outcome_detail(suspect.outcome) if suspect.outcome else "",
            )
            suspects.append(row)
            self._event(
                received,
                "receive",
                recorded_entries(triager, row, "ocsea.suspect_added", nominal.pk),
            )
        self.rows[Suspect] += suspects
        children = [
            ChildAtRisk(
                force_id=force_id,
                referral=referral,
                description=d,
                age=a,
                safeguarded_on=s,
            )
            for d, a, s in life.children
        ]
        self.rows[ChildAtRisk] += children
        self._event(
            received,
            "receive",
            recorded_entries(
                triager,
                referral,
                "ocsea.referral_received",
                people,
                extra={"children_at_risk": [c.description for c in children]},
            ),
        )
        if life.triaged_at is None:
            return
        self._triage(life, referral, triager, people)
        self._investigation(life, referral, people)
        for s, (suspect, row) in enumerate(zip(life.suspects, suspects, strict=True)):
            self._suspect(life, s, suspect, row, referral)
        for child in children:
            if child.safeguarded_on:
                self._event(
                    child.safeguarded_on,
                    "safeguard",
                    recorded_entries(_actor(life, staff), child, "ocsea.child_safeguarded", people),
                )
        if life.closed:
            self._event(
                life.closed[0],
                "close",
                recorded_entries(_actor(life, staff), referral, "ocsea.referral_closed", people),
            )

    def _score(self, code: str, answers: dict[str, str]) -> Any:
        key = (code, tuple(sorted(answers.items())))
        if key not in self.scores:
            self.scores[key] = get_pack(code).score(answers)
        return self.scores[key]

    def _triage(self, life: Life, referral: Referral, triager: Any, people: Any) -> None:
        assert life.triaged_at is not None
        pack = get_pack(life.pack_code)
        result = self._score(life.pack_code, life.answers)
        assessment = Assessment(
            force_id=self.force.pk,
            pack_code=pack.code,
            pack_name=pack.name,
            pack_version=pack.version,
            pack_digest=pack.digest,
            subject_type="ocsea.referral",
            subject_id=referral.pk,
            person_id=people[0],
            answers={item.id: str(life.answers[item.id]) for item in pack.items},
            item_points=result.item_points,
            flags=result.flags,
            score=result.score,
            band=result.band,
            band_label=result.band_label,
            timescale_key=result.timescale_key,
            override_item=result.override_item,
            override_reason=result.override_reason,
            assessed_by=triager,
            assessed_at=life.triaged_at,
        )
        day = clock.localdate(life.triaged_at)
        review = RiskReview(
            force_id=self.force.pk,
            referral=referral,
            kind="triage",
            reviewed_on=day,
            reviewed_by=triager,
            assessment=assessment,
            band=assessment.band,
        )
        self.rows[Assessment].append(assessment)
        self.rows[RiskReview].append(review)
        self._event(day, "triage", [assessment_entry(triager, assessment, people[0])])
        self._event(
            day, "triage", recorded_entries(triager, review, "ocsea.referral_triaged", people)
        )

    def _investigation(self, life: Life, referral: Referral, people: Any) -> None:
        staff, force_id = self.staff, self.force.pk
        team, officer = staff.teams["ocsea"].pk, None
        status = "triaged"
        for day, key, who, supervisor, reason in life.allocations:
            self.rows[Allocation].append(
                Allocation(
                    force_id=force_id,
                    referral=referral,
                    team=staff.teams[key],
                    officer=who,
                    allocated_on=day,
                    allocated_by=supervisor,
                    reason=reason,
                )
            )
            after = {
                "team_id": staff.teams[key].pk,
                "officer_id": who.pk if who else None,
                "status": "investigating",
            }
            self._event(
                day,
                "allocate",
                recorded_entries(
                    supervisor,
                    referral,
                    "ocsea.investigation_allocated",
                    people,
                    at=after,
                    before={"team_id": team, "officer_id": officer, "status": status},
                ),
            )
            team, officer, status = after["team_id"], after["officer_id"], "investigating"
        for day, summary in life.intelligence:
            item = Intelligence(
                force_id=force_id,
                referral=referral,
                received_on=day,
                summary=summary,
                recorded_by=_reviewer(life, staff, day),
            )
            self.rows[Intelligence].append(item)
            self._event(
                day,
                "intelligence",
                recorded_entries(item.recorded_by, item, "ocsea.intelligence_recorded", people),
            )
        band = life.band
        for review in life.reviews:
            row = RiskReview(
                force_id=force_id,
                referral=referral,
                kind=review.kind,
                reviewed_on=review.on,
                reviewed_by=_reviewer(life, staff, review.on),
                band=review.band,
                previous_band=band,
                notes=review.notes,
            )
            self.rows[RiskReview].append(row)
            self._event(
                review.on,
                "review",
                recorded_entries(row.reviewed_by, row, "ocsea.risk_reviewed", people),
            )
            band = review.band
        actor = _actor(life, staff)
        if life.action:
            self._event(
                life.action[0],
                "action",
                recorded_entries(actor, referral, "ocsea.action_recorded", people),
            )
        if life.planned:
            self._event(
                life.planned[0],
                "plan",
                recorded_entries(
                    actor,
                    referral,
                    "ocsea.enforcement_planned",
                    people,
                    at={"planned_enforcement_on": life.planned[1]},
                    before={"planned_enforcement_on": None},
                ),
            )
        for day, supervisor in life.oversight:
            oversight = OversightReview(
                force_id=force_id,
                referral=referral,
                reviewed_on=day,
                reviewed_by=supervisor,
                notes="Synthetic: oversight review; the investigation plan is sound.",
            )
            self.rows[OversightReview].append(oversight)
            self._event(
                day,
                "oversight",
                recorded_entries(supervisor, oversight, "ocsea.oversight_reviewed", people),
            )
        for enforcement in life.enforcements:
            self._enforcement(life, enforcement, referral, people, actor)

    def _enforcement(
        self, life: Life, plan: EnforcementLife, referral: Referral, people: Any, actor: Any
    ) -> None:
        force_id = self.force.pk
        organisation = self.organisations[plan.organisation] if plan.signposted_on else None
        leaflet = self.leaflets[plan.leaflet] if plan.leaflet_on else None
        row = Enforcement(
            force_id=force_id,
            referral=referral,
            enforced_on=plan.on,
            warrant=bool(plan.warrant_reference),
            warrant_reference=plan.warrant_reference,
            outcome=plan.outcome,
            devices_seized=plan.devices,
            children_safeguarded=plan.children_safeguarded,
            recorded_by=actor,
            family_present=plan.family_present,
            support_signposted_on=plan.signposted_on,
            support_organisation=organisation,
            leaflet_given_on=plan.leaflet_on,
            leaflet=leaflet,
            welfare_pack_on=plan.welfare_on,
        )
        self.rows[Enforcement].append(row)
        self._event(
            plan.on,
            "enforce",
            recorded_entries(
                actor,
                row,
                "ocsea.enforcement_recorded",
                people,
                at={
                    "enforced_on": plan.on,
                    "warrant": row.warrant,
                    "warrant_reference": row.warrant_reference,
                    "outcome": row.outcome,
                    "devices_seized": row.devices_seized,
                    "children_safeguarded": row.children_safeguarded,
                    "family_present": False,
                },
            ),
        )
        for member in plan.family:
            person = FamilyMember(
                force_id=force_id,
                enforcement=row,
                relationship=member.relationship,
                age_band=member.age_band,
                lives_with_suspect=member.lives_with,
                vulnerability_identified_on=member.vulnerability_on,
                vulnerability=member.vulnerability,
                marf_submitted_on=member.marf_on,
                marf_reference=member.marf_reference,
            )
            self.rows[FamilyMember].append(person)
            self._event(
                plan.on,
                "member",
                recorded_entries(actor, person, "ocsea.family_member_recorded", people),
            )
            if member.marf_on:
                self._event(
                    member.marf_on,
                    "marf",
                    recorded_entries(actor, person, "ocsea.marf_submitted", people),
                )
        support: dict[str, Any] = {
            "support_signposted_on": None,
            "support_organisation_id": None,
            "leaflet_given_on": None,
            "leaflet_id": None,
            "welfare_pack_on": None,
        }
        days = sorted({d for d in (plan.signposted_on, plan.leaflet_on, plan.welfare_on) if d})
        for day in days:
            after = dict(support)
            if plan.signposted_on == day:
                after["support_signposted_on"] = day
                after["support_organisation_id"] = organisation.pk if organisation else None
            if plan.leaflet_on == day:
                after["leaflet_given_on"], after["leaflet_id"] = (
                    day,
                    leaflet.pk if leaflet else None,
                )
            if plan.welfare_on == day:
                after["welfare_pack_on"] = day
            self._event(
                day,
                "support",
                recorded_entries(
                    actor, row, "ocsea.family_support_recorded", people, at=after, before=support
                ),
            )
            support = after

    def _suspect(
        self, life: Life, s: int, plan: SuspectLife, row: Suspect, referral: Referral
    ) -> None:
        person = row.nominal_id
        actor = _actor(life, self.staff)
        if plan.decided_on:
            self._event(
                plan.decided_on,
                "arrest",
                recorded_entries(
                    plan.decided_by,
                    row,
                    "ocsea.arrest_decided",
                    person,
                    before={
                        "arrest_decision": "",
                        "arrest_decided_on": None,
                        "arrest_rationale": "",
                    },
                ),
            )
        if plan.ratified_on:
            self._event(
                plan.ratified_on,
                "ratify",
                recorded_entries(
                    plan.ratified_by,
                    row,
                    "ocsea.non_arrest_ratified",
                    person,
                    justification=row.ratification_note,
                ),
            )
        previous: Bail | None = None
        for custody in plan.custody:
            previous = self._custody(custody, row, actor, previous)
        if plan.outcome_on:
            self._event(
                plan.outcome_on,
                "outcome",
                recorded_entries(
                    actor,
                    row,
                    "ocsea.outcome_recorded",
                    person,
                    before={"outcome": "", "outcome_on": None, "outcome_detail": ""},
                ),
            )

    def _custody(self, plan: Custody, suspect: Suspect, actor: Any, previous: Bail | None) -> Bail:
        force_id, person = self.force.pk, suspect.nominal_id
        end = plan.end
        bail = Bail(
            force_id=force_id,
            suspect=suspect,
            kind=plan.kind,
            arrested_on=suspect.arrest_decided_on,
            start_date=plan.start,
            area=plan.area,
            ended_on=end[0] if end else None,
            end_reason=end[1] if end else "",
            ended_by=actor if end else None,
            end_note=end[2] if end else "",
            recorded_by=actor,
        )
        self.rows[Bail].append(bail)
        day = (
            plan.start
            if plan.kind == "rui" or suspect.arrest_decided_on is None
            else suspect.arrest_decided_on
        )
        self._event(
            day,
            "end" if plan.from_bail else "custody",
            recorded_entries(actor, bail, "ocsea.bail_started", person),
        )
        for kind, text, views in plan.conditions:
            condition = BailCondition(
                force_id=force_id,
                bail=bail,
                kind=kind,
                text=text,
                victims_views=views,
                imposed_on=plan.start,
            )
            self.rows[BailCondition].append(condition)
            self._event(
                day,
                "custody",
                recorded_entries(actor, condition, "ocsea.bail_condition_imposed", person),
            )
        for check in plan.checks:
            row = ConditionCheck(
                force_id=force_id,
                bail=bail,
                checked_on=check.on,
                method=check.method,
                result=check.result,
                officer=actor,
                notes=check.notes,
                breach_actioned_on=check.actioned_on,
                breach_action=check.action,
            )
            self.rows[ConditionCheck].append(row)
            self._event(
                check.on,
                "check",
                recorded_entries(actor, row, "ocsea.bail_conditions_checked", person),
            )
            if check.actioned_on:
                self._event(
                    check.actioned_on,
                    "breach",
                    recorded_entries(actor, row, "ocsea.bail_breach_actioned", person),
                )
        for extension in plan.extensions:
            court = extension.stage == "court"
            granted = BailExtension(
                force_id=force_id,
                bail=bail,
                stage=extension.stage,
                authorised_on=extension.on,
                authoriser_name=extension.name,
                authoriser_rank=extension.rank,
                grounds_to_suspect=not court,
                further_time_needed=not court,
                diligent_and_expeditious=not court,
                bail_necessary_and_proportionate=not court,
                court_order_reference=extension.court_reference,
                court_decided_on=extension.decided_on,
                court_end_date=extension.court_end,
                recorded_by=actor,
            )
            self.rows[BailExtension].append(granted)
            self._event(
                extension.on,
                "extend",
                recorded_entries(
                    actor,
                    granted,
                    "ocsea.bail_extended",
                    person,
                    at={
                        "stage": granted.stage,
                        "authorised_on": granted.authorised_on,
                        "authoriser_name": granted.authoriser_name,
                        "authoriser_rank": granted.authoriser_rank,
                        "grounds_to_suspect": not court,
                        "further_time_needed": not court,
                        "diligent_and_expeditious": not court,
                        "bail_necessary_and_proportionate": not court,
                        "court_order_reference": granted.court_order_reference,
                        "court_end_date": None,
                    },
                ),
            )
            if extension.decided_on:
                self._event(
                    extension.decided_on,
                    "court",
                    recorded_entries(
                        actor,
                        granted,
                        "ocsea.bail_court_decided",
                        person,
                        at={
                            "court_decided_on": extension.decided_on,
                            "court_end_date": extension.court_end,
                            "court_refused": extension.court_end is None,
                        },
                    ),
                )
        for reviewed in plan.reviews:
            review = RuiReview(
                force_id=force_id,
                bail=bail,
                reviewed_on=reviewed,
                reviewed_by=actor,
                notes="Synthetic: forensic examination of the devices continues.",
            )
            self.rows[RuiReview].append(review)
            self._event(
                reviewed,
                "rui_review",
                recorded_entries(actor, review, "ocsea.rui_reviewed", person),
            )
        if end:
            self._event(end[0], "end", recorded_entries(actor, bail, "ocsea.bail_ended", person))
        return bail

    def flush(self) -> None:
        for model in self.MODELS:
            model._default_manager.bulk_create(self.rows[model], batch_size=1000)
        entries = [e for *_, e in sorted(self.entries, key=lambda t: t[:3])]
        for first in range(0, len(entries), AUDIT_BATCH):
            audit_record_many(entries[first : first + AUDIT_BATCH])
        self._reset()
        if len(self.referrals) > 2 * CHUNK:  # links reach back a few weeks at most
            for index in sorted(self.referrals)[:-CHUNK]:
                del self.referrals[index]


def generate_bulk(
    *,
    rng: random.Random,
    force: Any,
    staff: Staff,
    per_year: int,
    years: int,
    administrator: Any = None,
    known_people: list[Any] | None = None,
    advance: Callable[[int], None] | None = None,
) -> OcseaResult:
    """`per_year` referrals a year for `years` years, planned and inserted in chunks of
    CHUNK with their audit events; no obligations (the caller runs `sync_all`)."""
    now = clock.now()
    today = clock.localdate(now)
    organisations, leaflets = reference_data(force, administrator)
    planner = Planner(rng, staff, active_policy(), today, now, len(organisations), len(leaflets))
    total = per_year * years
    ages = sorted((rng.uniform(0, years * 365) for _ in range(total)), reverse=True)
    deck = Deck(rng, total)
    known = list(known_people or [])
    rng.shuffle(known)
    writer = _BulkWriter(force, staff, organisations, leaflets)
    recent: list[Life] = []
    for first in range(0, total, CHUNK):
        for index in range(first, min(first + CHUNK, total)):
            received_at = now - timedelta(days=ages[index])
            received = clock.localdate(received_at)
            original = None
            if rng.random() < DUPLICATE_SHARE:
                open_then = [
                    life
                    for life in recent[-40:]
                    if life.triaged_at is not None
                    and (life.closed is None or life.closed[0] > received)
                ]
                original = rng.choice(open_then[-8:]) if open_then else None
            knobs = Knobs()
            if original is None and known and rng.random() < KNOWN_PERSON_SHARE:
                knobs.nominal = known.pop()
            life = planner.plan(index, received_at, deck.draw(), knobs, original)
            writer.add(life)
            recent.append(life)
            del recent[:-60]
        writer.flush()
        if advance:
            advance(min(CHUNK, total - first))
        gc.collect()
    return OcseaResult(referrals=total, nominals=writer.nominals)
