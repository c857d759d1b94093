"""Reads of background work: the jobs a user may watch."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vigil.jobs.models import Job


def job_list(*, user: Any) -> QuerySet[Job]:
    """The jobs the user may watch, newest first."""
    return Job.objects.visible_to(user).select_related("requested_by").order_by("-created_at")
