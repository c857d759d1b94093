"""Calendar arithmetic for rules, in one place.

"N months after D" is the same day N months on; where that month has no such day (31 January
plus one month), it is the last day of that month (the corresponding-date rule). Periods of
bail ("N months beginning with D") build on this in their own domain.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
