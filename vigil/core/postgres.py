"""Reading PostgreSQL's timestamps at C speed (Django ticket #36960).

Django (5.2) reads every `timestamptz` through a loader it derives from psycopg's pure-Python
one, to put its own time zone on the result, so with psycopg's C build installed every
timestamp of every row is still parsed by a regular expression in Python: a fifth of a full
obligation sync and of a worklist's read went there (bench/). `use_c_timestamp_loader` runs
on each new connection and puts in its place a loader that parses with psycopg's C loader
and puts on the same time zone, keeping the `timezone` attribute Django compares before each
cursor (so it does not re-register its own).

psycopg does not let its C loaders be subclassed (psycopg issue 1273) and names the C one
only through `AdaptersMap._get_optimised`, so that is used; where it is missing, or psycopg
runs without its C build, Django's loader stays.
"""

from __future__ import annotations

from typing import Any

try:
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.pq import Format
    from psycopg.types.datetime import TimestamptzLoader
except ImportError:  # pragma: no cover - SQLite-only installs
    psycopg = None  # type: ignore[assignment]


def _optimised() -> Any:
    find = getattr(psycopg.adapters, "_get_optimised", None) if psycopg else None
    found = find(TimestamptzLoader) if find else None
    return found if found not in (None, TimestamptzLoader) else None


def use_c_timestamp_loader(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created`: on a psycopg 3 connection, the C timestamp loader."""
    if connection.vendor != "postgresql" or psycopg is None:
        return
    fast = _optimised()
    raw = connection.connection
    if fast is None or not isinstance(raw, psycopg.Connection):
        return
    oid = psycopg.postgres.types["timestamptz"].oid
    django_loader: Any = raw.adapters.get_loader(oid, Format.TEXT)
    if django_loader is None or not hasattr(django_loader, "timezone"):
        return

    class CTimestamptzLoader(Loader):
        timezone = django_loader.timezone

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._load = fast(oid, context).load

        def load(self, data: Any) -> Any:
            return self._load(data).replace(tzinfo=self.timezone)

    raw.adapters.register_loader(oid, CTimestamptzLoader)
