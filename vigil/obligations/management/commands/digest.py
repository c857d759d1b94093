"""`vigil digest`: today's e-mail digest to each person with work to tell of (their overdue
and due-this-week work; a supervisor's escalations). Safe to run twice: a digest already
sent today is not sent again, and one that failed is tried again. Schedule it after
`vigil daily` (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send today's e-mail digests (overdue work, work due this week, escalations)."

    def handle(self, *args: Any, **options: Any) -> None:
        from vigil.obligations.digest import send_digests

        run = send_digests()
        self.stdout.write(
            f"Digests: {run.sent} sent, {run.failed} failed (tried again next run), "
            f"{run.already_sent} already sent today, {run.nothing_to_say} with nothing to say."
        )
        if run.failed:
            raise SystemExit(1)
