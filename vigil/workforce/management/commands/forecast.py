"""`vigil forecast --years 5`: the force's demand forecast (MOSOVO: the register and the
offender managers and supervisors it needs; OCSEA: referrals and investigators), run as a
background task and kept as forecast runs to compare with last year's and with what
happened. `--now` runs it here instead."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run the five-year demand forecast for every force (a background task)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=5, help="how many years ahead (5)")
        parser.add_argument(
            "--now", action="store_true", help="run here and now rather than as a task"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.exceptions import ValidationError

        from vigil.workforce.services import MAX_FORECAST_YEARS, forecast_request

        years = options["years"]
        if not 1 <= years <= MAX_FORECAST_YEARS:
            raise CommandError(f"--years must be between 1 and {MAX_FORECAST_YEARS}")
        if options["now"]:
            from vigil.workforce.forecast import run_every_forecast

            runs, skipped = run_every_forecast(years=years)
            for run in runs:
                self.stdout.write(
                    f"{run.force}: {run.get_kind_display()}: {run.method} ({run.source})"
                )
            for why in skipped:
                self.stdout.write(f"Not made: {why}")
            return
        try:
            job = forecast_request(actor=None, years=years)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Queued: {job.title} (job {job.pk}); watch it at /jobs/{job.pk}/")
