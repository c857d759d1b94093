"""The s.62 audit log: append-only events in hash chains, one per force (ADR 17).

Each event's hash covers its own content and the previous event's hash in its chain, so an
edit, a deletion or a reordering breaks the chain where it happened; `vigil audit-verify`
walks every chain. A force's events chain under its own head, so writes in different forces
never wait for each other; events with no force (a failed sign-in) chain under `system`.
Django refuses to update or delete an event (save/delete/queryset guards here); on
PostgreSQL and SQLite triggers refuse UPDATE and DELETE as well (migration 0003).
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from vigil.accounts.access import hidden_persons
from vigil.core.models import Force
from vigil.core.scoping import Scope, ScopedQuerySet


class AuditAction(models.TextChoices):
    """The kinds of processing DPA 2018 s.62 requires logs of, and security events."""

    COLLECTION = "collection", "Collection"
    ALTERATION = "alteration", "Alteration"
    CONSULTATION = "consultation", "Consultation"
    DISCLOSURE = "disclosure", "Disclosure"
    COMBINATION = "combination", "Combination"
    ERASURE = "erasure", "Erasure"
    SECURITY = "security", "Security"


class ImmutableError(Exception):
    """An audit event cannot be changed or deleted."""


class AuditEventQuerySet(ScopedQuerySet["AuditEvent"]):
    def restrict(self, user: Any, action: str) -> AuditEventQuerySet:
        """A data protection officer reads their own force's log and events with no force
        (failed sign-ins), less events about people kept from them by limited access."""
        events = self.filter(models.Q(force_id=user.force_id) | models.Q(force_id__isnull=True))
        for hidden in hidden_persons(user):
            named = AuditEventPerson.objects.filter(person_id__in=hidden).values("event_id")
            events = events.exclude(person_id__in=hidden).exclude(pk__in=named)
        return events

    def about(self, person_id: Any) -> AuditEventQuerySet:
        """The events about one person: those about them alone, and the lists and searches
        that showed them (the index of the people each names)."""
        named = AuditEventPerson.objects.filter(person_id=person_id).values("event_id")
        return self.filter(models.Q(person_id=person_id) | models.Q(pk__in=named))

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise ImmutableError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The order events were appended in across the deployment (the DPO's list reads in it);
    # gaps are allowed. Each event's place in its chain is `chain_seq`, without gaps.
    seq = models.BigIntegerField(unique=True, editable=False)
    chain = models.CharField(max_length=64, editable=False)  # see AuditChain.key
    chain_seq = models.BigIntegerField(editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    event = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=200)
    force = models.ForeignKey(
        Force,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    # The people a list, search or export showed: one event for the page, naming each of
    # them (ADR 17); indexed by person in AuditEventPerson for the DPO's search.
    people = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=60, blank=True)
    justification = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    scope = Scope(verbs={"view": "view_audit"})
    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["actor", "occurred_at"], name="audit_actor_time")]
        constraints = [
            models.UniqueConstraint(fields=["chain", "chain_seq"], name="audit_chain_position")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Audit events cannot be deleted.")

    @property
    def purpose_label(self) -> str:
        from vigil.audit.purpose import Purpose

        return str(Purpose(self.purpose).label) if self.purpose in Purpose.values else self.purpose


class AuditEventPerson(models.Model):
    """One person an event's list names (`AuditEvent.people`): the index the DPO's search by
    person reads. Written with the event, append-only like it, and verified against the
    event's own hashed list by `vigil audit-verify`."""

    event = models.ForeignKey(
        AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    person_id = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person_id"], name="audit_event_person")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} names {self.person_id}"


class AuditChain(models.Model):
    """One hash chain's head: its last position and hash, locked while an event is appended
    to it, so its events are chained in commit order. `key` is `force:<the force's id>`,
    `system` (events with no force), or `global`: the one chain every event joined before
    chains were per force, closed since (ADR 17)."""

    key = models.CharField(max_length=64, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.key} #{self.seq}"
