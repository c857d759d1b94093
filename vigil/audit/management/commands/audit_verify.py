"""`vigil audit-verify`: walks every audit hash chain; exits 1 naming the chain and the first
broken event. With `--expect FILE` (the heads a previous run printed, kept where the
database's administrators cannot write), it also fails when a chain recorded there is gone,
has gone back, or no longer runs through the head recorded."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.audit.chain import ChainHead, verify_chain
from vigil.audit.models import AuditEvent

HEAD_LINE = re.compile(r"^\s*(\S+)\s+#(\d+)\s+([0-9a-f]{64})\s*$")


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains (one per force, ADR 17): exits non-zero at the "
        "first tampered event, naming its chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--expect",
            metavar="FILE",
            help="Heads printed by an earlier run: each chain must still run through its head",
        )

    def handle(self, *args: Any, expect: str | None = None, **options: Any) -> None:
        result = verify_chain()
        if result.problem is not None:
            raise CommandError(
                f"Audit chain broken ({result.problem.kind}): {result.problem.message} "
                f"{result.checked} event(s) before it verified.",
                returncode=1,
            )
        if expect:
            self._against(Path(expect), {head.chain: head for head in result.heads})
        self.stdout.write(
            f"Audit chains intact: {result.checked} event(s) in {len(result.heads)} chain(s). "
            "Keep these heads where the database's administrators cannot write:"
        )
        for head in result.heads:
            self.stdout.write(f"  {head.chain}  #{head.seq}  {head.hash}")

    def _against(self, path: Path, heads: dict[str, ChainHead]) -> None:
        for line in path.read_text().splitlines():
            if not (found := HEAD_LINE.match(line)):
                continue
            chain, seq, digest = found.group(1), int(found.group(2)), found.group(3)
            head = heads.get(chain)
            if head is None:
                what = "is gone: its events and its head were deleted"
            elif head.seq < seq:
                what = f"has gone back from #{seq} to #{head.seq}"
            elif not AuditEvent.objects.filter(chain=chain, chain_seq=seq, hash=digest).exists():
                what = f"no longer runs through its head #{seq} recorded in {path}"
            else:
                continue
            raise CommandError(f"Audit chain {chain} {what}.", returncode=1)
