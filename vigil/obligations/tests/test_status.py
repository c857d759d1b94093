"""The status function and its SQL filters: property tests hold the two to each other."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core import clock
from vigil.obligations import status as s
from vigil.obligations.models import Obligation
from vigil.policy.pack import load

PACK = load()


def st_(
    due: date, met: date | None = None, waived: bool = False, today: date = date(2026, 3, 1)
) -> str:
    return s.status_of(due_date=due, met_date=met, waived=waived, today=today, pack=PACK)


@pytest.mark.parametrize(
    ("due", "met", "waived", "today", "expected"),
    [
        (date(2026, 3, 20), None, False, date(2026, 3, 1), s.NOT_YET_DUE),
        (date(2026, 3, 8), None, False, date(2026, 3, 1), s.DUE_SOON),  # 7 days ahead
        (date(2026, 3, 9), None, False, date(2026, 3, 1), s.NOT_YET_DUE),  # 8 days ahead
        (date(2026, 3, 1), None, False, date(2026, 3, 1), s.DUE_SOON),  # due today
        (date(2026, 2, 28), None, False, date(2026, 3, 1), "overdue_1"),  # 1 day, month end
        (date(2026, 2, 22), None, False, date(2026, 3, 1), "overdue_1"),  # 7 days
        (date(2026, 2, 21), None, False, date(2026, 3, 1), "overdue_2"),  # 8 days
        (date(2028, 2, 29), None, False, date(2028, 3, 28), "overdue_2"),  # 28 days, leap day
        (date(2028, 2, 29), None, False, date(2028, 3, 29), "overdue_3"),  # 29 days
        (date(2025, 12, 1), None, False, date(2026, 3, 1), "overdue_3"),  # 90 days
        (date(2025, 11, 30), None, False, date(2026, 3, 1), "overdue_4"),  # 91 days
        (date(2026, 3, 1), date(2026, 2, 28), False, date(2026, 3, 9), s.MET_ON_TIME),  # before
        (date(2026, 3, 1), date(2026, 3, 1), False, date(2026, 3, 9), s.MET_ON_TIME),  # on
        (date(2026, 3, 1), date(2026, 3, 2), False, date(2026, 3, 9), s.MET_LATE),  # after
        (date(2026, 3, 1), None, True, date(2026, 5, 9), s.WAIVED),
    ],
)
def test_status_at_the_edges(due: date, met: Any, waived: bool, today: date, expected: str) -> None:
    assert st_(due, met, waived, today) == expected


def test_a_band_table_from_a_force_policy(tmp_path: Any) -> None:
    path = tmp_path / "force.toml"
    path.write_text("[obligations.overdue_band_upper_days]\nvalue = [14, 30, 60]\n")
    from vigil.policy.pack import DEFAULT_PATH

    force = load(DEFAULT_PATH, path)
    assert (
        s.status_of(
            due_date=date(2026, 3, 1),
            met_date=None,
            waived=False,
            today=date(2026, 3, 15),
            pack=force,
        )
        == "overdue_1"
    )  # 14 days
    assert (
        s.status_of(
            due_date=date(2026, 3, 1),
            met_date=None,
            waived=False,
            today=date(2026, 5, 1),
            pack=force,
        )
        == "overdue_4"
    )  # 61 days
    assert s.overdue_bands(force)[-1].label == "Over 60 days overdue"


def test_band_labels_come_from_the_policy() -> None:
    labels = [b.label for b in s.overdue_bands(PACK)]
    assert labels == [
        "1 to 7 days overdue",
        "8 to 28 days overdue",
        "29 to 90 days overdue",
        "Over 90 days overdue",
    ]


@pytest.mark.parametrize(
    ("instant", "london_date"),
    [
        (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), date(2026, 3, 29)),  # GMT: 00:30
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),  # the night BST starts
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), date(2026, 7, 1)),  # BST: 00:30 next day
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), date(2026, 10, 25)),  # BST ends at 01:00
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),  # still BST
    ],
)
def test_today_is_the_london_date(instant: datetime, london_date: date) -> None:
    with mock.patch("vigil.core.clock.now", return_value=instant):
        assert clock.today() == london_date


def _london(day: date, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


# A deadline in hours is due at a time (a breach on ViSOR within 24 hours): due at 14:05 on
# 1 March, it is overdue from 14:06 that day, the first band; met at 14:05 is on time and at
# 14:06 late; met on 1 March with no time known is on time (the day is all that is known).
@pytest.mark.parametrize(
    ("due_minute", "now", "met", "met_minute", "expected"),
    [
        (845, _london(date(2026, 3, 1), 844), None, None, s.DUE_SOON),
        (845, _london(date(2026, 3, 1), 845), None, None, s.DUE_SOON),  # at the minute
        (845, _london(date(2026, 3, 1), 846), None, None, "overdue_1"),  # a minute past
        (845, _london(date(2026, 3, 2), 600), None, None, "overdue_1"),
        (845, _london(date(2026, 3, 9), 600), None, None, "overdue_2"),  # 8 days
        (845, _london(date(2026, 3, 1), 900), date(2026, 3, 1), 845, s.MET_ON_TIME),
        (845, _london(date(2026, 3, 1), 900), date(2026, 3, 1), 846, s.MET_LATE),
        (845, _london(date(2026, 3, 1), 900), date(2026, 3, 1), None, s.MET_ON_TIME),
        (845, _london(date(2026, 3, 3), 900), date(2026, 3, 2), None, s.MET_LATE),
    ],
)
def test_a_deadline_in_hours(
    due_minute: int, now: datetime, met: Any, met_minute: Any, expected: str
) -> None:
    due = date(2026, 3, 1)
    got = s.status_of(
        due_date=due,
        due_at=_london(due, due_minute),
        met_date=met,
        met_at=None if met_minute is None else _london(met, met_minute),
        waived=False,
        today=timezone.localdate(now),
        now=now,
        pack=PACK,
    )
    assert got == expected


dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
rows = st.lists(
    st.tuples(
        dates,
        st.one_of(st.none(), minutes),  # a due time, for a deadline in hours
        st.one_of(st.none(), dates),
        st.one_of(st.none(), minutes),  # the time it was met, where known
        st.booleans(),
    ),
    min_size=1,
    max_size=25,
)


def _made(
    world: Any, rows: Any, *, waived: list[Any], withdrawn: list[Any] | None = None
) -> list[Obligation]:
    """The property tests' obligations: each row's due date and time and when it was met;
    waived and withdrawn at the moments given, one a row (None: not)."""
    from vigil.policy.services import policy_version_recorded

    om = world.users["offender_manager"]
    team = om.memberships.first().team
    version = policy_version_recorded(PACK)
    return Obligation.objects.bulk_create(
        Obligation(
            force_id=om.force_id,
            subject_type="test.subject",
            subject_id=world.nominal.pk,
            subject_label="x",
            kind="test",
            label="x",
            rule_id="test",
            key=str(i),
            due_date=due,
            due_at=None if due_minute is None else _london(due, due_minute),
            met_date=met,
            met_at=None if met is None or met_minute is None else _london(met, met_minute),
            owner_team=team,
            policy_version=version,
            waived_at=waived[i],
            waiver_rationale="" if waived[i] is None else "r",
            withdrawn_at=None if withdrawn is None else withdrawn[i],
        )
        for i, (due, due_minute, met, met_minute, _) in enumerate(rows)
    )


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows, today=dates, at=minutes)
def test_sql_filters_agree_with_the_status_function(
    world: Any, rows: Any, today: date, at: int
) -> None:
    """For any obligations, dated or timed, and any moment, each status's filter holds
    exactly the obligations the function gives that status."""
    now = _london(today, at)
    made = _made(
        world,
        rows,
        waived=[datetime(2026, 1, 1, tzinfo=UTC) if row[4] else None for row in rows],
    )
    try:
        expected: dict[str, set[Any]] = {}
        for obligation in made:
            expected.setdefault(s.obligation_status(obligation, today, PACK, now), set()).add(
                obligation.pk
            )
        queryset = Obligation.objects.filter(subject_type="test.subject")
        for code, _label in s.statuses(PACK):
            got = set(
                queryset.filter(s.status_q(code, today, PACK, now)).values_list("pk", flat=True)
            )
            assert got == expected.get(code, set()), code
        overdue = {
            pk for code, pks in expected.items() if code.startswith("overdue_") for pk in pks
        }
        assert set(queryset.filter(s.overdue_q(today, now)).values_list("pk", flat=True)) == overdue
    finally:
        Obligation.objects.filter(subject_type="test.subject").delete()


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=rows,
    day=dates,
    withdrawn=st.lists(st.one_of(st.none(), st.tuples(dates, minutes)), max_size=25),
    waived=st.lists(st.one_of(st.none(), st.tuples(dates, minutes)), max_size=25),
)
def test_filters_as_a_day_closed_agree_with_the_status_function_then(
    world: Any,
    rows: Any,
    day: date,
    withdrawn: list[tuple[date, int] | None],
    waived: list[tuple[date, int] | None],
) -> None:
    """For any obligations as the records now tell them (met, waived or withdrawn on any day
    since), each filter of how a past day closed (`overdue_at_q`, its bands by
    `band_days_q`, `due_soon_at_q`) holds exactly the obligations the status function gives
    that status at the end of that day, seeing only what had happened by then."""
    end = s.moment(day)
    made = _made(
        world,
        rows,
        waived=[None if (w := _nth(waived, i)) is None else _london(*w) for i in range(len(rows))],
        withdrawn=[
            None if (gone := _nth(withdrawn, i)) is None else _london(*gone)
            for i in range(len(rows))
        ],
    )
    try:
        expected: dict[str, set[Any]] = {}
        for o in made:
            if o.withdrawn_at is not None and o.withdrawn_at <= end:
                continue  # not in force when the day closed
            met_then = o.met_date is not None and o.met_date <= day
            status = s.status_of(
                due_date=o.due_date,
                due_at=o.due_at,
                met_date=o.met_date if met_then else None,
                met_at=o.met_at if met_then else None,
                waived=o.waived_at is not None and o.waived_at <= end,
                today=day,
                pack=PACK,
            )
            expected.setdefault(status, set()).add(o.pk)
        queryset = Obligation.objects.filter(subject_type="test.subject")

        def held(q: Any) -> set[Any]:
            return set(queryset.filter(q).values_list("pk", flat=True))

        overdue = {
            pk for code, pks in expected.items() if code.startswith("overdue_") for pk in pks
        }
        settled = (s.MET_ON_TIME, s.MET_LATE, s.WAIVED)
        standing = {pk for code, pks in expected.items() if code != s.WAIVED for pk in pks}
        open_ = {pk for code, pks in expected.items() if code not in settled for pk in pks}
        assert held(s.standing_at_q(day)) == standing
        assert held(s.open_at_q(day)) == open_
        assert open_ <= held(s.open_at_rows_q(day))  # the indexes' wider filter holds them
        assert held(s.overdue_at_q(day)) == overdue
        for band in s.overdue_bands(PACK):
            assert held(s.overdue_at_q(day) & s.band_days_q(band, day)) == expected.get(
                band.status, set()
            ), band.status
        assert held(s.due_soon_at_q(day, PACK)) == expected.get(s.DUE_SOON, set())
    finally:
        Obligation.objects.filter(subject_type="test.subject").delete()


def _nth(found: list[Any], i: int) -> Any:
    return found[i] if i < len(found) else None


def test_statuses_cover_every_band() -> None:
    codes = [c for c, _ in s.statuses(PACK)]
    assert codes[:4] == ["overdue_4", "overdue_3", "overdue_2", "overdue_1"]
    assert len(codes) == len(set(codes)) == 9
