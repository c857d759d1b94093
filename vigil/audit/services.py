"""Writing audit events. Every service calls `audit_record` inside its own transaction, so
the change and its audit event commit together or not at all. Each event joins its force's
chain (ADR 17): appending locks that chain's head only, so forces never wait for each
other. A service's transaction (`atomic`, the decorator every service wears) appends its
events as its last step, after its obligation sync, so the chain's head is held only from
then to the commit."""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from vigil.audit.chain import GENESIS_HASH, SYSTEM, chain_key, compute_hash
from vigil.audit.models import AuditAction, AuditChain, AuditEvent, AuditEventPerson
from vigil.core import clock
from vigil.core.middleware import current_request_id


def _json_safe(value: Any) -> Any:
    """Dates, UUIDs and decimals as JSON strings, so what is stored is what was hashed."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    label = f"{actor.username} ({actor})" if str(actor) != actor.username else actor.username
    return label[:200]


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    """Ids as the database gives them back, so the hash verifies after a round trip."""
    return None if value is None else uuid.UUID(str(value))


@dataclass(frozen=True)
class Entry:
    """One event to append: what `audit_record` takes, for `audit_record_many`."""

    actor: Any
    action: AuditAction | str
    event: str
    obj: models.Model | None = None
    force_id: Any = None
    person_id: Any = None
    changes: Mapping[str, Any] | None = None
    detail: Mapping[str, Any] | None = None
    recipients: Iterable[str] | None = None
    purpose: str = ""
    justification: str = ""
    people: Iterable[Any] | None = None  # the people a list, search or export showed


P = ParamSpec("P")
R = TypeVar("R")

# The entries of the service transaction running, appended when it ends (None: no service is
# running, and events are appended at once).
_deferred: ContextVar[list[Entry] | None] = ContextVar("vigil_audit_deferred", default=None)


def atomic(service: Callable[P, R]) -> Callable[P, R]:
    """A service's transaction (as `transaction.atomic`), whose audit events are appended as
    its last step: the service validates, saves and syncs the obligations, then the events
    join their chains, so a chain's head is held only from then to the commit (ADR 17). A
    service called by another appends with it; one that fails inside another leaves none of
    its events."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        pending = _deferred.get()
        if pending is not None:  # inside another service: its events go with that one's
            mark = len(pending)
            try:
                with transaction.atomic():
                    return service(*args, **kwargs)
            except BaseException:
                del pending[mark:]  # rolled back to its savepoint: its events go too
                raise
        entries: list[Entry] = []
        token = _deferred.set(entries)
        try:
            with transaction.atomic():
                result = service(*args, **kwargs)
                _deferred.set(None)  # the service is done: append now, in its transaction
                audit_record_many(entries)
            return result
        finally:
            _deferred.reset(token)

    return run


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    event: str,
    obj: models.Model | None = None,
    force_id: Any = None,
    person_id: Any = None,
    changes: Mapping[str, Any] | None = None,
    detail: Mapping[str, Any] | None = None,
    recipients: Iterable[str] | None = None,
    purpose: str = "",
    justification: str = "",
    people: Iterable[Any] | None = None,
) -> AuditEvent | None:
    """Appends one event to its chain (the event; None when a service's transaction will
    append it as its last step). Must run inside the caller's transaction."""
    entry = Entry(
        actor,
        action,
        event,
        obj,
        force_id,
        person_id,
        changes,
        detail,
        recipients,
        purpose,
        justification,
        people,
    )
    appended = audit_record_many([entry])
    return appended[0] if appended else None


