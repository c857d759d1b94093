"""Writing audit events. Every service calls `audit_record` inside its own transaction, so
the change and its audit event commit together or not at all."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from vigil.audit.chain import compute_hash
from vigil.audit.models import AuditAction, AuditChainHead, AuditEvent
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
) -> AuditEvent:
    """Appends one event to the chain. Must run inside the caller's transaction."""
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
    )
    return audit_record_many([entry])[0]


def audit_record_many(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Appends events to the chain in order, under one lock and one insert: for writes that
    log many events at once (a search listing people, a bulk load). Must run inside the
    caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it logs.")
    if not entries:
        return []
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        seq, prev_hash = head.seq, head.hash
        events = []
        for entry in entries:
            seq += 1
            fields = _fields(entry, seq, prev_hash)
            fields["hash"] = prev_hash = compute_hash(fields)
            events.append(AuditEvent(**fields))
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return events


def _fields(entry: Entry, seq: int, prev_hash: str) -> dict[str, Any]:
    obj, actor, force_id = entry.obj, entry.actor, entry.force_id
    if force_id is None and obj is not None:
        force_id = getattr(obj, "force_id", None)
    if force_id is None and actor is not None:
        force_id = getattr(actor, "force_id", None)
    return {
        "id": uuid.uuid4(),
        "seq": seq,
        "occurred_at": clock.now(),
        "action": str(entry.action),
        "event": entry.event,
        "actor_id": getattr(actor, "pk", None),
        "actor_label": actor_label(actor),
        "force_id": _uuid_or_none(force_id),
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": str(obj)[:300] if obj is not None else "",
        "person_id": _uuid_or_none(entry.person_id),
        "changes": _json_safe(dict(entry.changes or {})),
        "detail": _json_safe(dict(entry.detail or {})),
        "recipients": _json_safe(list(entry.recipients or [])),
        "purpose": entry.purpose[:60],
        "justification": entry.justification,
        "request_id": current_request_id(),
        "prev_hash": prev_hash,
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
