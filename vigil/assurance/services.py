"""Taking the monthly snapshots (`vigil snapshot`): every metric for every force, for a
month, kept once (taking it again replaces that month's figures with the same reading)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import Any

from django.db import transaction

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.metrics import Period, metrics
from vigil.assurance.models import MetricSnapshot
from vigil.core import clock
from vigil.core.models import Force
from vigil.policy.pack import active as active_policy


def month_period(month: date) -> Period:
    first = month.replace(day=1)
    return Period(first, first.replace(day=monthrange(first.year, first.month)[1]))


def snapshot_month(month: date, *, forces: Any = None) -> int:
    """Every metric of every force for the month (its work that fell due in it; open work as
    at its last day, or today for the current month); returns how many were kept."""
    pack = active_policy()
    period = month_period(month)
    as_at = min(period.end, clock.today())
    now = clock.now()
    kept = 0
    for force in forces if forces is not None else Force.objects.order_by("code"):
        with transaction.atomic():
            for metric in metrics():
                reading = metric.read(force.pk, period, as_at)
                MetricSnapshot.objects.update_or_create(
                    force=force,
                    metric=metric.id,
                    month=period.start,
                    defaults={
                        "numerator": float(reading.numerator),
                        "denominator": reading.denominator,
                        "value": reading.value,
                        "rag": metric.rag(reading.value, pack),
                        "policy_version": pack.version,
                        "taken_at": now,
                    },
                )
                kept += 1
    return kept
