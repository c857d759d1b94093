"""The one place Vigil asks what time and what day it is.

Dates that rules set are dates in Europe/London (TIME_ZONE), whatever the server's zone, so
"today" is the London date of the current instant. Tests move time by patching `now`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())


def localdate(instant: datetime) -> date:
    """The London date of an instant."""
    return timezone.localdate(instant)
