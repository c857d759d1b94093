"""Reads of the workforce: abstractions, who is over the abstraction threshold, hours away by
team and month, the effect of abstraction on work done in time, caseload points and
capacity, and span of control (R4, R11)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Case, QuerySet, When

from vigil.accounts.access import has_verb
from vigil.accounts.models import Membership, User
from vigil.accounts.officers import labels as officer_labels
from vigil.core import clock
from vigil.core.dates import add_months
from vigil.core.models import Team, TeamKind
from vigil.obligations.models import Obligation
from vigil.policy.pack import PolicyPack
from vigil.workforce.models import (
    SCREENED_TEAMS,
    SUPERVISOR_ROLES,
    Abstraction,
    ExposureEntry,
    StaffRecord,
)

OFFICER_VERBS = ("manage_rso", "investigate", "triage_referral")
# The teams that carry casework (not the PCC's office, the probation partners, wellbeing or
# headquarters): capacity is theirs.
CASE_TEAMS = (
    TeamKind.MOSOVO,
    TeamKind.OCSEA,
    TeamKind.CHILD_ABUSE,
    TeamKind.LOCAL_POLICING,
)
SUPERVISOR_VERBS = ("review_rso_work", "oversee_investigations")


MONTHS_SHOWN = 12  # hours abstracted by month, on the page and in the API: the last year


def teams_for(user: Any) -> QuerySet[Team]:
    """The teams whose staff the user sees: the force's for a role that reads it, else
    their own."""
    teams = Team.objects.visible_to(user)
    if has_verb(user, "view_force_work"):
        return teams
    return teams.filter(memberships__user=user).distinct()


def abstractions(
    *, user: Any, team: Any = None, waiting: bool = False, person: Any = None
) -> QuerySet[Abstraction]:
    found = Abstraction.objects.visible_to(user).select_related(
        "person", "team", "reason", "reviewed_by", "recorded_by"
    )
    if team:
        found = found.filter(team_id=getattr(team, "pk", team))
    if person:
        found = found.filter(person_id=getattr(person, "pk", person))
    if waiting:
        found = found.filter(reviewed_on__isnull=True)
    return found


def _overlap(a: Abstraction, start: date, end: date) -> Decimal:
    """The hours of an abstraction that fall between two dates (both included), spread
    evenly over its days."""
    first, last = max(a.starts_on, start), min(a.ends_on, end)
    if last < first:
        return Decimal(0)
    days = (a.ends_on - a.starts_on).days + 1
    return a.hours * ((last - first).days + 1) / days


def quarter_before(today: date) -> tuple[date, date]:
    """The rolling quarter ending today: from the day after the same date three months
    before (1 March for a 31 May: 28 February, the day after), to today."""
    return add_months(today, -3) + timedelta(days=1), today


@dataclass(frozen=True)
class StaffRow:
    user: User
    label: str  # the name, told apart from a namesake
    record: StaffRecord | None
    teams: list[str]
    points: float
    available: float | None  # None without contracted hours (no staff record)
    capacity: float | None  # points over available, as a percentage
    abstracted_hours: Decimal  # in the rolling quarter
    abstracted_share: float | None  # of contracted hours in the quarter, as a percentage
    over_threshold: bool
    abstracted_now: Decimal  # hours a week of the abstractions running today


@dataclass(frozen=True)
class TeamCapacity:
    team: Team
    rows: list[StaffRow]
    points: float
    available: float
    officers: int
    supervisors: int

    @property
    def capacity(self) -> float | None:
        return round(100 * self.points / self.available, 1) if self.available else None

    @property
    def span_of_control(self) -> float | None:
        """Officers per supervisor."""
        return round(self.officers / self.supervisors, 1) if self.supervisors else None


def caseload_points(users: list[Any], pack: PolicyPack) -> dict[Any, float]:
    """Each user's caseload points (`workforce.caseload_points`): the RSOs they manage by
    risk level (reactive at its own weight), the open OCSEA investigations they hold by band
    (not yet triaged: unassessed)."""
    from vigil.ocsea.models import Referral, ReferralStatus
    from vigil.offenders.models import ManagementMode, Registration

    weights = pack["workforce.caseload_points"]
    points: dict[Any, float] = defaultdict(float)
    ids = [u.pk for u in users]
    for om, risk, mode in Registration.objects.filter(
        offender_manager_id__in=ids, ended_on__isnull=True
    ).values_list("offender_manager_id", "risk_level", "management_mode"):
        level = "reactive" if mode == ManagementMode.REACTIVE else risk
        points[om] += weights["rso"].get(level, 0)
    for officer, band in (
        Referral.objects.filter(officer_id__in=ids)
        .exclude(status=ReferralStatus.CLOSED)
        .values_list("officer_id", "band")
    ):
        points[officer] += weights["ocsea"].get(band or "unassessed", 0)
    return points


def capacity(*, user: Any, today: date, pack: PolicyPack, team: Any = None) -> list[TeamCapacity]:
    """Each team the user sees (or one of them): its members' caseload points against the
    points their contracted hours give (net of the abstractions running today), their
    abstractions in the rolling quarter against the policy's threshold, and the team's span
    of control."""
    teams = list(teams_for(user).filter(kind__in=CASE_TEAMS).order_by("name"))
    if team:
        teams = [t for t in teams if str(t.pk) == str(getattr(team, "pk", team))]
    members = (
        Membership.objects.filter(team__in=teams, user__is_active=True)
        .select_related("user", "role", "team")
        .prefetch_related("role__verbs", "user__memberships__team")  # namesakes' teams
    )
    by_team: dict[Any, list[Membership]] = defaultdict(list)
    for m in members:
        by_team[m.team_id].append(m)
    users = {m.user_id: m.user for m in members}
    records = {r.user_id: r for r in StaffRecord.objects.filter(user_id__in=users)}
    start, end = quarter_before(today)
    away: dict[Any, Decimal] = defaultdict(Decimal)
    now: dict[Any, Decimal] = defaultdict(Decimal)
    monday = today - timedelta(days=today.weekday())
    for a in Abstraction.objects.filter(
        person_id__in=users,
        ends_on__gte=min(start, monday),
        starts_on__lte=monday + timedelta(days=6),
    ):
        away[a.person_id] += _overlap(a, start, end)
        now[a.person_id] += _weekly_now(a, today)
    points = caseload_points(list(users.values()), pack)
    names = officer_labels(users.values())
    quarter = Decimal((end - start).days + 1) / 7  # weeks
    result = []
    for t in teams:
        rows = []
        officers = supervisors = 0
        for m in sorted(by_team.get(t.pk, []), key=lambda m: str(m.user)):
            verbs = {v.code for v in m.role.verbs.all()}
            officers += bool(verbs & set(OFFICER_VERBS)) and not verbs & set(SUPERVISOR_VERBS)
            supervisors += bool(verbs & set(SUPERVISOR_VERBS))
            record = records.get(m.user_id)
            row = _row(m, record, points[m.user_id], away, now, pack, quarter)
            rows.append(replace(row, label=names.get(m.user_id, str(m.user))))
        result.append(
            TeamCapacity(
                team=t,
                rows=rows,
                points=sum(r.points for r in rows),
                available=sum(r.available or 0 for r in rows),
                officers=officers,
                supervisors=supervisors,
            )
        )
    return result


def _weekly_now(a: Abstraction, today: date) -> Decimal:
    """The hours of an abstraction that fall in the week (Monday to Sunday) holding today:
    a two-day course takes its own sixteen hours from this week, not a week's worth."""
    monday = today - timedelta(days=today.weekday())
    return _overlap(a, monday, monday + timedelta(days=6))


