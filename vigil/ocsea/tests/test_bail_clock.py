"""The bail clock's arithmetic (PACE 1984 ss.47ZB-47ZG): "the period of N months beginning
with D", at month ends and over leap years, and the periods an extension adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.core.dates import add_months
from vigil.ocsea import bail as clock
from vigil.policy.pack import load

PACK = load()


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 1, 16), 3, date(2026, 4, 15)),  # DOMAIN.md's example
        (date(2027, 12, 1), 3, date(2028, 2, 29)),  # into a leap February
        (date(2026, 12, 1), 3, date(2027, 2, 28)),  # an ordinary February
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # no 30 February: the month's end
        (date(2027, 11, 29), 3, date(2028, 2, 28)),  # 29 February exists in 2028
        (date(2026, 11, 29), 3, date(2027, 2, 28)),  # no 29 February in 2027: month's end
        (date(2026, 11, 28), 3, date(2027, 2, 27)),
        (date(2026, 10, 31), 3, date(2027, 1, 30)),
        (date(2026, 12, 31), 6, date(2027, 6, 30)),  # no 31 June: the month's end
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 1), 9, date(2026, 9, 30)),
        (date(2026, 5, 31), 9, date(2027, 2, 28)),
        (date(2028, 2, 29), 3, date(2028, 5, 28)),  # from a leap day
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # a year on has no 29 February
    ],
)
def test_period_end(start: date, months: int, end: date) -> None:
    assert clock.period_end(start, months) == end


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 24))
def test_period_end_is_the_day_before_the_corresponding_date_or_the_months_end(
    start: date, months: int
) -> None:
    end = clock.period_end(start, months)
    on = add_months(start, months)
    if on.day == start.day:
        assert (on - end).days == 1
    else:  # the month N on is too short: the period runs to its end
        assert end == on
    assert end > start


def test_bail_starts_the_day_after_arrest() -> None:
    assert clock.bail_start(date(2028, 2, 28)) == date(2028, 2, 29)
    assert clock.bail_start(date(2026, 12, 31)) == date(2027, 1, 1)


@dataclass
class Ext:
    stage: str
    authorised_on: date
    court_end_date: date | None = None
    court_refused: bool = False
    created_at: int = 0


def test_periods_follow_each_extension() -> None:
    start = date(2026, 1, 16)
    periods = clock.periods(
        start,
        False,
        [
            Ext("inspector", date(2026, 4, 1)),
            Ext("superintendent", date(2026, 7, 1)),
            Ext("court", date(2026, 10, 1), court_end_date=date(2027, 1, 15)),
        ],
        PACK,
    )
    assert [(p.stage, p.start, p.end) for p in periods] == [
        ("initial", date(2026, 1, 16), date(2026, 4, 15)),
        ("inspector", date(2026, 4, 16), date(2026, 7, 15)),
        ("superintendent", date(2026, 7, 16), date(2026, 10, 15)),
        ("court", date(2026, 10, 16), date(2027, 1, 15)),
    ]
    assert periods[0].policy_keys == ("bail.initial_period_months",)
    assert periods[1].policy_keys == ("bail.inspector_extension_months",)
    assert periods[3].policy_keys == ()


def test_a_designated_case_starts_with_six_months() -> None:
    (period,) = clock.periods(date(2026, 1, 16), True, [], PACK)
    assert period.end == date(2026, 7, 15)
    assert period.policy_keys == ("bail.initial_period_months_designated",)


def test_a_pending_court_application_keeps_the_period_running() -> None:
    periods = clock.periods(
        date(2026, 1, 16),
        False,
        [
            Ext("inspector", date(2026, 4, 1)),
            Ext("superintendent", date(2026, 7, 1)),
            Ext("court", date(2026, 10, 1)),
        ],
        PACK,
    )
    assert periods[-1].stage == "court"
    assert periods[-1].end is None


def test_a_refused_court_application_lengthens_nothing() -> None:
    periods = clock.periods(
        date(2026, 1, 16),
        False,
        [
            Ext("inspector", date(2026, 4, 1)),
            Ext("superintendent", date(2026, 7, 1)),
            Ext("court", date(2026, 10, 1), court_refused=True),
        ],
        PACK,
    )
    assert periods[-1].stage == "superintendent"


@pytest.mark.parametrize(
    ("rank", "stage", "allowed"),
    [
        ("sergeant", "inspector", False),
        ("inspector", "inspector", True),
        ("chief_inspector", "inspector", True),
        ("chief_inspector", "superintendent", False),
        ("superintendent", "superintendent", True),
        ("chief_constable", "superintendent", True),
        ("chief_constable", "court", False),
        ("", "inspector", False),
    ],
)
def test_rank_needed_for_each_extension(rank: str, stage: str, allowed: bool) -> None:
    assert clock.rank_allows(rank, stage) is allowed


def test_the_next_stage() -> None:
    assert clock.next_stage("initial") == "inspector"
    assert clock.next_stage("inspector") == "superintendent"
    assert clock.next_stage("superintendent") == "court"
    assert clock.next_stage("court") == "court"
