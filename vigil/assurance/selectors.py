"""The scorecard (issue 15): every recommendation item with its metrics read for the
viewer's force and period, their RAG by the policy, and, for a viewer who sees aggregates
only, counts that could point at a person (one to four) suppressed (`disclosure`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.disclosure import shown_reading, smallest_for, smallest_shown, withheld
from vigil.assurance.evidence import RECOMMENDATIONS, Recommendation
from vigil.assurance.metrics import (
    PERCENT,
    Metric,
    Period,
    Reading,
    Unit,
    for_recommendation,
    metrics,
    read_all,
)
from vigil.core.dates import add_months

PERIODS = (30, 90, 365)
_WORST = {"red": 3, "amber": 2, "green": 1, "": 0}


@dataclass(frozen=True)
class Figure:
    metric: Metric
    reading: Reading
    shown: str  # the value as the viewer may see it
    detail: str  # "12 of 14", or "" when suppressed or a count
    rag: str
    suppressed: bool
    trend: tuple[tuple[date, str], ...] = ()  # the monthly snapshots, as the viewer may see them


@dataclass
class Row:
    recommendation: Recommendation
    figures: list[Figure] = field(default_factory=list)

    @property
    def rag(self) -> str:
        return max((f.rag for f in self.figures), key=lambda r: _WORST[r], default="")


TREND_MONTHS = 6
MONTHS_BACK = 12  # the months gone a dashboard or a monthly pack can be of
MONTH_ERROR = f"Choose this month or one of the last {MONTHS_BACK} months"


def months_gone(today: date) -> list[date]:
    """The first days of the months gone that a dashboard or a pack can be of, newest
    first."""
    first = today.replace(day=1)
    return [add_months(first, -n) for n in range(1, MONTHS_BACK + 1)]


def scorecard(*, user: Any, today: date, days: int, pack: Any) -> list[Row]:
    """The scorecard of the user's force, as the user may see it."""
    return scorecard_for(
        force_id=user.force_id,
        today=today,
        days=days,
        pack=pack,
        smallest=smallest_shown(user, pack),
        withheld=withheld(user),
    )


def scorecard_for(
    *,
    force_id: Any,
    today: date,
    days: int,
    pack: Any,
    smallest: int,
    withheld: frozenset[str] = frozenset(),
) -> list[Row]:
    """Every recommendation item with its metrics for a force over the last `days`, counts
    from one up to `smallest` suppressed (and so of work whose verb the viewer lacks)."""
    period = Period.days_to(today, days)
    trends = _trends(force_id, today, smallest, withheld, pack)
    readings = read_all(metrics(), Unit(force_id), period, today)
    rows = []
    for recommendation in RECOMMENDATIONS:
        row = Row(recommendation)
        for metric in for_recommendation(recommendation.id):
            reading = readings[metric.id]
            least = smallest_for(metric.seen_with, smallest, withheld, pack)
            figure = _figure(metric, reading, pack, least)
            row.figures.append(replace(figure, trend=tuple(trends.get(metric.id, ()))))
        rows.append(row)
    return rows


def _figure(metric: Metric, reading: Reading, pack: Any, smallest: int) -> Figure:
    shown = shown_reading(reading, metric, smallest)
    if shown.suppressed:
        return Figure(metric, reading, shown.text, "", "", True)
    value = reading.value
    if value is None:
        return Figure(metric, reading, "Nothing due in the period", "", "", False)
    detail = f"{reading.numerator:g} of {reading.denominator}" if metric.unit == PERCENT else ""
    return Figure(metric, reading, shown.text, detail, metric.rag(value, pack), False)


def snapshots(
    force_id: Any, unit: str, today: date, *, this_month: bool = True
) -> dict[str, list[tuple[date, Reading]]]:
    """Each metric's monthly snapshots (`vigil snapshot`) of a unit ("force", "area:<id>",
    "team:<id>") over the last months, oldest first; this month's too, unless it is read
    live."""
    from vigil.assurance.models import MetricSnapshot

    first = today.replace(day=1)
    kept = MetricSnapshot.objects.filter(
        force_id=force_id, unit=unit, month__gte=add_months(first, -TREND_MONTHS)
    )
    if not this_month:
        kept = kept.filter(month__lt=first)
    found: dict[str, list[tuple[date, Reading]]] = {}
    for snap in kept.order_by("metric", "month"):
        found.setdefault(snap.metric, []).append(
            (snap.month, Reading(snap.numerator, snap.denominator))
        )
    return found


def _trends(
    force_id: Any, today: date, smallest: int, withheld: frozenset[str], pack: Any
) -> dict[str, list[tuple[date, str]]]:
    """The force's trend of each metric, as the viewer may see it."""
    from vigil.assurance.metrics import _metrics

    found = {}
    for metric_id, kept in snapshots(force_id, "force", today).items():
        if (metric := _metrics.get(metric_id)) is None:
            continue
        least = smallest_for(metric.seen_with, smallest, withheld, pack)
        found[metric_id] = [(m, shown_reading(r, metric, least).text) for m, r in kept]
    return found