def _available(record: StaffRecord, away_weekly: Decimal, pack: PolicyPack) -> float:
    """Caseload points a member of staff can carry: the policy's points for a full-time
    officer, pro rata to their contracted hours less the abstractions running today."""
    hours = max(record.contracted_hours - away_weekly, Decimal(0))
    return float(
        pack["workforce.points_per_fte"] * hours / Decimal(pack["workforce.full_time_hours"])
    )


def _row(
    m: Membership,
    record: StaffRecord | None,
    held: float,
    away: dict[Any, Decimal],
    now: dict[Any, Decimal],
    pack: PolicyPack,
    quarter_weeks: Decimal,
) -> StaffRow:
    available = share = None
    if record is not None:
        available = _available(record, now[m.user_id], pack)
        share = float(100 * away[m.user_id] / (record.contracted_hours * quarter_weeks))
    return StaffRow(
        user=m.user,
        label=str(m.user),
        record=record,
        teams=[str(m.team)],
        points=held,
        available=round(available, 1) if available is not None else None,
        capacity=round(100 * held / available, 1) if available else None,
        abstracted_hours=away[m.user_id].quantize(Decimal("0.1")),
        abstracted_share=round(share, 1) if share is not None else None,
        over_threshold=share is not None
        and share > pack["workforce.abstraction_threshold_percent"],
        abstracted_now=now[m.user_id].quantize(Decimal("0.1")),
    )


