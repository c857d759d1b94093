"""Bail after release under investigation (ADR 13): the clock continues from the arrest.

PACE 1984 s.47ZB(4)(a): "a person's bail start date is the day after the day on which the
person was arrested for the relevant offence". Release under investigation (release without
bail) has no statutory clock, but it does not stop this one: a suspect released under
investigation and later bailed for the same offence keeps the bail start date of the arrest,
so the time released counts against the applicable bail period, extensions already granted
after that arrest stand, and a further arrest for the same offence does not restart it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.audit.models import AuditEvent
from vigil.core.models import Area
from vigil.ocsea import selectors, services
from vigil.ocsea.models import Bail, BailExtension, Referral
from vigil.ocsea.rules import bail_periods
from vigil.ocsea.services import ConditionDetails, ExtensionDetails
from vigil.ocsea.tests.helpers import NOW, TODAY, freeze, open_work, receive, triage, work
from vigil.policy.pack import load

PACK = load()
LEAD = timedelta(days=PACK["bail.expiry_review_lead_days"])
ARRESTED = date(2026, 11, 30)  # bail start date 1 December 2026
CURFEW = ConditionDetails(kind="curfew", text="Indoors 20:00 to 07:00", victims_views="sought")


def _on(monkeypatch: Any, day: date) -> None:
    freeze(monkeypatch, day, NOW + (day - TODAY))


@pytest.fixture
def referral(world: Any, monkeypatch: Any) -> Referral:
    freeze(monkeypatch)
    referral = receive(world)
    triage(world, referral, "high")
    _on(monkeypatch, ARRESTED)
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=referral.suspects.get(),
        decision="arrested",
        decided_on=ARRESTED,
    )
    return referral


@pytest.fixture
def rui(world: Any, referral: Referral) -> Bail:
    """Released under investigation on the day of the arrest."""
    return services.bail_begin(
        actor=world.users["investigator"],
        suspect=referral.suspects.get(),
        kind="rui",
        area=Area.objects.get(force=referral.force),
        released_on=ARRESTED,
    )


def _rebail(world: Any, rui: Bail, on: date, **more: Any) -> Bail:
    return services.bail_from_rui(
        actor=world.users["investigator"],
        rui=rui,
        bailed_on=on,
        conditions=[CURFEW],
        **more,
    )


def _extend(world: Any, bail: Bail, stage: str, on: date, rank: str) -> BailExtension:
    return services.bail_extend(
        actor=world.users["investigator"],
        bail=bail,
        details=ExtensionDetails(
            stage=stage,
            authorised_on=on,
            authoriser_name="Synthetic",
            authoriser_rank=rank,
            grounds_to_suspect=True,
            further_time_needed=True,
            diligent_and_expeditious=True,
            bail_necessary_and_proportionate=True,
        ),
    )


def test_the_bail_start_date_stays_the_day_after_the_arrest(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    # s.47ZB(4)(a): "a person's bail start date is the day after the day on which the person
    # was arrested for the relevant offence" -- the arrest on 30 Nov 2026, not the re-arrest
    # or the release on bail on 11 Jan 2027.
    # s.47ZB(1)(b): "the period of 3 months beginning with the person's bail start date":
    # 1 Dec 2026 -> 28 Feb 2027.
    _on(monkeypatch, date(2026, 12, 20))
    services.rui_review_record(
        actor=world.users["investigator"],
        bail=rui,
        reviewed_on=date(2026, 12, 20),
        notes="Devices with the digital forensics unit",
    )
    _on(monkeypatch, date(2027, 1, 11))
    bail = _rebail(world, rui, date(2027, 1, 11), rearrested_on=date(2027, 1, 10))
    assert (bail.kind, bail.arrested_on, bail.start_date) == (
        "bail",
        ARRESTED,
        date(2026, 12, 1),
    )
    assert (bail.rebailed_on, bail.rearrested_on, bail.continues_id) == (
        date(2027, 1, 11),
        date(2027, 1, 10),
        rui.pk,
    )
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 2, 28) - LEAD
    (check,) = open_work(bail, "bail.check")
    assert check.due_date == date(2027, 2, 28)
    # The release ended the day the suspect was bailed; its reviews end with it.
    rui.refresh_from_db()
    assert (rui.ended_on, rui.end_reason) == (date(2027, 1, 11), "bailed")
    assert not open_work(rui)
    assert [o.met_date for o in work(rui, "bail.rui.review")] == [date(2026, 12, 20)]
    assert bail.conditions.get().imposed_on == date(2027, 1, 11)


def test_time_released_under_investigation_counts(world: Any, rui: Bail, monkeypatch: Any) -> None:
    # s.47ZB(1)(b): "the period of 3 months beginning with the person's bail start date" ended
    # on 28 Feb 2027 (bail start date 1 Dec 2026): released under investigation until then, the
    # suspect can no longer be given pre-charge bail for this arrest.
    _on(monkeypatch, date(2027, 3, 1))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        _rebail(world, rui, date(2027, 3, 1))
    (message,) = raised.value.message_dict["bailed_on"]
    assert "ended on 28 Feb 2027" in message
    assert "s.47ZB(4)(a)" in message
    assert AuditEvent.objects.count() == before
    assert Bail.objects.filter(suspect=rui.suspect).count() == 1
    rui.refresh_from_db()
    assert rui.ended_on is None
    assert open_work(rui, "bail.rui.review")
    # The last day of the period is still within it.
    _on(monkeypatch, date(2027, 2, 28))
    bail = _rebail(world, rui, date(2027, 2, 28))
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 2, 28) - LEAD  # overdue at once: decide today


def test_a_designated_case_has_six_months_from_the_arrest(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    # s.47ZB(1)(a): "in an FCA case, HMRC case, NCA case or SFO case, the period of 6 months
    # beginning with the person's bail start date": 1 Dec 2026 -> 31 May 2027.
    _on(monkeypatch, date(2027, 3, 1))
    bail = _rebail(world, rui, date(2027, 3, 1), designated=True)
    assert bail.designated
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 5, 31) - LEAD
    assert expiry.policy_keys == [
        "bail.expiry_review_lead_days",
        "bail.initial_period_months_designated",
    ]


def test_extensions_granted_after_the_arrest_stand(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    # s.47ZD: an inspector extends the applicable bail period (to 6 months from the bail start
    # date); it is the person's period, so it stands when they are bailed again.
    # s.47ZDA(2): the superintendent's extension "ends at the end of the period of 9 months
    # beginning with the person's bail start date": 1 Dec 2026 -> 31 Aug 2027.
    investigator = world.users["investigator"]
    first = services.bail_begin(
        actor=investigator,
        suspect=referral.suspects.get(),
        kind="bail",
        area=Area.objects.get(force=referral.force),
        conditions=[CURFEW],
    )
    _on(monkeypatch, date(2027, 2, 10))
    _extend(world, first, "inspector", date(2027, 2, 10), "inspector")
    _on(monkeypatch, date(2027, 3, 5))
    services.bail_end(actor=investigator, bail=first, ended_on=date(2027, 3, 5), reason="rui")
    rui = Bail.objects.get(suspect=first.suspect, kind="rui")
    _on(monkeypatch, date(2027, 4, 1))
    bail = _rebail(world, rui, date(2027, 4, 1))
    assert bail.start_date == date(2026, 12, 1)
    pack = load()
    assert [(p.stage, p.start, p.end) for p in bail_periods(bail, pack)] == [
        ("initial", date(2026, 12, 1), date(2027, 2, 28)),
        ("inspector", date(2027, 3, 1), date(2027, 5, 31)),
    ]
    # Nothing is owed for the period that ended before this bail began.
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.key == "inspector"
    assert expiry.due_date == date(2027, 5, 31) - LEAD
    (row,) = selectors.bail_dashboard(
        user=investigator, today=date(2027, 4, 1), pack=pack, kind="bail"
    )
    assert (row.bail.pk, row.period_end, row.stage) == (
        bail.pk,
        date(2027, 5, 31),
        "Inspector's extension",
    )
    # The next extension is the superintendent's.
    _on(monkeypatch, date(2027, 5, 20))
    with pytest.raises(ValidationError) as raised:
        _extend(world, bail, "inspector", date(2027, 5, 20), "inspector")
    assert "superintendent" in raised.value.message_dict["stage"][0]
    _extend(world, bail, "superintendent", date(2027, 5, 20), "superintendent")
    assert bail_periods(bail, pack)[-1].end == date(2027, 8, 31)
    # The first bail keeps its own history: its decisions met, the check it missed owed.
    assert not open_work(first, "bail.expiry")
    assert [o.key for o in open_work(first)] == ["initial:1"]


def test_a_designation_on_an_earlier_bail_is_kept(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    investigator = world.users["investigator"]
    first = services.bail_begin(
        actor=investigator,
        suspect=referral.suspects.get(),
        kind="bail",
        area=Area.objects.get(force=referral.force),
        designated=True,
    )
    _on(monkeypatch, date(2027, 1, 5))
    services.bail_end(actor=investigator, bail=first, ended_on=date(2027, 1, 5), reason="rui")
    rui = Bail.objects.get(suspect=first.suspect, kind="rui")
    _on(monkeypatch, date(2027, 4, 1))
    bail = _rebail(world, rui, date(2027, 4, 1))  # within 6 months of 1 Dec 2026
    assert bail.designated


def test_dates_are_checked_and_nothing_is_half_saved(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 11))
    with pytest.raises(ValidationError) as raised:
        services.bail_from_rui(
            actor=world.users["investigator"],
            rui=rui,
            bailed_on=date(2027, 1, 12),
            rearrested_on=date(2026, 11, 1),
            conditions=[ConditionDetails(kind="", text="", victims_views="")],
        )
    assert set(raised.value.message_dict) == {
        "bailed_on",
        "rearrested_on",
        "condition_0_kind",
        "condition_0_text",
        "condition_0_victims_views",
    }
    assert raised.value.message_dict["bailed_on"] == [
        "The date of release on bail must be today or in the past"
    ]
    with pytest.raises(ValidationError) as raised:
        services.bail_from_rui(
            actor=world.users["investigator"],
            rui=rui,
            bailed_on=date(2027, 1, 10),
            rearrested_on=date(2027, 1, 11),
        )
    assert raised.value.message_dict == {
        "rearrested_on": ["The arrest must be on or before the day of release on bail"]
    }
    assert Bail.objects.filter(suspect=rui.suspect).count() == 1


def test_only_an_open_release_under_investigation_is_bailed_from(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 11))
    bail = _rebail(world, rui, date(2027, 1, 11))
    with pytest.raises(ValidationError, match="only a suspect released under investigation"):
        _rebail(world, bail, date(2027, 1, 11))
    with pytest.raises(ValidationError, match="ended on 11 Jan 2027"):
        _rebail(world, rui, date(2027, 1, 11))


def test_ending_a_release_as_bailed_points_to_the_bail_from_it(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 11))
    with pytest.raises(ValidationError) as raised:
        services.bail_end(
            actor=world.users["investigator"], bail=rui, ended_on=date(2027, 1, 11), reason="bailed"
        )
    assert "Bail from release under investigation" in raised.value.message_dict["reason"][0]


def test_the_bails_work_starts_the_day_it_was_given(
    world: Any, rui: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 11))
    bail = _rebail(world, rui, date(2027, 1, 11))
    investigator = world.users["investigator"]
    with pytest.raises(ValidationError) as raised:
        services.condition_check_record(
            actor=investigator,
            bail=bail,
            checked_on=date(2027, 1, 10),
            method="phone",
            result="complied",
        )
    assert raised.value.message_dict == {
        "checked_on": ["The date of the check must be on or after 11 Jan 2027"]
    }
    services.condition_check_record(
        actor=investigator,
        bail=bail,
        checked_on=date(2027, 1, 11),
        method="phone",
        result="complied",
    )
    assert not open_work(bail, "bail.check")
    with pytest.raises(ValidationError) as raised:
        services.bail_end(actor=investigator, bail=bail, ended_on=date(2027, 1, 10), reason="nfa")
    assert "ended_on" in raised.value.message_dict
