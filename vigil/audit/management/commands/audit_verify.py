"""`vigil audit-verify`: walks the audit hash chain; exits 1 naming the first broken event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vigil.audit.chain import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain: exits non-zero at the first tampered event."

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.problem is not None:
            raise CommandError(
                f"Audit chain broken ({result.problem.kind}): {result.problem.message} "
                f"{result.checked} event(s) before it verified.",
                returncode=1,
            )
        self.stdout.write(
            f"Audit chain intact: {result.checked} event(s); head #{result.head_seq} "
            f"{result.head_hash}"
        )