def capacities_if_allocated(
    officers: list[Any], *, pack: PolicyPack, today: date, rso_level: str = "", ocsea_band: str = ""
) -> dict[Any, tuple[float | None, float | None]]:
    """Each officer's capacity now, and if this case (an RSO at a risk level, or an OCSEA
    investigation in a band: none yet is "unassessed") were allocated to them: shown at the
    moment of allocation, in four queries for the whole list. Someone without a staff
    record is left out; (None, None) for someone abstracted all week."""
    weights = pack["workforce.caseload_points"]
    extra = (
        weights["rso"].get(rso_level, 0)
        if rso_level
        else weights["ocsea"].get(ocsea_band or "unassessed", 0)
    )
    records = {r.user_id: r for r in StaffRecord.objects.filter(user__in=officers)}
    monday = today - timedelta(days=today.weekday())
    away: dict[Any, Decimal] = defaultdict(Decimal)
    for a in Abstraction.objects.filter(
        person_id__in=records, starts_on__lte=monday + timedelta(days=6), ends_on__gte=monday
    ):
        away[a.person_id] += _weekly_now(a, today)
    held = caseload_points([o for o in officers if o.pk in records], pack)
    out: dict[Any, tuple[float | None, float | None]] = {}
    for pk, record in records.items():
        available = _available(record, away[pk], pack)
        points = held.get(pk, 0.0)
        out[pk] = (
            (round(100 * points / available, 1), round(100 * (points + extra) / available, 1))
            if available
            else (None, None)
        )
    return out


def capacity_if_allocated(
    *, officer: User, pack: PolicyPack, today: date, rso_level: str = "", ocsea_band: str = ""
) -> tuple[float | None, float | None]:
    """One officer's (`capacities_if_allocated`); (None, None) without a staff record."""
    found = capacities_if_allocated(
        [officer], pack=pack, today=today, rso_level=rso_level, ocsea_band=ocsea_band
    )
    return found.get(officer.pk, (None, None))


def hours_by_month(*, user: Any, months: int, today: date) -> list[tuple[date, dict[str, Decimal]]]:
    """Hours abstracted in each of the last `months` calendar months (this one included), by
    team: an abstraction across a month's end is shared by its days."""
    firsts = [add_months(today.replace(day=1), -back) for back in range(months - 1, -1, -1)]
    rows: list[tuple[date, dict[str, Decimal]]] = [(f, defaultdict(Decimal)) for f in firsts]
    found = abstractions(user=user).filter(ends_on__gte=firsts[0], starts_on__lte=today)
    for a in found:
        for f, by_team in rows:
            hours = _overlap(a, f, add_months(f, 1) - timedelta(days=1))
            if hours:
                by_team[str(a.team)] += hours
    return rows


@dataclass(frozen=True)
class Completion:
    while_away: int
    late_while_away: int
    otherwise: int
    late_otherwise: int

    @staticmethod
    def rate(late: int, total: int) -> float | None:
        return round(100 * late / total, 1) if total else None


