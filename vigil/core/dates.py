"""Calendar arithmetic for rules, in one place: the statute's words, each a function.

"N months after D" is the same day N months on; where that month has no such day (31 January
plus one month), it is the last day of that month (the corresponding-date rule):
`add_months`, `add_years`.

Statutes count periods in two ways, and a day separates them:

- "within the period of N days *beginning with* D" includes D, so its last day is D + N - 1:
  3 days beginning with 10 January ends on 12 January (`last_day_beginning_with(days=3)`).
  "N months beginning with D" ends on the day before the date N months on (16 January, 3
  months: 15 April); where the month N on has no day D (30 November plus 3 months), the period
  ends at the end of that month (28 February), the corresponding-date rule applied to the
  month the period runs into.
- "within the period of N *after* D" does not include D, so its last day is D + N: one year
  after 1 March 2027 is 1 March 2028, and after 29 February 2028 it is 28 February 2029
  (`last_day_after`).

ADR 12 records each section's reading.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def last_day_beginning_with(start: date, *, days: int = 0, months: int = 0) -> date:
    """The last day of "the period of N days (or months) beginning with `start`". Give one of
    `days` or `months`, at least 1."""
    if (days > 0) == (months > 0):
        raise ValueError("Give a period of days or of months, of at least one")
    if days:
        return start + timedelta(days=days - 1)
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def last_day_after(start: date, *, days: int = 0, months: int = 0) -> date:
    """The last day of "the period of N days (or months) after `start`"."""
    return add_months(start, months) + timedelta(days=days)
