"""The background work Vigil runs as tasks (django-tasks; ADR 18). Each task takes its job's
id and does the work through `job_run`, which keeps the job's progress for its page."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django_tasks import task

from vigil.jobs.models import Job, JobStatus
from vigil.jobs.services import Progress, job_part_run, job_run, job_spread


def _synced(counts: dict[str, Any]) -> str:
    return (
        f"{counts['subjects']} subjects: {counts['created']} created, {counts['changed']} "
        f"changed, {counts['withdrawn']} withdrawn, {counts['unchanged']} unchanged, "
        f"{counts['escalated']} escalated"
    )


@task()
def sync_obligations(job_id: str) -> None:
    """Every subject's obligations recomputed (after a policy change, or to check nothing
    has drifted): what `vigil sync-obligations` does, in the background. Spread (`spread`:
    `sync-obligations --background --spread`), the run is split into its parts, force by
    force (`obligations.sync.parts`), each queued as a task of its own
    (`sync_obligations_part`) for every worker of the deployment to share."""
    from vigil.obligations.sync import parts, sync_all

    job = Job.objects.get(pk=job_id)
    if job.arguments.get("spread"):
        from vigil.policy.pack import active as active_policy

        try:  # each part is held to the policy the run was split under
            version = active_policy().version
            found = [(label, ids, version) for label, ids in parts()]
        except Exception as exc:
            Job.objects.filter(pk=job_id).update(
                status=JobStatus.FAILED, summary=f"Failed: {exc.__class__.__name__}: {exc}"[:2000]
            )
            raise
        total = sum(len(ids) for _, ids, _ in found)
        job_spread(job_id, found, sync_obligations_part, total=total, unit="subjects")
        return

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        from vigil.obligations.registry import subjects

        total = sum(r.model._default_manager.count() for r in subjects().values())
        Job.objects.filter(pk=job.pk).update(total=total, unit="subjects")
        history = tuple(job.arguments.get("history", ()))
        result = sync_all(
            progress=progress, history=history, workers=int(job.arguments.get("workers", 1))
        )
        return _synced(asdict(result)), asdict(result)

    job_run(job_id, work)


@task()
def sync_obligations_part(job_id: str, label: str, ids: list[str], policy_version: str) -> None:
    """One part of a spread full sync: those subjects reconciled, and counted on the job. A
    part that finds the policy changed since the run was split fails the run (to be queued
    again under the new policy) rather than mixing two policies in one run."""
    from vigil.obligations.sync import sync_part
    from vigil.policy.pack import active as active_policy

    def work() -> tuple[int, dict[str, int]]:
        if active_policy().version != policy_version:
            raise RuntimeError("The policy changed during the run: queue it again.")
        history = tuple(Job.objects.get(pk=job_id).arguments.get("history", ()))
        result = asdict(sync_part(label, ids, history=history))
        result.pop("kinds", None)
        return result["subjects"], result

    job_part_run(job_id, work, _synced)


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


@task()
def forecast(job_id: str) -> None:
    """The force's demand forecast, MOSOVO and OCSEA, kept as forecast runs (`vigil
    forecast`)."""
    from vigil.core.models import Force
    from vigil.workforce.forecast import run_every_forecast

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        years = int(job.arguments.get("years", 5))
        force = Force.objects.filter(pk=job.force_id).first() if job.force_id else None
        forces = 1 if force is not None else Force.objects.count()
        Job.objects.filter(pk=job.pk).update(total=forces, unit="forces")
        runs, skipped = run_every_forecast(
            years=years, actor=job.requested_by, force=force, progress=progress
        )
        summary = f"{len(runs)} forecasts made, {years} years ahead"
        if skipped:
            summary += f"; {len(skipped)} without enough history"
        return summary, {"runs": [str(r.pk) for r in runs], "skipped": skipped}

    job_run(job_id, work)


@task()
def register_check(job_id: str) -> None:
    """A register extract's every row checked and set beside the force's records, staged for
    its preview (vigil/register/services.py)."""
    from vigil.register.models import RegisterImport
    from vigil.register.services import import_check

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        found = RegisterImport.objects.get(pk=job.arguments["import"])
        return import_check(found, progress)

    job_run(job_id, work)


@task()
def register_import(job_id: str) -> None:
    """A checked register extract imported, all or nothing, as the person who asked."""
    from vigil.register.models import RegisterImport
    from vigil.register.services import import_apply

    def work(job: Job, progress: Progress) -> tuple[str, dict[str, Any]]:
        found = RegisterImport.objects.get(pk=job.arguments["import"])
        assert job.requested_by is not None  # queued by a person (import_commit)
        return import_apply(found, job.requested_by)

    job_run(job_id, work)
