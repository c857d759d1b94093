"""Reconciling stored obligations with what the rules derive.

`sync(subject)` runs inside every service write's transaction: it creates the obligations the
rules now call for, updates those whose date, owner, risk or met date changed, and withdraws
open ones the rules no longer call for. It is idempotent: a second call changes nothing.
`sync_all()` does the same for every subject, streaming, for the nightly run and after a
policy change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import prefetch_related_objects

from vigil.core import clock
from vigil.obligations.models import RISK_ORDER, Escalation, EscalationReason, Obligation
from vigil.obligations.registry import Due, Subject, subject_for, subjects
from vigil.policy.models import PolicyVersion
from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy
from vigil.policy.services import policy_version_recorded

_TRACKED = ("kind", "label", "due_date", "met_date", "owner_team_id", "owner_user_id", "risk_level")


@dataclass
class SyncResult:
    created: int = 0
    changed: int = 0
    withdrawn: int = 0
    unchanged: int = 0
    escalated: int = 0
    subjects: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: SyncResult) -> None:
        self.created += other.created
        self.changed += other.changed
        self.withdrawn += other.withdrawn
        self.unchanged += other.unchanged
        self.escalated += other.escalated
        self.subjects += other.subjects


def _derive(registered: Subject, obj: Any, pack: PolicyPack) -> dict[tuple[str, str], Due]:
    wanted: dict[tuple[str, str], Due] = {}
    for rule in registered.rules:
        for due in rule(obj, pack):
            wanted[(due.rule_id, due.key)] = due
    return wanted


def _reconcile(
    registered: Subject,
    obj: Any,
    existing: list[Obligation],
    pack: PolicyPack,
    version: PolicyVersion,
) -> tuple[SyncResult, list[Obligation], list[Obligation], list[Escalation]]:
    """Compares what the rules want with what is stored (withdrawn rows included, since an
    occurrence can be called for again). Met and waived obligations are history: they are
    never re-dated, re-owned or re-risked, whatever the records say now."""
    result = SyncResult(subjects=1)
    wanted = _derive(registered, obj, pack)
    stored = {(o.rule_id, o.key): o for o in existing}
    subject_type = registered.model._meta.label_lower
    label = registered.label(obj)[:200]
    person_id = registered.person_id(obj)
    new: list[Obligation] = []
    changed: list[Obligation] = []
    risen: list[Obligation] = []
    for key, due in wanted.items():
        obligation = stored.get(key)
        if obligation is None:
            new.append(
                Obligation(
                    force_id=obj.force_id,
                    subject_type=subject_type,
                    subject_id=obj.pk,
                    subject_label=label,
                    person_id=person_id,
                    kind=due.kind,
                    label=due.label,
                    rule_id=due.rule_id,
                    key=due.key,
                    due_date=due.due_date,
                    met_date=due.met_date,
                    owner_team_id=due.owner_team_id,
                    owner_user_id=due.owner_user_id,
                    risk_level=due.risk_level,
                    policy_version=version,
                    policy_keys=list(due.policy_keys),
                )
            )
            continue
        if obligation.met_date is not None or obligation.waived_at is not None:
            result.unchanged += 1  # history: frozen
            continue
        updates: dict[str, Any] = {
            name: getattr(due, name)
            for name in _TRACKED
            if getattr(obligation, name) != getattr(due, name)
        }
        if obligation.subject_label != label:
            updates["subject_label"] = label
        if list(due.policy_keys) != obligation.policy_keys:
            updates["policy_keys"] = list(due.policy_keys)
        if "due_date" in updates or "policy_keys" in updates:
            updates["policy_version"] = version
        if obligation.withdrawn_at is not None:
            updates["withdrawn_at"] = None  # called for again
        if not updates:
            result.unchanged += 1
            continue
        if (
            RISK_ORDER.get(updates.get("risk_level", ""), 0)
            > RISK_ORDER.get(obligation.risk_level, 0)
            and updates.get("met_date") is None
        ):
            risen.append(obligation)
        for name, value in updates.items():
            setattr(obligation, name, value)
        obligation.version += 1
        changed.append(obligation)
    now = clock.now()
    for key, obligation in stored.items():
        if (
            key not in wanted
            and obligation.withdrawn_at is None
            and obligation.met_date is None
            and obligation.waived_at is None
        ):
            obligation.withdrawn_at = now
            obligation.version += 1
            changed.append(obligation)
            result.withdrawn += 1
    escalations = _risk_rise(risen, pack)
    result.created = len(new)
    result.changed = len(changed) - result.withdrawn
    result.escalated = len(escalations)
    return result, new, changed, escalations


def _risk_rise(risen: list[Obligation], pack: PolicyPack) -> list[Escalation]:
    """One escalation for a subject whose risk rose, on its most pressing open obligation
    (the earliest due), to the rung the policy names for the new level."""
    if not risen:
        return []
    anchor = min(risen, key=lambda o: (o.due_date, o.rule_id, o.key))
    rung = pack["escalation.rise_to_level"].get(anchor.risk_level)
    if not rung:
        return []
    today = clock.today()
    return [
        Escalation(
            force_id=anchor.force_id,
            obligation=anchor,
            rung=rung,
            reason=EscalationReason.RISK_RISE,
            raised_on=today,
            detail=f"Risk rose to {anchor.get_risk_level_display().lower()} on {today:%-d %b %Y}",
        )
    ]


_UPDATE_FIELDS = [
    *_TRACKED,
    "subject_label",
    "policy_keys",
    "policy_version",
    "withdrawn_at",
    "version",
    "updated_at",
]


def _write(new: list[Obligation], changed: list[Obligation], escalations: list[Escalation]) -> None:
    if new:
        Obligation.objects.bulk_create(new)
    if changed:
        now = clock.now()
        for obligation in changed:
            obligation.updated_at = now
        Obligation.objects.bulk_update(changed, _UPDATE_FIELDS)
    if escalations:
        Escalation.objects.bulk_create(escalations, ignore_conflicts=True)


def sync(obj: models.Model, *, pack: PolicyPack | None = None) -> SyncResult:
    """Reconciles one subject's obligations (call inside the service's transaction)."""
    pack = pack or active_policy()
    registered = subject_for(obj._meta.label_lower)
    with transaction.atomic():
        if registered.related:
            prefetch_related_objects([obj], *registered.related)
        existing = list(
            Obligation.objects.select_for_update().filter(
                subject_type=obj._meta.label_lower, subject_id=obj.pk
            )
        )
        result, new, changed, escalations = _reconcile(
            registered, obj, existing, pack, policy_version_recorded(pack)
        )
        _write(new, changed, escalations)
    return result


def _chunks(queryset: models.QuerySet[Any], size: int) -> Iterator[list[Any]]:
    """Streams a queryset in pages by primary key, in bounded memory, each page read and
    reconciled in its own transaction with its subjects locked (so a service write to one
    of them waits rather than racing the bulk run)."""
    last = None
    while True:
        with transaction.atomic():
            page = queryset.order_by("pk").select_for_update(of=("self",))
            if last is not None:
                page = page.filter(pk__gt=last)
            rows = list(page[:size])
            if not rows:
                return
            yield rows
        last = rows[-1].pk


def sync_all(
    *,
    pack: PolicyPack | None = None,
    chunk: int = 500,
    progress: Callable[[int], None] | None = None,
) -> SyncResult:
    """Reconciles every subject of every registered kind, a chunk per transaction."""
    pack = pack or active_policy()
    version = policy_version_recorded(pack)
    total = SyncResult()
    for label, registered in sorted(subjects().items()):
        queryset = registered.model._default_manager.all()
        if registered.related:
            queryset = queryset.prefetch_related(*registered.related)
        for rows in _chunks(queryset, chunk):
            with transaction.atomic():
                existing: dict[Any, list[Obligation]] = {row.pk: [] for row in rows}
                for obligation in Obligation.objects.filter(
                    subject_type=label, subject_id__in=list(existing)
                ):
                    existing[obligation.subject_id].append(obligation)
                new: list[Obligation] = []
                changed: list[Obligation] = []
                escalations: list[Escalation] = []
                for row in rows:
                    result, n, c, e = _reconcile(registered, row, existing[row.pk], pack, version)
                    total.add(result)
                    new += n
                    changed += c
                    escalations += e
                _write(new, changed, escalations)
            if progress:
                progress(len(rows))
    return total
