"""Monthly snapshots of every metric for every force (issue 15): the trend on the scorecard
and the monthly performance meeting's pack read them, never recomputing history. A
snapshot holds counts only."""

from __future__ import annotations

from django.db import models

from vigil.core.models import Force
from vigil.core.scoping import Scope, ScopedQuerySet


class MetricSnapshot(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=60)
    month = models.DateField(help_text="The first day of the month it reads")
    numerator = models.FloatField()
    denominator = models.IntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    rag = models.CharField(max_length=5, blank=True)
    policy_version = models.CharField(max_length=64)
    taken_at = models.DateTimeField()

    scope = Scope(verbs={"view": "view_aggregates"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["metric", "month"]
        constraints = [
            models.UniqueConstraint(fields=["force", "metric", "month"], name="snapshot_once")
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%b %Y}"
