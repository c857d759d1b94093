"""MAPPA level 2 and 3 management (issue 14): a meeting recorded with the actions it agreed,
the next review due by the date it set (the policy's weeks for the level otherwise), each
action an obligation until done, and the RSO's level the meeting's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.offenders import services
from vigil.offenders.models import MappaAction, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch: Any) -> date:
    day = date(2026, 12, 4)
    monkeypatch.setattr(clock, "today", lambda: day)
    return day


def _meeting(world: Any, **kwargs: Any) -> Any:
    registration = Registration.objects.get(nominal=world.nominal)
    return services.mappa_meeting_record(
        actor=world.users["offender_manager"],
        registration=registration,
        level=kwargs.pop("level", 2),
        held_on=kwargs.pop("held_on", date(2026, 12, 1)),
        chair=kwargs.pop("chair", "DI, public protection (synthetic)"),
        **kwargs,
    )


def test_a_meeting_sets_the_next_review_by_the_policys_weeks_for_its_level(
    world: Any, today: date
) -> None:
    meeting = _meeting(world, level=3)
    # "level 3 ... at least every 8 weeks" (rso.mappa_review_weeks): 1 December + 56 days
    assert meeting.next_review_on == date(2027, 1, 26)
    registration = Registration.objects.get(nominal=world.nominal)
    assert registration.mappa_level == 3  # managed at the meeting's level
    assert AuditEvent.objects.filter(event="rso.mappa_level_set").exists()
    due = Obligation.objects.get(rule_id="rso.mappa.meeting", key=str(meeting.pk))
    assert (due.due_date, due.met_date) == (date(2027, 1, 26), None)
    # the next meeting meets it
    later = _meeting(world, level=3, held_on=date(2026, 12, 3), next_review_on=date(2027, 1, 14))
    due.refresh_from_db()
    assert due.met_date == date(2026, 12, 3)
    assert Obligation.objects.get(key=str(later.pk)).due_date == date(2027, 1, 14)


def test_each_action_is_an_obligation_of_its_owner_until_done(world: Any, today: date) -> None:
    meeting = _meeting(
        world,
        actions=[
            {
                "description": "Joint home visit with probation",
                "agency": "Police",
                "owner": world.users["mosovo_supervisor"],
                "due_on": date(2026, 12, 11),
            },
            {
                "description": "Check the school's safeguarding lead has the disclosure",
                "agency": "Children's services",
                "owner": None,
                "due_on": date(2026, 12, 18),
            },
        ],
    )
    police, other = MappaAction.objects.filter(meeting=meeting).order_by("due_on")
    assert Obligation.objects.get(key=str(police.pk)).owner_user == world.users["mosovo_supervisor"]
    # another agency's: the offender manager sees it done
    chased = Obligation.objects.get(key=str(other.pk))
    assert chased.owner_user == world.users["offender_manager"]
    assert chased.label.startswith("MAPPA action (Children's services)")
    services.mappa_action_done(
        actor=world.users["offender_manager"],
        action=other,
        done_on=date(2026, 12, 3),
        outcome="Confirmed with the school (synthetic)",
    )
    chased.refresh_from_db()
    assert chased.met_date == date(2026, 12, 3)
    with pytest.raises(ValidationError) as refused:
        services.mappa_action_done(
            actor=world.users["offender_manager"], action=other, done_on=today, outcome="Again"
        )
    assert "done_on" in refused.value.message_dict


def test_a_meeting_refuses_what_cannot_be_so_naming_the_field(world: Any, today: date) -> None:
    with pytest.raises(ValidationError) as refused:
        _meeting(
            world,
            level=1,
            held_on=date(2026, 12, 5),
            chair=" ",
            next_review_on=date(2026, 11, 1),
            actions=[
                {"description": "Half", "agency": "", "owner": None, "due_on": None},
                {
                    "description": "Before the meeting",
                    "agency": "Police",
                    "owner": world.users["excluded"],
                    "due_on": date(2026, 11, 1),
                },
            ],
        )
    errors = refused.value.message_dict
    assert set(errors) >= {"level", "held_on", "chair", "next_review_on", "description_1", "due_2"}
    # an owner kept out of the record is refused
    limited = Registration.objects.get(nominal=world.limited)
    with pytest.raises(ValidationError) as refused:
        services.mappa_meeting_record(
            actor=world.users["offender_manager"],
            registration=limited,
            level=2,
            held_on=date(2026, 12, 1),
            chair="DI",
            actions=[
                {
                    "description": "Visit",
                    "agency": "Police",
                    "owner": world.users["excluded"],
                    "due_on": date(2026, 12, 8),
                }
            ],
        )
    assert "owner_1" in refused.value.message_dict


def test_a_meeting_recorded_late_does_not_undo_a_later_ones_level(world: Any, today: date) -> None:
    _meeting(world, level=3, held_on=date(2026, 12, 1))
    _meeting(world, level=2, held_on=date(2026, 10, 1))  # an older one, recorded now
    assert Registration.objects.get(nominal=world.nominal).mappa_level == 3
