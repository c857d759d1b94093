"""The hash chain: how an event's hash is computed, and how the chain is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from vigil.audit.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64

# The fields the hash covers, in a fixed order. Adding a field here breaks old chains:
# do it only with a migration that starts a new chain segment.
HASHED_FIELDS = (
    "id",
    "seq",
    "occurred_at",
    "action",
    "event",
    "actor_id",
    "actor_label",
    "force_id",
    "object_type",
    "object_id",
    "object_repr",
    "person_id",
    "changes",
    "detail",
    "recipients",
    "purpose",
    "justification",
    "request_id",
    "prev_hash",
)


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool | list | dict):
        return value
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def compute_hash(fields: dict[str, Any]) -> str:
    content = {name: _canonical(fields[name]) for name in HASHED_FIELDS}
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return compute_hash({name: getattr(event, name) for name in HASHED_FIELDS})


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: str
    kind: str  # "edited", "deleted", "reordered"
    message: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    problem: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events(up_to: int) -> Iterator[AuditEvent]:
    return AuditEvent.objects.filter(seq__lte=up_to).order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> VerifyResult:
    """Walks the chain in order up to the head read at the start (events appended while it
    runs are left for the next run), in bounded memory, and stops at the first break."""
    head = AuditChainHead.objects.get(pk=1)
    expected_seq = 1
    previous_hash = GENESIS_HASH
    checked = 0
    for event in _events(head.seq):
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                missing = (
                    f"#{expected_seq}"
                    if event.seq == expected_seq + 1
                    else f"#{expected_seq} to #{event.seq - 1}"
                )
                problem = ChainBreak(
                    expected_seq,
                    str(event.id),
                    "deleted",
                    f"event {missing} is missing (deleted) before event #{event.seq} ({event.id}).",
                )
            else:
                problem = ChainBreak(
                    event.seq,
                    str(event.id),
                    "reordered",
                    f"event #{event.seq} ({event.id}) is out of sequence.",
                )
            return VerifyResult(checked, head.seq, head.hash, problem)
        if event.prev_hash != previous_hash:
            problem = ChainBreak(
                event.seq,
                str(event.id),
                "reordered",
                f"event #{event.seq} ({event.id}) does not follow event #{event.seq - 1}: "
                f"the chain was reordered, or event #{event.seq - 1} was edited and its hash "
                "recomputed.",
            )
            return VerifyResult(checked, head.seq, head.hash, problem)
        if event_hash(event) != event.hash:
            problem = ChainBreak(
                event.seq,
                str(event.id),
                "edited",
                f"event #{event.seq} ({event.id}) was edited: its content no longer "
                "matches its hash.",
            )
            return VerifyResult(checked, head.seq, head.hash, problem)
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    if head.seq != checked or head.hash != previous_hash:
        problem = ChainBreak(
            checked + 1,
            "",
            "deleted",
            f"the chain ends at event #{checked} but its head records #{head.seq}: "
            f"the last {head.seq - checked} event(s) were deleted.",
        )
        return VerifyResult(checked, head.seq, head.hash, problem)
    # Events past the head that the (re-read) head does not account for were not appended by
    # Vigil, which moves the head in the same transaction as each insert.
    latest = AuditChainHead.objects.get(pk=1).seq
    stray = AuditEvent.objects.filter(seq__gt=latest).order_by("seq").first()
    if stray is not None:
        problem = ChainBreak(
            stray.seq,
            str(stray.id),
            "edited",
            f"event #{stray.seq} ({stray.id}) lies beyond the chain's head (#{latest}): "
            "it was added outside Vigil.",
        )
        return VerifyResult(checked, head.seq, head.hash, problem)
    return VerifyResult(checked, head.seq, head.hash, None)
