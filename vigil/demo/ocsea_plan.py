"""The life of a synthetic OCSEA referral, planned before anything is written: when it was
received and triaged, the band, allocation, police action, reviews, intelligence, oversight,
enforcement and the family's support, each suspect's arrest decision, bail or release under
investigation (periods, conditions, checks, extensions, court) and outcome, and its closure.

Both demo paths write these plans: the small demo through the services, a step at a time in
date order with the clock moved to each step (ocsea.py `write_through_services`), and the
force and national scales as bulk inserts with each service's audit event
(`write_in_bulk`). Everything after "today" is left out: an open referral is a life cut
short, so its clocks run on today as they would in a force.

The mix is drawn to look like a force's OCSEA work: bands about 10% very high, 25% high, 35%
medium, 30% low; one referral in ten about a child suspect (the prioritisation tool rather
than KIRAT); most referrals from the NCA (CEOP, and NCMEC reports through it); most work on
time, some late, a little missed."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from vigil.core import clock
from vigil.demo.names import GIVEN, synthetic_surname
from vigil.instruments.packs import Pack, get_pack
from vigil.ocsea.bail import period_end
from vigil.people.models import Sex
from vigil.policy.pack import PolicyPack

BAND_MIX = [("very_high", 10), ("high", 25), ("medium", 35), ("low", 30)]
BANDS = ("low", "medium", "high", "very_high")
CHILD_SHARE = 0.10
UNIDENTIFIED_SHARE = 0.08  # suspects known at receipt only by online identifiers
BAND_CHANGE = 0.03  # a review that moves the band, one way or the other
SOURCE_MIX = [
    ("nca_ceop", 55),
    ("ncmec", 17),
    ("other_force", 10),
    ("internal", 10),
    ("public", 6),
    ("other", 2),
]
PACKS = {"adult": "kirat", "child": "prioritisation-tool"}

SUMMARIES = [
    "Synthetic: a platform reported uploads of indecent images of children from an account.",
    "Synthetic: an online service reported a user sharing indecent images in a group chat.",
    "Synthetic: a cloud storage provider found indecent images in an account.",
    "Synthetic: a child's parent reported sexual messages to the child from an adult online.",
    "Synthetic: an account was reported for seeking images from children on a game platform.",
    "Synthetic: an IP address was linked to the download of indecent images.",
    "Synthetic: a school reported a pupil sharing indecent images of other pupils.",
]
ACTIONS = [
    "Synthetic: subscriber checks returned; suspect identified and address confirmed.",
    "Synthetic: research completed; household composition established with children's services.",
    "Synthetic: intelligence development; account attributed to the suspect.",
    "Synthetic: strategy discussion held with children's services.",
]
NOT_ARRESTED = [
    "Synthetic: attended a voluntary interview; no access to children; devices seized.",
    "Synthetic: not present at the address; voluntary interview arranged with a solicitor.",
    "Synthetic: a child suspect; dealt with by voluntary interview with an appropriate adult.",
]
OUTCOMES = [("charged", 45), ("cautioned", 5), ("nfa", 45), ("other", 5)]
OUTCOME_DETAIL = {
    "charged": "Synthetic: charged with making indecent images of children.",
    "cautioned": "Synthetic: adult caution.",
    "nfa": "Synthetic: no further action (evidential test not met).",
    "other": "Synthetic: community resolution with an educational intervention.",
}
CONDITIONS = [
    ("no_unsupervised_contact", "No unsupervised contact with any child under 18", 90),
    ("devices", "Not to own or use an internet-enabled device without declaring it", 55),
    ("residence", "To live and sleep at the address given", 45),
    ("no_contact", "No contact, direct or indirect, with the named child", 15),
    ("exclusion", "Not to enter the named school's grounds", 8),
    ("curfew", "To be at the address given between 21:00 and 07:00", 8),
]
CHILDREN = [
    "Unknown girl, about 12",
    "Unknown boy, about 14",
    "A child in the suspect's household",
    "A girl known by an online user name",
    "A pupil at a named school",
]
FAMILY = [
    ("partner", "adult"),
    ("child", "under_5"),
    ("child", "5_11"),
    ("stepchild", "12_17"),
    ("parent", "adult"),
    ("sibling", "12_17"),
    ("other_child", "5_11"),
]
INSPECTORS = [("inspector", 80), ("chief_inspector", 20)]
SUPERINTENDENTS = [("superintendent", 85), ("chief_superintendent", 15)]
NAMES = ["Synthetic", "Example", "Sample", "Specimen", "Placeholder", "Fictional"]
NEVER = math.inf  # a triage delay: not triaged (yet)


def synthetic_ip(n: int) -> str:
    """The n-th address of the documentation ranges (RFC 5737), never a real one."""
    network = ("192.0.2", "198.51.100", "203.0.113")[n // 254 % 3]
    return f"{network}.{n % 254 + 1}"


def pick(rng: random.Random, mix: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


# --- What a life holds ------------------------------------------------------------------------


@dataclass
class Check:
    on: date
    method: str
    result: str = "complied"
    notes: str = ""
    actioned_on: date | None = None
    action: str = ""


@dataclass
class Extension:
    stage: str  # inspector, superintendent, court
    on: date  # authorised (or, for the court, applied for)
    name: str = ""
    rank: str = ""
    court_reference: str = ""
    court_end: date | None = None
    decided_on: date | None = None  # None for a court application awaiting the court


@dataclass
class Custody:
    """A bail or a release under investigation."""

    kind: str  # bail or rui
    start: date
    area: Any
    conditions: list[tuple[str, str, str]] = field(default_factory=list)
    extensions: list[Extension] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)  # RUI reviews
    end: tuple[date, str, str] | None = None  # day, reason, note
    from_bail: bool = False  # a RUI the previous bail's end started
    periods: list[tuple[date, date]] = field(default_factory=list)  # a bail's, as planned


@dataclass
class SuspectLife:
    age_group: str
    nominal: Any = None  # an existing person record, or None for a new one
    family_name: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    identifiers: str = ""
    decision: str = ""
    decided_on: date | None = None
    decided_by: Any = None
    rationale: str = ""
    ratified_on: date | None = None
    ratified_by: Any = None
    outcome: str = ""
    outcome_on: date | None = None
    custody: list[Custody] = field(default_factory=list)
    same_as: SuspectLife | None = None  # a duplicate's suspect: the original's person


@dataclass
class Member:
    relationship: str
    age_band: str
    lives_with: bool = True
    vulnerability_on: date | None = None
    vulnerability: str = ""
    marf_on: date | None = None
    marf_reference: str = ""


@dataclass
class EnforcementLife:
    on: date
    outcome: str
    warrant_reference: str
    devices: int
    children_safeguarded: int
    family: list[Member] = field(default_factory=list)
    family_present: bool = False
    signposted_on: date | None = None
    leaflet_on: date | None = None
    welfare_on: date | None = None
    organisation: int = 0  # index into the force's support organisations
    leaflet: int = 0


@dataclass
class Review:
    on: date
    kind: str  # periodic, pre_enforcement, intelligence
    band: str
    notes: str


@dataclass
class Life:
    index: int
    received_at: datetime
    source: str
    source_reference: str
    summary: str
    categories: tuple[int, int, int]
    area: Any
    suspects: list[SuspectLife]
    children: list[tuple[str, int | None, date | None]] = field(default_factory=list)
    linked_to: int | None = None  # the index of the life it duplicates
    pack_code: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    band: str = ""  # at triage
    triaged_at: datetime | None = None
    triaged_by: Any = None
    officer: Any = None  # the investigating officer (None: not yet, or a team only)
    team: str = ""  # the owning team's key once allocated: ocsea, cait, lpa
    allocations: list[tuple[date, str, Any, Any, str]] = field(default_factory=list)
    action: tuple[date, str] | None = None
    planned: tuple[date, date] | None = None  # (recorded on, for)
    reviews: list[Review] = field(default_factory=list)
    intelligence: list[tuple[date, str]] = field(default_factory=list)
    oversight: list[tuple[date, Any]] = field(default_factory=list)
    enforcements: list[EnforcementLife] = field(default_factory=list)
    closed: tuple[date, str] | None = None

    @property
    def received_on(self) -> date:
        return clock.localdate(self.received_at)

    @property
    def current_band(self) -> str:
        return self.reviews[-1].band if self.reviews else self.band


@dataclass
class Staff:
    """Who does the OCSEA work of a force: triage officers, supervisors (allocation,
    oversight, ratification), investigators by team key, the teams and local areas."""

    teams: dict[str, Any]  # ocsea (required), cait, lpa
    triage: list[Any]
    supervisors: list[Any]
    investigators: dict[str, list[Any]]  # team key -> officers (lpa may have none)
    areas: list[Any]

    def officer(self, rng: random.Random, team: str) -> Any:
        people = self.investigators.get(team) or []
        return rng.choice(people) if people else None


@dataclass
class Knobs:
    """What a planned life must show (the small demo's casebook); None: drawn at random."""

    band: str | None = None
    age_group: str | None = None
    suspects: int | None = None
    source: str | None = None
    triage_hours: float | None = None  # NEVER: awaiting triage
    path: str | None = None  # research, enforce, duplicate
    team: str | None = None  # ocsea, cait, lpa
    allocate: bool = True
    action_day: int | None = None  # days after receipt; -1: no action yet
    enforce_day: int | None = None  # days after receipt
    plan_ahead: int | None = None  # days between recording the plan and the enforcement
    pre_review: bool | None = None
    family: bool | None = None
    family_missing: tuple[str, ...] = ()  # signpost, leaflet, welfare, marf
    arrest: str | None = None  # arrested, not_arrested
    ratify: str | None = None  # on_time, late, missing
    custody: str | None = None  # bail, rui
    investigation_days: int | None = None  # arrest to outcome
    decision_missing: bool = False
    court: str | None = None  # pending, ordered, none
    check_missing: bool = False
    breach: str | None = None  # actioned, open
    intel_day: int | None = None  # days after receipt
    intel_review: str | None = None  # on_time, missing
    last_review_late: bool = False
    oversight_late: bool = False
    rui_review_late: bool = False
    nominal: Any = None  # an existing person record as the suspect
    duplicate_of: int | None = None
    casebook: bool = False  # a bail here never lapses by chance (the casebook says when)


class Deck:
    """Bands dealt so that a run's mix is the realistic one (not just on average)."""

    def __init__(self, rng: random.Random, size: int) -> None:
        cards: list[str] = []
        for band, weight in BAND_MIX:
            cards += [band] * round(size * weight / 100)
        while len(cards) < size:
            cards.append(pick(rng, BAND_MIX))
        rng.shuffle(cards)
        self.cards = cards
        self.rng = rng

    def draw(self, band: str | None = None) -> str:
        if band is None:
            return self.cards.pop() if self.cards else pick(self.rng, BAND_MIX)
        if band in self.cards:
            self.cards.remove(band)
        return band


# --- Instrument answers -----------------------------------------------------------------------


class Answers:
    """Varied answers that score each band under each pack, drawn once and reused."""

    def __init__(self, rng: random.Random, per_band: int = 12) -> None:
        self.pool: dict[tuple[str, str], list[dict[str, str]]] = {}
        for code in PACKS.values():
            pack = get_pack(code)
            for band in BANDS:
                self.pool[(code, band)] = [answers_for(pack, band, rng) for _ in range(per_band)]

    def get(self, rng: random.Random, code: str, band: str) -> dict[str, str]:
        return dict(rng.choice(self.pool[(code, band)]))


def answers_for(pack: Pack, band: str, rng: random.Random) -> dict[str, str]:
    """Answers scoring `band`: the lowest option everywhere, then items raised in a random
    order until the score reaches a score drawn within the band (an override's answers only
    for the high bands, where a force's assessors meet them)."""
    overrides = {o.item for o in pack.overrides}
    items = list(pack.items)
    codes = [b.code for b in pack.bands]
    lowest = pack.band(band).min_score
    following = codes.index(band) + 1
    highest = pack.bands[following].min_score - 1 if following < len(codes) else lowest + 8
    for _ in range(200):
        target = rng.randint(lowest, highest)
        answers = {item.id: min(item.options, key=lambda o: o.points).id for item in items}
        order = [i for i in items if band in ("high", "very_high") or i.id not in overrides]
        rng.shuffle(order)
        for item in order:
            if pack.score(answers).score >= target:
                break
            low = min(o.points for o in item.options)
            answers[item.id] = rng.choice([o for o in item.options if o.points > low]).id
        if pack.score(answers).band == band:
            return answers
    raise ValueError(f"No answers found for {band} in {pack.code}")  # pragma: no cover


# --- Planning ---------------------------------------------------------------------------------


class Planner:
    """Plans lives for one force: its staff, policy, answers and a generator of its own."""

    def __init__(
        self,
        rng: random.Random,
        staff: Staff,
        policy: PolicyPack,
        today: date,
        now: datetime,
        organisations: int = 1,
        leaflets: int = 1,
    ) -> None:
        self.rng, self.staff, self.policy = rng, staff, policy
        self.today, self.now = today, now
        self.answers = Answers(rng)
        self.organisations, self.leaflets = organisations, leaflets
        self.action_days: dict[str, int] = policy["ocsea.action_days_by_band"]
        self.review_days = int(policy["ocsea.risk_review_days"])
        self.lead = int(policy["bail.expiry_review_lead_days"])
        self.rui_days = int(policy["bail.rui_review_days"])
        self.oversight_days = int(policy["ocsea.oversight_review_days"])
        self.ratify_days = int(policy["ocsea.non_arrest_ratify_days"])
        self.intel_days = int(policy["ocsea.intelligence_review_days"])
        self.pre_days = int(policy["ocsea.pre_enforcement_review_days"])
        self.months = {
            "initial": int(policy["bail.initial_period_months"]),
            "inspector": int(policy["bail.inspector_extension_months"]),
            "superintendent": int(policy["bail.superintendent_extension_months"]),
        }
        self.counter = 0

    # small helpers
    def done(self, day: date | None) -> bool:
        return day is not None and day <= self.today

    def _gap(self, days: int, on_time: float = 0.8) -> int:
        """Days to the next periodic piece of work: mostly within the period, some late."""
        if self.rng.random() < on_time:
            return self.rng.randint(max(1, days - 9), days)
        return self.rng.randint(days + 1, days + 18)

    def _reference(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-SYN-{self.rng.randint(100000, 999999)}{self.counter % 100:02d}"

    # --- a life -------------------------------------------------------------------------------

    def plan(
        self,
        index: int,
        received_at: datetime,
        band: str,
        knobs: Knobs | None = None,
        original: Life | None = None,
    ) -> Life:
        k = knobs or Knobs()
        rng = self.rng
        age_group = k.age_group or ("child" if rng.random() < CHILD_SHARE else "adult")
        if original is not None:
            age_group = original.suspects[0].age_group
        source = k.source or pick(rng, SOURCE_MIX)
        life = Life(
            index=index,
            received_at=received_at,
            source=source,
            source_reference=self._source_reference(source),
            summary=rng.choice(SUMMARIES),
            categories=(rng.choice([0, 0, 1, 3, 12]), rng.choice([0, 2, 8]), rng.randint(0, 60)),
            area=rng.choice(self.staff.areas),
            suspects=self._suspects(index, k, age_group, original),
        )
        if original is not None:
            life.linked_to = original.index
        if rng.random() < 0.3:
            life.children = [
                (rng.choice(CHILDREN), rng.choice([None, 9, 12, 14]), None)
                for _ in range(rng.choice([1, 1, 2]))
            ]
        # triage
        if k.triage_hours is not None:
            hours = k.triage_hours
        elif band == "very_high":
            hours = rng.uniform(0.3, 5)
        else:
            hours = rng.uniform(0.5, 20) if rng.random() < 0.88 else rng.uniform(26, 100)
        if hours == NEVER or received_at + timedelta(hours=hours) > self.now:
            return life
        life.triaged_at = received_at + timedelta(hours=hours)
        life.triaged_by = rng.choice(self.staff.triage)
        life.pack_code = PACKS[age_group]
        life.band = band
        life.answers = self.answers.get(rng, life.pack_code, band)
        wants_enforcement = k.enforce_day is not None or bool(k.arrest or k.custody)
        path = k.path or (
            "duplicate"
            if original is not None
            else "research"
            if band in ("low", "medium") and not wants_enforcement and rng.random() < 0.3
            else "enforce"
        )
        self._allocate(life, k, path, original)
        if path == "duplicate":
            self._duplicate(life, original)
        elif path == "research":
            self._research(life, k)
        else:
            self._enforce(life, k)
        self._reviews(life, k)
        self._oversight(life, k)
        return life

    def _source_reference(self, source: str) -> str:
        prefix = {"nca_ceop": "NCA", "ncmec": "CT", "other_force": "XF"}.get(source, "")
        return self._reference(prefix) if prefix else ""

    def _suspects(
        self, index: int, k: Knobs, age_group: str, original: Life | None
    ) -> list[SuspectLife]:
        rng = self.rng
        if original is not None:  # the same person, with the same online identity
            first = original.suspects[0]
            return [
                SuspectLife(
                    age_group=first.age_group,
                    nominal=first.nominal,
                    same_as=first,
                    identifiers=first.identifiers,
                )
            ]
        count = k.suspects or (2 if rng.random() < 0.08 else 1)
        made = []
        for n in range(count):
            years = (12, 17) if age_group == "child" else (18, 70)
            born = self.today - timedelta(days=rng.randint(years[0] * 365, years[1] * 365))
            identifiers = [f"syn_user_{index:06d}{n}@example.invalid"]
            if rng.random() < 0.5:
                identifiers.append(synthetic_ip(index * 2 + n))
            sex = Sex.MALE if rng.random() < 0.9 else Sex.FEMALE
            known_only_online = k.nominal is None and rng.random() < UNIDENTIFIED_SHARE
            made.append(
                SuspectLife(
                    age_group=age_group,
                    nominal=k.nominal if n == 0 else None,
                    family_name="" if known_only_online else synthetic_surname(rng),
                    given_names="" if known_only_online else rng.choice(GIVEN[sex]),
                    date_of_birth=born if rng.random() < 0.9 and not known_only_online else None,
                    identifiers="\n".join(identifiers),
                )
            )
        return made

    def _allocate(self, life: Life, k: Knobs, path: str, original: Life | None) -> None:
        assert life.triaged_at is not None
        rng = self.rng
        day = clock.localdate(life.triaged_at) + timedelta(
            days=0 if life.band == "very_high" or path == "duplicate" else rng.choice([0, 0, 1, 2])
        )
        if not k.allocate or not self.done(day):
            return
        if original is not None and original.team:
            team, officer = original.team, original.officer
        else:
            teams = self.staff.teams
            team = k.team or pick(
                rng,
                [("ocsea", 78), ("cait", 15 * ("cait" in teams)), ("lpa", 7 * ("lpa" in teams))],
            )
            officer = self.staff.officer(rng, team)
        reason = {
            "ocsea": "",
            "cait": "Synthetic: the suspect has children at home; the CAIT leads.",
            "lpa": "Synthetic: low-level, local; the local policing team leads.",
        }[team]
        life.allocations.append((day, team, officer, rng.choice(self.staff.supervisors), reason))
        life.team, life.officer = team, officer

    def _actor(self, life: Life) -> Any:
        """Who records the investigation's work: its officer, or an OCSEA investigator for a
        team with no officer named."""
        return life.officer or self.staff.officer(self.rng, "ocsea")

    def _duplicate(self, life: Life, original: Life | None) -> None:
        assert life.triaged_at is not None
        assert original is not None
        day = clock.localdate(life.triaged_at)
        if not life.allocations:
            return
        life.action = (day, f"Synthetic: linked to the referral received {original.received_on}")
        later = day + timedelta(days=self.rng.randint(0, 4))
        if self.done(later):
            suspect = life.suspects[0]
            suspect.outcome, suspect.outcome_on = "other", later
            life.closed = (later, "Synthetic: a duplicate, investigated under the linked referral.")

    def _action(self, life: Life, k: Knobs) -> date | None:
        received = life.received_on
        if k.action_day is not None:
            day = None if k.action_day < 0 else received + timedelta(days=k.action_day)
        else:
            due = self.action_days[life.band]
            late = self.rng.random() < 0.15
            day = received + timedelta(
                days=self.rng.randint(due + 1, due + 10) if late else self.rng.randint(0, due)
            )
            triaged = clock.localdate(life.triaged_at) if life.triaged_at else received
            day = max(day, triaged)
        if day is not None and self.done(day) and life.allocations:
            life.action = (day, self.rng.choice(ACTIONS))
            return day
        return None

    def _research(self, life: Life, k: Knobs) -> None:
        acted = self._action(life, k)
        if acted is None:
            return
        for suspect in life.suspects:
            day = acted + timedelta(days=self.rng.randint(10, 70))
            if self.done(day):
                suspect.outcome, suspect.outcome_on = "nfa", day
        self._close(life)

    def _enforce(self, life: Life, k: Knobs) -> None:
        rng = self.rng
        received = life.received_on
        if life.band == "very_high" and k.action_day is None:
            acted = None
            default_enforce = rng.choice([0, 0, 1]) if rng.random() < 0.85 else rng.randint(2, 4)
        else:
            acted = self._action(life, k)
            spread = {"very_high": (1, 3), "high": (3, 25), "medium": (7, 45), "low": (14, 80)}
            lo, hi = spread[life.band]
            default_enforce = (acted - received).days + rng.randint(lo, hi) if acted else -1
        enforce_day = k.enforce_day if k.enforce_day is not None else default_enforce
        if enforce_day < 0 or not life.allocations:
            return
        triaged = clock.localdate(life.triaged_at) if life.triaged_at else received
        day = max(received + timedelta(days=enforce_day), triaged)
        allocated = life.allocations[0][0]
        if life.band != "very_high" or k.enforce_day is not None:
            ahead = k.plan_ahead if k.plan_ahead is not None else rng.randint(3, 14)
            planned_on = max(allocated, day - timedelta(days=ahead))
            if acted is not None:
                planned_on = max(planned_on, acted)
            if self.done(planned_on) and planned_on < day:
                life.planned = (planned_on, day)
        if not self.done(day):
            return
        # no warrant for a few: a voluntary attendance, or a search with consent
        warrant = "" if rng.random() < 0.07 else self._reference("W")
        outcome = (
            "completed"
            if k.arrest or k.custody
            else pick(rng, [("completed", 85), ("suspect_absent", 10), ("no_trace", 5)])
        )
        enforcement = EnforcementLife(
            on=day,
            outcome=outcome,
            warrant_reference=warrant,
            devices=rng.randint(0, 9) if outcome == "completed" else 0,
            children_safeguarded=rng.choice([0, 0, 0, 1, 2]) if life.children else 0,
            organisation=rng.randrange(self.organisations),
            leaflet=rng.randrange(self.leaflets),
        )
        life.enforcements.append(enforcement)
        if life.children:
            life.children = [
                (d, a, day if enforcement.children_safeguarded else None)
                for d, a, _ in life.children
            ]
        for suspect in life.suspects:
            self._suspect_at_enforcement(life, suspect, enforcement, k)
        closing = self._close(life)
        self._family(enforcement, k, closing)

    def _suspect_at_enforcement(
        self, life: Life, suspect: SuspectLife, enforcement: EnforcementLife, k: Knobs
    ) -> None:
        rng = self.rng
        officer = self._actor(life)
        day = enforcement.on
        present = enforcement.outcome == "completed"
        decision = k.arrest or pick(
            rng,
            [("arrested", 78), ("not_arrested", 22)]
            if present and suspect.age_group == "adult"
            else [("arrested", 45), ("not_arrested", 55)],
        )
        if decision == "arrested" and not present:
            day = day + timedelta(days=rng.randint(2, 20))  # arrested when found
            if not self.done(day):
                return
        suspect.decision, suspect.decided_on, suspect.decided_by = decision, day, officer
        length = k.investigation_days or int(
            min(480, max(21, rng.lognormvariate(math.log(130), 0.6)))
        )
        outcome_day: date | None = day + timedelta(days=length)
        if decision == "not_arrested":
            suspect.rationale = rng.choice(NOT_ARRESTED)
            ratify = k.ratify or pick(rng, [("on_time", 84), ("late", 10), ("missing", 6)])
            gap = {
                "on_time": rng.randint(0, self.ratify_days),
                "late": rng.randint(self.ratify_days + 1, self.ratify_days + 14),
            }.get(ratify)
            if gap is not None and self.done(day + timedelta(days=gap)):
                suspect.ratified_on = day + timedelta(days=gap)
                suspect.ratified_by = self._ratifier(suspect)
        else:
            kind = k.custody or pick(rng, [("bail", 60), ("rui", 40)])
            suspect.custody, outcome_day = self._custody(life, kind, day, outcome_day, k)
        if outcome_day is not None and self.done(outcome_day):
            suspect.outcome = (
                pick(rng, OUTCOMES)
                if decision == "arrested"
                else pick(rng, [("charged", 20), ("nfa", 60), ("cautioned", 10), ("other", 10)])
            )
            suspect.outcome_on = outcome_day
            for custody in suspect.custody:
                if custody.end is None:
                    custody.end = self._end(suspect.outcome, outcome_day)

    def _end(self, outcome: str, day: date) -> tuple[date, str, str]:
        if outcome in ("charged", "nfa"):
            return day, outcome, ""
        return day, "other", OUTCOME_DETAIL[outcome].removeprefix("Synthetic: ").capitalize()

    def _custody(
        self, life: Life, kind: str, arrested: date, outcome: date | None, k: Knobs
    ) -> tuple[list[Custody], date | None]:
        """The suspect's bail (its periods, checks, extensions by rank and court) or release
        under investigation (its reviews), to the outcome; (custody, the outcome's day, or
        None where the case is stuck: a bail period ran out without a decision)."""
        rng = self.rng
        assert outcome is not None
        if kind == "rui":
            rui = Custody(kind="rui", start=arrested, area=life.area)
            self._rui_reviews(rui, outcome, k.rui_review_late)
            return [rui], outcome
        start = arrested + timedelta(days=1)
        bail = Custody(kind="bail", start=start, area=life.area, conditions=self._conditions())
        stages = [("initial", "inspector"), ("inspector", "superintendent")]
        stages.append(("superintendent", "court"))
        period_start = start
        for n, (stage, following) in enumerate(stages):
            end = period_end(start, self.months[stage])
            bail.periods.append((period_start, end))
            self._checks(bail, period_start, min(end, outcome), k.check_missing and n == 0, k)
            if outcome <= end:
                return [bail], outcome
            on_time = rng.random() < 0.72
            decided = end - timedelta(
                days=rng.randint(self.lead, self.lead + 7)
                if on_time
                else rng.randint(0, self.lead - 1)
            )
            decided = max(decided, period_start)
            if not self.done(decided):
                return [bail], outcome
            if k.decision_missing and end > self.today - timedelta(days=60):
                return [bail], None  # no decision recorded (yet, or at all)
            recent = end <= self.today < end + timedelta(days=40)
            if recent and not k.casebook and rng.random() < 0.04:
                return [bail], None  # the period ran out without a decision
            if following == "court":
                court = k.court or pick(rng, [("ordered", 25), ("none", 75)])
                if court == "none":
                    bail.end = (decided, "rui", "")
                    rui = Custody(kind="rui", start=decided, area=life.area, from_bail=True)
                    self._rui_reviews(rui, outcome, k.rui_review_late)
                    return [bail, rui], outcome
                ruling = decided + timedelta(days=rng.randint(5, 20))
                pending = court == "pending" or not self.done(ruling)
                court_end = period_end(start, 12)
                bail.extensions.append(
                    Extension(
                        stage="court",
                        on=decided,
                        court_reference=self._reference("MC"),
                        court_end=None if pending else court_end,
                        decided_on=None if pending else ruling,
                    )
                )
                if pending:
                    self._checks(bail, end + timedelta(days=1), self.today, False, k)
                    return [bail], None
                outcome = max(
                    ruling + timedelta(days=1),
                    min(outcome, court_end - timedelta(days=rng.randint(1, 20))),
                )
                bail.periods.append((end + timedelta(days=1), court_end))
                self._checks(bail, end + timedelta(days=1), outcome, False, k)
                return [bail], outcome
            rank = pick(rng, INSPECTORS if following == "inspector" else SUPERINTENDENTS)
            bail.extensions.append(
                Extension(
                    stage=following,
                    on=decided,
                    name=f"{rank.replace('_', ' ').title()} {rng.choice(NAMES)}",
                    rank=rank,
                )
            )
            period_start = end + timedelta(days=1)
        return [bail], outcome  # pragma: no cover (the court stage returns)

    def _conditions(self) -> list[tuple[str, str, str]]:
        rng = self.rng
        chosen = [
            (kind, text) for kind, text, weight in CONDITIONS if rng.randint(1, 100) <= weight
        ]
        if not chosen:
            chosen = [(CONDITIONS[0][0], CONDITIONS[0][1])]
        views = {"no_contact": "sought", "exclusion": "sought"}
        return [(kind, text, views.get(kind, "not_applicable")) for kind, text in chosen]

    def _checks(self, bail: Custody, first: date, last: date, missing: bool, k: Knobs) -> None:
        """Condition checks in a period (from `first` to `last`, cut at today): most periods
        have one, some two, a few none; now and then a check finds a breach."""
        rng = self.rng
        last = min(last, self.today)
        wanted = (
            k.breach if k.breach and not any(c.result == "breach" for c in bail.checks) else None
        )
        if last < first or missing or (rng.random() < 0.1 and not wanted):
            return
        count = 2 if rng.random() < 0.15 else 1
        span = (last - first).days
        for n, day in enumerate(
            sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(count))
        ):
            check = Check(
                on=day,
                method=pick(
                    rng, [("home_visit", 60), ("phone", 15), ("device", 20), ("partner", 5)]
                ),
            )
            breach = wanted if n == 0 and wanted else ("actioned" if rng.random() < 0.03 else None)
            if breach == "open" and wanted:  # found some days ago, so its action is overdue
                check.on = max(first, min(day, self.today - timedelta(days=3)))
            if breach:
                check.result = "breach"
                check.notes = "Synthetic: a child was at the address without supervision."
                acted = day + timedelta(days=0 if rng.random() < 0.85 else rng.randint(2, 5))
                if breach == "actioned" and self.done(acted):
                    check.actioned_on = acted
                    check.action = "Synthetic: re-arrested for breach of bail; conditions reviewed."
            elif rng.random() < 0.04:
                check.result = "no_contact"
            bail.checks.append(check)

    def _rui_reviews(self, rui: Custody, outcome: date, late: bool = False) -> None:
        day = rui.start
        while True:
            day = day + timedelta(days=self._gap(self.rui_days, 0.75))
            if day >= outcome or not self.done(day):
                return
            if late and (self.today - day).days < self.rui_days + 15:
                return
            rui.reviews.append(day)

    def _family(self, enforcement: EnforcementLife, k: Knobs, closing: bool) -> None:
        """Family present at about 45% of enforcements: support signposted, a leaflet and a
        welfare pack, mostly the same or the next day; a MARF for each vulnerability found.
        Missed only on an open referral (a closed one has its loose ends tied)."""
        rng = self.rng
        present = k.family if k.family is not None else rng.random() < 0.45
        if not present:
            return
        enforcement.family_present = True
        day = enforcement.on
        members = rng.sample(FAMILY, rng.choice([1, 2, 2, 3]))
        if "marf" in k.family_missing and all(band == "adult" for _, band in members):
            members.append(("child", "5_11"))  # a child whose vulnerability calls for a MARF
        for relationship, age_band in members:
            member = Member(relationship, age_band, lives_with=rng.random() < 0.85)
            if age_band != "adult" and (rng.random() < 0.3 or "marf" in k.family_missing):
                member.vulnerability_on = day
                member.vulnerability = "Synthetic: the child may have seen the images."
                if "marf" not in k.family_missing or closing:
                    member.marf_on = self._when(day, closing)
                    member.marf_reference = self._reference("MARF") if member.marf_on else ""
            enforcement.family.append(member)
        missing = set(k.family_missing) if not closing else set()
        enforcement.signposted_on = None if "signpost" in missing else self._when(day, closing)
        enforcement.leaflet_on = None if "leaflet" in missing else self._when(day, closing)
        enforcement.welfare_on = None if "welfare" in missing else self._when(day, closing)

    def _when(self, day: date, closing: bool) -> date | None:
        """A follow-up's day: mostly the same or next day, some later, a few missed (never
        on a referral about to close); None if it falls after today."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.06 and not closing:
            return None
        when = day + timedelta(days=rng.choice([0, 0, 1]) if roll < 0.9 else rng.randint(2, 6))
        return when if self.done(when) else None

    def _close(self, life: Life) -> bool:
        """Closes the life once every suspect has an outcome and no custody is open, on a day
        not after today, with its loose ends tied first (a decision not to arrest ratified, a
        breach acted on). True if it closes."""
        rng = self.rng
        if not all(s.outcome_on for s in life.suspects):
            return False
        if any(c.end is None for s in life.suspects for c in s.custody):
            return False
        last = max(
            [s.outcome_on for s in life.suspects if s.outcome_on]
            + [c.end[0] for s in life.suspects for c in s.custody if c.end]
        )
        ratify = {}
        for n, suspect in enumerate(life.suspects):
            if suspect.decision == "not_arrested" and suspect.ratified_on is None:
                assert suspect.decided_on is not None
                ratify[n] = suspect.decided_on + timedelta(
                    days=rng.randint(1, self.ratify_days + 10)
                )
                last = max(last, ratify[n])
        day = last + timedelta(days=rng.randint(0, 21))
        if not self.done(day):
            return False
        for n, on in ratify.items():
            suspect = life.suspects[n]
            suspect.ratified_on, suspect.ratified_by = on, self._ratifier(suspect)
        for suspect in life.suspects:
            for custody in suspect.custody:
                for check in custody.checks:
                    if check.result == "breach" and check.actioned_on is None:
                        check.actioned_on = check.on + timedelta(days=1)
                        check.action = "Synthetic: re-arrested for breach of bail."
                self._checked(custody)
        life.closed = (day, "Synthetic: every suspect has an outcome; the file is closed.")
        return True

    def _checked(self, bail: Custody) -> None:
        """Every whole period of a bail that ended has a check (one missed stays owed and
        would keep the referral open): a check in each such period that has none."""
        if bail.kind != "bail" or bail.end is None:
            return
        for first, last in bail.periods:
            if last > bail.end[0]:
                continue  # cut short by the bail's end: nothing owed
            if not any(
                first <= c.on <= last and c.result in ("complied", "breach") for c in bail.checks
            ):
                day = first + timedelta(days=self.rng.randint(0, (last - first).days))
                bail.checks.append(Check(on=day, method="home_visit"))
        bail.checks.sort(key=lambda c: c.on)

    def _ratifier(self, suspect: SuspectLife) -> Any:
        others = [s for s in self.staff.supervisors if s is not suspect.decided_by]
        return self.rng.choice(others or self.staff.supervisors)

    def _reviews(self, life: Life, k: Knobs) -> None:
        """Reviews every period from triage while open, some late; a review before each
        enforcement (a few missed on open referrals) and after new intelligence (likewise);
        a band moved by a review now and then."""
        rng = self.rng
        assert life.triaged_at is not None
        start = clock.localdate(life.triaged_at)
        closing = life.closed is not None
        stop = life.closed[0] if life.closed else self.today
        forced: list[tuple[date, str]] = []
        for enforcement in life.enforcements:
            missed = k.pre_review is False or (
                k.pre_review is None and not closing and rng.random() < 0.08
            )
            if not missed and (enforcement.on - start).days > self.pre_days:
                back = rng.randint(0, self.pre_days - 1)
                forced.append((enforcement.on - timedelta(days=back), "pre_enforcement"))
        if life.planned and not life.enforcements and k.pre_review is not False:
            recorded, planned = life.planned
            day = max(recorded, planned - timedelta(days=rng.randint(0, self.pre_days - 1)))
            if k.pre_review:
                day = max(recorded, min(day, self.today))
            if self.done(day) and (planned - start).days > self.pre_days:
                forced.append((day, "pre_enforcement"))
        intel_day = k.intel_day
        if intel_day is None and life.allocations and rng.random() < 0.2:
            intel_day = rng.randint(10, 160)
        if intel_day is not None and life.allocations:
            day = max(life.received_on + timedelta(days=intel_day), start)
            if self.done(day) and day < stop:
                life.intelligence.append(
                    (day, "Synthetic: a further platform report on the same account.")
                )
                review = k.intel_review or (
                    "missing" if not closing and rng.random() < 0.1 else "on_time"
                )
                if review == "missing":
                    stop = day - timedelta(days=1)  # no review since it came in
                else:
                    back = rng.randint(0, self.intel_days - 1)
                    forced.append((min(day + timedelta(days=back), stop), "intelligence"))
        forced.sort()
        band, day = life.band, start
        while True:
            following, kind = day + timedelta(days=self._gap(self.review_days)), "periodic"
            if forced and forced[0][0] <= following:
                following, kind = forced.pop(0)
            if following > stop or not self.done(following):
                break
            if (
                k.last_review_late
                and kind == "periodic"
                and (self.today - following).days < self.review_days + 12
            ):
                break
            if rng.random() < BAND_CHANGE:
                position = BANDS.index(band) + rng.choice([-1, 1])
                band = BANDS[min(max(position, 0), len(BANDS) - 1)]
            life.reviews.append(Review(following, kind, band, self._review_note(kind)))
            day = max(day, following)
        if closing and stop > day + timedelta(days=self.review_days):
            # reviewed before the file closes (a review overdue would keep it open)
            life.reviews.append(Review(stop, "periodic", band, self._review_note("periodic")))
        life.reviews.sort(key=lambda r: r.on)

    def _review_note(self, kind: str) -> str:
        return {
            "periodic": "Synthetic: intelligence and risk reviewed; band confirmed.",
            "pre_enforcement": "Synthetic: reviewed before enforcement; the plan stands.",
            "intelligence": "Synthetic: reviewed on the new intelligence.",
        }[kind]

    def _oversight(self, life: Life, k: Knobs) -> None:
        if not life.allocations or life.team == "ocsea":
            return
        day = life.allocations[-1][0]
        stop = life.closed[0] if life.closed else self.today
        while True:
            following = day + timedelta(days=self._gap(self.oversight_days))
            if following >= stop or not self.done(following):
                break
            if k.oversight_late and (self.today - following).days < self.oversight_days + 15:
                break
            life.oversight.append((following, self.rng.choice(self.staff.supervisors)))
            day = following
        if life.closed and stop > day + timedelta(days=self.oversight_days):
            life.oversight.append((stop, self.rng.choice(self.staff.supervisors)))
