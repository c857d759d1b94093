"""Reading the records a subject's rules read, for many subjects at once.

`load(rows, paths)` does for the engine what Django's `prefetch_related_objects` does (one
query per relation in a path, for every row at once), at a fraction of its cost: Django builds
a related manager and a filtered queryset for every row and relation to hold the rows it
read, and a national sync holds millions (two-thirds of a full sync went there, bench/). Here
each row's rows go in a `Loaded` queryset made without a query of its own, and a forward
relation is set in the field cache, as Django sets it.

The rules read them as they would any prefetched relation (`r.visits.all()`, iterated,
counted, sorted); a loaded relation refuses to be narrowed (`.filter()`, `.order_by()`), since
that would query again for every subject: a rule sorts and filters in Python.

Paths are the registry's `related` (`"visits"`, `"nominal__addresses"`): forward foreign keys
and reverse foreign keys, nested by `__`. A forward relation already cached on a row (the
service's own copy of it) is kept, as Django keeps it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models.base import ModelState
from django.db.models.sql import Query


class Loaded(models.QuerySet):
    """One row's rows of a relation, read in bulk: a finished queryset."""

    def _chain(self) -> Any:
        raise TypeError(
            f"{self.model.__name__} rows loaded for the obligation engine are read whole: "
            "sort or filter them in Python (a new query per subject would undo the bulk read)."
        )


def load(rows: list[models.Model], paths: tuple[str, ...]) -> None:
    """Reads every relation the paths name, for all the rows (of one model) at once."""
    _load(rows, _tree(paths))


def release(rows: list[models.Model], paths: tuple[str, ...]) -> None:
    """Lets go of what `load` read: each loaded row points back at its own (a reference
    cycle), so unless the cycles are broken only the cyclic garbage collector, walking every
    object, frees a chunk's rows; broken, they are freed as soon as the chunk is done with."""
    _release(rows, _tree(paths))


def _tree(paths: tuple[str, ...]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        for part in path.split("__"):
            node = node.setdefault(part, {})
    return tree


def _load(rows: list[models.Model], tree: dict[str, Any]) -> None:
    if not rows:
        return
    meta = type(rows[0])._meta
    for name, below in tree.items():
        field = meta.get_field(name)
        if (field.many_to_one or field.one_to_one) and field.concrete:
            found = _forward(rows, field)
        elif field.one_to_many and field.auto_created:
            found = _reverse(rows, field)
        else:
            raise TypeError(f"{meta.label}.{name}: only foreign keys, either way, are loaded")
        _load(found, below)


def _forward(rows: list[models.Model], field: Any) -> list[models.Model]:
    """A foreign key: the rows it points to, read once each and cached on every row."""
    cached = [row for row in rows if field.is_cached(row)]
    wanted = {getattr(row, field.attname) for row in rows if not field.is_cached(row)}
    wanted.discard(None)
    target = field.target_field
    by_key: dict[Any, models.Model] = {}
    if wanted:
        found = field.related_model._base_manager.filter(**{f"{target.attname}__in": wanted})
        for obj in _instances(found):
            by_key[getattr(obj, target.attname)] = obj
    for row in rows:
        if not field.is_cached(row):
            field.set_cached_value(row, by_key.get(getattr(row, field.attname)))
    seen = {id(obj): obj for obj in by_key.values()}
    for row in cached:
        obj = field.get_cached_value(row)
        if obj is not None:
            seen[id(obj)] = obj
    return list(seen.values())


def _instances(queryset: models.QuerySet[Any]) -> list[models.Model]:
    """The queryset's rows as model instances, every field read, made as `Model.from_db`
    makes them less the work done for what a loaded row never has (deferred fields, the
    descriptors that clear a changed foreign key's cache, init signals: no Vigil model
    listens to them; tests/obligations hold a loaded row equal to one read the usual way).
    A third of reading a chunk's records went on `Model.__init__` (bench/)."""
    model: Any = queryset.model
    names = [field.attname for field in model._meta.concrete_fields]
    db = queryset.db
    made = []
    for values in queryset.values_list(*names):
        obj = model.__new__(model)
        state = ModelState()
        state.adding, state.db = False, db
        obj.__dict__.update(zip(names, values, strict=True), _state=state)
        made.append(obj)
    return made


def _reverse(rows: list[models.Model], rel: Any) -> list[models.Model]:
    """A reverse foreign key (`registration.visits`): every row's rows in one query, in the
    related model's default order, each pointing back at its row."""
    fk = rel.field
    target = fk.target_field
    parents = {getattr(row, target.attname): row for row in rows}
    grouped: dict[Any, list[models.Model]] = defaultdict(list)
    children = _instances(rel.related_model._default_manager.filter(**{f"{fk.name}__in": parents}))
    for child in children:
        parent = parents[getattr(child, fk.attname)]
        fk.set_cached_value(child, parent)
        grouped[getattr(child, fk.attname)].append(child)
    query = Query(rel.related_model)  # never run: a Loaded queryset refuses to chain
    for key, row in parents.items():
        loaded: Any = Loaded(rel.related_model, query=query)
        loaded._result_cache = grouped.get(key, [])
        loaded._prefetch_done = True
        cache = row.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[rel.cache_name] = loaded
    return children


def _release(rows: list[models.Model], tree: dict[str, Any]) -> None:
    if not rows:
        return
    meta = type(rows[0])._meta
    for name, below in tree.items():
        field: Any = meta.get_field(name)
        if field.concrete:
            targets = [field.get_cached_value(row, None) for row in rows]
            _release([obj for obj in targets if obj is not None], below)
            continue
        children: list[models.Model] = []
        for row in rows:
            loaded = row.__dict__.get("_prefetched_objects_cache", {}).pop(field.cache_name, None)
            if loaded is not None:
                children += loaded._result_cache or ()
        _release(children, below)