def completion_effect(*, user: Any, since: date, today: date) -> Completion:
    """Whether abstraction harms work done in time (R11): of the work owned by a person in
    the user's teams that fell due since `since`, the share met late or overdue now (the
    engine's one definition of each, `status.status_q` and `overdue_q`), when it fell due
    while its owner was abstracted and when not."""
    from vigil.obligations import status as st

    teams = teams_for(user)
    work = (
        Obligation.objects.visible_to(user)
        .current()
        .filter(owner_user__isnull=False, owner_team__in=teams)
        .filter(due_date__gte=since, due_date__lte=today, waived_at__isnull=True)
        .annotate(
            late=Case(
                When(st.status_q(st.MET_LATE, today) | st.overdue_q(today), then=True),
                default=False,
            )
        )
        .values_list("owner_user_id", "due_date", "late")
    )
    spells: dict[Any, list[tuple[date, date]]] = defaultdict(list)
    for person, starts, ends in Abstraction.objects.filter(
        team__in=teams, ends_on__gte=since, starts_on__lte=today
    ).values_list("person_id", "starts_on", "ends_on"):
        spells[person].append((starts, ends))
    counts = {"away": [0, 0], "else": [0, 0]}
    for owner, due, late in work:
        key = "away" if any(s <= due <= e for s, e in spells.get(owner, [])) else "else"
        counts[key][0] += 1
        counts[key][1] += bool(late)
    return Completion(counts["away"][0], counts["away"][1], counts["else"][0], counts["else"][1])


def officers_to_record_for(user: Any) -> QuerySet[User]:
    """The people whose abstractions the user records: the members of their teams (of the
    force for a role that reads it)."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__team__in=teams_for(user))
        .distinct()
        .prefetch_related("memberships__team")
        .order_by("display_name", "username")
    )


STAFF_SUBJECT = StaffRecord._meta.label_lower


def screened_staff(user: Any) -> QuerySet[User]:
    """Everyone screening is due for: the members of the force's OCSEA and MOSOVO teams."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__team__kind__in=SCREENED_TEAMS)
        .distinct()
        .prefetch_related("memberships__team")
        .order_by("display_name", "username")
    )


def supervisors(user: Any) -> QuerySet[User]:
    """Those trauma-informed training is due for: the OCSEA and MOSOVO supervisors."""
    return (
        User.objects.visible_to(user)
        .filter(is_active=True, memberships__role_id__in=SUPERVISOR_ROLES)
        .distinct()
        .prefetch_related("memberships__team")
        .order_by("display_name", "username")
    )


@dataclass(frozen=True)
class WellbeingRow:
    user: User
    label: str
    teams: str
    last_screened: date | None
    screening: Obligation | None  # the open obligation: when it is due
    follow_up: str
    last_trained: date | None
    training: Obligation | None
    images_lately: int | None  # images reviewed in the weeks begun in the last four


def wellbeing_individuals(*, user: Any) -> list[WellbeingRow]:
    """The wellbeing lead's list: each person due screening, when they were last screened
    and are next due, whether follow-up was offered and taken up, and a supervisor's
    training. Only `manage_wellbeing` reads it (the scope of the records)."""
    if not has_verb(user, "manage_wellbeing"):
        return []
    from vigil.workforce.models import ScreeningRecord, TrainingRecord

    screened = list(screened_staff(user))
    ids_screened = {u.pk for u in screened}
    people = screened + [u for u in supervisors(user) if u.pk not in ids_screened]
    ids = [u.pk for u in people]
    screenings: dict[Any, Any] = {}
    for r in ScreeningRecord.objects.visible_to(user).filter(person_id__in=ids):
        if r.person_id not in screenings or r.screened_on > screenings[r.person_id].screened_on:
            screenings[r.person_id] = r
    trained: dict[Any, date] = {}
    for person, on in (
        TrainingRecord.objects.visible_to(user)
        .filter(person_id__in=ids)
        .values_list("person_id", "completed_on")
    ):
        trained[person] = max(on, trained.get(person, on))
    # The staff records' own work, read in the user's force: the obligations' scope is the
    # casework verb (`view_nominal`), which the wellbeing lead does not hold and should not;
    # this page is theirs alone (`manage_wellbeing`, checked by the view).
    open_work = {
        (o.owner_user_id, o.rule_id): o
        for o in Obligation.objects.filter(force_id=user.force_id, subject_type=STAFF_SUBJECT)
        .open()
        .filter(owner_user_id__in=ids, rule_id__in=("workforce.screening", "workforce.training"))
    }
    # Weeks of image review, read in the user's force for the wellbeing lead (the records'
    # own scope is the person's alone)
    since = clock.today() - timedelta(days=28)
    images: dict[Any, int] = defaultdict(int)
    for person, n in ExposureEntry.objects.filter(
        force_id=user.force_id, person_id__in=ids, week_starting__gt=since
    ).values_list("person_id", "images_reviewed"):
        images[person] += n
    names = officer_labels(people)
    rows = []
    for u in people:
        last = screenings.get(u.pk)
        rows.append(
            WellbeingRow(
                user=u,
                label=names.get(u.pk, str(u)),
                teams=", ".join(sorted({str(m.team) for m in u.memberships.all()})),
                last_screened=last.screened_on if last else None,
                screening=open_work.get((u.pk, "workforce.screening")),
                follow_up=last.get_follow_up_display() if last else "",
                last_trained=trained.get(u.pk),
                training=open_work.get((u.pk, "workforce.training")),
                images_lately=images.get(u.pk),
            )
        )
    return rows


