"""`vigil snapshot [--month 2026-11]`: every metric of every force for a month (by default
the month just ended), kept for the scorecard's trend and the monthly pack. Taking a month
again replaces its figures: safe to schedule on the first of each month and to repeat."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Keep every metric of every force for a month (by default the last complete one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="the month, as 2026-11 (default: last month)")

    def handle(self, *args: Any, **options: Any) -> None:
        from vigil.assurance.services import snapshot_month
        from vigil.core import clock

        if options["month"]:
            try:
                month = date.fromisoformat(f"{options['month']}-01")
            except ValueError:
                raise CommandError("--month must be written as 2026-11") from None
            if month > clock.today():
                raise CommandError("--month must not be in the future")
        else:
            month = (clock.today().replace(day=1) - timedelta(days=1)).replace(day=1)
        kept = snapshot_month(month)
        self.stdout.write(f"Kept {kept} figures for {month:%B %Y}.")
