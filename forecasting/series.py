"""Snapshots of a count (RSOs on 31 March, referrals in a month) and their annual grid."""

from __future__ import annotations

import csv
import io
import itertools
import math
from dataclasses import dataclass
from datetime import date


class SeriesError(ValueError):
    """Bad input, naming the line (1 is the header) where it was found."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Point:
    on: date
    value: float


MINIMUM_POINTS = 3


def read_csv(text: str) -> list[Point]:
    """Parses `date,value` rows after that header: ISO dates strictly increasing, finite
    non-negative numbers, at least three rows. Raises SeriesError naming the line."""
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise SeriesError(reader.line_num or 1, f"not readable as CSV ({exc})") from None
    if not rows or [c.strip().lower() for c in rows[0]] != ["date", "value"]:
        raise SeriesError(1, 'the first line must be the header "date,value"')
    points: list[Point] = []
    seen: dict[date, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not row or all(not c.strip() for c in row):
            continue  # a blank line (a trailing newline, say)
        if len(row) != 2:
            raise SeriesError(line, f"expected 2 columns (date,value), found {len(row)}")
        raw_date, raw_value = (c.strip() for c in row)
        try:
            on = date.fromisoformat(raw_date)
        except ValueError:
            raise SeriesError(line, f"{raw_date!r} is not a date (YYYY-MM-DD)") from None
        try:
            value = float(raw_value)
        except ValueError:
            raise SeriesError(line, f"{raw_value!r} is not a number") from None
        if not math.isfinite(value):
            raise SeriesError(line, f"{raw_value!r} is not a finite number")
        if value < 0:
            raise SeriesError(line, f"{raw_value} is negative; a count cannot be")
        if on in seen:
            raise SeriesError(line, f"the date {on} repeats line {seen[on]}")
        if points and on < points[-1].on:
            raise SeriesError(line, f"the dates must increase: {on} comes after {points[-1].on}")
        seen[on] = line
        points.append(Point(on, value))
    if len(points) < MINIMUM_POINTS:
        raise SeriesError(
            len(rows), f"at least {MINIMUM_POINTS} rows are needed to forecast, found {len(points)}"
        )
    return points


def anniversary(of: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return of.replace(year=of.year + years)
    except ValueError:
        return of.replace(year=of.year + years, day=28)


def annual(points: list[Point]) -> list[float]:
    """The count at each anniversary of the last snapshot, going back as far as the
    snapshots reach, oldest first: read between two snapshots by a straight line (a missing
    year is the line through its neighbours), never extrapolated past the first."""
    last = points[-1].on
    values: list[float] = []
    k = 0
    while True:
        at = anniversary(last, -k)
        if at < points[0].on:
            break
        values.append(_at(points, at))
        k += 1
    return values[::-1]


def _at(points: list[Point], at: date) -> float:
    for before, after in itertools.pairwise(points):
        if before.on <= at <= after.on:
            span = (after.on - before.on).days
            share = (at - before.on).days / span
            return before.value + share * (after.value - before.value)
    return points[-1].value  # `at` is the last snapshot's date


OBSERVED_WITHIN_DAYS = 45  # a snapshot this close to an anniversary observes that year


def observed(points: list[Point]) -> list[bool]:
    """For each year of `annual(points)`, oldest first: whether a snapshot lies close to
    it (observed) rather than the year being read on a line between two (filled in)."""
    last = points[-1].on
    flags: list[bool] = []
    k = 0
    while (at := anniversary(last, -k)) >= points[0].on:
        flags.append(any(abs((p.on - at).days) <= OBSERVED_WITHIN_DAYS for p in points))
        k += 1
    return flags[::-1]
