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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
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
    read: Callable[[Any, Period, date], Reading]  # (force id, period, today)
    # the page listing the records behind it, as (URL name, query string), resolved when shown
    drill: tuple[str, str] | None = None
    describe: str = ""  # how it is counted, in a sentence

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


def _work(force_id: Any, prefixes: tuple[str, ...]) -> Any:
    kinds = Q()
    for prefix in prefixes:
        kinds |= Q(rule_id__startswith=prefix)
    return Obligation.objects.current().filter(kinds, force_id=force_id)


def met_in_time(*prefixes: str) -> Callable[[Any, Period, date], Reading]:
    """Of the work of these rules that fell due in the period (not waived): how much was met
    in time, by the engine's status."""

    def read(force_id: Any, period: Period, today: date) -> Reading:
        due = _work(force_id, prefixes).filter(
            due_date__gte=period.start, due_date__lte=period.end, waived_at__isnull=True
        )
        in_time = due.filter(st.status_q(st.MET_ON_TIME, today)).count()
        return Reading(in_time, due.count())

    return read


def overdue_now(*prefixes: str) -> Callable[[Any, Period, date], Reading]:
    """The work of these rules overdue today, by the engine's status."""

    def read(force_id: Any, period: Period, today: date) -> Reading:
        return Reading(_work(force_id, prefixes).filter(st.overdue_q(today)).count())

    return read


def worklist(kind: str, status: str = "overdue") -> tuple[str, str]:
    """The team worklist filtered to a kind of work: the records behind a work metric."""
    return ("obligations:team-worklist", f"kind={kind}&status={status}")
