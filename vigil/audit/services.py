"""Writing audit events. Every service calls `audit_record` inside its own transaction, so
the change and its audit event commit together or not at all."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
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
    return f"{actor.username} ({actor})" if str(actor) != actor.username else actor.username


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
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it logs.")
    if force_id is None and obj is not None:
        force_id = getattr(obj, "force_id", None)
    if force_id is None and actor is not None:
        force_id = getattr(actor, "force_id", None)
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        fields: dict[str, Any] = {
            "id": uuid.uuid4(),
            "seq": head.seq + 1,
            "occurred_at": clock.now(),
            "action": str(action),
            "event": event,
            "actor_id": getattr(actor, "pk", None),
            "actor_label": actor_label(actor),
            "force_id": force_id,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "object_repr": str(obj)[:300] if obj is not None else "",
            "person_id": person_id,
            "changes": _json_safe(dict(changes or {})),
            "detail": _json_safe(dict(detail or {})),
            "recipients": _json_safe(list(recipients or [])),
            "purpose": purpose,
            "justification": justification,
            "request_id": current_request_id(),
            "prev_hash": head.hash,
        }
        fields["hash"] = compute_hash(fields)
        audit_event = AuditEvent(**fields)
        audit_event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(seq=fields["seq"], hash=fields["hash"])
    return audit_event


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level before and after, for the fields whose value changed."""
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in after
        if before.get(name) != after.get(name)
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
