"""The metric registry (issue 15; RECOMMENDATIONS.md): each recommendation item's evidence as
a metric that reads a force's numerator, denominator and value for a period, from the same
records the pages use, with the page of the records behind it.

A metric about work uses the obligation engine's own status (`obligations.status`): "met in
time" and "overdue" mean here what they mean in every worklist; no metric keeps its own idea
of lateness. Its RAG thresholds are the policy pack's (`assurance.rag`), never constants.

Metrics read aggregates for the whole force (counts, never a person); the drill-down is a
link to the page that lists the records behind a number, where each user sees only the
records they may see."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from vigil.obligations import status as st
from vigil.obligations.models import Obligation

PERCENT, COUNT = "percent", "count"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def days_to(cls, today: date, days: int) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @classmethod
    def of_month(cls, day: date) -> Period:
        """The calendar month a day is in, from its first day to its last."""
        first = day.replace(day=1)
        return cls(first, first.replace(day=monthrange(first.year, first.month)[1]))


@dataclass(frozen=True)
class Unit:
    """Whose figures: a force, one of its areas, or one of its teams."""

    force_id: Any
    area_id: Any = None
    team_id: Any = None

    @property
    def key(self) -> str:
        """How a snapshot names it: "force", "area:<id>" or "team:<id>"."""
        if self.team_id:
            return f"team:{self.team_id}"
        return f"area:{self.area_id}" if self.area_id else "force"

    @property
    def is_force(self) -> bool:
        return not (self.area_id or self.team_id)

    def narrow(self, records: Any, team: str) -> Any:
        """The records of this unit, by the field naming the team that holds them."""
        if self.team_id:
            return records.filter(**{f"{team}_id": self.team_id})
        if self.area_id:
            return records.filter(**{f"{team}__area_id": self.area_id})
        return records


@dataclass(frozen=True)
class Reading:
    numerator: int | float
    denominator: int | None = None  # None for a count

    @property
    def value(self) -> float | None:
        if self.denominator is None:
            return float(self.numerator)
        if not self.denominator:
            return None  # nothing to judge
        return round(100 * self.numerator / self.denominator, 1)


@dataclass(frozen=True)
class Metric:
    id: str  # "r13.reviews_in_time"
    recommendation: str  # "R13"
    label: str
    unit: str  # PERCENT or COUNT
    better: str  # "higher" or "lower"
    read: Callable[[Unit, Period, date], Reading]  # (whose, period, today)
    # the page listing the records behind it, as (URL name, query string), resolved when shown
    drill: tuple[str, str] | None = None
    describe: str = ""  # how it is counted, in a sentence
    # the readings of every team of a force at once, in one grouped query: {team id: reading};
    # None for a metric read for the whole force only (a forecast, the register's extract)
    read_teams: Callable[[Any, Period, date], dict[Any, Reading]] | None = None
    # a count of records (people, work) whose small numbers could point at a person, and so
    # are suppressed for those who see aggregates only; False for days or FTE
    counts_records: bool = True
    # the verb whose holders alone see the work it counts (the engine's seen_with): its small
    # counts are suppressed for a viewer without it (`disclosure.withheld`)
    seen_with: str = ""

    @property
    def by_team(self) -> bool:
        return self.read_teams is not None

    @property
    def drill_url(self) -> str:
        if self.drill is None:
            return ""
        name, query = self.drill
        return f"{reverse(name)}?{query}" if query else reverse(name)

    def rag(self, value: float | None, pack: Any) -> str:
        """ "green", "amber", "red", or "" when there is nothing to judge or no threshold."""
        table = "assurance.rag_percent" if self.unit == PERCENT else "assurance.rag_count"
        thresholds = pack[table].get(self.id)
        if value is None or not thresholds:
            return ""
        green, amber = thresholds["green"], thresholds["amber"]
        if self.better == "higher":
            return "green" if value >= green else "amber" if value >= amber else "red"
        return "green" if value <= green else "amber" if value <= amber else "red"


_metrics: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.id in _metrics:
        raise ValueError(f"The metric {metric.id!r} is registered twice")
    _metrics[metric.id] = metric
    return metric


def metrics() -> list[Metric]:
    return list(_metrics.values())


def for_recommendation(recommendation: str) -> list[Metric]:
    return [m for m in _metrics.values() if m.recommendation == recommendation]


# --- readings of the engine's work -----------------------------------------------------------


def rules_q(prefixes: tuple[str, ...], field: str = "rule_id") -> Q:
    """The obligations of the rules whose ids start with these prefixes."""
    found = Q()
    for prefix in prefixes:
        found |= Q(**{f"{field}__startswith": prefix})
    return found


def by_team(records: Any, team: str, **counts: Any) -> dict[Any, dict[str, int]]:
    """Counts of `records` for each team, in one grouped query: {team id: {name: count}}."""
    grouped = records.order_by().values(f"{team}_id").annotate(**counts)
    return {row[f"{team}_id"]: row for row in grouped}


class EngineReader:
    """A reading of the obligation engine's work of some rules: conditional counts over a
    force's obligations (`counts`), so that any number of such metrics are read in one scan
    of them (`read_many`, `read_teams_many`)."""

    def __init__(self, *prefixes: str) -> None:
        self.prefixes = prefixes

    def counts(self, period: Period, today: date) -> dict[str, Q]:
        raise NotImplementedError

    def rows(self, period: Period, today: date) -> Q:
        """A filter holding every obligation it counts, for the scan to use an index: the
        work due in the period, or open (a small part of a force's history)."""
        raise NotImplementedError

    def reading(self, row: dict[str, int]) -> Reading:
        raise NotImplementedError

    def __call__(self, unit: Unit, period: Period, today: date) -> Reading:
        return read_many([self], unit, period, today)[0]

    def teams(self, force_id: Any, period: Period, today: date) -> dict[Any, Reading]:
        return read_teams_many([self], force_id, period, today)[0]


class met_in_time(EngineReader):
    """Of the work of these rules that fell due in the period (in force and not waived; for
    a day gone, as it stood at that day's close): how much was met in time, by the engine's
    status. The work is its owning team's."""

    def counts(self, period: Period, today: date) -> dict[str, Q]:
        due = (
            st.standing_on_q(today)
            & rules_q(self.prefixes)
            & Q(due_date__gte=period.start, due_date__lte=period.end)
        )
        return {"due": due, "in_time": due & st.status_q(st.MET_ON_TIME, today)}

    def rows(self, period: Period, today: date) -> Q:
        return Q(due_date__gte=period.start, due_date__lte=period.end)

    def reading(self, row: dict[str, int]) -> Reading:
        return Reading(row["in_time"], row["due"])


class overdue_now(EngineReader):
    """The work of these rules overdue today, by the engine's status; for a day gone (a
    month's snapshot taken after it ended), the work that was overdue at its close
    (`status.overdue_at_q`), so a month reads the same whenever its snapshot is taken."""

    def counts(self, period: Period, today: date) -> dict[str, Q]:
        return {"n": st.overdue_on_q(today) & rules_q(self.prefixes)}

    def rows(self, period: Period, today: date) -> Q:
        return Q(due_date__lte=today) & st.open_rows_on_q(today)

    def reading(self, row: dict[str, int]) -> Reading:
        return Reading(row["n"])


def _scanned(force_id: Any, readers: list[EngineReader], period: Period, today: date) -> Any:
    """The force's obligations the readers count, and no more (see `EngineReader.rows`)."""
    rows = Q()
    for reader in readers:
        rows |= reader.rows(period, today)
    return Obligation.objects.filter(rows, force_id=force_id)


def _conditional(readers: list[EngineReader], period: Period, today: date) -> dict[str, Any]:
    return {
        f"r{i}_{name}": Count("pk", filter=q)
        for i, reader in enumerate(readers)
        for name, q in reader.counts(period, today).items()
    }


def _row_of(
    i: int, reader: EngineReader, row: dict[str, Any], period: Period, today: date
) -> Reading:
    return reader.reading({name: row[f"r{i}_{name}"] for name in reader.counts(period, today)})


def read_many(
    readers: list[EngineReader], unit: Unit, period: Period, today: date
) -> list[Reading]:
    """Engine readers for a unit, in one scan of its force's obligations."""
    found = unit.narrow(_scanned(unit.force_id, readers, period, today), "owner_team")
    row = found.aggregate(**_conditional(readers, period, today))
    return [_row_of(i, r, row, period, today) for i, r in enumerate(readers)]


def read_teams_many(
    readers: list[EngineReader], force_id: Any, period: Period, today: date
) -> list[dict[Any, Reading]]:
    """Engine readers for every team of a force, in one grouped scan."""
    rows = by_team(
        _scanned(force_id, readers, period, today),
        "owner_team",
        **_conditional(readers, period, today),
    )
    return [
        {team: _row_of(i, r, row, period, today) for team, row in rows.items()}
        for i, r in enumerate(readers)
    ]


def read_all(ms: list[Metric], unit: Unit, period: Period, today: date) -> dict[str, Reading]:
    """Metrics for a unit: the engine's in one scan, the others each by its own reading."""
    engine = [m for m in ms if isinstance(m.read, EngineReader)]
    readings = read_many([m.read for m in engine], unit, period, today) if engine else []  # type: ignore[misc]
    found = {m.id: r for m, r in zip(engine, readings, strict=True)}
    for m in ms:
        if m.id not in found:
            found[m.id] = m.read(unit, period, today)
    return found


def read_units_all(
    ms: list[Metric], force_id: Any, teams: dict[Any, Any], period: Period, today: date
) -> dict[str, dict[Unit, Reading]]:
    """Metrics for every team of a force (`{team id: area id}`) and so its areas, each area
    the sum of its teams' readings: the engine's in one grouped scan, the others each by its
    own; a metric read for the whole force only has none."""
    engine = [m for m in ms if isinstance(m.read, EngineReader)]
    by_metric = dict(
        zip(
            [m.id for m in engine],
            read_teams_many([m.read for m in engine], force_id, period, today)  # type: ignore[misc]
            if engine
            else [],
            strict=True,
        )
    )
    found: dict[str, dict[Unit, Reading]] = {}
    for metric in ms:
        if metric.read_teams is None:
            continue
        per_team = by_metric.get(metric.id)
        if per_team is None:
            per_team = metric.read_teams(force_id, period, today)
        found[metric.id] = _up_the_areas(metric, force_id, teams, per_team)
    return found


def _up_the_areas(
    metric: Metric, force_id: Any, teams: dict[Any, Any], per_team: dict[Any, Reading]
) -> dict[Unit, Reading]:
    readings: dict[Unit, Reading] = {}
    areas: dict[Any, list[Reading]] = {}
    for team_id, area_id in teams.items():
        reading = per_team.get(team_id) or Reading(0, None if metric.unit == COUNT else 0)
        readings[Unit(force_id, area_id, team_id)] = reading
        areas.setdefault(area_id, []).append(reading)
    for area_id, parts in areas.items():
        readings[Unit(force_id, area_id)] = Reading(
            sum(r.numerator for r in parts),
            None if metric.unit == COUNT else sum(r.denominator or 0 for r in parts),
        )
    return readings


def worklist(prefixes: tuple[str, ...], status: str = "overdue") -> tuple[str, str]:
    """The team worklist of the force filtered to the rules a work metric counts: the records
    behind it (each user sees those of them they may)."""
    return ("obligations:team-worklist", f"rules={','.join(prefixes)}&status={status}&team=all")
