"""Starting background work and keeping its progress (ADR 18). A job is queued in the
caller's transaction and its task enqueued when that commits, so a worker never looks for a
job that is not there yet; the task reports its progress on the job as it goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record
from vigil.jobs.models import Job, JobStatus


@dataclass(frozen=True)
class Kind:
    title: str
    task: Any  # a django-tasks Task taking the job's id
    result: str = ""  # the URL name of the page showing what it made, if there is one


def _kinds() -> dict[str, Kind]:
    from vigil.jobs import tasks  # the tasks import the domains' work; the jobs app does not

    return {
        "obligations.sync_all": Kind("Recompute every obligation", tasks.sync_obligations),
        "obligations.daily": Kind("The nightly run", tasks.daily),
        "workforce.forecast": Kind(
            "The demand forecast", tasks.forecast, result="workforce:forecast"
        ),
        "register.check": Kind("Checking a register extract", tasks.register_check),
        "register.import": Kind("Importing a register extract", tasks.register_import),
    }


def result_url(job: Job) -> str:
    """The page showing what a finished job made ("" if its kind has none)."""
    from django.urls import reverse

    spec = _kinds().get(job.kind)
    return reverse(spec.result) if spec and spec.result and job.status == JobStatus.DONE else ""


@atomic
def job_enqueue(
    *, actor: Any, kind: str, arguments: dict[str, Any] | None = None, title: str = ""
) -> Job:
    """Queues a job of a known kind (titled as its kind, unless `title` says more); its task
    is enqueued once this transaction commits."""
    spec = _kinds()[kind]
    job = Job.objects.create(
        force_id=getattr(actor, "force_id", None),
        kind=kind,
        title=title or spec.title,
        arguments=arguments or {},
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SECURITY,
        event="job.queued",
        obj=job,
        detail={"kind": kind, "arguments": job.arguments},
    )
    transaction.on_commit(lambda: _enqueue(job, spec))
    return job


def _enqueue(job: Job, spec: Kind) -> None:
    """The job's task, queued once the job is committed; a queue that refuses it fails the
    job rather than leaving it waiting for ever."""
    try:
        queued = spec.task.enqueue(str(job.pk))
    except Exception as exc:
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            summary=f"Could not be queued: {exc.__class__.__name__}: {exc}"[:2000],
        )
        raise
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(task_id=str(queued.id))


Progress = Callable[[int], None]


def job_run(job_id: str, work: Callable[[Job, Progress], tuple[str, dict[str, Any]]]) -> None:
    """Runs a job's work (its task calls this): marks it running, lets the work report how
    far it has gone, and records what it found, or that it failed and why."""
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), done=0, updated_at=timezone.now()
    )

    def progress(n: int) -> None:  # each chunk of work done
        Job.objects.filter(pk=job.pk).update(done=F("done") + n, updated_at=timezone.now())

    try:
        summary, result = work(job, progress)
    except BaseException as exc:  # a failure, or the worker told to stop: never left running
        why = (
            f"Failed: {exc.__class__.__name__}: {exc}"
            if isinstance(exc, Exception)
            else "Stopped before it finished (the worker was stopped); queue it again."
        )
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), summary=why[:2000]
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, finished_at=timezone.now(), summary=summary, result=result
    )


# --- A job in parts, for as many workers as the deployment runs ------------------------------


def job_spread(
    job_id: str, parts: list[tuple[Any, ...]], task: Any, *, total: int, unit: str
) -> None:
    """Splits a running job into parts, each queued as its own task (`task(job_id, *part)`)
    for any worker on any machine to take (the database queue is shared): the job stays
    running until its last part reports (`job_part_run`)."""
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING,
        started_at=timezone.now(),
        done=0,
        total=total,
        unit=unit,
        result={"parts": len(parts), "parts_done": 0},
    )
    if not parts:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.DONE, finished_at=timezone.now(), summary="Nothing to do."
        )
        return
    try:
        with transaction.atomic():  # every part queued, or none (the queue is the database's)
            for part in parts:
                task.enqueue(job_id, *part)
    except Exception as exc:
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            summary=f"Could not queue its parts: {exc.__class__.__name__}: {exc}"[:2000],
        )
        raise


def job_part_run(
    job_id: str,
    work: Callable[[], tuple[int, dict[str, int]]],
    summarise: Callable[[dict[str, Any]], str],
) -> None:
    """One part of a spread job: its work and its report on the job in one transaction (a
    part is counted exactly when its work is committed), the job's row locked only for the
    report. The part that reports last finishes the job with `summarise(counts)`. A part
    that fails fails the job, naming why; parts not yet begun then stop at once."""
    if Job.objects.filter(pk=job_id, status=JobStatus.FAILED).exists():
        return  # another part failed: the job is to be queued again, not finished in part
    try:
        with transaction.atomic():
            n, counts = work()
            job = Job.objects.select_for_update().get(pk=job_id)
            result = dict(job.result)
            for name, value in counts.items():
                result[name] = result.get(name, 0) + value
            result["parts_done"] = result.get("parts_done", 0) + 1
            job.result, job.done = result, job.done + n
            fields = ["result", "done", "updated_at"]
            if result["parts_done"] >= result.get("parts", 0) and job.status == JobStatus.RUNNING:
                job.status, job.finished_at = JobStatus.DONE, timezone.now()
                job.summary = summarise(result)
                fields += ["status", "finished_at", "summary"]
            job.save(update_fields=fields)
    except BaseException as exc:
        why = (
            f"Failed: {exc.__class__.__name__}: {exc}"
            if isinstance(exc, Exception)
            else "Stopped before it finished (the worker was stopped); queue it again."
        )
        Job.objects.filter(pk=job_id).exclude(status=JobStatus.FAILED).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), summary=why[:2000]
        )
        raise
