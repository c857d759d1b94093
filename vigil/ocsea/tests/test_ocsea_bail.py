"""Pre-charge bail as obligations: the expiry decision before each period ends, condition
checks in every period (R6), breaches, extensions by rank and by court, release under
investigation with its reviews."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.audit.models import AuditEvent
from vigil.core.models import Area
from vigil.ocsea import services
from vigil.ocsea.models import Bail, BailExtension, Referral
from vigil.ocsea.services import ConditionDetails, ExtensionDetails
from vigil.ocsea.tests.helpers import NOW, TODAY, freeze, open_work, receive, triage, work
from vigil.policy.pack import load

PACK = load()
ARRESTED = date(2026, 11, 30)  # bail starts 1 December 2026: the first period ends 28 Feb 2027


@pytest.fixture
def referral(world: Any, monkeypatch: Any) -> Referral:
    freeze(monkeypatch, TODAY, NOW)
    referral = receive(world)
    triage(world, referral, "high")
    return referral


def _on(monkeypatch: Any, day: date) -> None:
    freeze(monkeypatch, day, NOW + (day - TODAY))


@pytest.fixture
def bail(world: Any, referral: Referral, monkeypatch: Any) -> Bail:
    _on(monkeypatch, ARRESTED)
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=ARRESTED
    )
    return services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=Area.objects.get(force=referral.force),
        conditions=[
            ConditionDetails(
                kind="no_unsupervised_contact",
                text="No unsupervised contact with any child under 18",
                victims_views="not_applicable",
            )
        ],
    )


def test_bail_starts_the_day_after_arrest_with_its_first_period(bail: Bail) -> None:
    assert bail.start_date == date(2026, 12, 1)
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 2, 28) - timedelta(
        days=PACK["bail.expiry_review_lead_days"]
    )
    assert expiry.policy_keys == ["bail.expiry_review_lead_days", "bail.initial_period_months"]
    (check,) = open_work(bail, "bail.check")
    assert check.due_date == date(2027, 2, 28)
    assert check.person_id == bail.suspect.nominal_id


def test_a_check_in_the_period_meets_it_and_a_breach_raises_an_action(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 10))
    check = services.condition_check_record(
        actor=world.users["investigator"],
        bail=bail,
        checked_on=date(2027, 1, 10),
        method="home_visit",
        result="breach",
        notes="A child was at the address unsupervised",
    )
    (met,) = work(bail, "bail.check")
    assert met.met_date == date(2027, 1, 10)
    (action,) = open_work(bail, "bail.breach")
    assert action.due_date == date(2027, 1, 11)
    services.breach_action_record(
        actor=world.users["investigator"],
        check=check,
        actioned_on=date(2027, 1, 10),
        action="Re-arrested for breach of bail",
    )
    assert not open_work(bail, "bail.breach")


def test_an_extension_by_too_low_a_rank_is_refused(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 2, 10))
    details = ExtensionDetails(
        stage="inspector",
        authorised_on=date(2027, 2, 10),
        authoriser_name="PS Synthetic",
        authoriser_rank="sergeant",
        grounds_to_suspect=True,
        further_time_needed=True,
        diligent_and_expeditious=True,
        bail_necessary_and_proportionate=True,
    )
    with pytest.raises(ValidationError) as raised:
        services.bail_extend(actor=world.users["investigator"], bail=bail, details=details)
    assert raised.value.message_dict == {
        "authoriser_rank": [
            "A sergeant cannot authorise this extension: it needs an inspector or above"
        ]
    }
    assert not BailExtension.objects.exists()


def test_each_extension_condition_is_confirmed(world: Any, bail: Bail, monkeypatch: Any) -> None:
    _on(monkeypatch, date(2027, 2, 10))
    with pytest.raises(ValidationError) as raised:
        services.bail_extend(
            actor=world.users["investigator"],
            bail=bail,
            details=ExtensionDetails(
                stage="superintendent",
                authorised_on=date(2027, 2, 10),
                authoriser_name="Insp Synthetic",
                authoriser_rank="inspector",
            ),
        )
    assert set(raised.value.message_dict) == {
        "stage",
        "authoriser_rank",
        "grounds_to_suspect",
        "further_time_needed",
        "diligent_and_expeditious",
        "bail_necessary_and_proportionate",
    }


def _extend(world: Any, bail: Bail, stage: str, on: date, rank: str) -> BailExtension:
    return services.bail_extend(
        actor=world.users["investigator"],
        bail=bail,
        details=ExtensionDetails(
            stage=stage,
            authorised_on=on,
            authoriser_name="Synthetic Officer",
            authoriser_rank=rank,
            grounds_to_suspect=True,
            further_time_needed=True,
            diligent_and_expeditious=True,
            bail_necessary_and_proportionate=True,
        ),
    )


def test_the_ladder_of_extensions_to_the_court(world: Any, bail: Bail, monkeypatch: Any) -> None:
    _on(monkeypatch, date(2027, 2, 10))
    _extend(world, bail, "inspector", date(2027, 2, 10), "inspector")
    expiries = {o.key: o for o in work(bail, "bail.expiry")}
    assert expiries["initial"].met_date == date(2027, 2, 10)
    # Six months beginning with 1 December 2026 end on 31 May 2027.
    assert expiries["inspector"].due_date == date(2027, 5, 31) - timedelta(days=14)
    checks = {o.key: o for o in work(bail, "bail.check")}
    assert checks["inspector:1"].due_date == date(2027, 5, 31)
    assert checks["initial:1"].met_date is None  # no check in the first period: still owed
    _on(monkeypatch, date(2027, 5, 20))
    _extend(world, bail, "superintendent", date(2027, 5, 20), "chief_superintendent")
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 8, 31) - timedelta(days=14)
    _on(monkeypatch, date(2027, 8, 20))
    application = services.bail_extend(
        actor=world.users["investigator"],
        bail=bail,
        details=ExtensionDetails(
            stage="court", authorised_on=date(2027, 8, 20), court_order_reference="MC/SYN/1"
        ),
    )
    assert application.court_pending
    assert not open_work(bail, "bail.expiry")  # s.47ZJ: the period runs until the court decides
    with pytest.raises(ValidationError):
        _extend(world, bail, "court", date(2027, 8, 21), "inspector")
    _on(monkeypatch, date(2027, 9, 3))
    services.court_decision_record(
        actor=world.users["investigator"],
        extension=application,
        decided_on=date(2027, 9, 3),
        end_date=date(2027, 11, 30),
    )
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.key == f"court:{application.pk}"
    assert expiry.due_date == date(2027, 11, 16)


def test_no_extension_after_the_period_has_ended(world: Any, bail: Bail, monkeypatch: Any) -> None:
    _on(monkeypatch, date(2027, 3, 2))
    with pytest.raises(ValidationError) as raised:
        _extend(world, bail, "inspector", date(2027, 3, 1), "inspector")
    assert "authorised_on" in raised.value.message_dict


def test_release_under_investigation_has_its_own_reviews(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 2, 1))
    services.bail_end(
        actor=world.users["investigator"], bail=bail, ended_on=date(2027, 2, 1), reason="rui"
    )
    assert not open_work(bail)
    rui = Bail.objects.get(suspect=bail.suspect, kind="rui")
    (review,) = open_work(rui)
    assert review.due_date == date(2027, 2, 1) + timedelta(days=PACK["bail.rui_review_days"])
    services.rui_review_record(
        actor=world.users["investigator"],
        bail=rui,
        reviewed_on=date(2027, 2, 1),
        notes="Awaiting digital forensics",
    )
    (review,) = open_work(rui)
    assert review.due_date == date(2027, 3, 1)
    with pytest.raises(ValidationError):
        services.condition_check_record(
            actor=world.users["investigator"],
            bail=rui,
            checked_on=date(2027, 2, 1),
            method="phone",
            result="complied",
        )


def test_bail_needs_an_arrest(world: Any, referral: Referral) -> None:
    with pytest.raises(ValidationError) as raised:
        services.bail_begin(
            actor=world.users["investigator"],
            suspect=referral.suspects.get(),
            kind="bail",
            area=Area.objects.get(force=referral.force),
        )
    assert "kind" in raised.value.message_dict


def test_only_investigators_record_bail(world: Any, bail: Bail) -> None:
    with pytest.raises(PermissionDenied):
        services.condition_check_record(
            actor=world.users["ocsea_triage"],
            bail=bail,
            checked_on=date(2026, 12, 2),
            method="phone",
            result="complied",
        )


def test_a_designated_case_is_extended_first_by_a_superintendent(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    _on(monkeypatch, ARRESTED)
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=ARRESTED
    )
    bail = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=Area.objects.get(force=referral.force),
        designated=True,
    )
    _on(monkeypatch, date(2027, 5, 20))
    with pytest.raises(ValidationError) as raised:
        _extend(world, bail, "inspector", date(2027, 5, 20), "inspector")
    assert "superintendent" in raised.value.message_dict["stage"][0]
    _extend(world, bail, "superintendent", date(2027, 5, 20), "superintendent")
    (expiry,) = open_work(bail, "bail.expiry")
    assert expiry.due_date == date(2027, 8, 31) - timedelta(days=14)


def _to_court(world: Any, bail: Bail, monkeypatch: Any) -> BailExtension:
    _on(monkeypatch, date(2027, 2, 10))
    _extend(world, bail, "inspector", date(2027, 2, 10), "inspector")
    _extend(world, bail, "superintendent", date(2027, 2, 10), "superintendent")
    _on(monkeypatch, date(2027, 8, 20))
    return services.bail_extend(
        actor=world.users["investigator"],
        bail=bail,
        details=ExtensionDetails(
            stage="court", authorised_on=date(2027, 8, 20), court_order_reference="MC/SYN/2"
        ),
    )


def test_a_refusal_by_the_court_calls_for_a_decision_at_once(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    application = _to_court(world, bail, monkeypatch)
    _on(monkeypatch, date(2027, 9, 3))
    services.court_decision_record(
        actor=world.users["investigator"],
        extension=application,
        decided_on=date(2027, 9, 3),
        end_date=None,
    )
    (decision,) = open_work(bail, "bail.expiry.refused")
    assert decision.due_date == date(2027, 9, 3)
    services.bail_end(
        actor=world.users["investigator"], bail=bail, ended_on=date(2027, 9, 3), reason="nfa"
    )
    assert not open_work(bail, "bail.expiry.refused")


def test_each_court_period_keeps_its_own_history(world: Any, bail: Bail, monkeypatch: Any) -> None:
    first = _to_court(world, bail, monkeypatch)
    _on(monkeypatch, date(2027, 9, 3))
    services.court_decision_record(
        actor=world.users["investigator"],
        extension=first,
        decided_on=date(2027, 9, 3),
        end_date=date(2027, 11, 30),
    )
    _on(monkeypatch, date(2027, 11, 10))
    second = services.bail_extend(
        actor=world.users["investigator"],
        bail=bail,
        details=ExtensionDetails(
            stage="court",
            authorised_on=date(2027, 11, 10),
            court_order_reference="MC/SYN/3",
            court_end_date=date(2028, 2, 29),
        ),
    )
    expiries = {o.key: o for o in work(bail, "bail.expiry")}
    assert expiries[f"court:{first.pk}"].due_date == date(2027, 11, 16)
    assert expiries[f"court:{first.pk}"].met_date == date(2027, 11, 10)
    assert expiries[f"court:{second.pk}"].due_date == date(2028, 2, 15)


def test_a_check_that_could_not_be_made_is_no_check(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 10))
    services.condition_check_record(
        actor=world.users["investigator"],
        bail=bail,
        checked_on=date(2027, 1, 10),
        method="phone",
        result="no_contact",
    )
    (check,) = open_work(bail, "bail.check")
    assert check.met_date is None


def test_a_missed_check_stays_owed_after_the_bail_ends(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 2, 10))
    _extend(world, bail, "inspector", date(2027, 2, 10), "inspector")
    _on(monkeypatch, date(2027, 3, 10))
    services.bail_end(
        actor=world.users["investigator"], bail=bail, ended_on=date(2027, 3, 10), reason="charged"
    )
    (missed,) = open_work(bail, "bail.check")
    assert missed.key == "initial:1"  # the first period's, missed: for a supervisor to waive
    assert missed.due_date == date(2027, 2, 28)


def test_a_breach_is_actioned_after_the_bail_ends(world: Any, bail: Bail, monkeypatch: Any) -> None:
    _on(monkeypatch, date(2027, 1, 10))
    check = services.condition_check_record(
        actor=world.users["investigator"],
        bail=bail,
        checked_on=date(2027, 1, 10),
        method="home_visit",
        result="breach",
        notes="Breached curfew",
    )
    services.bail_end(
        actor=world.users["investigator"], bail=bail, ended_on=date(2027, 1, 10), reason="charged"
    )
    services.breach_action_record(
        actor=world.users["investigator"],
        check=check,
        actioned_on=date(2027, 1, 10),
        action="Charged; breach put before the court",
    )
    assert not open_work(bail, "bail.breach")


def test_ending_a_bail_as_charged_records_the_outcome(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    _on(monkeypatch, date(2027, 1, 20))
    services.bail_end(
        actor=world.users["investigator"],
        bail=bail,
        ended_on=date(2027, 1, 20),
        reason="charged",
        note="Charged with three offences",
    )
    suspect = bail.suspect
    suspect.refresh_from_db()
    assert (suspect.outcome, suspect.outcome_on, suspect.outcome_detail) == (
        "charged",
        date(2027, 1, 20),
        "Charged with three offences",
    )


def test_an_outcome_of_charged_already_recorded_stands(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    """Charged on the 15th (recorded then); the bail ended on the 20th: the outcome stays as
    recorded, and no second outcome event is written."""
    _on(monkeypatch, date(2027, 1, 20))
    investigator = world.users["investigator"]
    services.outcome_record(
        actor=investigator,
        suspect=bail.suspect,
        outcome="charged",
        outcome_on=date(2027, 1, 15),
        detail="Charged at the police station",
    )
    services.bail_end(actor=investigator, bail=bail, ended_on=date(2027, 1, 20), reason="charged")
    suspect = bail.suspect
    suspect.refresh_from_db()
    assert (suspect.outcome_on, suspect.outcome_detail) == (
        date(2027, 1, 15),
        "Charged at the police station",
    )
    assert (
        AuditEvent.objects.filter(event="ocsea.outcome_recorded", object_id=str(suspect.pk)).count()
        == 1
    )


def test_another_outcome_recorded_refuses_an_end_as_charged(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    """A suspect recorded as no further action cannot have a bail ended as charged: the two
    would contradict each other, so the outcome is corrected first. Nothing is half-saved."""
    _on(monkeypatch, date(2027, 1, 20))
    investigator = world.users["investigator"]
    services.outcome_record(
        actor=investigator, suspect=bail.suspect, outcome="nfa", outcome_on=date(2027, 1, 15)
    )
    with pytest.raises(ValidationError) as raised:
        services.bail_end(
            actor=investigator, bail=bail, ended_on=date(2027, 1, 20), reason="charged"
        )
    assert raised.value.message_dict == {
        "reason": [
            "TARRANT, Syn's outcome is recorded as no further action (15 Jan 2027): if they "
            "were charged, record that outcome first"
        ]
    }
    bail.refresh_from_db()
    assert bail.ended_on is None
    services.bail_end(actor=investigator, bail=bail, ended_on=date(2027, 1, 20), reason="nfa")
    suspect = bail.suspect
    suspect.refresh_from_db()
    assert suspect.outcome == "nfa"


def test_no_release_under_investigation_while_the_court_has_not_decided(
    world: Any, bail: Bail, monkeypatch: Any
) -> None:
    """An application to the court keeps the period running until the court decides
    (s.47ZJ): leaving the bail before the decision is recorded would leave the clock a later
    bail continues undecided, with no expiry decision ever due."""
    application = _to_court(world, bail, monkeypatch)
    _on(monkeypatch, date(2027, 8, 25))
    with pytest.raises(ValidationError) as refused:
        services.bail_end(
            actor=world.users["investigator"], bail=bail, ended_on=date(2027, 8, 25), reason="rui"
        )
    assert "awaits its decision" in refused.value.message_dict["reason"][0]
    services.court_decision_record(
        actor=world.users["investigator"],
        extension=application,
        decided_on=date(2027, 8, 25),
        end_date=date(2027, 11, 30),
    )
    services.bail_end(
        actor=world.users["investigator"], bail=bail, ended_on=date(2027, 8, 25), reason="rui"
    )


def test_the_dashboard_counts_periods_ending_by_week() -> None:
    """The bail chart's weeks run Monday to Sunday from this week; a period that ended before
    today without a decision is counted apart, one ending today is this week's, one beyond
    the last week is "later", and a release under investigation (no end) is not counted."""
    from datetime import date

    from vigil.ocsea.selectors import BailBoard

    today = date(2026, 12, 2)  # a Wednesday: this week began on Monday 30 November
    ends = [
        date(2026, 12, 1),  # yesterday: ended without a decision
        date(2026, 12, 2),  # today: this week
        date(2026, 12, 6),  # Sunday: still this week
        date(2026, 12, 7),  # Monday: next week
        date(2026, 12, 14),  # the third week: beyond two weeks, so later
        None,  # released under investigation
    ]
    board = BailBoard([(i, end, "First period", False) for i, end in enumerate(ends)], today)
    weeks = board.ending_by_week(2)
    assert [(label, count) for label, _, count in weeks] == [
        ("Ended without a decision", 1),
        ("Week of 30 Nov", 2),
        ("Week of 7 Dec", 1),
        ("Later", 1),
    ]
    assert weeks[1][1] == date(2026, 11, 30)
