"""Working days in England and Wales, for deadlines an agreement sets in working days (the
probation service level agreement's response times, DOMAIN.md section 5; issue 14).

A working day is a Monday to Friday that is not a bank holiday of England and Wales and not
one of the force's own closures. Bank holidays come from the `holidays` package (the
United Kingdom's, subdivision England, whose bank holidays Wales shares, substitute days
included), never from a hand-kept list.

"Within n working days" of a day counts the working days after it: an urgent exchange (one
working day) raised on a Friday is due on the Monday, one raised on a Saturday is due on the
Monday too, and one raised on Thursday 24 December 2026 is due on Tuesday 29 December
(Christmas Day is a Friday, and Boxing Day's substitute the Monday)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

import holidays

COUNTRY, SUBDIVISION = "GB", "ENG"  # England and Wales share their bank holidays


@lru_cache(maxsize=128)
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in the year, substitute days included."""
    return frozenset(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


def is_working_day(day: date, closures: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year) and day not in closures


def add_working_days(start: date, count: int, closures: Collection[date] = ()) -> date:
    """The `count`th working day after `start` (`start` itself never counts: a deadline of
    n working days from the day something arrived). `count` must be at least 1."""
    if count < 1:
        raise ValueError("a number of working days is at least 1")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            left -= 1
    return day


def working_days_between(start: date, end: date, closures: Collection[date] = ()) -> int:
    """How many working days fall after `start` up to and including `end` (0 when `end` is
    not after `start`): how late an answer was, in the agreement's own unit."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, closures):
            count += 1
    return count
