"""The force performance dashboard (issue 15), for the monthly performance meeting: each theme
of the inspectorate's recommendations as the work the obligation engine holds for a force, an
area or a team (due this month and met in time, overdue, due soon, escalated, by the engine's
one status function), its month-on-month trend from the monthly snapshots, each team's
figures, and the R12 table of RSO work by risk level and how overdue.

Every count is an aggregate; for a viewer who sees aggregates only, a count of one up to the
policy's smallest is shown as "fewer than N" (`disclosure`). All work of a
force is counted in two grouped queries (work by theme and team; open escalations by theme
and team), however many teams."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, CharField, Count, Q, Sum, Value, When

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.disclosure import (
    Shown,
    hidden,
    protect_tree,
    shown_count,
    shown_reading,
    shown_share,
    small,
    smallest_for,
)
from vigil.assurance.metrics import (
    PERCENT,
    Metric,
    Period,
    Reading,
    Unit,
    _metrics,
    metrics,
    overdue_now,
    read_all,
    rules_q,
)
from vigil.core import clock
from vigil.obligations import status as st
from vigil.obligations.models import Escalation, Obligation
from vigil.obligations.selectors import BandRow, band_table


@dataclass(frozen=True)
class Theme:
    id: str
    title: str
    recommendations: str
    prefixes: tuple[str, ...]  # the engine's rules whose work it is
    trend: str  # the registered metric whose monthly snapshots make its trend
    seen_with: str = ""  # the verb whose holders alone see this work (the engine's seen_with)

    @property
    def rules(self) -> str:
        """The team worklist's filter for the records behind its figures."""
        return ",".join(self.prefixes)


THEMES = (
    Theme(
        "rso",
        "ARMS assessments, plans and visits",
        "R12",
        ("rso.arms.", "rso.rmp.", "rso.visit.frequency"),
        "r12.rso_work_overdue",
    ),
    Theme(
        "reviews",
        "Supervisor reviews",
        "R13",
        ("rso.review.",),
        "r13.reviews_in_time",
    ),
    Theme(
        "visits",
        "Visit authorisations and PND checks",
        "R14, R15",
        ("rso.visit.authorise", "rso.visit.assess", "rso.pnd."),
        "r15.pnd_overdue",
    ),
    Theme(
        "kirat",
        "KIRAT and action clocks",
        "R1",
        ("ocsea.assessment", "ocsea.action"),
        "r1.actioned_in_time",
    ),
    Theme(
        "investigation",
        "Risk reviews and oversight",
        "R2, R3, R7",
        ("ocsea.review", "ocsea.oversight", "ocsea.family"),
        "r2.reviews_in_time",
    ),
    Theme(
        "bail",
        "Arrest and bail",
        "R5, R6",
        ("ocsea.arrest", "bail."),
        "r6.condition_checks_in_time",
    ),
    Theme(
        "abstractions",
        "Abstractions",
        "R11",
        ("workforce.abstraction",),
        "r11.abstractions_reviewed_in_time",
    ),
    Theme(
        "screening",
        "Screening and trauma-informed training",
        "R16",
        ("workforce.screening", "workforce.training"),
        "r16.screening_in_time",
        seen_with="manage_wellbeing",
    ),
    Theme(
        "probation",
        "Probation exchanges",
        "R17",
        ("probation.",),
        "r17.answered_in_time",
    ),
)


KEYS = ("due", "in_time", "overdue", "due_soon", "escalated")


@dataclass
class Work:
    """A unit's work of one theme: due in the month, met in time of it; open today, or as a
    month gone closed."""

    due: int = 0
    in_time: int = 0
    overdue: int = 0
    due_soon: int = 0
    escalated: int = 0

    def add(self, other: Work) -> None:
        for name in KEYS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
    band_rows: list[BandRow]  # empty when the viewer may not see it for this unit
    band_totals: BandRow | None
    smallest: int
    band_hidden: set[tuple[str, str]] = field(default_factory=set)  # (risk, band status)
    band_rules: str = ""  # the worklist's filter for the R12 table's work
    closed: bool = False  # a month gone, read as it closed (else this month so far, today)

    @property
    def by_unit_for_all(self) -> bool:
        """Whether trends and the R12 table are shown for this unit: always for the force;
        for an area or a team only to a viewer who sees every count (their snapshots would
        otherwise let a hidden count be found by subtraction)."""
        return self.unit.is_force or not self.smallest


