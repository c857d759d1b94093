"""`related.load`: the engine's bulk read of what the rules read. It must give the rules the
rows Django's own prefetch gives, refuse to be narrowed, and let go of them cleanly."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from vigil.obligations import related
from vigil.obligations.registry import subject_for
from vigil.offenders.models import Registration

PATHS = subject_for("offenders.registration").related


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _walk(row: Registration) -> dict[str, Any]:
    """Every record the registration's rules read, field by field."""
    seen: dict[str, Any] = {}
    for path in PATHS:
        objs: list[Any] = [row]
        for part in path.split("__"):
            below: list[Any] = []
            for obj in objs:
                value = getattr(obj, part)
                below += list(value.all()) if hasattr(value, "all") else [value]
            objs = below
        seen[path] = sorted((_fields(o) for o in objs), key=lambda d: str(d["id"]))
    return seen


def test_loaded_rows_are_the_rows_django_prefetches(world: Any) -> None:
    rows = list(Registration.objects.order_by("pk"))
    assert len(rows) == 2
    expected = list(Registration.objects.order_by("pk"))
    prefetch_related_objects(expected, *PATHS)
    related.load(rows, PATHS)
    with CaptureQueriesContext(connection) as queries:
        loaded = [_walk(row) for row in rows]
    assert not queries.captured_queries  # all read in bulk, nothing read per row
    assert loaded == [_walk(row) for row in expected]
    for path in ("visits", "arms", "pnd_checks", "nominal", "nominal__addresses"):
        assert any(seen[path] for seen in loaded), path  # the comparison compared something
    visit = rows[0].visits.all()[0]
    assert visit.registration is rows[0]  # each row points back at its own
    assert visit._state.adding is False
    assert visit._state.db == "default"


def test_one_query_per_relation_whatever_the_rows(world: Any) -> None:
    rows = list(Registration.objects.all())
    with CaptureQueriesContext(connection) as queries:
        related.load(rows, PATHS)
    # at most one: a relation under one with no rows here (a MAPPA meeting's actions) is
    # not read at all
    assert len(queries.captured_queries) <= len(PATHS)
    assert len(queries.captured_queries) >= len([p for p in PATHS if "__" not in p])


def test_a_loaded_relation_is_read_whole(world: Any) -> None:
    row = Registration.objects.first()
    assert row is not None
    related.load([row], ("visits",))
    visits = row.visits.all()
    assert visits.count() == len(list(visits)) == 1
    assert visits.exists()
    with pytest.raises(TypeError, match="read whole"):
        visits.filter(announced=True)
    with pytest.raises(TypeError, match="read whole"):
        row.visits.order_by("visited_at")


def test_a_forward_relation_the_caller_holds_is_kept(world: Any) -> None:
    row = Registration.objects.filter(nominal__addresses__isnull=False).first()
    assert row is not None
    mine = row.nominal
    mine.given_names = "Unsaved change"
    related.load([row], ("nominal__addresses",))
    assert row.nominal is mine  # the service's own copy, as Django's prefetch keeps it
    assert list(mine.addresses.all())
    related.release([row], ("nominal__addresses",))
    assert "addresses" not in getattr(mine, "_prefetched_objects_cache", {})


def test_released_rows_are_freed_without_the_cyclic_collector(world: Any) -> None:
    rows = list(Registration.objects.all())
    related.load(rows, PATHS)
    visit = weakref.ref(rows[0].visits.all()[0])
    address = weakref.ref(next(a for row in rows for a in row.nominal.addresses.all()))
    enabled = gc.isenabled()
    gc.disable()
    try:
        related.release(rows, PATHS)
        del rows
        assert visit() is None  # freed by reference counting alone
        assert address() is None
    finally:
        if enabled:
            gc.enable()


def test_only_foreign_keys_are_loaded(world: Any) -> None:
    from vigil.offenders.models import HomeVisit

    visit = HomeVisit.objects.first()
    with pytest.raises(TypeError, match="only foreign keys"):
        related.load([visit], ("officers",))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timestamp loader")
def test_timestamps_are_read_by_the_c_loader_with_djangos_time_zone(world: Any) -> None:
    from datetime import UTC, datetime

    from psycopg.pq import Format

    from vigil.core import postgres

    connection.ensure_connection()
    if postgres._optimised() is None:
        pytest.skip("psycopg runs without its C build here")
    loader = connection.connection.adapters.get_loader(1184, Format.TEXT)
    assert loader.__name__ == "CTimestamptzLoader"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT '2026-06-01 12:00:00.123456+01'::timestamptz, NULL::timestamptz, "
            "'2026-03-29 01:30:00+00'::timestamptz"
        )
        summer, nothing, change = cursor.fetchone()
    assert summer == datetime(2026, 6, 1, 11, 0, 0, 123456, tzinfo=UTC)
    assert summer.tzinfo is connection.timezone
    assert nothing is None
    assert change == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
