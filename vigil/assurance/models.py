"""Monthly snapshots of every metric for every force (issue 15): the trend on the scorecard
and the monthly performance meeting's pack read them, never recomputing history. A
snapshot holds counts only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from vigil.core.models import Force, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet


class MetricSnapshot(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    # whose figures: "force", "area:<id>" or "team:<id>" (metrics.Unit.key)
    unit = models.CharField(max_length=60, default="force")
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
        indexes = [models.Index(fields=["force", "month", "unit"], name="snapshot_month_unit")]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "unit", "metric", "month"], name="snapshot_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%b %Y}"


class ReportKind(models.TextChoices):
    PCC = "pcc", "PCC assurance report"
    MONTHLY_PACK = "monthly_pack", "Monthly performance pack"


class AssuranceReport(VigilModel):
    """A report made for the police and crime commissioner or the monthly performance
    meeting: its figures kept as they were when made (counts only, small ones suppressed), so
    every copy of it, in any format and at any later date, is the same; and the force's
    narrative, which its authors may edit."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=ReportKind.choices)
    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    figures = models.JSONField(help_text="The figures as made, as the API gives them")
    narrative = models.TextField(blank=True)
    narrative_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    narrative_at = models.DateTimeField(null=True, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a scheduled run (`vigil report`)",
    )
    made_at = models.DateTimeField()
    policy_version = models.CharField(max_length=64)

    scope = Scope(verbs={"view": "view_aggregates", "change": "make_assurance_report"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def of_a_day_gone(self) -> bool:
        """Whether its figures are as of a day before it was made (a pack of a month gone)."""
        return self.period_end < timezone.localdate(self.made_at)