def _theme_of(prefix_field: str = "rule_id") -> Case:
    whens = [
        When(Q(**{f"{prefix_field}__startswith": prefix}), then=Value(theme.id))
        for theme in THEMES
        for prefix in theme.prefixes
    ]
    return Case(*whens, default=Value(""), output_field=CharField())


def work_by_team(
    force_id: Any, month: Period, today: date, pack: Any
) -> dict[tuple[str, Any], Work]:
    """Every theme's work of a force by owning team, in two grouped queries: due in the month
    and met in time of it; overdue, due soon and escalated today, or, for a month gone
    (`today` its last day), as it closed (`status.*_on_q`)."""
    pack_due = st.standing_on_q(today) & Q(due_date__gte=month.start, due_date__lte=month.end)
    # open then, and due by the end of the "due soon" window after it
    window = pack["obligations.due_soon_days"]
    open_then = st.open_rows_on_q(today) & Q(due_date__lte=today + timedelta(days=window))
    overdue, due_soon = st.overdue_on_q(today), st.due_soon_on_q(today, pack)
    rows = (
        Obligation.objects
        # due this month, or open: a small part of a force's history, and each index's
        .filter(Q(due_date__gte=month.start, due_date__lte=month.end) | open_then)
        .filter(force_id=force_id)
        .annotate(theme=_theme_of())
        .exclude(theme="")
        .order_by()
        .values("theme", "owner_team_id")
        .annotate(
            due=Count("pk", filter=pack_due),
            in_time=Count("pk", filter=pack_due & st.status_q(st.MET_ON_TIME, today)),
            overdue=Count("pk", filter=overdue),
            due_soon=Count("pk", filter=due_soon),
        )
    )
    found: dict[tuple[str, Any], Work] = {}
    for r in rows:
        found[(r["theme"], r["owner_team_id"])] = Work(
            r["due"], r["in_time"], r["overdue"], r["due_soon"]
        )
    if today < clock.today():  # raised by the day's end, not resolved then, on work open then
        end = st.moment(today)
        raised = (
            Q(raised_on__lte=today)
            & (Q(resolved_at__isnull=True) | Q(resolved_at__gt=end))
            & st.open_at_q(today, "obligation__")
        )
    else:
        raised = Q(resolved_at__isnull=True, obligation__withdrawn_at__isnull=True)
    escalated = (
        Escalation.objects.filter(raised, force_id=force_id)
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


FORCE, NO_TEAM = ("force",), ("team", None)


def _tree(teams: dict[Any, tuple[str, Any, str]]) -> dict[Any, list[Any]]:
    """The force's units as a tree of counts: the force, its areas (and work of no team),
    each area's teams."""
    areas: dict[Any, list[Any]] = {}
    for team_id, (_, area_id, _) in teams.items():
        areas.setdefault(("area", area_id), []).append(("team", team_id))
    return {FORCE: [*areas, NO_TEAM], **areas}


def _node(unit: Unit) -> tuple[Any, ...]:
    if unit.team_id:
        return ("team", unit.team_id)
    return ("area", unit.area_id) if unit.area_id else FORCE


def _protected(
    values: dict[Any, Work],
    tree: dict[Any, list[Any]],
    smallest: int,
    hidden_already: dict[str, set[Any]],
) -> dict[str, set[Any]]:
    """For each figure, the units whose count is hidden (`disclosure.protect_tree`)."""
    return {
        key: protect_tree(
            {n: getattr(w, key) for n, w in values.items()},
            tree,
            smallest,
            hidden_already.get(key, set()),
        )
        for key in KEYS
    }


def _shown(node: Any, work: Work, hide: dict[str, set[Any]], smallest: int) -> dict[str, Shown]:
    shown = {
        key: hidden(smallest) if node in hide[key] else shown_count(getattr(work, key), 0)
        for key in KEYS
    }
    if node in hide["due"]:
        shown["in_time"] = Shown(f"Fewer than {smallest} due", None, True)
    elif node in hide["in_time"]:
        shown["in_time"] = Shown(f"Fewer than {smallest} in time", None, True)
    else:
        shown["in_time"] = shown_share(work.in_time, work.due, 0)
    return shown


def _scorecard_parts(theme: Theme) -> list[Metric]:
    """The scorecard's counts of work overdue that are part of a theme's overdue figure."""
    return [
        m
        for m in metrics()
        if isinstance(m.read, overdue_now)
        and all(any(p.startswith(t) for t in theme.prefixes) for p in m.read.prefixes)
    ]


def _pinned_by_scorecard(
    theme: Theme, overdue: int, scorecard: dict[str, Reading], smallest: int
) -> bool:
    """Whether the force's overdue figure of a theme would pin down a count the scorecard
    hides: one of its parts there is hidden and the figure less the parts shown is under the
    smallest count shown."""
    if not smallest:
        return False
    readings = [scorecard[m.id].numerator for m in _scorecard_parts(theme)]
    hidden_parts = [n for n in readings if small(n, smallest)]
    shown_parts = sum(n for n in readings if not small(n, smallest))
    return bool(hidden_parts) and overdue - shown_parts < smallest


def dashboard(
    *,
    unit: Unit,
    today: date,
    smallest: int,
    pack: Any,
    withheld: frozenset[str] = frozenset(),
    month: date | None = None,
) -> Dashboard:
    """The dashboard of a force, an area or a team, for this month so far, or for a month
    gone (`month`, its first day) as it closed: its work read as at its last day, and its
    trend up to it. Every theme's work is summed up the force's tree of units and protected
    on it as a whole, so that the same counts are hidden whichever unit is looked at, and
    none can be found from the others, nor from the scorecard's (`withheld`: the verbs whose
    work's small counts the viewer may not see, `disclosure.withheld`)."""
    from vigil.core.models import Team

    period = Period.of_month(month or today)
    closed = period.end < today
    if closed:
        today = period.end  # the month's figures are read as it closed
    else:
        period = Period(period.start, today)  # this month so far
    teams = {
        t.pk: (t.name, t.area_id, t.area.name)
        for t in Team.objects.filter(force_id=unit.force_id).select_related("area")
    }
    tree = _tree(teams)
    node = _node(unit)
    work = work_by_team(unit.force_id, period, today, pack)
    trends = _trends(unit, today)
    # this month's figure of each theme's trend, and the scorecard's counts a force's figure
    # could be set against: each in the same one scan of the force's obligations
    wanted = {_metrics[t.trend] for t in THEMES if _metrics[t.trend].by_team or unit.is_force}
    if smallest:
        wanted |= {m for t in THEMES for m in _scorecard_parts(t)}
    ordered = sorted(wanted, key=lambda m: m.id)
    this_month = read_all(ordered, unit, period, today)
    scorecard = (
        read_all(
            [m for m in ordered if m in set().union(*(_scorecard_parts(t) for t in THEMES))],
            Unit(unit.force_id),
            period,
            today,
        )
        if smallest
        else {}
    )
    themes = []
    for theme in THEMES:
        least = smallest_for(theme.seen_with, smallest, withheld, pack)
        values: dict[Any, Work] = {n: Work() for n in (FORCE, NO_TEAM, *tree, *tree[FORCE])}
        for (theme_id, team_id), w in work.items():
            if theme_id != theme.id:
                continue
            leaf = ("team", team_id) if team_id in teams else NO_TEAM
            values.setdefault(leaf, Work()).add(w)
            values[FORCE].add(w)
            if team_id in teams:
                values[("area", teams[team_id][1])].add(w)
        pinned = _pinned_by_scorecard(theme, values[FORCE].overdue, scorecard, least)
        hide = _protected(values, tree, least, {"overdue": {FORCE}} if pinned else {})
        under = [NO_TEAM, *(t for a in tree[FORCE] for t in tree.get(a, []))]
        if node != FORCE:
            under = tree.get(node, []) if node[0] == "area" else []
        lines = []
        for leaf in under:
            w = values.get(leaf, Work())
            if not any(getattr(w, key) for key in KEYS):
                continue
            name, _, area = teams.get(leaf[1], ("No team", None, ""))
            lines.append(TeamLine(leaf[1], name, area, w, _shown(leaf, w, hide, least)))
        metric = _metrics[theme.trend]
        trend: list[tuple[date, Shown]] = []
        if unit.is_force or not least:
            trend = [(m, shown_reading(r, metric, least)) for m, r in trends.get(metric.id, [])]
            if metric.id in this_month:
                trend.append((period.start, shown_reading(this_month[metric.id], metric, least)))
        themes.append(
            ThemeFigures(
                theme,
                values.get(node, Work()),
                _shown(node, values.get(node, Work()), hide, least),
                trend,
                metric.label,
                metric.unit,
                sorted(lines, key=lambda line: (line.area == "", line.area, line.team)),
                _context(theme.id, unit, period, today, least, closed=closed),
            )
        )
    r12 = next(t for t in THEMES if t.id == "rso")
    bands: list[st.Band] = []
    band_rows: list[BandRow] = []
    band_totals: BandRow | None = None
    band_hidden: set[tuple[str, str]] = set()
    if unit.is_force or not smallest:  # see `Dashboard.by_unit_for_all`
        overdue = unit.narrow(
            Obligation.objects.filter(
                rules_q(r12.prefixes),
                st.overdue_on_q(today),
                st.open_rows_on_q(today),
                force_id=unit.force_id,
            ),
            "owner_team",
        )
        bands, band_rows, band_totals = band_table(overdue, today=today, pack=pack)
        band_hidden = _band_hidden(band_rows, band_totals, smallest)
    return Dashboard(
        unit,
        period,
        themes,
        bands,
        band_rows,
        band_totals,
        smallest,
        band_hidden,
        band_rules=r12.rules,
        closed=closed,
    )


def _band_hidden(rows: list[BandRow], totals: BandRow, smallest: int) -> set[tuple[str, str]]:
    """The R12 table's hidden cells, as (risk, band status); a row's total as (risk, "")."""
    values: dict[Any, float] = {("all",): totals.total}
    tree: dict[Any, list[Any]] = {("all",): []}
    for row in rows:
        values[(row.risk, "")] = row.total
        tree[("all",)].append((row.risk, ""))
        tree[(row.risk, "")] = [(row.risk, c.status) for c in row.cells]
        for cell in row.cells:
            values[(row.risk, cell.status)] = cell.count
    return {n for n in protect_tree(values, tree, smallest) if n != ("all",)}


def dashboard_data(made: Dashboard, unit_name: str) -> dict[str, Any]:
    """The dashboard as the API gives it (`DashboardSerializer`), and as a monthly pack
    keeps it."""
    from vigil.assurance.api.serializers import DashboardSerializer

    return dict(
        DashboardSerializer(
            {
                "unit": unit_name,
                "month": made.month.start,
                "closed": made.closed,
                "as_of": made.month.end,
                "bands": [b.label for b in made.bands],
                "risk_bands": band_rows_shown(made),
                "themes": made.themes,
            }
        ).data
    )


def band_rows_shown(made: Dashboard) -> list[dict[str, Any]]:
    """The risk level x band table's rows as the viewer may see them."""
    smallest = made.smallest

    def cell(key: tuple[str, str], n: int) -> Shown:
        return hidden(smallest) if key in made.band_hidden else shown_count(n, 0)

    return [
        {
            "risk": row.risk,
            "label": row.label,
            "counts": [cell((row.risk, c.status), c.count) for c in row.cells],
            # each with its band's words, for the page's narrow-screen labels
            "labelled": [
                (band.label, cell((row.risk, c.status), c.count))
                for band, c in zip(made.bands, row.cells, strict=True)
            ],
            "total": cell((row.risk, ""), row.total),
        }
        for row in made.band_rows
    ]


def _trends(unit: Unit, today: date) -> dict[str, list[tuple[date, Reading]]]:
    """Each metric's snapshots of the unit before this month (this month is read live)."""
    from vigil.assurance.selectors import snapshots

    return snapshots(unit.force_id, unit.key, today, this_month=False)


def _context(
    theme: str, unit: Unit, month: Period, today: date, smallest: int, *, closed: bool = False
) -> list[tuple[str, Shown]]:
    """The records' own figures beside a theme's work: open bails, hours abstracted, the
    forecasts' shortfall, exchanges waiting on each side; for a month gone, as it closed
    (`today` its last day). Below the force, for a viewer of aggregates, none: they are not
    protected on the force's tree as the work's counts are."""
    if smallest and not unit.is_force:
        return []
    if theme == "bail":
        from vigil.ocsea.models import Bail, BailKind

        running = (
            Q(start_date__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            if closed
            else Q(ended_on__isnull=True)
        )
        open_ = unit.narrow(
            Bail.objects.filter(running, force_id=unit.force_id),
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
            ("Abstractions touching the month", shown_count(hours["n"], smallest)),
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

        unanswered = (
            Q(raised_on__lte=today) & (Q(answered_on__isnull=True) | Q(answered_on__gt=today))
            if closed
            else Q(answered_on__isnull=True)
        )
        waiting = dict(
            Exchange.objects.filter(unanswered, force_id=unit.force_id)
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
