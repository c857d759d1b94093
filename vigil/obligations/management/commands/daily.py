"""`vigil daily`: the day's time-based work (overdue escalations), recorded as a run.
Safe to run twice. Schedule it once a night (see docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vigil.obligations.services import daily_run


class Command(BaseCommand):
    help = "Run the daily time-based work: escalate what has become overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue it as a job for a worker (`vigil db_worker`) and say where to watch it",
        )

    def handle(self, *args: Any, background: bool = False, **options: Any) -> None:
        if background:
            from vigil.core import clock
            from vigil.jobs.services import job_enqueue

            job = job_enqueue(
                actor=None, kind="obligations.daily", arguments={"date": str(clock.today())}
            )
            self.stdout.write(f"Queued: {job.title} (job {job.pk}); watch it at /jobs/{job.pk}/")
            return
        run = daily_run()
        self.stdout.write(
            f"Daily run for {run.run_date}: {run.counts['overdue']} overdue, "
            f"{run.counts['escalations_raised']} escalations raised, "
            f"{run.counts['escalations_closed']} closed as settled"
        )
