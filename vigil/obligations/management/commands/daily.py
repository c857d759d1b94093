"""`vigil daily`: the day's time-based work (overdue escalations), recorded as a run.
Safe to run twice. Schedule it once a night (see docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vigil.obligations.services import daily_run


class Command(BaseCommand):
    help = "Run the daily time-based work: escalate what has become overdue."

    def handle(self, *args: Any, **options: Any) -> None:
        run = daily_run()
        self.stdout.write(
            f"Daily run for {run.run_date}: {run.counts['overdue']} overdue, "
            f"{run.counts['escalations_raised']} escalations raised, "
            f"{run.counts['escalations_closed']} closed as settled"
        )
