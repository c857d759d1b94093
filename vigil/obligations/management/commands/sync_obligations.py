"""`vigil sync-obligations`: recompute every subject's obligations (after a policy change,
or to check nothing has drifted); a second run changes nothing."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.obligations.models import Obligation
from vigil.obligations.sync import sync_all


class Command(BaseCommand):
    help = "Recompute all obligations in bulk and report what was created, changed and withdrawn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=500, help="Subjects per transaction")
        parser.add_argument(
            "--redate-history",
            metavar="RULES",
            default="",
            help="Comma-separated rule ids (or prefixes) whose met and waived obligations are "
            "re-dated too, once, after an upgrade that corrects how they read the law "
            "(docs/operations.md); their met dates stay",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes to share the chunks among (each with its own database connection)",
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue it as a job for a worker (`vigil db_worker`) and say where to watch it",
        )
        parser.add_argument(
            "--spread",
            action="store_true",
            help="With --background: split the run into parts, force by force, each its own "
            "task, for every worker of the deployment to share",
        )

    def handle(
        self,
        *args: Any,
        chunk: int,
        redate_history: str,
        workers: int = 1,
        background: bool = False,
        spread: bool = False,
        **options: Any,
    ) -> None:
        history = tuple(r.strip() for r in redate_history.split(",") if r.strip())
        for prefix in history:
            if not Obligation.objects.filter(rule_id__startswith=prefix).exists():
                self.stderr.write(f"No stored obligation has a rule starting {prefix!r}")
        if spread and not background:
            raise CommandError("--spread splits a background run: give --background too.")
        if background:
            from vigil.jobs.services import job_enqueue

            job = job_enqueue(
                actor=None,
                kind="obligations.sync_all",
                arguments={"history": list(history), "workers": workers, "spread": spread},
            )
            self.stdout.write(f"Queued: {job.title} (job {job.pk}); watch it at /jobs/{job.pk}/")
            return
        started = time.monotonic()
        done = 0

        def progress(n: int) -> None:
            nonlocal done
            done += n
            if sys.stderr.isatty():
                sys.stderr.write(f"\r{done} subjects synced")

        result = sync_all(chunk=chunk, progress=progress, history=history, workers=workers)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            f"{result.subjects} subjects: {result.created} created, {result.changed} changed, "
            f"{result.withdrawn} withdrawn, {result.unchanged} unchanged, "
            f"{result.escalated} escalated in {time.monotonic() - started:.1f} s"
        )
