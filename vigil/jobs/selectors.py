"""Reads of background work: the jobs a user may watch."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.jobs.models import STALLED_AFTER_MINUTES, Job, JobStatus


def job_list(*, user: Any) -> QuerySet[Job]:
    """The jobs the user may watch, newest first."""
    return Job.objects.visible_to(user).select_related("requested_by").order_by("-created_at")


def job_in_progress(*, kind: str, force_id: Any) -> Job | None:
    """A job of the kind, for the force (or for every force), waiting for a worker, or
    running and heard from within the minutes after which it counts as stalled: the one to
    watch rather than queue another beside it."""
    alive_since = timezone.now() - timedelta(minutes=STALLED_AFTER_MINUTES)
    forces = Q(force_id__isnull=True) | Q(force_id=force_id) if force_id else Q()
    return (
        Job.objects.filter(forces, kind=kind)
        .filter(
            Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, updated_at__gte=alive_since)
        )
        .order_by("-created_at")
        .first()
    )
