"""Abstractions (R11): recorded with a reason and dates, reviewed within the policy's days,
the threshold over a rolling quarter, their effect on work done in time; and capacity (R4)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from vigil.obligations.models import Obligation
from vigil.policy.pack import active as active_policy
from vigil.workforce import selectors, services
from vigil.workforce.models import Abstraction, AbstractionReason, Grade, StaffRecord


@pytest.fixture
def reason(world: Any) -> AbstractionReason:
    return AbstractionReason.objects.create(
        force_id=world.users["offender_manager"].force_id, name="Training"
    )


def _record(world: Any, reason: Any, **changes: Any) -> Abstraction:
    om = world.users["offender_manager"]
    data = {
        "person": om,
        "team": om.memberships.get().team,
        "starts_on": date(2026, 11, 2),
        "ends_on": date(2026, 11, 6),
        "hours": Decimal(40),
        "reason": reason,
        "requested_by": "Training school (synthetic)",
        **changes,
    }
    return services.abstraction_record(actor=world.users["mosovo_supervisor"], **data)


def test_an_abstraction_is_recorded_and_its_review_falls_due(world: Any, reason: Any) -> None:
    """ "Reviewed by the manager within 7 days" (DOMAIN.md section 4): due seven days after
    the day it was recorded, met on the day of the review."""
    made = _record(world, reason)
    review = Obligation.objects.open().get(subject_id=made.pk)
    assert review.rule_id == "workforce.abstraction.review"
    assert review.due_date == made.recorded_on + timedelta(days=7)
    assert review.owner_team_id == made.team_id
    services.abstraction_review(
        actor=world.users["head_of_pp"], abstraction=made, note="Necessary (synthetic)"
    )
    review.refresh_from_db()
    assert review.met_date == made.recorded_on


def test_bad_input_names_the_field_and_saves_nothing(world: Any, reason: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _record(
            world,
            reason,
            starts_on=date(2026, 11, 6),
            ends_on=date(2026, 11, 2),
            hours=Decimal(0),
            requested_by=" ",
        )
    assert set(refused.value.message_dict) == {"ends_on", "hours", "requested_by"}
    with pytest.raises(ValidationError) as too_many:
        _record(world, reason, ends_on=date(2026, 11, 2), hours=Decimal(25))
    assert "no more than 24" in too_many.value.message_dict["hours"][0]
    assert not Abstraction.objects.exists()


def test_no_one_reviews_their_own_and_a_review_says_what_it_found(world: Any, reason: Any) -> None:
    made = services.abstraction_record(
        actor=world.users["mosovo_supervisor"],
        person=world.users["mosovo_supervisor"],
        team=world.users["mosovo_supervisor"].memberships.get().team,
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 2),
        hours=Decimal(8),
        reason=reason,
        requested_by="Force HQ",
    )
    with pytest.raises(ValidationError) as own:
        services.abstraction_review(
            actor=world.users["mosovo_supervisor"], abstraction=made, note="x"
        )
    assert "Someone else" in own.value.message_dict["note"][0]
    with pytest.raises(ValidationError):
        services.abstraction_review(actor=world.users["head_of_pp"], abstraction=made, note=" ")


def test_the_rolling_quarter_and_the_threshold(world: Any, reason: Any) -> None:
    """More than 10% of contracted hours in a rolling quarter is flagged: 40 hours a week for
    13 weeks is 520 hours, so 53 hours is over and 52 is not."""
    assert selectors.quarter_before(date(2026, 5, 31)) == (date(2026, 3, 1), date(2026, 5, 31))
    assert selectors.quarter_before(date(2026, 2, 15)) == (date(2025, 11, 16), date(2026, 2, 15))
    om = world.users["offender_manager"]
    StaffRecord.objects.create(
        force_id=om.force_id,
        user=om,
        grade=Grade.PC,
        contracted_hours=Decimal(40),
        started_in_role=date(2024, 1, 1),
    )
    today = date(2026, 12, 1)
    _record(
        world, reason, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3), hours=Decimal(40)
    )
    (team,) = selectors.capacity(
        user=world.users["mosovo_supervisor"], today=today, pack=active_policy()
    )
    row = next(r for r in team.rows if r.user == om)
    assert row.abstracted_hours == Decimal(40)
    assert not row.over_threshold
    _record(
        world, reason, starts_on=date(2026, 11, 9), ends_on=date(2026, 11, 10), hours=Decimal(16)
    )
    (team,) = selectors.capacity(
        user=world.users["mosovo_supervisor"], today=today, pack=active_policy()
    )
    row = next(r for r in team.rows if r.user == om)
    assert row.over_threshold  # 56 of about 520 hours
    assert row.abstracted_share == pytest.approx(100 * 56 / (40 * 91 / 7), abs=0.1)


def test_a_scheduled_abstraction_counts_against_capacity_on_its_dates(
    world: Any, reason: Any
) -> None:
    """Caseload points against points available: 100 points for 40 hours; a week-long
    abstraction of 20 hours running today halves the week's hours."""
    om = world.users["offender_manager"]
    StaffRecord.objects.create(
        force_id=om.force_id,
        user=om,
        grade=Grade.PC,
        contracted_hours=Decimal(40),
        started_in_role=date(2024, 1, 1),
    )
    pack = active_policy()
    points = selectors.caseload_points([om], pack)[om.pk]
    assert points > 0  # the world's RSO is managed by the offender manager
    _record(
        world, reason, starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 13), hours=Decimal(20)
    )
    before = selectors.capacity_if_allocated(officer=om, pack=pack, today=date(2026, 12, 6))
    during = selectors.capacity_if_allocated(officer=om, pack=pack, today=date(2026, 12, 8))
    assert before[0] == pytest.approx(points)  # of 100
    assert during[0] == pytest.approx(points * 2)  # of 50
    now, then = selectors.capacity_if_allocated(
        officer=om, pack=pack, today=date(2026, 12, 6), rso_level="high"
    )
    assert then == pytest.approx(now + pack["workforce.caseload_points"]["rso"]["high"])


