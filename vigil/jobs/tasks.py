"""The background work Vigil runs as tasks (django-tasks; ADR 18). Each task takes its job's
id and does the work through `job_run`, which keeps the job's progress for its page."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django_tasks import task

from vigil.jobs.models import Job
from vigil.jobs.services import Progress, job_run


@task()
def sync_obligations(job_id: str) -> None:
    """Every subject's obligations recomputed (after a policy change, or to check nothing
    has drifted): what `vigil sync-obligations` does, in the background."""
    from vigil.obligations.registry import subjects
    from vigil.obligations.sync import sync_all

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        total = sum(r.model._default_manager.count() for r in subjects().values())
        Job.objects.filter(pk=job.pk).update(total=total, unit="subjects")
        history = tuple(job.arguments.get("history", ()))
        result = sync_all(
            progress=progress, history=history, workers=int(job.arguments.get("workers", 1))
        )
        summary = (
            f"{result.subjects} subjects: {result.created} created, {result.changed} changed, "
            f"{result.withdrawn} withdrawn, {result.unchanged} unchanged, "
            f"{result.escalated} escalated"
        )
        return summary, asdict(result)

    job_run(job_id, work)


@task()
def daily(job_id: str) -> None:
    """The nightly run: what fell overdue, escalations raised and settled (`vigil daily`)."""
    from vigil.obligations.services import daily_run

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        asked = job.arguments.get("date")  # the day it was queued for, not the day it ran
        run = daily_run(today=date.fromisoformat(asked) if asked else None)
        counts = dict(run.counts)
        summary = (
            f"Daily run for {run.run_date}: {counts['overdue']} overdue, "
            f"{counts['escalations_raised']} escalations raised, "
            f"{counts['escalations_closed']} closed as settled"
        )
        return summary, {"run_date": str(run.run_date), **counts}

    job_run(job_id, work)
