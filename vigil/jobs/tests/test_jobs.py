"""Background work (ADR 18): a job queued runs as a task, keeps its progress for its page,
and says what it found or why it failed; the database backend's worker runs it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from vigil.jobs.models import Job, JobStatus
from vigil.jobs.services import job_enqueue, job_run
from vigil.obligations.models import Obligation


def test_a_full_sync_queued_runs_and_reports_its_progress(
    world: Any, django_capture_on_commit_callbacks: Any, capsys: Any
) -> None:
    before = Obligation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sync_obligations", "--background")
    job = Job.objects.get(kind="obligations.sync_all")
    assert f"/jobs/{job.pk}/" in capsys.readouterr().out
    assert job.status == JobStatus.DONE
    assert job.total
    assert job.done == job.total
    assert job.percent == 100
    assert "subjects:" in job.summary
    assert job.result["subjects"] == job.total
    assert Obligation.objects.count() == before  # the world's obligations were in step


def test_the_nightly_run_queued_runs(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("daily", "--background")
    job = Job.objects.get(kind="obligations.daily")
    assert job.status == JobStatus.DONE
    assert job.summary.startswith("Daily run for ")


def test_a_job_whose_worker_is_stopped_is_failed_not_left_running(world: Any) -> None:
    job = Job.objects.create(kind="test", title="Test")

    def work(job: Job, progress: Any) -> Any:
        raise SystemExit(1)  # the worker told to stop (a second SIGTERM)

    with pytest.raises(SystemExit):
        job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "stopped" in job.summary


def test_a_job_not_heard_from_is_shown_as_stalled(world: Any, client_for: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    sysadmin = world.users["sysadmin"]
    job = Job.objects.create(
        force_id=sysadmin.force_id, kind="test", title="Test", status=JobStatus.RUNNING
    )
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=20))
    page = client_for("sysadmin").get(reverse("jobs:job-detail", kwargs={"pk": job.pk}))
    assert "No progress for 20 minutes" in page.content.decode()


def test_a_job_that_fails_says_why(world: Any) -> None:
    job = Job.objects.create(kind="test", title="Test")

    def work(job: Job, progress: Any) -> Any:
        progress(3)
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        job_run(str(job.pk), work)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.done == 3
    assert "the disk is full" in job.summary


def test_the_database_worker_runs_what_was_queued(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    """On the database backend (as in production) the task waits in the database until a
    worker (`vigil db_worker`) takes it."""
    # the worker drops stale connections between tasks, which would end the test's own
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        with django_capture_on_commit_callbacks(execute=True):
            job = job_enqueue(actor=world.users["sysadmin"], kind="obligations.daily")
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED  # in the queue, not yet run
        call_command("db_worker", "--batch")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_the_job_page_shows_progress_and_refreshes_while_it_runs(
    world: Any, client_for: Any
) -> None:
    sysadmin = world.users["sysadmin"]
    job = Job.objects.create(
        force_id=sysadmin.force_id,
        kind="obligations.sync_all",
        title="Recompute every obligation",
        status=JobStatus.RUNNING,
        done=1200,
        total=4500,
        unit="subjects",
    )
    page = client_for("sysadmin").get(reverse("jobs:job-detail", kwargs={"pk": job.pk}))
    body = page.content.decode()
    assert "1200 of 4500 subjects (27%)" in body
    assert '<progress id="job-progress"' in body
    assert 'http-equiv="refresh"' in body
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=4500, summary="All done")
    done = client_for("sysadmin").get(reverse("jobs:job-detail", kwargs={"pk": job.pk}))
    assert 'http-equiv="refresh"' not in done.content.decode()
    assert "All done" in done.content.decode()
    listed = client_for("sysadmin").get(reverse("jobs:job-list"))
    assert job in listed.context["page"]
    api = client_for("sysadmin").get(reverse("api:job-detail", kwargs={"pk": job.pk})).json()
    assert (api["status"], api["percent"]) == ("done", 100)


def test_another_forces_job_is_not_found(world: Any, client_for: Any) -> None:
    other = world.other_force_nominal.force_id
    job = Job.objects.create(force_id=other, kind="test", title="Theirs")
    url = reverse("jobs:job-detail", kwargs={"pk": job.pk})
    assert client_for("sysadmin").get(url).status_code == 404
    deployment = Job.objects.create(kind="test", title="Every force's")  # no force: shown
    url = reverse("jobs:job-detail", kwargs={"pk": deployment.pk})
    assert client_for("sysadmin").get(url).status_code == 200


def test_a_spread_sync_runs_in_parts_and_the_last_part_finishes_it(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Queued in parts, force by force, each a task any worker may take (here the test
    backend runs each as it is queued): the job counts every part and finishes with the
    last, with what a single run would have found."""
    from vigil.obligations.sync import parts

    found = parts(chunk=1)
    assert len(found) > 1
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sync_obligations", "--background", "--spread")
    job = Job.objects.get(kind="obligations.sync_all")
    assert job.status == JobStatus.DONE
    assert job.result["parts"] == job.result["parts_done"] == len(parts())
    assert job.done == job.total == job.result["subjects"] == sum(len(ids) for _, ids in found)
    assert job.result["created"] == job.result["changed"] == job.result["withdrawn"] == 0
    assert "subjects: 0 created" in job.summary


def test_a_part_that_fails_fails_the_job_and_the_rest_stop(world: Any, monkeypatch: Any) -> None:
    from vigil.jobs import tasks
    from vigil.jobs.services import job_part_run

    job = Job.objects.create(kind="obligations.sync_all", title="Spread", arguments={})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, result={"parts": 3})

    def broken() -> tuple[int, dict[str, int]]:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        job_part_run(str(job.pk), broken, tasks._synced)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "the database went away" in job.summary
    ran = []
    job_part_run(str(job.pk), lambda: ran.append(1) or (1, {}), tasks._synced)
    assert not ran  # a failed job's remaining parts do nothing


def test_spread_needs_background(world: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--background"):
        call_command("sync_obligations", "--spread")


def test_a_part_run_under_another_policy_fails_the_job(world: Any) -> None:
    from vigil.jobs import tasks
    from vigil.obligations.sync import parts

    job = Job.objects.create(kind="obligations.sync_all", title="Spread", arguments={})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, result={"parts": 1})
    label, ids = parts()[0]
    with pytest.raises(RuntimeError, match="policy changed"):
        tasks.sync_obligations_part.call(str(job.pk), label, ids, "not-the-policy-in-force")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "policy changed" in job.summary
