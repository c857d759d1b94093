"""Reconciling stored obligations with what the rules derive.

`sync(subject)` runs inside every service write's transaction: it creates the obligations the
rules now call for, updates those whose date, owner, risk or met date changed, and withdraws
open ones the rules no longer call for. It is idempotent: a second call changes nothing.
`sync_all()` does the same for every subject, streaming, for the nightly run and after a
policy change.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Q

from vigil.core import clock
from vigil.obligations import related
from vigil.obligations.models import (
    RISK_ORDER,
    Escalation,
    EscalationReason,
    Obligation,
    RiskLevel,
)
from vigil.obligations.registry import Due, Subject, subject_for, subjects
from vigil.policy.models import PolicyVersion
from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy
from vigil.policy.services import policy_version_recorded

_TRACKED = (
    "kind",
    "label",
    "due_date",
    "due_at",
    "met_date",
    "met_at",
    "owner_team_id",
    "owner_user_id",
    "oversight_team_id",
    "risk_level",
)
_tracked = attrgetter(*_TRACKED)
_RISK_LABELS = dict(RiskLevel.choices)


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
    stored: dict[tuple[str, str], Any],
    pack: PolicyPack,
    version: PolicyVersion,
    history: tuple[str, ...] = (),
) -> tuple[SyncResult, list[Obligation], list[Any], list[Escalation]]:
    """Compares what the rules want with what is stored, by (rule id, key): withdrawn rows
    included, since an occurrence can be called for again. Met and waived obligations are
    history: they are never re-dated, re-owned or re-risked, whatever the records say now.
    Once, after a correction of how a rule reads the law (ADR 12), those of the rules named
    in `history` (rule ids or their prefixes) have their due date, time and policy keys
    re-dated, nothing else: only those, since other rules may rightly derive an old
    occurrence differently now (an OCSEA action clock set by the band at the time). Stored
    rows are `_Stored` rows and `FROZEN` (`_stored_obligations`)."""
    result = SyncResult(subjects=1)
    wanted = _derive(registered, obj, pack)
    subject_type = registered.model._meta.label_lower
    label = registered.label(obj)[:200]
    person_id = registered.person_id(obj)
    new: list[Obligation] = []
    changed: list[Any] = []
    risen: list[Any] = []
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
                    due_at=due.due_at,
                    met_date=due.met_date,
                    met_at=due.met_at,
                    owner_team_id=due.owner_team_id,
                    owner_user_id=due.owner_user_id,
                    oversight_team_id=due.oversight_team_id,
                    risk_level=due.risk_level,
                    policy_version=version,
                    policy_keys=list(due.policy_keys),
                )
            )
            continue
        if obligation.met_date is not None or obligation.waived_at is not None:
            if (
                obligation is not FROZEN
                and due.rule_id.startswith(history or ("\0",))
                and _redated(obligation, due, version)
            ):
                changed.append(obligation)
            else:
                result.unchanged += 1  # history: frozen
            continue
        if (
            obligation.withdrawn_at is None
            and _tracked(obligation) == _tracked(due)
            and obligation.subject_label == label
            and obligation.policy_keys == list(due.policy_keys)
        ):
            result.unchanged += 1  # the common case, decided without building a dict
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
        if "due_date" in updates or "due_at" in updates or "policy_keys" in updates:
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


def _redated(obligation: Any, due: Due, version: PolicyVersion) -> bool:
    """Re-dates a met or waived obligation to what the rules now say (its due date and time
    and the policy keys behind them; its met date, owner and risk stay): whether it changed."""
    if (obligation.due_date, obligation.due_at, obligation.policy_keys) == (
        due.due_date,
        due.due_at,
        list(due.policy_keys),
    ):
        return False
    obligation.due_date, obligation.due_at = due.due_date, due.due_at
    obligation.policy_keys = list(due.policy_keys)
    obligation.policy_version = version
    obligation.version += 1
    return True


def _risk_rise(risen: list[Any], pack: PolicyPack) -> list[Escalation]:
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
            obligation_id=anchor.pk,
            rung=rung,
            reason=EscalationReason.RISK_RISE,
            raised_on=today,
            detail=f"Risk rose to {_RISK_LABELS.get(anchor.risk_level, anchor.risk_level).lower()}"
            f" on {today:%-d %b %Y}",
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


# Up to this many changed rows (a service write's sync) are updated one statement each:
# Django's bulk_update builds a CASE per field over the rows, which costs 12 ms for three
# rows where three plain UPDATEs take 3 ms (PostgreSQL, bench/). Bulk runs use bulk_update
# in batches.
_ROW_BY_ROW = 10
_UPDATE_ATTNAMES = [
    "policy_version_id" if name == "policy_version" else name for name in _UPDATE_FIELDS
]


def _write(new: list[Obligation], changed: list[Obligation], escalations: list[Escalation]) -> None:
    if new:
        Obligation.objects.bulk_create(new)
    if changed:
        now = clock.now()
        for obligation in changed:
            obligation.updated_at = now
        if len(changed) <= _ROW_BY_ROW:
            for obligation in changed:
                Obligation.objects.filter(pk=obligation.pk).update(
                    **{name: getattr(obligation, name) for name in _UPDATE_ATTNAMES}
                )
        else:
            Obligation.objects.bulk_update(changed, _UPDATE_FIELDS, batch_size=500)
    if escalations:
        Escalation.objects.bulk_create(escalations, ignore_conflicts=True)


def sync(obj: models.Model, *, pack: PolicyPack | None = None) -> SyncResult:
    """Reconciles one subject's obligations (call inside the service's transaction). Its
    open obligations are locked for the transaction; met and waived ones are history and
    are read by key only, as in bulk.

    The rules read the subject's records fresh: rows prefetched onto `obj` earlier (by the
    caller) are dropped first, and the ones this sync read (`related.load`, on `obj` and on
    the records it points to, such as its nominal) are dropped after, so the caller never
    holds a stale copy of them either."""
    pack = pack or active_policy()
    label = obj._meta.label_lower
    registered = subject_for(label)
    with transaction.atomic():
        _forget_prefetched(obj)
        try:
            related.load([obj], registered.related)
            stored = _stored_obligations(label, [obj.pk], lock=True)[obj.pk]
            result, new, changed, escalations = _reconcile(
                registered, obj, stored, pack, policy_version_recorded(pack)
            )
            _write(new, [row.obligation() for row in changed], escalations)
        finally:
            related.release([obj], registered.related)
    return result


def sync_persons(person_ids: list[Any], *, pack: PolicyPack | None = None) -> SyncResult:
    """Re-syncs every subject the records of these people feed (the registry's
    `person_path`): called by every write to a person's own record (their name, their
    addresses), since rules and labels read them."""
    total = SyncResult()
    for _, registered in sorted(subjects().items()):
        if not registered.person_path:
            continue
        fed = registered.model._default_manager.filter(
            **{f"{registered.person_path}__in": person_ids}
        ).distinct()
        for obj in fed.order_by("pk"):
            total.add(sync(obj, pack=pack))
    return total


def _forget_prefetched(obj: models.Model) -> None:
    cache = getattr(obj, "_prefetched_objects_cache", None)
    if cache:
        cache.clear()


def _chunks(registered: Subject, size: int) -> Iterator[list[Any]]:
    """Streams a kind's subjects in pages by primary key, in bounded memory, each page read
    (with the records its rules read) and reconciled in its own transaction with its subjects
    locked (so a service write to one of them waits rather than racing the bulk run)."""
    last = None
    while True:
        with transaction.atomic():
            page = registered.model._default_manager.order_by("pk")
            page = page.select_for_update(of=("self",))
            if last is not None:
                page = page.filter(pk__gt=last)
            rows = list(page[:size])
            if not rows:
                return
            related.load(rows, registered.related)
            yield rows
        last = rows[-1].pk


class _Frozen:
    """A met or waived obligation as sync reads it: history, so only its key is read."""

    met_date = True
    waived_at = withdrawn_at = None


FROZEN: Any = _Frozen()


class _Stored:
    """An open obligation as sync reads it: a row of the columns `_reconcile` compares and
    `_write` updates, not a model instance (a national sync reads millions, and a service
    write's sync is on every write); turned into an Obligation only if it changes."""

    COLUMNS = (
        "id",
        "force_id",
        "rule_id",
        "key",
        *_TRACKED,
        "subject_label",
        "policy_keys",
        "policy_version_id",
        "withdrawn_at",
        "version",
    )
    __slots__ = ("pk", *COLUMNS[1:])
    pk: Any
    force_id: Any
    rule_id: str
    key: str
    risk_level: str
    version: int
    waived_at: Any = None  # open rows only, unless read for `history`

    def __init__(self, row: tuple[Any, ...]) -> None:
        for name, value in zip(_Stored.__slots__, row, strict=True):
            setattr(self, name, value)

    @property
    def policy_version(self) -> Any:
        return self.policy_version_id

    @policy_version.setter
    def policy_version(self, value: PolicyVersion) -> None:
        self.policy_version_id = value.pk

    def obligation(self) -> Obligation:
        fields = {name: getattr(self, name) for name in _Stored.__slots__[1:]}
        return Obligation(id=self.pk, **fields)


class _Past(_Stored):
    """A met or waived obligation read as a row, to be re-dated (`history`)."""

    __slots__ = ("waived_at",)


def _stored_obligations(
    label: str, ids: list[Any], *, lock: bool = False, history: tuple[str, ...] = ()
) -> dict[Any, dict[tuple[str, str], Any]]:
    """Every stored obligation of these subjects by (rule id, key): met and waived ones as
    FROZEN (their key only; those of the `history` rules as rows), open ones (withdrawn included) as
    `_Stored` rows, locked for the transaction with `lock`."""
    stored: dict[Any, dict[tuple[str, str], Any]] = {pk: {} for pk in ids}
    mine = Obligation.objects.filter(subject_type=label, subject_id__in=ids).order_by()
    done = mine.filter(Q(met_date__isnull=False) | Q(waived_at__isnull=False))
    if history:
        for subject_id, waived_at, *row in done.values_list(
            "subject_id", "waived_at", *_Stored.COLUMNS
        ):
            past = _Past(tuple(row))
            past.waived_at = waived_at
            stored[subject_id][(past.rule_id, past.key)] = past
    for subject_id, rule_id, key in (
        [] if history else done.values_list("subject_id", "rule_id", "key")
    ):
        stored[subject_id][(rule_id, key)] = FROZEN
    open_rows = mine.filter(met_date__isnull=True, waived_at__isnull=True)
    if lock:
        open_rows = open_rows.select_for_update()
    for subject_id, *row in open_rows.values_list("subject_id", *_Stored.COLUMNS):
        open_row = _Stored(tuple(row))
        stored[subject_id][(open_row.rule_id, open_row.key)] = open_row
    return stored


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's automatic cyclic garbage collector, with what exists already frozen
    out of its sight; the caller collects after each chunk. A chunk makes a few hundred
    thousand objects (prefetched records with their back-references, rows, `Due`s) and the
    automatic collector, set off by the allocations, would walk them over and over: pausing
    it takes about a third off a bulk sync (bench/). A collection after each chunk then walks
    only the last chunks' objects, and keeps memory bounded by them."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def sync_all(
    *,
    pack: PolicyPack | None = None,
    chunk: int = 500,
    progress: Callable[[int], None] | None = None,
    history: tuple[str, ...] = (),
    workers: int = 1,
) -> SyncResult:
    """Reconciles every subject of every registered kind, a chunk per transaction. The met
    and waived obligations of the rules named in `history` are re-dated too (`_reconcile`).
    With `workers` above one, the chunks are shared among that many processes."""
    pack = pack or active_policy()
    version = policy_version_recorded(pack)
    if workers > 1:
        if transaction.get_connection().in_atomic_block:
            raise RuntimeError("A run shared among processes commits each chunk on its own.")
        return _sync_in_processes(pack, version, chunk, progress, history, workers)
    total = SyncResult()
    with _collector_paused():
        for label, registered in sorted(subjects().items()):
            _sync_kind(label, registered, pack, version, chunk, total, progress, history)
    return total


