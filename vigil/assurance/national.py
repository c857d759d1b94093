"""The national view (issue 15): a deployment serving several forces compares them on the same
metrics, for the national bodies' recommendations. It reads the forces' monthly snapshots
(one query a month), never their records; every count under the policy's smallest is
suppressed whoever looks, as it is another force's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.disclosure import Shown, shown_reading
from vigil.assurance.metrics import Metric, Reading, _metrics, metrics
from vigil.assurance.models import MetricSnapshot
from vigil.core.models import Force


@dataclass(frozen=True)
class ForceLine:
    force_id: Any
    force: str
    figure: Shown
    rag: str
    own: bool


@dataclass(frozen=True)
class MetricSpread:
    """How many forces a metric finds green, amber, red or not judged in a month."""

    metric: Metric
    green: int
    amber: int
    red: int
    not_judged: int
    own_rag: str


def months() -> list[date]:
    """The months with snapshots, newest first."""
    return list(
        MetricSnapshot.objects.filter(unit="force")
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def spread(*, month: date, own_force: Any, smallest: int) -> list[MetricSpread]:
    """Each metric's forces by RAG; a figure too small to show is not judged here either."""
    kept = MetricSnapshot.objects.filter(unit="force", month=month).values_list(
        "metric", "force_id", "rag", "numerator", "denominator"
    )
    rags: dict[str, Counter[str]] = {}
    own: dict[str, str] = {}
    for metric_id, force_id, rag, numerator, denominator in kept:
        metric = _metrics.get(metric_id)
        if metric is None:
            continue
        if shown_reading(Reading(numerator, denominator), metric, smallest).suppressed:
            rag = ""
        rags.setdefault(metric_id, Counter())[rag] += 1
        if force_id == own_force:
            own[metric_id] = rag
    return [
        MetricSpread(
            m,
            rags.get(m.id, Counter())["green"],
            rags.get(m.id, Counter())["amber"],
            rags.get(m.id, Counter())["red"],
            rags.get(m.id, Counter())[""],
            own.get(m.id, ""),
        )
        for m in metrics()
    ]


def compared(*, month: date, metric_id: str, own_force: Any, smallest: int) -> list[ForceLine]:
    """Every force's figure of one metric in a month, the best first by the metric's own
    sense of better; forces without a figure last."""
    metric = _metrics[metric_id]
    names = dict(Force.objects.values_list("pk", "name"))
    lines = []
    for snap in MetricSnapshot.objects.filter(unit="force", month=month, metric=metric_id):
        figure = shown_reading(Reading(snap.numerator, snap.denominator), metric, smallest)
        lines.append(
            ForceLine(
                snap.force_id,
                names.get(snap.force_id, ""),
                figure,
                "" if figure.suppressed else snap.rag,
                snap.force_id == own_force,
            )
        )
    sign = -1 if metric.better == "higher" else 1

    def order(line: ForceLine) -> tuple[int, float, str]:
        value = line.figure.value
        return (value is None, sign * (value or 0), line.force)

    return sorted(lines, key=order)
