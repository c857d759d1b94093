"""The hash chains: which chain an event joins, how its hash is computed, and how every chain
is verified (ADR 2, ADR 17)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from vigil.audit.models import AuditChain, AuditEvent, AuditEventPerson

GENESIS_HASH = "0" * 64
SYSTEM = "system"  # the chain of events with no force (failed sign-ins, system work)
GLOBAL = "global"  # the one chain of every event before chains were per force (closed)

# The fields the hash covers, in a fixed order. An event of the closed global chain was
# hashed over these; an event of a per-force chain over these and its chain and place in it,
# so an event cannot be moved between chains unnoticed. Adding a field breaks old chains:
# do it only with a migration that starts new chains.
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
CHAINED_FIELDS = (*HASHED_FIELDS, "chain", "chain_seq", "people")


def chain_key(force_id: Any) -> str:
    """The chain an event of this force joins."""
    return SYSTEM if force_id is None else f"force:{force_id}"


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool | list | dict):
        return value
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def compute_hash(fields: dict[str, Any]) -> str:
    names = HASHED_FIELDS if fields["chain"] == GLOBAL else CHAINED_FIELDS
    content = {name: _canonical(fields[name]) for name in names}
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return compute_hash({name: getattr(event, name) for name in CHAINED_FIELDS})


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int  # the place in the chain where it broke
    event_id: str
    kind: str  # "edited", "deleted", "reordered"
    message: str


@dataclass(frozen=True)
class ChainHead:
    chain: str
    checked: int
    seq: int
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int  # events verified, in all chains
    heads: list[ChainHead] = field(default_factory=list)  # each chain verified whole
    problem: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events(chain: str, up_to: int) -> Iterator[AuditEvent]:
    found = AuditEvent.objects.filter(chain=chain, chain_seq__lte=up_to).order_by("chain_seq")
    return found.iterator(chunk_size=2000)


def verify_chain() -> VerifyResult:
    """Walks every chain in order up to its head as read at the start (events appended while
    it runs are left for the next run), in bounded memory, and stops at the first break,
    naming the chain and the event."""
    heads = list(AuditChain.objects.order_by("key"))
    checked, verified = 0, list[ChainHead]()
    for head in heads:
        count, problem = _verify_one(head)
        checked += count
        if problem is not None:
            return VerifyResult(checked, verified, problem)
        verified.append(ChainHead(head.key, count, head.seq, head.hash))
    # Every chain's beginning is an event of the system chain (verified above): a chain
    # deleted whole, head and all, is missed there.
    walked = {head.key for head in heads}
    begun = AuditEvent.objects.filter(
        chain=SYSTEM, event="audit.chain_begun", chain_seq__lte=_seq_of(heads, SYSTEM)
    )
    for event in begun.order_by("chain_seq"):
        if event.detail.get("chain") not in walked:
            problem = ChainBreak(
                str(event.detail.get("chain")),
                0,
                str(event.id),
                "deleted",
                f"chain {event.detail.get('chain')}: begun (system event #{event.chain_seq}, "
                f"{event.id}) but gone: its events and its head were deleted.",
            )
            return VerifyResult(checked, verified, problem)
    # An event in a chain with no head was not appended by Vigil, which makes the head with
    # the chain's first event (the heads read again: a chain begun meanwhile is Vigil's).
    current = AuditChain.objects.values_list("key", flat=True)
    stray = AuditEvent.objects.exclude(chain__in=current).order_by("seq").first()
    if stray is not None:
        problem = ChainBreak(
            stray.chain,
            stray.chain_seq,
            str(stray.id),
            "edited",
            f"chain {stray.chain}: event #{stray.chain_seq} ({stray.id}) is in a chain Vigil "
            "never began: it was added outside Vigil.",
        )
        return VerifyResult(checked, verified, problem)
    return VerifyResult(checked, verified, None)


def _index_break(named: dict[Any, tuple[int, set[str]]]) -> tuple[int, Any] | None:
    """The first event (its place and id) whose people the search index no longer holds as
    its hashed list does."""
    found: dict[Any, set[str]] = {}
    rows = AuditEventPerson.objects.filter(event_id__in=named).values_list("event_id", "person_id")
    for event_id, person_id in rows:
        found.setdefault(event_id, set()).add(str(person_id))
    for event_id, (place, people) in sorted(named.items(), key=lambda item: item[1][0]):
        if found.get(event_id, set()) != people:
            return place, event_id
    return None


def _seq_of(heads: list[AuditChain], key: str) -> int:
    return next((head.seq for head in heads if head.key == key), 0)


def _verify_one(head: AuditChain) -> tuple[int, ChainBreak | None]:
    key = head.key
    expected, previous_hash, checked, listed = 1, GENESIS_HASH, 0, 0
    named: dict[Any, tuple[int, set[str]]] = {}  # events naming people, checked in batches

    def broken(place: int, event: AuditEvent | None, kind: str, what: str) -> ChainBreak:
        return ChainBreak(key, place, str(event.id) if event else "", kind, f"chain {key}: {what}")

    def index_broken() -> ChainBreak | None:
        found = _index_break(named)
        named.clear()
        if found is None:
            return None
        place, event_id = found
        what = (
            f"event #{place} ({event_id}): the search index of the people it names was "
            "changed (the DPO's search by person would miss or misname them)."
        )
        return ChainBreak(key, place, str(event_id), "edited", f"chain {key}: {what}")

    for event in _events(key, head.seq):
        place = event.chain_seq
        if place != expected:
            if place > expected:
                missing = (
                    f"#{expected}" if place == expected + 1 else f"#{expected} to #{place - 1}"
                )
                what = f"event {missing} is missing (deleted) before event #{place} ({event.id})."
                return checked, broken(expected, event, "deleted", what)
            what = f"event #{place} ({event.id}) is out of sequence."
            return checked, broken(place, event, "reordered", what)
        if event.prev_hash != previous_hash:
            what = (
                f"event #{place} ({event.id}) does not follow event #{place - 1}: the chain "
                f"was reordered, or event #{place - 1} was edited and its hash recomputed."
            )
            return checked, broken(place, event, "reordered", what)
        if event_hash(event) != event.hash:
            what = (
                f"event #{place} ({event.id}) was edited: its content no longer matches its hash."
            )
            return checked, broken(place, event, "edited", what)
        if key != GLOBAL and chain_key(event.force_id) != key:
            what = f"event #{place} ({event.id}) is another force's, moved into this chain."
            return checked, broken(place, event, "edited", what)
        if key == GLOBAL and event.people:
            # the closed chain's events were hashed without a list of people: they name none
            what = f"event #{place} ({event.id}) was edited: it no longer is as it was closed."
            return checked, broken(place, event, "edited", what)
        if event.people:
            named[event.id] = (place, set(event.people))
            listed += len(event.people)
            if len(named) >= 1000 and (problem := index_broken()) is not None:
                return checked, problem
        previous_hash = event.hash
        expected += 1
        checked += 1
    if named and (problem := index_broken()) is not None:
        return checked, problem
    if head.seq != checked or head.hash != previous_hash:
        what = (
            f"the chain ends at event #{checked} but its head records #{head.seq}: the last "
            f"{head.seq - checked} event(s) were deleted."
        )
        return checked, broken(checked + 1, None, "deleted", what)
    indexed = AuditEventPerson.objects.filter(
        event__chain=key, event__chain_seq__lte=head.seq
    ).count()
    if indexed != listed:
        what = (
            f"the search index holds {indexed} names for this chain's events where their "
            f"lists hold {listed}: names were added to it outside Vigil."
        )
        return checked, broken(checked, None, "edited", what)
    # Events past the head that the (re-read) head does not account for were not appended by
    # Vigil, which moves the head in the same transaction as each insert.
    latest = AuditChain.objects.get(pk=key).seq
    beyond = AuditEvent.objects.filter(chain=key, chain_seq__gt=latest).order_by("chain_seq")
    if (stray := beyond.first()) is not None:
        what = (
            f"event #{stray.chain_seq} ({stray.id}) lies beyond the chain's head (#{latest}): "
            "it was added outside Vigil."
        )
        return checked, broken(stray.chain_seq, stray, "edited", what)
    return checked, None