def audit_record_many(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Appends events to their chains in order, under one lock per chain and one insert: for
    writes that log many events at once (a bulk load). Inside a service's transaction they
    wait for its end (`atomic`). Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it logs.")
    if not entries:
        return []
    if (pending := _deferred.get()) is not None:  # a service's: appended as its last step
        pending.extend(entries)
        return []
    with transaction.atomic():
        forces = [_force_id(entry) for entry in entries]
        heads = _heads({chain_key(force_id) for force_id in forces})
        # A chain's beginning is itself an event, in the system chain: a force's whole chain
        # deleted, head and all, is missed there (`verify_chain`).
        begun = [key for key, head in sorted(heads.items()) if head.seq == 0 and key != SYSTEM]
        if begun:
            opening = [
                Entry(None, AuditAction.SECURITY, "audit.chain_begun", detail={"chain": key})
                for key in begun
            ]
            entries, forces = [*opening, *entries], [*([None] * len(begun)), *forces]
        events, moved = [], set()
        for entry, force_id, position in zip(
            entries, forces, _positions(len(entries)), strict=True
        ):
            head = heads[chain_key(force_id)]
            head.seq += 1
            moved.add(head.key)
            fields = _fields(entry, force_id, position, head)
            fields["hash"] = head.hash = compute_hash(fields)
            events.append(AuditEvent(**fields))
        AuditEvent.objects.bulk_create(events)
        AuditEventPerson.objects.bulk_create(
            [
                AuditEventPerson(event_id=event.id, person_id=person)
                for event in events
                for person in event.people
            ]
        )
        for key in moved:
            head = heads[key]
            AuditChain.objects.filter(pk=key).update(seq=head.seq, hash=head.hash)
    return events[len(begun) :]


def _heads(keys: set[str]) -> dict[str, AuditChain]:
    """The chains' heads, all locked in one statement in the order of their keys (so two
    writers naming the same chains never wait for each other in a circle). A chain's first
    event makes its head, and the system chain's head is locked too, for the event that
    records the beginning (a chain another writer begins meanwhile is absorbed)."""
    started = dict(AuditChain.objects.filter(key__in=keys).values_list("key", "seq"))
    if any(not started.get(key) for key in keys - {SYSTEM}):
        keys = keys | {SYSTEM}
    if missing := keys - started.keys():
        AuditChain.objects.bulk_create(
            [AuditChain(key=key, seq=0, hash=GENESIS_HASH) for key in sorted(missing)],
            ignore_conflicts=True,
        )
    locked = AuditChain.objects.select_for_update().filter(key__in=keys).order_by("key")
    return {head.key: head for head in locked}


def _positions(count: int) -> list[int]:
    """The next `count` places in the deployment-wide order of appending. On PostgreSQL a
    sequence, which no writer waits for; SQLite takes its one write lock when a transaction
    begins (settings: IMMEDIATE), so the highest place so far is safe to count on."""
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval('audit_event_seq') FROM generate_series(1, %s)", [count])
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_auditevent")
        row = cursor.fetchone()
        top = row[0] if row else 0
        return list(range(top + 1, top + count + 1))


def _force_id(entry: Entry) -> Any:
    obj, actor, force_id = entry.obj, entry.actor, entry.force_id
    if force_id is None and obj is not None:
        force_id = getattr(obj, "force_id", None)
    if force_id is None and actor is not None:
        force_id = getattr(actor, "force_id", None)
    return _uuid_or_none(force_id)


def _fields(entry: Entry, force_id: Any, position: int, head: AuditChain) -> dict[str, Any]:
    obj, actor = entry.obj, entry.actor
    return {
        "id": uuid.uuid4(),
        "seq": position,
        "chain": head.key,
        "chain_seq": head.seq,
        "occurred_at": clock.now(),
        "action": str(entry.action),
        "event": entry.event,
        "actor_id": getattr(actor, "pk", None),
        "actor_label": actor_label(actor),
        "force_id": force_id,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:300] if obj is not None else "",
        "person_id": _uuid_or_none(entry.person_id),
        "people": list(dict.fromkeys(str(_uuid_or_none(p)) for p in entry.people or ())),
        "changes": _json_safe(dict(entry.changes or {})),
        "detail": _json_safe(dict(entry.detail or {})),
        "recipients": _json_safe(list(entry.recipients or [])),
        "purpose": entry.purpose[:60],
        "justification": entry.justification,
        "request_id": current_request_id(),
        "prev_hash": head.hash,
    }


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level before and after, for the fields whose value changed."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in after
        if before.get(name) != after.get(name)
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