def test_hours_by_month_share_an_abstraction_by_its_days(world: Any, reason: Any) -> None:
    _record(
        world, reason, starts_on=date(2026, 10, 30), ends_on=date(2026, 11, 2), hours=Decimal(32)
    )
    months = dict(
        selectors.hours_by_month(user=world.users["head_of_pp"], months=3, today=date(2026, 11, 20))
    )
    team = str(world.users["offender_manager"].memberships.get().team)
    assert months[date(2026, 10, 1)][team] == 16
    assert months[date(2026, 11, 1)][team] == 16
    assert months[date(2026, 9, 1)] == {}


def test_the_pages_as_a_supervisor(world: Any, reason: Any) -> None:
    made = _record(world, reason)
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    listed = client.get(reverse("workforce:abstraction-list"), {"show": "waiting"})
    assert str(made.person) in listed.content.decode()
    assert client.get(reverse("workforce:capacity")).status_code == 200
    page = client.get(reverse("workforce:abstraction-review", kwargs={"pk": made.pk}))
    assert page.status_code == 200
    done = client.post(
        reverse("workforce:abstraction-review", kwargs={"pk": made.pk}),
        {"version": made.version, "note": "Necessary; the work was covered (synthetic)"},
    )
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.reviewed_by == world.users["mosovo_supervisor"]
    # another team's supervisor neither sees nor reviews it
    other = Client()
    other.force_login(world.users["ocsea_supervisor"])
    assert (
        other.get(reverse("workforce:abstraction-detail", kwargs={"pk": made.pk})).status_code
        == 404
    )


def test_capacity_is_shown_where_work_is_allocated(world: Any) -> None:
    """ "Capacity if this case is allocated" at the moment of allocation: beside each
    offender manager on the register record's change page (not "with this case" for the one
    who has it already)."""
    om = world.users["offender_manager"]
    StaffRecord.objects.create(
        force_id=om.force_id,
        user=om,
        grade=Grade.PC,
        contracted_hours=Decimal(40),
        started_in_role=date(2024, 1, 1),
    )
    rso = world.registration(world.nominal)
    pack = active_policy()
    held = selectors.caseload_points([om], pack)[om.pk]
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    from vigil.audit.purpose import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {str(world.nominal.pk): {"purpose": "supervision", "detail": ""}}
    session.save()
    page = client.get(reverse("offenders:registration-edit", kwargs={"pk": rso.pk}))
    labels = dict(page.context["form"].fields["offender_manager"].choices)
    mine = next(label for value, label in labels.items() if str(value) == str(om.pk))
    assert f"at {held:g}% of capacity" in mine
    assert rso.offender_manager_id == om.pk
    assert "with this case" not in mine  # it is theirs already
    from vigil.accounts.officers import with_load

    other = with_load([om], holder=None, rso_level="high")[om.pk]
    high = pack["workforce.caseload_points"]["rso"]["high"]
    assert f"{held + high:g}% with this case" in other
