"""The statute's words, exactly: each date of the Sexual Offences Act 2003 that Vigil keeps,
with the words beside the cases (DOMAIN.md section 3; docs/rso-management.md; ADR 12).

Month ends, 29 February, year ends and custody are in every table."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.core import clock
from vigil.core.dates import last_day_after, last_day_beginning_with
from vigil.obligations.models import Obligation
from vigil.obligations.sync import sync_all
from vigil.offenders import services
from vigil.offenders.models import Disposal, Registration
from vigil.people import services as people
from vigil.policy.pack import load

PACK = load()
TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 28, 12, tzinfo=UTC))


def _register(world: Any, **details: Any) -> Registration:
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Quarrendon", given_names="Ivo")
    fields: dict[str, Any] = {
        "registration_date": date(2025, 11, 30),
        "conviction_date": date(2025, 9, 1),
        "disposal": Disposal.CUSTODY_6_TO_30,
        "risk_level": "medium",
        "in_community_since": date(2025, 11, 30),
        **details,
    }
    return services.registration_create(
        actor=om, nominal=person, team=om.memberships.get().team, offender_manager=om, **fields
    )


def _notify(world: Any, r: Registration, kind: str, made_on: date, **more: Any) -> None:
    services.notification_record(
        actor=world.users["offender_manager"],
        registration=r,
        kind=kind,
        made_on=made_on,
        **more,
    )


def _due(r: Registration, rule_id: str, *, open_only: bool = True) -> list[date]:
    found = Obligation.objects.current().filter(subject_id=r.pk, rule_id=rule_id)
    if open_only:
        found = found.filter(met_date__isnull=True, waived_at__isnull=True)
    return sorted(o.due_date for o in found)


# --- the two ways a statute counts a period --------------------------------------------------


# "within the period of 3 days beginning with" D includes D: its last day is D+2.
@pytest.mark.parametrize(
    ("start", "last"),
    [
        (date(2027, 1, 10), date(2027, 1, 12)),
        (date(2026, 12, 30), date(2027, 1, 1)),  # across a year end
        (date(2028, 2, 27), date(2028, 2, 29)),  # into 29 February
        (date(2027, 2, 28), date(2027, 3, 2)),  # no 29 February
        (date(2026, 1, 31), date(2026, 2, 2)),  # across a month end
    ],
)
def test_three_days_beginning_with(start: date, last: date) -> None:
    assert last_day_beginning_with(start, days=3) == last


# "the period of N months (years) beginning with" D ends the day before the date N months on,
# or at the end of a month that has no such day.
@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (date(2026, 1, 16), 120, date(2036, 1, 15)),  # 10 years
        (date(2027, 12, 1), 3, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2012, 2, 29), 180, date(2027, 2, 28)),  # 15 years from a 29 February
        (date(2026, 12, 31), 12, date(2027, 12, 30)),
        (date(2026, 1, 1), 12, date(2026, 12, 31)),
    ],
)
def test_months_beginning_with(start: date, months: int, last: date) -> None:
    assert last_day_beginning_with(start, months=months) == last


# "within the period of one year after" D does not include D: its last day is D + 1 year.
@pytest.mark.parametrize(
    ("start", "months", "days", "last"),
    [
        (date(2027, 3, 1), 12, 0, date(2028, 3, 1)),
        (date(2028, 2, 29), 12, 0, date(2029, 2, 28)),  # after 29 February, the 28th
        (date(2026, 12, 31), 12, 0, date(2027, 12, 31)),
        (date(2027, 2, 28), 12, 0, date(2028, 2, 28)),  # not 29 February: a calendar year
        (date(2026, 12, 28), 0, 7, date(2027, 1, 4)),  # 7 days after, across the year end
    ],
)
def test_after(start: date, months: int, days: int, last: date) -> None:
    assert last_day_after(start, months=months, days=days) == last


def test_a_period_is_of_days_or_of_months() -> None:
    with pytest.raises(ValueError):
        last_day_beginning_with(date(2026, 1, 1))
    with pytest.raises(ValueError):
        last_day_beginning_with(date(2026, 1, 1), days=3, months=1)


# --- s.82: the notification period --------------------------------------------------------------


# "the notification period ... beginning with the relevant date" (s.82(1)); "where a person
# is under 18 on the relevant date", a fixed period is "one-half" (s.82(2)).
@pytest.mark.parametrize(
    ("disposal", "under_18", "discharge", "last"),
    [
        (Disposal.CUSTODY_30_PLUS, False, None, None),  # indefinite
        (Disposal.HOSPITAL_RESTRICTION, False, None, None),  # indefinite
        (Disposal.HOSPITAL_RESTRICTION, True, None, None),  # indefinite at any age
        (Disposal.CUSTODY_6_TO_30, False, None, date(2036, 1, 15)),  # 10 years
        (Disposal.CUSTODY_6_TO_30, True, None, date(2031, 1, 15)),  # halved: 5 years
        (Disposal.CUSTODY_6_OR_LESS, False, None, date(2033, 1, 15)),  # 7 years
        (Disposal.CUSTODY_6_OR_LESS, True, None, date(2029, 7, 15)),  # halved: 3 years 6 months
        (Disposal.HOSPITAL_ORDER, False, None, date(2033, 1, 15)),  # 7 years
        (Disposal.HOSPITAL_ORDER, True, None, date(2029, 7, 15)),  # halved
        (Disposal.CAUTION, False, None, date(2028, 1, 15)),  # 2 years
        (Disposal.CAUTION, True, None, date(2027, 1, 15)),  # halved: 1 year
        (Disposal.CONDITIONAL_DISCHARGE, False, 18, date(2027, 7, 15)),  # the discharge's length
        (Disposal.CONDITIONAL_DISCHARGE, True, 18, date(2027, 7, 15)),  # not halved
        (Disposal.OTHER, False, None, date(2031, 1, 15)),  # 5 years
    ],
)
def test_the_notification_period_by_disposal(
    disposal: str, under_18: bool, discharge: int | None, last: date | None
) -> None:
    registration = Registration(
        registration_date=date(2026, 1, 16),
        disposal=disposal,
        under_18_at_conviction=under_18,
        discharge_months=discharge,
    )
    assert registration.notification_ends(PACK) == last


def test_a_conditional_discharge_needs_its_length(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _register(world, disposal=Disposal.CONDITIONAL_DISCHARGE)
    assert set(refused.value.message_dict) == {"discharge_months"}
    with pytest.raises(ValidationError) as refused:
        _register(world, disposal=Disposal.CAUTION, discharge_months=12)
    assert set(refused.value.message_dict) == {"discharge_months"}
    r = _register(world, disposal=Disposal.CONDITIONAL_DISCHARGE, discharge_months=24)
    assert r.notification_ends(PACK) == date(2027, 11, 29)


def test_nothing_falls_due_after_a_fixed_period_ends(world: Any) -> None:
    """The requirements end by law on the last day of a fixed period (s.82): an RSO whose
    period ended on 30 June 2024 has no visit, ARMS, RMP, PND or notification due after it,
    only the ending of the registration, due the day after."""
    r = _register(
        world,
        registration_date=date(2022, 7, 1),
        conviction_date=date(2022, 7, 1),
        disposal=Disposal.CAUTION,
        in_community_since=date(2022, 7, 1),
    )
    ends = r.notification_ends(PACK)
    assert ends == date(2024, 6, 30)
    _notify(world, r, "initial", date(2022, 7, 2))
    _notify(world, r, "periodic", date(2023, 6, 30))
    after = Obligation.objects.open().filter(subject_id=r.pk, due_date__gt=ends)
    assert [(o.rule_id, o.due_date) for o in after] == [("rso.register.ends", date(2024, 7, 1))]
    (end,) = after
    assert "ended on 30 Jun 2024" in end.label
    # the yearly notification after 30 June 2023 (due 30 June 2024, the last day) remains
    assert _due(r, "rso.notify.periodic") == [date(2024, 6, 30)]
    services.registration_end(
        actor=world.users["mosovo_supervisor"],
        registration=r,
        ended_on=date(2024, 6, 30),
        reason="The notification period ended",
    )
    assert not Obligation.objects.open().filter(subject_id=r.pk).exists()


# --- s.83: the initial notification -------------------------------------------------------------


# "within the period of 3 days beginning with the relevant date" (s.83(1)); "any time when
# [the offender] is remanded in or committed to custody ..., serving a sentence of
# imprisonment ..., detained in a hospital, or outside the United Kingdom" is disregarded
# (s.83(6)).
@pytest.mark.parametrize(
    ("relevant", "community", "due"),
    [
        (date(2026, 11, 20), date(2026, 11, 20), date(2026, 11, 22)),  # free: D+2
        (date(2025, 12, 30), date(2025, 12, 30), date(2026, 1, 1)),  # across a year end
        (date(2024, 2, 27), date(2024, 2, 27), date(2024, 2, 29)),  # into 29 February
        # convicted 10 January 2020, released 1 June 2024: due 3 June 2024, not "met late
        # by four years"
        (date(2020, 1, 10), date(2024, 6, 1), date(2024, 6, 3)),
    ],
)
def test_the_initial_notification(world: Any, relevant: date, community: date, due: date) -> None:
    r = _register(
        world,
        registration_date=relevant,
        conviction_date=relevant,
        in_community_since=community,
        disposal=Disposal.CUSTODY_30_PLUS,
    )
    assert _due(r, "rso.notify.initial") == [due]


def test_no_initial_notification_falls_due_while_in_custody(world: Any) -> None:
    r = _register(world, in_community_since=None)
    assert _due(r, "rso.notify.initial") == []
    assert r.initial_notification_from() is None


def test_a_release_notified_as_a_change_starts_the_clock(world: Any) -> None:
    """s.84(1)(c): release "from custody pursuant to an order of a court or from
    imprisonment ... or detention in a hospital" is notified within 3 days beginning with it;
    the record then has the person in the community from that day (s.83(6))."""
    r = _register(world, in_community_since=None)
    _notify(
        world, r, "change", date(2026, 11, 27), change_kind="release", changed_on=date(2026, 11, 25)
    )
    r.refresh_from_db()
    assert r.in_community_since == date(2026, 11, 25)
    (change,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.notify.change")
    assert (change.due_date, change.met_date) == (date(2026, 11, 27), date(2026, 11, 27))
    assert _due(r, "rso.notify.initial") == [date(2026, 11, 27)]
    assert _due(r, "rso.arms.initial") == [date(2026, 12, 23)]  # 28 days from the release


# --- s.84: changes ------------------------------------------------------------------------------


# "within the period of 3 days beginning with" the change (s.84(1)).
@pytest.mark.parametrize(
    ("changed", "due"),
    [
        (date(2026, 11, 14), date(2026, 11, 16)),
        (date(2025, 12, 30), date(2026, 1, 1)),
        (date(2024, 2, 28), date(2024, 3, 1)),  # 28, 29 February, 1 March
        (date(2025, 2, 28), date(2025, 3, 2)),
    ],
)
def test_a_change_is_due_on_the_third_day(world: Any, changed: date, due: date) -> None:
    r = _register(world, registration_date=date(2020, 1, 6), conviction_date=date(2020, 1, 6))
    _notify(world, r, "change", TODAY, change_kind="name", changed_on=changed)
    (change,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.notify.change")
    assert change.due_date == due


# --- s.85: periodic notification ----------------------------------------------------------------


# "within the period of one year after" each notification (s.85(1), (5)(b)): a calendar year.
@pytest.mark.parametrize(
    ("last", "due"),
    [
        (date(2026, 3, 1), date(2027, 3, 1)),
        (date(2024, 2, 29), date(2025, 2, 28)),  # after 29 February, the 28th
        (date(2025, 12, 31), date(2026, 12, 31)),
        (date(2026, 11, 28), date(2027, 11, 28)),
    ],
)
def test_a_year_after_each_notification(world: Any, last: date, due: date) -> None:
    r = _register(world, registration_date=date(2020, 1, 6), conviction_date=date(2020, 1, 6))
    _notify(world, r, "initial", date(2020, 1, 7))
    _notify(world, r, "periodic", last)
    assert _due(r, "rso.notify.periodic") == [due]


def test_weekly_only_in_the_weeks_with_no_fixed_abode(world: Any) -> None:
    """With no fixed abode the period is 7 days after each notification; it follows the
    address history as it was on the day of each notification, and a later address change
    does not rewrite a past deadline."""
    om = world.users["offender_manager"]
    r = _register(world, registration_date=date(2025, 1, 6), conviction_date=date(2025, 1, 6))
    people.address_add(
        actor=om, nominal=r.nominal, kind="home", line_1="2 Mill Lane", town="A",
        valid_from=date(2025, 1, 1),
    )  # fmt: skip
    _notify(world, r, "initial", date(2025, 1, 7))
    _notify(
        world, r, "change", date(2026, 10, 2), change_kind="home_address",
        changed_on=date(2026, 10, 1), address_kind="nfa", address_town="A",
    )  # fmt: skip
    _notify(world, r, "periodic", date(2026, 10, 12))  # 3 days late
    _notify(
        world, r, "change", date(2026, 10, 20), change_kind="home_address",
        changed_on=date(2026, 10, 20), address_kind="home", address_line_1="5 Weir St",
        address_town="A",
    )  # fmt: skip
    periodic = {
        o.key: (o.due_date, o.met_date, o.policy_keys)
        for o in Obligation.objects.filter(subject_id=r.pk, rule_id="rso.notify.periodic")
    }
    assert periodic["after:2025-01-07"][:2] == (date(2026, 1, 7), date(2026, 10, 2))
    assert periodic["after:2026-10-02"] == (
        date(2026, 10, 9),
        date(2026, 10, 12),
        ["rso.no_fixed_abode_notification_days"],
    )
    assert periodic["after:2026-10-12"][0] == date(2026, 10, 19)
    assert periodic["after:2026-10-20"] == (
        date(2027, 10, 20),
        None,
        ["rso.periodic_notification_months"],
    )
    # the address history now says 5 Weir Street from 20 October: the past stays as it was
    assert sync_all().changed == 0


# --- s.91B: review of an indefinite requirement ---------------------------------------------------


# "the day after the end of the period of 15 years beginning with the day on which the
# initial notification is given" (8 years if under 18 on the relevant date) (s.91B(2)).
@pytest.mark.parametrize(
    ("initial", "under_18", "eligible"),
    [
        (date(2011, 7, 2), False, date(2026, 7, 2)),
        (date(2012, 2, 29), False, date(2027, 3, 1)),  # period ends 28 Feb 2027
        (date(2018, 12, 31), True, date(2026, 12, 31)),
        (date(2011, 1, 1), False, date(2026, 1, 1)),
    ],
)
def test_eligible_for_review_from_the_initial_notification(
    world: Any, initial: date, under_18: bool, eligible: date
) -> None:
    r = _register(
        world,
        registration_date=initial - timedelta(days=1),
        conviction_date=initial - timedelta(days=1),
        in_community_since=initial - timedelta(days=1),
        disposal=Disposal.CUSTODY_30_PLUS,
        under_18_at_conviction=under_18,
    )
    _notify(world, r, "initial", initial)
    r = Registration.objects.get(pk=r.pk)
    review = r.indefinite_review_eligibility(PACK)
    assert review is not None
    assert review.on == eligible
    assert "initial notification" in review.reason


def test_no_eligibility_date_without_an_initial_notification(world: Any) -> None:
    r = _register(
        world,
        registration_date=date(2005, 3, 1),
        conviction_date=date(2005, 3, 1),
        disposal=Disposal.HOSPITAL_RESTRICTION,
    )
    review = r.indefinite_review_eligibility(PACK)
    assert review is not None
    assert review.on is None
    assert "No initial notification is recorded" in review.reason
    with pytest.raises(ValidationError, match="cannot apply yet"):
        services.indefinite_review_apply(
            actor=world.users["offender_manager"], registration=r, applied_on=TODAY
        )


# --- hours are hours ------------------------------------------------------------------------------


def test_a_breach_is_due_at_a_time(world: Any) -> None:
    """Recorded on ViSOR "within 24 hours of its discovery": due at that minute."""
    r = _register(world)
    identified = datetime(2026, 11, 27, 14, 5, tzinfo=UTC)
    services.breach_record(
        actor=world.users["offender_manager"],
        registration=r,
        identified_at=identified,
        kind="other",
        details="Synthetic",
    )
    (due,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.breach.record")
    assert (due.due_date, due.due_at) == (
        date(2026, 11, 28),
        datetime(2026, 11, 28, 14, 5, tzinfo=UTC),
    )


def test_an_upgrade_re_dates_history_once_asked(world: Any) -> None:
    """Met obligations are history, never re-dated by a sync; `sync_all(history=...)` (the
    upgrade's `vigil sync-obligations --redate-history`) re-dates those of the rules named to
    the corrected reading, keeping the date they were met."""
    r = _register(
        world,
        registration_date=date(2025, 1, 6),
        conviction_date=date(2025, 1, 6),
        in_community_since=date(2025, 1, 6),
    )
    _notify(world, r, "initial", date(2025, 1, 9))  # on the fourth day: late
    (initial,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.notify.initial")
    assert (initial.due_date, initial.met_date) == (date(2025, 1, 8), date(2025, 1, 9))
    Obligation.objects.filter(pk=initial.pk).update(due_date=date(2025, 1, 9))  # the old D+3
    assert sync_all().changed == 0  # history is not re-dated by a sync
    assert sync_all(history=("rso.breach",)).changed == 0  # only the rules named
    assert sync_all(history=("rso.notify",)).changed == 1
    initial.refresh_from_db()
    assert (initial.due_date, initial.met_date) == (date(2025, 1, 8), date(2025, 1, 9))
    assert sync_all(history=("rso.notify",)).changed == 0


def test_a_recall_never_makes_a_past_initial_notification_late(world: Any) -> None:
    """In custody on the relevant date (1 March 2014), released and notified on 2 June 2015,
    recalled, and in the community again since 2023: the record holds only the last release,
    so the first one is unknown and the notification is not shown late (s.83(6))."""
    r = _register(
        world,
        registration_date=date(2014, 3, 1),
        conviction_date=date(2014, 3, 1),
        in_community_since=date(2015, 6, 1),
    )
    _notify(world, r, "initial", date(2015, 6, 2))
    r.refresh_from_db()
    services.registration_update(
        actor=world.users["offender_manager"],
        registration=r,
        expected_version=r.version,
        in_community_since=date(2023, 5, 10),
    )
    sync_all(history=("rso.notify.initial",))  # even when the history is re-dated
    (initial,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.notify.initial")
    assert initial.met_date is not None
    assert initial.met_date <= initial.due_date
