"""Working days in England and Wales: weekends, the bank holidays from the `holidays` package
(substitute days included), and a force's own closures (DOMAIN.md section 5: "urgent 1
working day, standard 5")."""

from __future__ import annotations

from datetime import date

import pytest

from vigil.core.workdays import (
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)


@pytest.mark.parametrize(
    ("start", "count", "due", "why"),
    [
        (date(2026, 12, 1), 1, date(2026, 12, 2), "Tuesday + 1: Wednesday"),
        (date(2026, 12, 4), 1, date(2026, 12, 7), "Friday + 1: Monday"),
        (date(2026, 12, 5), 1, date(2026, 12, 7), "Saturday + 1: Monday"),
        (date(2026, 12, 4), 5, date(2026, 12, 11), "Friday + 5: the next Friday"),
        # Christmas Day is a Friday; Boxing Day a Saturday, its substitute Monday the 28th
        (date(2026, 12, 24), 1, date(2026, 12, 29), "Christmas Eve + 1: Tuesday 29th"),
        (date(2026, 12, 24), 5, date(2027, 1, 5), "+ 5 over Christmas and New Year's Day"),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March
        (date(2027, 3, 25), 1, date(2027, 3, 30), "Thursday before Easter + 1: Tuesday"),
        # the early May and spring bank holidays are Mondays
        (date(2026, 5, 1), 1, date(2026, 5, 5), "Friday before the May bank holiday + 1"),
        (date(2026, 5, 22), 1, date(2026, 5, 26), "Friday before the spring bank holiday + 1"),
    ],
)
def test_a_deadline_in_working_days(start: date, count: int, due: date, why: str) -> None:
    assert add_working_days(start, count) == due, why


def test_a_forces_own_closure_is_not_a_working_day() -> None:
    closure = date(2026, 12, 2)  # a training day, say
    assert add_working_days(date(2026, 12, 1), 1, closures={closure}) == date(2026, 12, 3)
    assert not is_working_day(closure, {closure})
    assert is_working_day(closure)


def test_the_bank_holidays_are_the_packages_for_england_and_wales() -> None:
    import holidays

    wales = set(holidays.country_holidays("GB", subdiv="WLS", years=2026))
    assert bank_holidays(2026) == wales  # the same days
    assert date(2026, 12, 28) in bank_holidays(2026)  # Boxing Day's substitute
    assert date(2026, 3, 17) not in bank_holidays(2026)  # St Patrick's Day: Northern Ireland's


def test_how_many_working_days_late() -> None:
    assert working_days_between(date(2026, 12, 4), date(2026, 12, 7)) == 1  # Friday to Monday
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 7), date(2026, 12, 7)) == 0
    assert working_days_between(date(2026, 12, 8), date(2026, 12, 7)) == 0


def test_a_deadline_is_at_least_one_working_day() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(date(2026, 12, 1), 0)