# What the processes of a shared run work with: set before they are forked, so each has it
# without its being sent (a pack holds compiled rules).
_SHARED: dict[str, Any] = {}


def parts(chunk: int = 500) -> list[tuple[str, list[str]]]:
    """A full run split into parts another process or another machine can take: for each
    registered kind, its subjects force by force, in chunks of at most `chunk` (by primary
    key), as (kind, ids). What `sync_part` reconciles."""
    found = []
    for label, registered in sorted(subjects().items()):
        by_force: dict[Any, list[str]] = {}
        rows = registered.model._default_manager.order_by("force_id", "pk")
        for force_id, pk in rows.values_list("force_id", "pk"):
            by_force.setdefault(force_id, []).append(str(pk))
        for ids in by_force.values():
            found += [(label, ids[i : i + chunk]) for i in range(0, len(ids), chunk)]
    return found


def sync_part(
    label: str,
    ids: list[Any],
    *,
    pack: PolicyPack | None = None,
    version: PolicyVersion | None = None,
    history: tuple[str, ...] = (),
) -> SyncResult:
    """One part of a full run (`parts`), in its own transaction with its subjects locked:
    as a single process reconciles each chunk. A subject deleted since the run was split is
    skipped; the caller's transaction, if any, holds the part's."""
    pack = pack or active_policy()
    version = version or policy_version_recorded(pack)
    registered = subjects()[label]
    total = SyncResult()
    with _collector_paused(), transaction.atomic():
        queryset = registered.model._default_manager.filter(pk__in=ids)
        rows = list(queryset.order_by("pk").select_for_update(of=("self",)))
        related.load(rows, registered.related)
        _reconcile_chunk(label, registered, rows, pack, version, total, history)
        related.release(rows, registered.related)
    return total


