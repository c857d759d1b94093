"""`vigil audit-verify`: walks every audit hash chain; exits 1 naming the chain and the first
broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.chain import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains (one per force, ADR 17): exits non-zero at the "
        "first tampered event, naming its chain."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.problem is not None:
            raise CommandError(
                f"Audit chain broken ({result.problem.kind}): {result.problem.message} "
                f"{result.checked} event(s) before it verified.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit chains intact: {result.checked} event(s) in {len(result.heads)} chain(s). "
            "Keep these heads where the database's administrators cannot write:"
        )
        for head in result.heads:
            self.stdout.write(f"  {head.chain}  #{head.seq}  {head.hash}")