@dataclass(frozen=True)
class WellbeingCount:
    team: Team
    people: int
    screened: int | None  # None: a count that could name someone, not shown

    @property
    def share(self) -> float | None:
        return round(100 * self.screened / self.people, 1) if self.screened is not None else None


def wellbeing_counts(*, user: Any, today: date, pack: PolicyPack) -> list[WellbeingCount]:
    """For anyone else with the workforce view: each OCSEA and MOSOVO team's people and how
    many were screened in the policy's months; a count that could name someone (under the
    policy's `workforce.smallest_count`, screened or not) is not shown."""
    from vigil.core.dates import add_months
    from vigil.workforce.models import ScreeningRecord

    since = add_months(today, -pack["workforce.screening_months"])
    smallest = pack["workforce.smallest_count"]
    teams = list(teams_for(user).filter(kind__in=SCREENED_TEAMS).order_by("name"))
    members_of: dict[Any, set[Any]] = defaultdict(set)
    for team_id, user_id in Membership.objects.filter(
        team__in=teams, user__is_active=True
    ).values_list("team_id", "user_id"):
        members_of[team_id].add(user_id)
    everyone = set().union(*members_of.values())
    screened_people = set(
        ScreeningRecord.objects.filter(person_id__in=everyone, screened_on__gt=since)
        .values_list("person_id", flat=True)
        .distinct()
    )
    counts = []
    for team in teams:
        members = members_of[team.pk]
        screened = len(members & screened_people)
        unscreened = len(members) - screened
        shown = len(members) >= smallest and not any(
            0 < n < smallest for n in (screened, unscreened)
        )  # a count of one to four, screened or not, could name someone
        counts.append(WellbeingCount(team, len(members), screened if shown else None))
    return counts


def load_words(
    users: list[Any],
    *,
    holder: Any = None,
    rso_level: str = "",
    ocsea_band: str = "",
    new_case: bool = True,
) -> dict[Any, str]:
    """Each officer's capacity in words, now and if this case were theirs (not for the
    officer who holds it already, nor when the case is not yet known: `new_case` False).
    Nothing for someone without a staff record."""
    from vigil.core import clock
    from vigil.policy.pack import active as active_policy

    pack, today = active_policy(), clock.today()
    users = list(users)
    found = capacities_if_allocated(
        users, pack=pack, today=today, rso_level=rso_level, ocsea_band=ocsea_band
    )
    out = {}
    for user in users:
        if user.pk not in found:
            continue  # no staff record: nothing to say
        now, then = found[user.pk]
        if now is None:
            out[user.pk] = "abstracted this week"
            continue
        words = f"at {now:g}% of capacity"
        if new_case and then is not None and user.pk != getattr(holder, "pk", holder):
            words += f"; {then:g}% with this case"
        out[user.pk] = words
    return out