def _sync_in_processes(
    pack: PolicyPack,
    version: PolicyVersion,
    chunk: int,
    progress: Callable[[int], None] | None,
    history: tuple[str, ...],
    workers: int,
) -> SyncResult:
    """Shares the parts of a full run (`parts`) among `workers` processes, each with its
    own database connection (the same parts the background run queues as tasks, ADR 18)."""
    units = parts(chunk)
    _SHARED.update(pack=pack, version=version, history=history)
    connections.close_all()  # each process opens its own; none inherits this one's
    total = SyncResult()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for done in as_completed([pool.submit(_sync_unit, label, ids) for label, ids in units]):
            result = done.result()
            total.add(result)
            if progress:
                progress(result.subjects)
    return total


def _sync_unit(label: str, ids: list[Any]) -> SyncResult:
    """One part of a shared run, in a process of its own (which keeps its connection for
    its next part)."""
    return sync_part(
        label, ids, pack=_SHARED["pack"], version=_SHARED["version"], history=_SHARED["history"]
    )


def _sync_kind(
    label: str,
    registered: Subject,
    pack: PolicyPack,
    version: PolicyVersion,
    chunk: int,
    total: SyncResult,
    progress: Callable[[int], None] | None,
    history: tuple[str, ...] = (),
) -> None:
    for rows in _chunks(registered, chunk):
        _reconcile_chunk(label, registered, rows, pack, version, total, history)
        related.release(rows, registered.related)
        gc.collect()  # what cyclic garbage remains (the collector is paused): little
        if progress:
            progress(len(rows))


def _reconcile_chunk(
    label: str,
    registered: Subject,
    rows: list[Any],
    pack: PolicyPack,
    version: PolicyVersion,
    total: SyncResult,
    history: tuple[str, ...],
) -> None:
    """One chunk of subjects reconciled in one transaction: their stored obligations read,
    what the rules now call for derived, and the difference written."""
    with transaction.atomic():
        stored = _stored_obligations(label, [row.pk for row in rows], history=history)
        new: list[Obligation] = []
        changed: list[Obligation] = []
        escalations: list[Escalation] = []
        for row in rows:
            result, n, c, e = _reconcile(registered, row, stored[row.pk], pack, version, history)
            total.add(result)
            new += n
            changed += [o.obligation() for o in c]
            escalations += e
        _write(new, changed, escalations)
