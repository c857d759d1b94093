"""The scorecard (issue 15): every recommendation item with its metrics read for the
viewer's force and period, their RAG by the policy, and, for a viewer who sees aggregates
only, counts that could point at a person (one to four) suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from vigil.accounts.access import has_verb
from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.evidence import RECOMMENDATIONS, Recommendation
from vigil.assurance.metrics import PERCENT, Metric, Period, Reading, Unit, for_recommendation
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


def smallest_shown(user: Any, pack: Any) -> int:
    """The policy's smallest count shown to one who sees aggregates only (as wellbeing's);
    0 (every count) to one who may see the records themselves."""
    return 0 if has_verb(user, "view_nominal") else pack["workforce.smallest_count"]


def scorecard(*, user: Any, today: date, days: int, pack: Any) -> list[Row]:
    """The scorecard of the user's force, as the user may see it."""
    return scorecard_for(
        force_id=user.force_id,
        today=today,
        days=days,
        pack=pack,
        smallest=smallest_shown(user, pack),
    )


def scorecard_for(*, force_id: Any, today: date, days: int, pack: Any, smallest: int) -> list[Row]:
    """Every recommendation item with its metrics for a force over the last `days`, counts
    from one up to `smallest` suppressed."""
    period = Period.days_to(today, days)
    trends = _trends(force_id, today, smallest)
    rows = []
    for recommendation in RECOMMENDATIONS:
        row = Row(recommendation)
        for metric in for_recommendation(recommendation.id):
            reading = metric.read(Unit(force_id), period, today)
            figure = _figure(metric, reading, pack, smallest if metric.counts_records else 0)
            row.figures.append(replace(figure, trend=tuple(trends.get(metric.id, ()))))
        rows.append(row)
    return rows


def _suppressed(reading: Reading, smallest: int) -> bool:
    """A numerator or denominator of one up to the smallest count shown: not shown."""
    return any(n is not None and 0 < n < smallest for n in (reading.numerator, reading.denominator))


def _figure(metric: Metric, reading: Reading, pack: Any, smallest: int) -> Figure:
    if _suppressed(reading, smallest):
        return Figure(metric, reading, f"Fewer than {smallest}", "", "", True)
    value = reading.value
    if value is None:
        return Figure(metric, reading, "Nothing due in the period", "", "", False)
    if metric.unit == PERCENT:
        shown = f"{value:g}%"
        detail = f"{reading.numerator:g} of {reading.denominator}"
    else:
        shown, detail = f"{value:g}", ""
    return Figure(metric, reading, shown, detail, metric.rag(value, pack), False)


def _trends(force_id: Any, today: date, smallest: int) -> dict[str, list[tuple[date, str]]]:
    """Each metric's monthly snapshots (`vigil snapshot`) for the last months, oldest first,
    as the viewer may see them."""
    from vigil.assurance.metrics import _metrics
    from vigil.assurance.models import MetricSnapshot

    since = add_months(today.replace(day=1), -TREND_MONTHS)
    found: dict[str, list[tuple[date, str]]] = {}
    for snap in MetricSnapshot.objects.filter(
        force_id=force_id, unit="force", month__gte=since
    ).order_by("metric", "month"):
        metric = _metrics.get(snap.metric)
        reading = Reading(snap.numerator, snap.denominator)
        if metric is None:
            continue
        if metric.counts_records and _suppressed(reading, smallest):
            shown = f"fewer than {smallest}"
        elif snap.value is None:
            shown = "none due"
        else:
            shown = f"{snap.value:g}%" if metric.unit == PERCENT else f"{snap.value:g}"
        found.setdefault(snap.metric, []).append((snap.month, shown))
    return found
