"""Background work (ADR 18): each piece of long work a person or the schedule starts (a full
obligation sync, the nightly run) is a `Job`, run as a task on Django's task framework
(django-tasks, the database backend): the job holds what a person watches, its progress, and
what it found."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from vigil.core.models import Force, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class JobQuerySet(ScopedQuerySet["Job"]):
    def restrict(self, user: Any, action: str) -> JobQuerySet:
        """The user's force's jobs, and the deployment's (a sync of every force): what a job
        shows is counts, never a person."""
        return self.filter(models.Q(force_id=user.force_id) | models.Q(force_id__isnull=True))


class Job(VigilModel):
    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    arguments = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)  # None: not known ahead
    unit = models.CharField(max_length=40, blank=True)  # what `done` counts: "subjects"
    summary = models.TextField(blank=True)  # what it found, when it has finished
    result = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the task framework's result

    scope = Scope(verbs={"view": "run_jobs"})
    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.DONE else None
        return min(100, round(100 * self.done / self.total))

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def quiet_minutes(self) -> int | None:
        """Minutes since a running job last reported progress, when that is long enough to
        suggest its worker has gone (a killed process cannot say so itself)."""
        from django.utils import timezone

        if self.status != JobStatus.RUNNING:
            return None
        quiet = int((timezone.now() - self.updated_at).total_seconds() // 60)
        return quiet if quiet >= STALLED_AFTER_MINUTES else None


STALLED_AFTER_MINUTES = 10
