"""Wellbeing (R16): screening every year for OCSEA and MOSOVO staff, trauma-informed training
for supervisors; health information kept to the minimum and seen only by the wellbeing
lead; everyone else sees team counts, not shown for fewer than five people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.models import Area, Team, TeamKind
from vigil.obligations.models import Obligation
from vigil.obligations.sync import sync
from vigil.workforce import services
from vigil.workforce.models import FollowUp, Grade, StaffRecord


@pytest.fixture
def wellbeing_team(world: Any) -> Any:
    lead = world.users["wellbeing_lead"]
    team = team_create(
        actor=None,
        area=Area.objects.filter(force=lead.force).first(),
        name="Wellbeing",
        kind=TeamKind.WELLBEING,
    )
    return team


def _staff(user: Any, started: date) -> StaffRecord:
    record = StaffRecord.objects.create(
        force_id=user.force_id,
        user=user,
        grade=Grade.PC,
        contracted_hours=Decimal(40),
        started_in_role=started,
    )
    sync(record)
    return record


def test_screening_is_due_a_year_after_starting_and_after_each_screening(
    world: Any, wellbeing_team: Any
) -> None:
    """ "At least every 12 months" (DOMAIN.md section 4): 12 calendar months after the role
    began, then after each screening; owned by the wellbeing team, shown to the person."""
    om = world.users["offender_manager"]
    record = _staff(om, date(2025, 3, 31))
    due = Obligation.objects.open().get(subject_id=record.pk, rule_id="workforce.screening")
    assert due.due_date == date(2026, 3, 31)
    assert due.owner_team_id == wellbeing_team.pk
    assert due.owner_user_id == om.pk
    services.screening_record(
        actor=world.users["wellbeing_lead"],
        person=om,
        screened_on=date(2026, 2, 28),
        follow_up=FollowUp.OFFERED_TAKEN_UP,
    )
    due.refresh_from_db()
    assert due.met_date == date(2026, 2, 28)
    following = Obligation.objects.open().get(subject_id=record.pk, rule_id="workforce.screening")
    assert following.due_date == date(2027, 2, 28)
    # the log names the person and the date, never the follow-up
    event = AuditEvent.objects.get(event="workforce.screening_recorded")
    assert "taken_up" not in str(event.changes) + str(event.detail)


def test_supervisors_are_due_trauma_informed_training(world: Any, wellbeing_team: Any) -> None:
    sup = world.users["mosovo_supervisor"]
    record = _staff(sup, date(2025, 6, 1))
    assert Obligation.objects.open().filter(subject_id=record.pk, rule_id="workforce.training")
    om_record = _staff(world.users["offender_manager"], date(2025, 6, 1))
    assert not Obligation.objects.filter(subject_id=om_record.pk, rule_id="workforce.training")


def test_bad_input_names_the_field(world: Any, wellbeing_team: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.screening_record(
            actor=world.users["wellbeing_lead"],
            person=world.users["head_of_pp"],  # headquarters: not screened here
            screened_on=date(2099, 1, 1),
            follow_up="result: fine",
        )
    assert set(refused.value.message_dict) == {"person", "screened_on", "follow_up"}
    with pytest.raises(ValidationError) as not_supervisor:
        services.training_record(
            actor=world.users["wellbeing_lead"],
            person=world.users["offender_manager"],
            completed_on=clock.today(),
        )
    assert "supervisor" in not_supervisor.value.message_dict["person"][0]


def test_only_the_wellbeing_lead_sees_individuals(world: Any, wellbeing_team: Any) -> None:
    om = world.users["offender_manager"]
    _staff(om, date(2025, 3, 31))
    lead = Client()
    lead.force_login(world.users["wellbeing_lead"])
    page = lead.get(reverse("workforce:wellbeing")).content.decode()
    assert str(om) in page
    supervisor = Client()
    supervisor.force_login(world.users["mosovo_supervisor"])
    counts = supervisor.get(reverse("workforce:wellbeing"))
    assert "Not shown" in counts.content.decode()  # the team has fewer than five people
    assert not counts.context["rows"]
    # nor does anyone else's work list the person's screening, the head of unit's whole
    # force included; the person sees their own
    for persona in ("mosovo_supervisor", "head_of_pp"):
        other = Client()
        other.force_login(world.users[persona])
        work = other.get(
            reverse("obligations:team-worklist"), {"team": "", "kind": "workforce.wellbeing"}
        )
        assert not list(work.context["page"]), persona
    assert "due 31 Mar 2026" in page  # the lead sees when each person is due
    mine = Obligation.objects.visible_to(om).filter(rule_id="workforce.screening")
    assert [o.owner_user_id for o in mine] == [om.pk]


def test_a_team_of_five_shows_its_counts(world: Any, wellbeing_team: Any) -> None:
    team = world.users["offender_manager"].memberships.get().team
    role = Role.objects.get(pk="offender_manager")
    for n in range(4):
        extra = user_create(
            actor=None, username=f"om.extra{n}", password="x" * 20, force=team.force
        )
        membership_add(actor=None, user=extra, team=team, role=role)
    services.screening_record(
        actor=world.users["wellbeing_lead"],
        person=world.users["offender_manager"],
        screened_on=clock.today(),
        follow_up=FollowUp.NOT_NEEDED,
    )
    supervisor = Client()
    supervisor.force_login(world.users["mosovo_supervisor"])

    def count() -> Any:
        page = supervisor.get(reverse("workforce:wellbeing"))
        return next(c for c in page.context["counts"] if c.team == team)

    assert count().screened is None  # one screened: it could name them
    for m in team.memberships.select_related("user"):
        services.screening_record(
            actor=world.users["wellbeing_lead"],
            person=m.user,
            screened_on=clock.today(),
            follow_up=FollowUp.NOT_NEEDED,
        )
    shown = count()
    assert shown.people >= 5
    assert shown.screened == shown.people


def test_screening_follows_the_persons_teams_and_whether_they_work(
    world: Any, wellbeing_team: Any
) -> None:
    """A leaver's screening is no longer due; someone who joins an OCSEA team becomes due;
    a wellbeing team created later takes on the work."""
    om = world.users["offender_manager"]
    record = _staff(om, date(2025, 3, 31))
    assert Obligation.objects.open().filter(subject_id=record.pk, rule_id="workforce.screening")
    om.is_active = False
    om.save()
    assert not Obligation.objects.open().filter(subject_id=record.pk)
    om.is_active = True  # back, saved by naming the field
    om.save(update_fields=["is_active"])
    assert Obligation.objects.open().filter(subject_id=record.pk, rule_id="workforce.screening")
    with mock.patch("vigil.workforce.signals.sync") as synced:
        Client().force_login(om)  # a sign-in saves the time of it, and nothing the rules read
    assert not synced.called
    om.is_active = False
    om.save()
    head = world.users["head_of_pp"]  # headquarters: not screened
    head_record = _staff(head, date(2025, 3, 31))
    assert not Obligation.objects.filter(subject_id=head_record.pk, rule_id="workforce.screening")
    ocsea = Team.objects.get(force=head.force, kind=TeamKind.OCSEA)
    membership_add(actor=None, user=head, team=ocsea, role=Role.objects.get(pk="investigator"))
    assert Obligation.objects.open().filter(
        subject_id=head_record.pk, rule_id="workforce.screening"
    )
