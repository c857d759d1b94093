"""The force performance dashboard (issue 15), for the monthly performance meeting: each theme
of the inspectorate's recommendations as the work the obligation engine holds for a force, an
area or a team (due this month and met in time, overdue, due soon, escalated, by the engine's
one status function), its month-on-month trend from the monthly snapshots, each team's
figures, and the R12 table of RSO work by risk level and how overdue.

Every count is an aggregate; for a viewer who sees aggregates only, a count of one up to the
policy's smallest is shown as "fewer than N" (`selectors.smallest_shown`). All work of a
force is counted in two grouped queries (work by theme and team; open escalations by theme
and team), however many teams."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.metrics import COUNT, PERCENT, Metric, Period, Reading, Unit, _metrics
from vigil.core.dates import add_months
from vigil.obligations import status as st
from vigil.obligations.models import Escalation, Obligation
from vigil.obligations.selectors import BandRow, band_table

TREND_MONTHS = 6


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    recommendations: str
    prefixes: tuple[str, ...]  # the engine's rules whose work it is
    kind: str  # the team worklist's kind filter for the records behind it
    trend: str  # the registered metric whose monthly snapshots make its trend


THEMES = (
    Theme(
        "rso",
        "ARMS assessments, plans and visits",
        "R12",
        ("rso.arms.", "rso.rmp.", "rso.visit.frequency"),
        "rso",
        "r12.rso_work_overdue",
    ),
    Theme(
        "reviews",
        "Supervisor reviews",
        "R13",
        ("rso.review.",),
        "rso.review",
        "r13.reviews_in_time",
    ),
    Theme(
        "visits",
        "Visit authorisations and PND checks",
        "R14, R15",
        ("rso.visit.authorise", "rso.visit.assess", "rso.pnd."),
        "rso",
        "r15.pnd_overdue",
    ),
    Theme(
        "kirat",
        "KIRAT and action clocks",
        "R1",
        ("ocsea.assessment", "ocsea.action"),
        "ocsea",
        "r1.actioned_in_time",
    ),
    Theme(
        "investigation",
        "Risk reviews and oversight",
        "R2, R3, R7",
        ("ocsea.review", "ocsea.oversight", "ocsea.family"),
        "ocsea",
        "r2.reviews_in_time",
    ),
    Theme(
        "bail",
        "Arrest and bail",
        "R5, R6",
        ("ocsea.arrest", "bail."),
        "bail",
        "r6.condition_checks_in_time",
    ),
    Theme(
        "abstractions",
        "Abstractions",
        "R11",
        ("workforce.abstraction",),
        "workforce.abstraction",
        "r11.abstractions_reviewed_in_time",
    ),
    Theme(
        "screening",
        "Screening and trauma-informed training",
        "R16",
        ("workforce.screening", "workforce.training"),
        "workforce.wellbeing",
        "r16.screening_in_time",
    ),
    Theme(
        "probation",
        "Probation exchanges",
        "R17",
        ("probation.",),
        "probation",
        "r17.answered_in_time",
    ),
)


@dataclass
class Work:
    """A unit's work of one theme: due in the month so far, met in time of it, open now."""

    due: int = 0
    in_time: int = 0
    overdue: int = 0
    due_soon: int = 0
    escalated: int = 0

    def add(self, other: Work) -> None:
        for name in ("due", "in_time", "overdue", "due_soon", "escalated"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def in_time_percent(self) -> float | None:
        return round(100 * self.in_time / self.due, 1) if self.due else None


@dataclass(frozen=True)
class Shown:
    """A figure as the viewer may see it."""

    text: str
    value: float | None  # None when suppressed or nothing to judge
    suppressed: bool = False


@dataclass
class TeamLine:
    team_id: Any
    team: str
    area: str
    work: Work
    shown: dict[str, Shown] = field(default_factory=dict)


@dataclass
class ThemeFigures:
    theme: Theme
    work: Work
    shown: dict[str, Shown]
    trend: list[tuple[date, Shown]]  # the monthly snapshots, then this month so far
    trend_label: str
    trend_unit: str
    teams: list[TeamLine]
    context: list[tuple[str, Shown]] = field(default_factory=list)

    @property
    def change(self) -> str:
        """This month against last month's snapshot, in words."""
        if len(self.trend) < 2:
            return ""
        (_, last), (_, now) = self.trend[-2], self.trend[-1]
        if last.value is None or now.value is None:
            return ""
        delta = round(now.value - last.value, 1)
        unit = " points" if self.trend_unit == PERCENT else ""
        if not delta:
            return "No change on last month"
        return f"{'Up' if delta > 0 else 'Down'} {abs(delta):g}{unit} on last month"


@dataclass
class Dashboard:
    unit: Unit
    month: Period
    themes: list[ThemeFigures]
    bands: list[st.Band]
    band_rows: list[BandRow]
    band_totals: BandRow
    smallest: int


def shown_count(n: int | float, smallest: int) -> Shown:
    if 0 < n < smallest:
        return Shown(f"Fewer than {smallest}", None, True)
    return Shown(f"{n:g}", float(n))


def shown_share(part: int, whole: int, smallest: int) -> Shown:
    if any(0 < n < smallest for n in (part, whole)):
        return Shown(f"Fewer than {smallest} due", None, True)
    if not whole:
        return Shown("None due", None)
    value = round(100 * part / whole, 1)
    return Shown(f"{value:g}%", value)


def shown_reading(reading: Reading, metric: Metric, smallest: int) -> Shown:
    """A metric's reading as the viewer may see it (days or FTE are never suppressed)."""
    smallest = smallest if metric.counts_records else 0
    if metric.unit == PERCENT:
        return shown_share(int(reading.numerator), reading.denominator or 0, smallest)
    return shown_count(reading.numerator, smallest)


def _shown(work: Work, smallest: int) -> dict[str, Shown]:
    return {
        "due": shown_count(work.due, smallest),
        "in_time": shown_share(work.in_time, work.due, smallest),
        "overdue": shown_count(work.overdue, smallest),
        "due_soon": shown_count(work.due_soon, smallest),
        "escalated": shown_count(work.escalated, smallest),
    }


def _theme_of(prefix_field: str = "rule_id") -> Case:
    whens = [
        When(Q(**{f"{prefix_field}__startswith": prefix}), then=Value(theme.id))
        for theme in THEMES
        for prefix in theme.prefixes
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def work_by_team(force_id: Any, month: Period, today: date) -> dict[tuple[str, Any], Work]:
    """Every theme's work of a force by owning team, in two grouped queries."""
    pack_due = Q(due_date__gte=month.start, due_date__lte=month.end, waived_at__isnull=True)
    rows = (
        Obligation.objects.current()
        .filter(force_id=force_id)
        .annotate(theme=_theme_of())
        .exclude(theme="")
        .order_by()
        .values("theme", "owner_team_id")
        .annotate(
            due=Count("pk", filter=pack_due),
            in_time=Count("pk", filter=pack_due & st.status_q(st.MET_ON_TIME, today)),
            overdue=Count("pk", filter=st.overdue_q(today)),
            due_soon=Count("pk", filter=st.status_q(st.DUE_SOON, today)),
        )
    )
    found: dict[tuple[str, Any], Work] = {}
    for r in rows:
        found[(r["theme"], r["owner_team_id"])] = Work(
            r["due"], r["in_time"], r["overdue"], r["due_soon"]
        )
    escalated = (
        Escalation.objects.filter(
            force_id=force_id,
            resolved_at__isnull=True,
            obligation__withdrawn_at__isnull=True,
        )
        .annotate(theme=_theme_of("obligation__rule_id"))
        .exclude(theme="")
        .order_by()
        .values("theme", "obligation__owner_team_id")
        .annotate(n=Count("obligation_id", distinct=True))
    )
    for r in escalated:
        key = (r["theme"], r["obligation__owner_team_id"])
        found.setdefault(key, Work()).escalated = r["n"]
    return found


def _in_unit(unit: Unit, teams: dict[Any, tuple[str, Any, str]]) -> set[Any] | None:
    """The team ids of a unit (None: the whole force, work of no team included)."""
    if unit.team_id:
        return {unit.team_id}
    if unit.area_id:
        return {t for t, (_, area_id, _) in teams.items() if area_id == unit.area_id}
    return None


def dashboard(*, unit: Unit, today: date, smallest: int, pack: Any) -> Dashboard:
    from vigil.core.models import Team

    month = Period(today.replace(day=1), today)
    teams = {
        t.pk: (t.name, t.area_id, t.area.name)
        for t in Team.objects.filter(force_id=unit.force_id).select_related("area")
    }
    within = _in_unit(unit, teams)
    work = work_by_team(unit.force_id, month, today)
    trends = _trends(unit, today)
    themes = []
    for theme in THEMES:
        total = Work()
        lines: dict[Any, TeamLine] = {}
        for (theme_id, team_id), w in work.items():
            if theme_id != theme.id or (within is not None and team_id not in within):
                continue
            total.add(w)
            if team_id in teams:
                name, _, area = teams[team_id]
                lines[team_id] = TeamLine(team_id, name, area, w, _shown(w, smallest))
        metric = _metrics[theme.trend]
        trend = [(m, shown_reading(r, metric, smallest)) for m, r in trends.get(metric.id, [])]
        if metric.by_team or unit.is_force:
            trend.append(
                (
                    month.start,
                    shown_reading(metric.read(unit, month, today), metric, smallest),
                )
            )
        themes.append(
            ThemeFigures(
                theme,
                total,
                _shown(total, smallest),
                trend,
                metric.label,
                metric.unit,
                sorted(lines.values(), key=lambda line: (line.area, line.team)),
                _context(theme.id, unit, month, today, smallest),
            )
        )
    overdue_rso = unit.narrow(
        Obligation.objects.current().filter(
            _prefixes(THEMES[0].prefixes), st.overdue_q(today), force_id=unit.force_id
        ),
        "owner_team",
    )
    bands, band_rows, band_totals = band_table(overdue_rso, today=today, pack=pack)
    return Dashboard(unit, month, themes, bands, band_rows, band_totals, smallest)


def band_rows_shown(made: Dashboard, smallest: int) -> list[dict[str, Any]]:
    """The risk level x band table's rows as the viewer may see them."""
    return [
        {
            "risk": row.risk,
            "label": row.label,
            "counts": [shown_count(c.count, smallest) for c in row.cells],
            "total": shown_count(row.total, smallest),
        }
        for row in made.band_rows
    ]


def _prefixes(prefixes: Iterable[str]) -> Q:
    q = Q()
    for prefix in prefixes:
        q |= Q(rule_id__startswith=prefix)
    return q


def _trends(unit: Unit, today: date) -> dict[str, list[tuple[date, Reading]]]:
    """Each metric's snapshots for the unit over the last months, oldest first (not this
    month: it is read live)."""
    from vigil.assurance.models import MetricSnapshot

    this_month = today.replace(day=1)
    since = add_months(this_month, -TREND_MONTHS)
    found: dict[str, list[tuple[date, Reading]]] = {}
    for snap in MetricSnapshot.objects.filter(
        force_id=unit.force_id, unit=unit.key, month__gte=since, month__lt=this_month
    ).order_by("month"):
        reading = Reading(snap.numerator, snap.denominator)
        found.setdefault(snap.metric, []).append((snap.month, reading))
    return found


def _context(
    theme: str, unit: Unit, month: Period, today: date, smallest: int
) -> list[tuple[str, Shown]]:
    """The records' own figures beside a theme's work: open bails, hours abstracted, the
    forecasts' shortfall, exchanges waiting on each side."""
    if theme == "bail":
        from vigil.ocsea.models import Bail, BailKind

        open_ = unit.narrow(
            Bail.objects.filter(force_id=unit.force_id, ended_on__isnull=True),
            "suspect__referral__team",
        )
        counts = dict(open_.order_by().values_list("kind").annotate(n=Count("pk")))
        return [
            (f"Open: {BailKind(kind).label.lower()}", shown_count(counts.get(kind, 0), smallest))
            for kind in BailKind.values
        ]
    if theme == "abstractions":
        from vigil.workforce.models import Abstraction

        hours = unit.narrow(
            Abstraction.objects.filter(
                force_id=unit.force_id, starts_on__lte=month.end, ends_on__gte=month.start
            ),
            "team",
        ).aggregate(hours=Sum("hours"), n=Count("pk"))
        few = 0 < hours["n"] < smallest  # the hours of so few could be a person's
        return [
            ("Abstractions touching this month", shown_count(hours["n"], smallest)),
            (
                "Hours of those abstractions",
                Shown(f"Fewer than {smallest} abstractions", None, True)
                if few
                else shown_count(float(hours["hours"] or 0), 0),
            ),
            *(
                _metric_context(m, unit, month, today, smallest)
                for m in ("r4.ocsea_staff_short", "r10.mosovo_staff_short")
            ),
        ]
    if theme == "probation" and unit.is_force:
        from vigil.probation.models import Direction, Exchange

        waiting = dict(
            Exchange.objects.filter(force_id=unit.force_id, answered_on__isnull=True)
            .order_by()
            .values_list("direction")
            .annotate(n=Count("pk"))
        )
        return [
            ("Waiting on probation", shown_count(waiting.get(Direction.TO_PROBATION, 0), smallest)),
            ("Waiting on the police", shown_count(waiting.get(Direction.TO_POLICE, 0), smallest)),
        ]
    return []


def _metric_context(
    metric_id: str, unit: Unit, month: Period, today: date, smallest: int
) -> tuple[str, Shown]:
    metric = _metrics[metric_id]
    if not metric.by_team and not unit.is_force:
        return (metric.label, Shown("Force-wide only", None))
    return (metric.label, shown_reading(metric.read(unit, month, today), metric, smallest))


__all__ = ["COUNT", "THEMES", "Dashboard", "dashboard"]
