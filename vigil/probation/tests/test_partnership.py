"""The probation partnership (R17; issue 14): the agreement as data, exchanges raised and
answered by either side on one working-day clock, a late answer escalated, each side seeing
only what it should, and the joint review's figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Team, TeamKind
from vigil.obligations.models import Escalation, Obligation
from vigil.obligations.services import daily_run
from vigil.probation import selectors, services
from vigil.probation.models import Direction, Exchange
from vigil.probation.tests.helpers import agreement

pytestmark = pytest.mark.django_db


def on(monkeypatch: Any, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def raise_(world: Any, persona: str = "offender_manager", **kwargs: Any) -> Exchange:
    return services.exchange_raise(
        actor=world.users[persona],
        kind=kwargs.pop("kind", "information_request"),
        priority=kwargs.pop("priority", "standard"),
        register_reference=kwargs.pop("register_reference", "SYN-QUENBY"),
        summary=kwargs.pop("summary", "Current address and work (synthetic)"),
        detail=kwargs.pop("detail", "What do you hold? (synthetic)"),
    )


# --- the agreement --------------------------------------------------------------------------


def test_the_agreement_takes_the_policys_terms_unless_given_its_own(world: Any) -> None:
    head = world.users["head_of_pp"]
    teams = Team.objects.filter(force_id=head.force_id)
    made = services.agreement_save(
        actor=head,
        name="Alpha and Alpha PDU",
        probation_party="Alpha probation delivery unit",
        probation_team=teams.get(kind=TeamKind.PROBATION_PARTNER),
        police_team=teams.get(kind=TeamKind.HEADQUARTERS),
        starts_on=date(2026, 1, 5),
    )
    # DOMAIN.md section 5: "urgent 1 working day, standard 5 working days"; quarterly review
    assert (made.urgent_working_days, made.standard_working_days, made.review_months) == (1, 5, 3)
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            actor=head,
            name="Alpha and Alpha PDU",
            probation_party="Alpha PDU",
            probation_team=teams.get(kind=TeamKind.MOSOVO),
            police_team=teams.get(kind=TeamKind.HEADQUARTERS),
            starts_on=date(2026, 1, 5),
            urgent_working_days=6,
            standard_working_days=5,
            review_months=13,
        )
    errors = refused.value.message_dict
    assert errors["probation_team"] == ["Choose the force's probation partnership team"]
    assert errors["urgent_working_days"] == [
        "An urgent answer cannot have longer than a standard one"
    ]
    assert errors["review_months"] == ["Enter a number of months from 1 to 12"]
    services.agreement_save(
        actor=head,
        name="Alpha and Alpha PDU",
        probation_party="Alpha probation delivery unit",
        probation_team=teams.get(kind=TeamKind.PROBATION_PARTNER),
        police_team=teams.get(kind=TeamKind.HEADQUARTERS),
        starts_on=date(2026, 1, 5),
        standard_working_days=3,
        closures=[date(2026, 12, 7)],
    )
    changed = AuditEvent.objects.get(event="probation.agreement_changed")
    assert set(changed.changes) == {"standard_working_days", "closures"}
    with pytest.raises(PermissionDenied):
        services.agreement_save(
            actor=world.users["offender_manager"],
            name="x",
            probation_party="x",
            probation_team=teams.get(kind=TeamKind.PROBATION_PARTNER),
            police_team=teams.get(kind=TeamKind.HEADQUARTERS),
            starts_on=date(2026, 1, 5),
        )


# --- the clock ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "priority", "due", "why"),
    [
        # "urgent 1 working day": a Friday's is due on Monday
        (date(2026, 12, 4), "urgent", date(2026, 12, 7), "Friday: the next working day"),
        (date(2026, 12, 5), "urgent", date(2026, 12, 7), "Saturday: Monday"),
        # Christmas Day and Boxing Day (a Saturday: its substitute is Monday 28th)
        (date(2026, 12, 24), "urgent", date(2026, 12, 29), "Christmas Eve: Tuesday 29th"),
        # "standard 5 working days"
        (date(2026, 11, 30), "standard", date(2026, 12, 7), "Monday: the next Monday"),
    ],
)
def test_an_exchange_is_due_by_the_agreements_working_days(
    world: Any, monkeypatch: Any, raised: date, priority: str, due: date, why: str
) -> None:
    agreement(world)
    on(monkeypatch, raised)
    made = raise_(world, priority=priority)
    assert made.due_on == due, why


def test_the_parties_closures_are_not_working_days(world: Any, monkeypatch: Any) -> None:
    found = agreement(world)
    found.closures = ["2026-12-07"]
    found.save()
    on(monkeypatch, date(2026, 12, 4))
    assert raise_(world, priority="urgent").due_on == date(2026, 12, 8)


# --- both ways -----------------------------------------------------------------------------------


def test_the_police_raise_and_probation_answer_on_one_clock(world: Any, monkeypatch: Any) -> None:
    found = agreement(world)
    on(monkeypatch, date(2026, 11, 30))
    made = raise_(world, priority="urgent")
    assert made.direction == Direction.TO_PROBATION
    assert made.shared_as == "QUENBY, Adrian (SYN-QUENBY)"
    duty = Obligation.objects.get(rule_id="probation.response", key=str(made.pk))
    # probation's to answer; the record's MOSOVO team oversees it and chases it
    assert duty.owner_team_id == found.probation_team_id
    assert duty.oversight_team_id == made.registration.team_id
    assert duty.due_date == made.due_on == date(2026, 12, 1)

    partner = world.users["probation_partner"]
    inbox = selectors.exchanges_for(user=partner, agreement=found, box="inbox")
    assert list(inbox) == [made]
    assert not selectors.exchanges_for(
        user=world.users["offender_manager"], agreement=found, box="inbox"
    ).exists()
    with pytest.raises(ValidationError) as refused:  # the police do not answer their own
        services.exchange_answer(actor=world.users["offender_manager"], exchange=made, answer="x")
    assert refused.value.message_dict["answer"] == [
        "This exchange is for probation to answer, not you"
    ]
    on(monkeypatch, date(2026, 12, 3))  # two days late
    services.exchange_answer(actor=partner, exchange=made, answer="Living at home (synthetic)")
    duty.refresh_from_db()
    assert duty.met_date == date(2026, 12, 3)
    made.refresh_from_db()
    clock_ = selectors.clocks([made], found, date(2026, 12, 3))[made.pk]
    assert clock_.status == "met_late"
    with pytest.raises(ConflictError):
        services.exchange_answer(actor=partner, exchange=made, answer="Again")


def test_probation_raises_by_the_register_reference_and_the_officer_answers(
    world: Any, monkeypatch: Any
) -> None:
    agreement(world)
    on(monkeypatch, date(2026, 11, 30))
    partner = world.users["probation_partner"]
    with pytest.raises(ValidationError) as refused:
        raise_(world, "probation_partner", register_reference="SYN-NOBODY")
    assert refused.value.message_dict["register_reference"] == [
        "Enter the register reference of an RSO of the force"
    ]
    made = raise_(world, "probation_partner", register_reference=" syn-quenby ", kind="concern")
    assert made.direction == Direction.TO_POLICE
    duty = Obligation.objects.get(rule_id="probation.response", key=str(made.pk))
    assert duty.owner_user == world.users["offender_manager"]  # the record's manager
    assert list(
        selectors.exchanges_for(
            user=world.users["offender_manager"], agreement=made.agreement, box="inbox"
        )
    ) == [made]
    assert list(selectors.exchanges_for(user=partner, agreement=made.agreement, box="outbox")) == [
        made
    ]
    services.exchange_answer(actor=world.users["offender_manager"], exchange=made, answer="Seen")
    assert AuditEvent.objects.filter(
        event="probation.exchange_answered", person_id=world.nominal.pk
    ).exists()


def test_an_officer_kept_out_of_a_record_does_not_see_its_exchanges(
    world: Any, monkeypatch: Any
) -> None:
    from vigil.probation.tests.helpers import exchange

    found = exchange(world, world.limited)
    assert not Exchange.objects.visible_to(world.users["excluded"]).filter(pk=found.pk).exists()
    assert (
        Exchange.objects.visible_to(world.users["probation_partner"]).filter(pk=found.pk).exists()
    )
    assert not Exchange.objects.visible_to(world.users["other_force"]).exists()
    assert not Exchange.objects.visible_to(world.users["pcc_assurance"]).exists()


def test_a_late_answer_climbs_the_ladder_both_sides_see(world: Any, monkeypatch: Any) -> None:
    found = agreement(world)
    on(monkeypatch, date(2026, 11, 30))
    made = raise_(world, priority="urgent")  # due Tue 1 December
    daily_run(today=date(2026, 12, 2))  # a day late: to the DS / SPO
    daily_run(today=date(2026, 12, 7))  # six days late: to the head of unit
    rungs = set(
        Escalation.objects.filter(obligation__key=str(made.pk)).values_list("rung", flat=True)
    )
    assert rungs == {"supervisor", "head_of_unit"}
    clock_ = selectors.clocks([made], found, date(2026, 12, 7))[made.pk]
    assert clock_.rung == "head_of_unit"
    assert clock_.rung_title == "Head of the probation delivery unit"
    figures = selectors.partnership_figures(
        agreement=found, start=date(2026, 11, 1), end=date(2026, 12, 7), today=date(2026, 12, 7)
    )
    assert figures["for_the_board"] == 1
    assert figures["directions"]["to_probation"]["open_overdue"] == 1


def test_a_joint_review_keeps_its_periods_figures_and_its_actions(
    world: Any, monkeypatch: Any
) -> None:
    found = agreement(world)
    on(monkeypatch, date(2026, 11, 2))
    raise_(world, priority="standard")
    raise_(world, "probation_partner", kind="referral")
    on(monkeypatch, date(2026, 12, 4))
    review = services.review_record(
        actor=world.users["head_of_pp"],
        agreement=found,
        held_on=date(2026, 12, 3),
        period_from=date(2026, 9, 1),
        period_to=date(2026, 11, 30),
        attendees="DI (police), head of PDU (probation)",
        actions=[
            {
                "action": "Share the MAPPA list weekly",
                "owner": "Head of PDU",
                "due_on": date(2027, 1, 8),
            },
            {"action": "", "owner": "", "due_on": None},
        ],
    )
    ways = review.figures["directions"]
    assert (ways["to_probation"]["raised"], ways["to_police"]["raised"]) == (1, 1)
    assert review.figures["themes"] == {"Information request": 1, "Referral": 1}
    assert review.actions == [
        {"action": "Share the MAPPA list weekly", "owner": "Head of PDU", "due_on": "2027-01-08"}
    ]
    # the next review is due the agreement's months after this one
    due = Obligation.objects.get(rule_id="probation.review", met_date__isnull=True)
    assert due.due_date == date(2027, 3, 3)
    with pytest.raises(ValidationError) as refused:
        services.review_record(
            actor=world.users["head_of_pp"],
            agreement=found,
            held_on=date(2026, 12, 3),
            period_from=date(2026, 9, 1),
            period_to=date(2026, 11, 30),
            attendees="x",
            actions=[{"action": "Half an action", "owner": "", "due_on": None}],
        )
    assert "action_1" in refused.value.message_dict


def test_no_exchange_names_a_person_one_side_is_kept_out_of(world: Any, monkeypatch: Any) -> None:
    from vigil.people import services as people
    from vigil.people.models import Nominal

    agreement(world)
    people.nominal_set_limited_access(
        actor=world.users["mosovo_supervisor"],
        nominal=world.limited,
        limited=True,
        reason="test",
        restricted_to=[world.users["offender_manager"], world.users["mosovo_supervisor"]],
        expected_version=Nominal.objects.get(pk=world.limited.pk).version,
    )
    # the partner: answered as for a reference the force does not hold
    with pytest.raises(ValidationError) as refused:
        raise_(world, "probation_partner", register_reference="SYN-VARLOWICK")
    assert refused.value.message_dict["register_reference"] == [
        "Enter the register reference of an RSO of the force"
    ]
    # the police: refused, since no partner could see or answer it
    with pytest.raises(ValidationError) as refused:
        raise_(world, register_reference="SYN-VARLOWICK")
    assert "keeps the probation partners out" in refused.value.message_dict["register_reference"][0]
