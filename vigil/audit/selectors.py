"""Reads of the audit log, for the data protection officer."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.audit.models import AuditEvent, AuditEventPerson


def audit_event_list(*, user: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Events the user may read, filtered by person (the events about them, and the lists
    and searches that showed them), user, record, action and dates.

    A DPO reads their own force's log (and events with no force, such as failed sign-ins)."""
    events = AuditEvent.objects.visible_to(user)
    person = (filters.get("person") or "").strip()
    if person:
        try:
            events = events.about(uuid.UUID(person))
        except ValueError:
            person_ids = (
                AuditEvent.objects.filter(
                    force_id=user.force_id,
                    object_type="people.nominal",
                    object_repr__icontains=person,
                )
                .exclude(person_id=None)
                .values("person_id")
            )
            named = AuditEventPerson.objects.filter(person_id__in=person_ids).values("event_id")
            events = events.filter(Q(person_id__in=person_ids) | Q(pk__in=named))
    actor = (filters.get("user") or "").strip()
    if actor:
        events = events.filter(actor_label__icontains=actor)
    record = (filters.get("record") or "").strip()
    if record:
        events = events.filter(object_id=record)
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    date_from: date | None = filters.get("date_from")
    if date_from:
        events = events.filter(occurred_at__gte=datetime.combine(date_from, time.min, tz))
    date_to: date | None = filters.get("date_to")
    if date_to:
        end = datetime.combine(date_to + timedelta(days=1), time.min, tz)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-seq")
