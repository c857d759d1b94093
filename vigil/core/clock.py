"""The one place Vigil asks what time and what day it is.

Dates that rules set are dates in Europe/London (TIME_ZONE), whatever the server's zone, so
"today" is the London date of the current instant. Tests move time by patching `now`; code
that writes history through the services (the demo) stops the clock with `frozen`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_stopped: ContextVar[list[datetime] | None] = ContextVar("vigil_clock_stopped", default=None)


def now() -> datetime:
    stopped = _stopped.get()
    return stopped[0] if stopped is not None else timezone.now()


@contextmanager
def frozen(at: datetime) -> Iterator[Callable[[datetime], None]]:
    """The clock stopped at `at` until the block ends (in this thread or task only): `now`
    and `today` answer from it, and calling what it yields moves it to another instant."""
    stopped = [at]
    token = _stopped.set(stopped)

    def move(instant: datetime) -> None:
        stopped[0] = instant

    try:
        yield move
    finally:
        _stopped.reset(token)


def today() -> date:
    return timezone.localdate(now())


def localdate(instant: datetime) -> date:
    """The London date of an instant."""
    return timezone.localdate(instant)
