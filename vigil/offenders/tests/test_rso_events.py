"""Notifications of changes, breaches, the s.96B warrant path, visit clustering and
transfers between teams and forces."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.models import Role, User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import Escalation, Obligation
from vigil.obligations.sync import sync
from vigil.offenders import selectors, services
from vigil.offenders.models import Disposal, Registration, Transfer
from vigil.offenders.reactive import reactive_shortfalls
from vigil.people import services as people
from vigil.people.models import IdentifierKind, Nominal
from vigil.policy.pack import load

PACK = load()
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


@pytest.fixture
def rso(world: Any, monkeypatch: Any) -> Registration:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 28))
    monkeypatch.setattr(clock, "now", lambda: NOW)
    om = world.users["offender_manager"]
    person = people.nominal_create(
        actor=om,
        family_name="Pellinore",
        given_names="Rhys",
        identifiers=[(IdentifierKind.PNC, "12/7654321Z")],
    )
    return services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2020, 3, 2),
        conviction_date=date(2020, 1, 6),
        disposal=Disposal.CUSTODY_6_TO_30,
        risk_level="low",
        offender_manager=om,
        in_community_since=date(2020, 3, 2),
    )


def _open(rso: Registration, rule_id: str) -> list[Obligation]:
    return list(
        Obligation.objects.open()
        .filter(subject_id=rso.pk, rule_id=rule_id)
        .order_by("due_date", "key")
    )


def _all(rso: Registration, rule_id: str) -> list[Obligation]:
    return list(Obligation.objects.current().filter(subject_id=rso.pk, rule_id=rule_id))


# --- notifications of changes ---------------------------------------------------------------


def test_a_change_notified_late_shows_as_met_late(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    services.notification_record(
        actor=om,
        registration=rso,
        kind="change",
        made_on=date(2026, 11, 20),
        change_kind="name",
        changed_on=date(2026, 11, 14),
    )
    (change,) = _all(rso, "rso.notify.change")
    # "within the period of 3 days beginning with" the change (s.84(1)): 14, 15, 16 November
    assert change.due_date == date(2026, 11, 16)
    assert change.met_date == date(2026, 11, 20)
    assert change.policy_keys == ["rso.change_notification_days"]
    assert "name" in change.label


def test_a_change_of_home_address_calls_for_an_arms_review(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    services.notification_record(
        actor=om,
        registration=rso,
        kind="change",
        made_on=date(2026, 11, 2),
        change_kind="home_address",
        changed_on=date(2026, 11, 1),
        address_kind="home",
        address_line_1="4 Quarry Row",
        address_town="Alpha",
    )
    (review,) = _open(rso, "rso.arms.address")
    assert review.due_date == date(2026, 11, 30)  # 28 days from the notification
    services.arms_complete(
        actor=om, registration=rso, completed_on=date(2026, 11, 25), priority="low", summary="x"
    )
    assert not _open(rso, "rso.arms.address")


def test_the_periodic_clock_restarts_on_a_change_but_not_on_travel(
    rso: Registration, world: Any
) -> None:
    om = world.users["offender_manager"]
    services.notification_record(
        actor=om, registration=rso, kind="initial", made_on=date(2020, 3, 3)
    )
    services.notification_record(
        actor=om, registration=rso, kind="periodic", made_on=date(2026, 1, 10)
    )
    services.notification_record(
        actor=om, registration=rso, kind="travel", made_on=date(2026, 6, 1)
    )
    assert [o.due_date for o in _open(rso, "rso.notify.periodic")] == [date(2027, 1, 10)]
    services.notification_record(
        actor=om,
        registration=rso,
        kind="change",
        made_on=date(2026, 8, 3),
        change_kind="other",
        changed_on=date(2026, 8, 1),
    )
    assert [o.due_date for o in _open(rso, "rso.notify.periodic")] == [date(2027, 8, 3)]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "change", "changed_on": date(2026, 11, 1)}, "change_kind"),
        ({"kind": "change", "change_kind": "name"}, "changed_on"),
        (
            {"kind": "change", "change_kind": "name", "changed_on": date(2026, 11, 27)},
            "changed_on",
        ),
        ({"kind": "periodic", "change_kind": "name"}, "change_kind"),
    ],
)
def test_a_change_must_say_what_and_when(
    rso: Registration, world: Any, fields: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.notification_record(
            actor=world.users["offender_manager"],
            registration=rso,
            made_on=date(2026, 11, 26),
            **fields,
        )
    assert field in excinfo.value.message_dict


# --- breaches -------------------------------------------------------------------------------


def test_a_breach_is_due_on_visor_within_24_hours_and_calls_for_a_review(
    rso: Registration, world: Any
) -> None:
    om = world.users["offender_manager"]
    identified = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 23:30 London, Thursday
    breach = services.breach_record(
        actor=om,
        registration=rso,
        identified_at=identified,
        kind="failed_to_notify",
        details="Did not notify a new address (synthetic)",
    )
    (record,) = _open(rso, "rso.breach.record")
    assert record.due_date == date(2026, 11, 27)  # 24 hours on, in London
    assert record.due_at == identified + timedelta(hours=24)  # at 23:30, not the day's end
    assert record.kind == "rso.breach"
    (review,) = _open(rso, "rso.arms.breach")
    assert review.due_date == date(2026, 12, 24)
    fresh = Registration.objects.get(pk=rso.pk)
    assert "A breach identified on 26 Nov 2026, within the last 3 years" in reactive_shortfalls(
        fresh, PACK, date(2026, 11, 28)
    )
    recorded = datetime(2026, 11, 28, 9, 15, tzinfo=UTC)
    services.breach_recorded_nationally(actor=om, breach=breach, recorded_at=recorded)
    (met,) = _all(rso, "rso.breach.record")
    assert (met.met_date, met.met_at) == (date(2026, 11, 28), recorded)  # 9 h 45 min late
    assert AuditEvent.objects.filter(
        event="rso.breach_recorded_nationally", person_id=rso.nominal_id
    ).exists()
    with pytest.raises(ValidationError):
        services.breach_recorded_nationally(actor=om, breach=breach, recorded_at=recorded)


def test_a_breach_in_the_summer_is_dated_in_london(rso: Registration, world: Any) -> None:
    services.breach_record(
        actor=world.users["offender_manager"],
        registration=rso,
        identified_at=datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # 00:30 on 2 July in London
        kind="other",
        details="Synthetic",
    )
    (record,) = _open(rso, "rso.breach.record")
    assert record.due_date == date(2026, 7, 3)


def test_a_breach_must_be_described_and_not_in_the_future(rso: Registration, world: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.breach_record(
            actor=world.users["offender_manager"],
            registration=rso,
            identified_at=NOW + timedelta(hours=1),
            kind="nonsense",
            details=" ",
        )
    assert set(excinfo.value.message_dict) == {"identified_at", "kind", "details"}
    assert not rso.breaches.exists()


# --- the s.96B warrant path -----------------------------------------------------------------


def _visit(world: Any, rso: Registration, day: date, access: bool, hour: int = 10) -> Any:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    return services.visit_record(
        actor=om,
        registration=rso,
        visited_at=datetime(day.year, day.month, day.day, hour, tzinfo=UTC),
        announced=False,
        officers=[om, sup],
        access_gained=access,
    )


def test_two_failed_attempts_flag_the_warrant_path(rso: Registration, world: Any) -> None:
    _visit(world, rso, date(2026, 11, 2), access=False)
    assert not _open(rso, "rso.visit.warrant")
    second = _visit(world, rso, date(2026, 11, 9), access=False)
    (warrant,) = _open(rso, "rso.visit.warrant")
    assert warrant.due_date == date(2026, 11, 9)
    assert warrant.owner_user_id is None  # the team's supervisor
    assert warrant.policy_keys == ["rso.entry_warrant_failed_attempts"]
    assert selectors.warrant_flag(rso) == second
    with pytest.raises(PermissionDenied):
        services.visit_warrant_decide(
            actor=world.users["offender_manager"], visit=second, decision="Apply"
        )
    services.visit_warrant_decide(
        actor=world.users["mosovo_supervisor"],
        visit=second,
        decision="Apply to the magistrates for a s.96B warrant",
    )
    assert not _open(rso, "rso.visit.warrant")
    assert selectors.warrant_flag(rso) is None


def test_access_gained_settles_the_warrant_path(rso: Registration, world: Any) -> None:
    first = _visit(world, rso, date(2026, 11, 2), access=False)
    _visit(world, rso, date(2026, 11, 9), access=False)
    _visit(world, rso, date(2026, 11, 16), access=True)
    (warrant,) = _all(rso, "rso.visit.warrant")
    assert warrant.met_date == date(2026, 11, 16)
    with pytest.raises(ValidationError):  # no decision is asked for a visit not flagged
        services.visit_warrant_decide(
            actor=world.users["mosovo_supervisor"], visit=first, decision="x"
        )


# --- visit clustering -----------------------------------------------------------------------


def test_visits_on_the_same_weekday_and_hour_are_flagged(rso: Registration, world: Any) -> None:
    for day in (date(2026, 10, 6), date(2026, 10, 13), date(2026, 10, 20)):  # Tuesdays
        _visit(world, rso, day, access=True, hour=9)  # 10:00 London
    pattern = selectors.visit_pattern(rso, PACK)
    assert pattern is not None
    assert pattern.predictable
    assert (pattern.count, pattern.of) == (3, 3)
    assert pattern.describe() == "3 of the last 3 visits were on a Tuesday between 10:00 and 10:59"
    _visit(world, rso, date(2026, 10, 29), access=True, hour=18)
    _visit(world, rso, date(2026, 11, 7), access=True, hour=12)
    edge = selectors.visit_pattern(rso, PACK)
    assert edge is not None
    assert (edge.count, edge.of, edge.predictable) == (3, 5, True)
    _visit(world, rso, date(2026, 11, 12), access=True, hour=15)
    varied = selectors.visit_pattern(rso, PACK)
    assert varied is not None
    assert (varied.count, varied.of, varied.predictable) == (2, 5, False)


def test_too_few_visits_are_not_judged(rso: Registration, world: Any) -> None:
    _visit(world, rso, date(2026, 10, 6), access=True)
    _visit(world, rso, date(2026, 10, 13), access=True)
    assert selectors.visit_pattern(rso, PACK) is None


# --- transfers ------------------------------------------------------------------------------


def _second_team(world: Any) -> tuple[Team, User]:
    sup = world.users["mosovo_supervisor"]
    team = team_create(
        actor=None,
        area=sup.memberships.get().team.area,
        name="Alpha MOSOVO North",
        kind=TeamKind.MOSOVO,
    )
    om2 = user_create(actor=None, username="om.north", password="x" * 16, force=sup.force)
    membership_add(
        actor=None, user=om2, team=team, role=Role.objects.get(pk=RoleCode.OFFENDER_MANAGER)
    )
    return team, om2


def test_a_move_between_teams_takes_the_open_work_and_leaves_the_history(
    rso: Registration, world: Any
) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    _visit(world, rso, date(2026, 11, 2), access=True)
    old_team = rso.team
    team, om2 = _second_team(world)
    with pytest.raises(PermissionDenied):
        services.registration_transfer(
            actor=om, registration=rso, team=team, offender_manager=om2, reason="Moved"
        )
    with pytest.raises(ValidationError) as excinfo:
        services.registration_transfer(
            actor=sup, registration=rso, team=team, offender_manager=om, reason=" "
        )
    assert set(excinfo.value.message_dict) == {"offender_manager", "reason"}
    transfer = services.registration_transfer(
        actor=sup, registration=rso, team=team, offender_manager=om2, reason="Moved north"
    )
    assert transfer.status == "completed"
    rso.refresh_from_db()
    assert (rso.team, rso.offender_manager) == (team, om2)
    open_work = Obligation.objects.open().filter(subject_id=rso.pk)
    assert open_work.exists()
    assert not open_work.exclude(owner_team=team).exists()
    assert not open_work.filter(owner_user=om).exists()
    met_visit = Obligation.objects.get(subject_id=rso.pk, kind="rso.visit", met_date__isnull=False)
    assert (met_visit.owner_team_id, met_visit.owner_user_id) == (old_team.pk, om.pk)  # history
    assert AuditEvent.objects.filter(event="rso.transferred", person_id=rso.nominal_id).exists()
    assert selectors.timeline(rso)[0].kind == "transfer"


def _beta_supervisor() -> tuple[User, Team]:
    beta = Force.objects.get(code="beta")
    team = Team.objects.get(area__force=beta, kind=TeamKind.MOSOVO)
    sup = user_create(actor=None, username="beta.sup", password="x" * 16, force=beta)
    membership_add(
        actor=None, user=sup, team=team, role=Role.objects.get(pk=RoleCode.MOSOVO_SUPERVISOR)
    )
    return sup, team


def test_a_transfer_to_another_force_moves_the_record_when_accepted(
    rso: Registration, world: Any
) -> None:
    om = world.users["offender_manager"]
    _visit(world, rso, date(2026, 11, 2), access=True)
    sync(rso)
    overdue = _open(rso, "rso.arms.initial")[0]
    Escalation.objects.create(
        force_id=rso.force_id, obligation=overdue, rung="supervisor", raised_on=date(2026, 11, 1)
    )
    beta_sup, beta_team = _beta_supervisor()
    beta = beta_team.area.force
    transfer = services.transfer_request(
        actor=om, registration=rso, to_force=beta, reason="Moving to Beta Town on 1 December"
    )
    disclosed = AuditEvent.objects.get(event="rso.transfer_requested")
    assert disclosed.recipients == [beta.name]
    assert Transfer.objects.visible_to(beta_sup).filter(pk=transfer.pk).exists()
    assert not Registration.objects.visible_to(beta_sup).filter(pk=rso.pk).exists()
    with pytest.raises(ValidationError):
        services.transfer_request(actor=om, registration=rso, to_force=beta, reason="Again")
    with pytest.raises(PermissionDenied):  # the sending force cannot accept for Beta
        services.transfer_accept(
            actor=world.users["mosovo_supervisor"],
            transfer=transfer,
            team=beta_team,
            offender_manager=None,
        )
    services.transfer_accept(
        actor=beta_sup, transfer=transfer, team=beta_team, offender_manager=None, note="Accepted"
    )
    rso.refresh_from_db()
    assert rso.force_id == beta.pk
    assert rso.team == beta_team
    assert Registration.objects.visible_to(beta_sup).filter(pk=rso.pk).exists()
    assert not Registration.objects.visible_to(om).filter(pk=rso.pk).exists()
    assert Nominal.objects.get(pk=rso.nominal_id).force_id == beta.pk
    assert rso.visits.get().force_id == beta.pk
    open_work = Obligation.objects.open().filter(subject_id=rso.pk)
    assert not open_work.exclude(force_id=beta.pk).exists()
    assert not open_work.exclude(owner_team=beta_team).exists()
    history = Obligation.objects.filter(subject_id=rso.pk, met_date__isnull=False)
    assert history.exists()
    assert not history.exclude(force_id=om.force_id).exists()
    assert Escalation.objects.get(obligation=overdue).force_id == beta.pk
    assert AuditEvent.objects.filter(event="rso.transfer_accepted").exists()


def test_a_transfer_is_refused_if_the_force_already_holds_the_person(
    rso: Registration, world: Any
) -> None:
    beta_sup, beta_team = _beta_supervisor()
    people.nominal_create(
        actor=world.users["other_force"],
        family_name="Pellinore",
        given_names="R",
        identifiers=[(IdentifierKind.PNC, "12/7654321Z")],
    )
    transfer = services.transfer_request(
        actor=world.users["offender_manager"],
        registration=rso,
        to_force=beta_team.area.force,
        reason="Moving",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.transfer_accept(
            actor=beta_sup, transfer=transfer, team=beta_team, offender_manager=None
        )
    assert "already holds this PNC" in str(excinfo.value)
    rso.refresh_from_db()
    assert rso.force_id == world.users["offender_manager"].force_id


def test_a_transfer_is_declined_or_withdrawn_once(rso: Registration, world: Any) -> None:
    beta_sup, beta_team = _beta_supervisor()
    om = world.users["offender_manager"]
    beta = beta_team.area.force
    first = services.transfer_request(actor=om, registration=rso, to_force=beta, reason="Moving")
    services.transfer_decline(actor=beta_sup, transfer=first, note="Not our area")
    with pytest.raises(ValidationError):
        services.transfer_decline(actor=beta_sup, transfer=first, note="Again")
    second = services.transfer_request(actor=om, registration=rso, to_force=beta, reason="Moving")
    services.transfer_decline(actor=om, transfer=second, note="The move fell through")
    second.refresh_from_db()
    assert second.status == "withdrawn"
    assert sorted(t.status for t in Transfer.objects.filter(registration=rso)) == [
        "declined",
        "withdrawn",
    ]


# --- the end of the notification period -----------------------------------------------------


def test_a_fixed_period_ends_the_registration_on_its_date(rso: Registration, world: Any) -> None:
    (ends,) = _open(rso, "rso.register.ends")
    assert ends.due_date == date(2030, 3, 2)  # 10 years for 6 to 30 months' custody
    assert ends.policy_keys == ["rso.notification_period_years"]
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as excinfo:
        services.registration_end(actor=om, registration=rso, ended_on=date(2019, 1, 1), reason=" ")
    assert set(excinfo.value.message_dict) == {"ended_on", "reason"}
    services.registration_end(
        actor=om, registration=rso, ended_on=date(2026, 11, 27), reason="Discharged by a court"
    )
    assert not _open(rso, "rso.visit.frequency")  # nothing routine is due any more
    assert not _open(rso, "rso.register.ends")
    assert AuditEvent.objects.filter(event="rso.registration_ended").exists()


def test_nothing_new_is_recorded_on_an_ended_registration(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    services.registration_end(
        actor=om, registration=rso, ended_on=date(2026, 11, 1), reason="Period over"
    )
    with pytest.raises(ValidationError, match="ended on 1 Nov 2026"):
        _visit(world, rso, date(2026, 11, 20), access=True)
    with pytest.raises(ValidationError, match="ended"):
        services.registration_update(
            actor=om, registration=rso, expected_version=rso.version + 1, risk_level="high"
        )


def test_a_team_must_manage_rsos(rso: Registration, world: Any) -> None:
    sup = world.users["mosovo_supervisor"]
    ocsea = Team.objects.get(force_id=sup.force_id, kind=TeamKind.OCSEA)
    with pytest.raises(ValidationError) as excinfo:
        services.registration_transfer(
            actor=sup, registration=rso, team=ocsea, offender_manager=None, reason="x"
        )
    assert "MOSOVO" in excinfo.value.message_dict["team"][0]


def test_management_mode_is_not_changed_by_an_update(rso: Registration, world: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.registration_update(
            actor=world.users["offender_manager"],
            registration=rso,
            expected_version=rso.version,
            management_mode="active",
        )
    assert "management_mode" in excinfo.value.message_dict


def test_no_warrant_decision_once_access_is_gained(rso: Registration, world: Any) -> None:
    _visit(world, rso, date(2026, 11, 2), access=False)
    second = _visit(world, rso, date(2026, 11, 9), access=False)
    _visit(world, rso, date(2026, 11, 16), access=True)
    with pytest.raises(ValidationError, match="No warrant decision is due"):
        services.visit_warrant_decide(
            actor=world.users["mosovo_supervisor"], visit=second, decision="Apply"
        )


def test_a_transfer_of_a_limited_record_is_hidden_from_those_kept_out(world: Any) -> None:
    limited = world.registration(world.limited)
    beta_sup, beta_team = _beta_supervisor()
    transfer = services.transfer_request(
        actor=world.users["offender_manager"],
        registration=limited,
        to_force=beta_team.area.force,
        reason="Moving",
    )
    assert Transfer.objects.visible_to(world.users["offender_manager"]).filter(pk=transfer.pk)
    assert not Transfer.objects.visible_to(world.users["excluded"]).filter(pk=transfer.pk)
    assert Transfer.objects.visible_to(beta_sup).filter(pk=transfer.pk)


# --- review of an indefinite requirement ----------------------------------------------------


@pytest.fixture
def indefinite(world: Any, monkeypatch: Any) -> Registration:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 28))
    monkeypatch.setattr(clock, "now", lambda: NOW)
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Ormsgill", given_names="Len")
    registration = services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2011, 6, 30),
        conviction_date=date(2009, 2, 2),
        disposal=Disposal.CUSTODY_30_PLUS,
        risk_level="low",
        offender_manager=om,
        in_community_since=date(2011, 6, 30),
    )
    services.notification_record(
        actor=om, registration=registration, kind="initial", made_on=date(2011, 7, 2)
    )
    return registration


def test_an_indefinite_requirement_is_reviewed_on_application(
    indefinite: Registration, world: Any
) -> None:
    om, head = world.users["offender_manager"], world.users["head_of_pp"]
    # s.91B(2): "the day after the end of the period of 15 years beginning with the day on
    # which the initial notification is given": given 2 July 2011, the period ends on 1 July
    # 2026, so the first day to apply is 2 July 2026 (not 15 years from the relevant date).
    assert indefinite.indefinite_review_eligibility(PACK).on == date(2026, 7, 2)
    with pytest.raises(ValidationError, match="may apply from 2 July 2026"):
        services.indefinite_review_apply(
            actor=om, registration=indefinite, applied_on=date(2026, 7, 1)
        )
    review = services.indefinite_review_apply(
        actor=om, registration=indefinite, applied_on=date(2026, 11, 2)
    )
    (due,) = _open(indefinite, "rso.register.indefinite_review")
    assert due.due_date == date(2026, 12, 14)  # 6 weeks (s.91C)
    assert due.owner_user_id is None
    with pytest.raises(ValidationError, match="already awaiting"):
        services.indefinite_review_apply(
            actor=om, registration=indefinite, applied_on=date(2026, 11, 20)
        )
    with pytest.raises(PermissionDenied):
        services.indefinite_review_determine(
            actor=om, review=review, outcome="continued", rationale="x"
        )
    services.indefinite_review_determine(
        actor=head, review=review, outcome="continued", rationale="Risk remains (synthetic)"
    )
    fresh = Registration.objects.get(pk=indefinite.pk)
    # 8 years after the refusal
    assert fresh.indefinite_review_eligibility(PACK).on == date(2034, 11, 28)
    assert fresh.ended_on is None
    assert not _open(indefinite, "rso.register.indefinite_review")


def test_a_discharge_ends_the_registration(indefinite: Registration, world: Any) -> None:
    review = services.indefinite_review_apply(
        actor=world.users["offender_manager"],
        registration=indefinite,
        applied_on=date(2026, 11, 2),
    )
    services.indefinite_review_determine(
        actor=world.users["head_of_pp"],
        review=review,
        outcome="discharged",
        rationale="No longer necessary (synthetic)",
    )
    fresh = Registration.objects.get(pk=indefinite.pk)
    assert fresh.ended_on == date(2026, 11, 28)
    assert AuditEvent.objects.filter(
        event="rso.registration_ended", person_id=indefinite.nominal_id
    ).exists()
    assert not _open(indefinite, "rso.visit.frequency")


def test_a_fixed_period_has_no_review(rso: Registration, world: Any) -> None:
    with pytest.raises(ValidationError, match="fixed period"):
        services.indefinite_review_apply(
            actor=world.users["offender_manager"], registration=rso, applied_on=date(2026, 11, 1)
        )


def test_static_risk_is_entered_as_a_result(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as excinfo:
        services.registration_update(
            actor=om, registration=rso, expected_version=rso.version, static_tool="rm2000"
        )
    assert "static_band" in excinfo.value.message_dict
    services.registration_update(
        actor=om,
        registration=rso,
        expected_version=rso.version,
        static_tool="rm2000",
        static_band="Medium",
        static_date=date(2026, 10, 1),
    )
    rso.refresh_from_db()
    assert (rso.static_tool, rso.static_band) == ("rm2000", "Medium")


# --- drafts ---------------------------------------------------------------------------------


def test_a_draft_arms_counts_for_nothing_until_completed(rso: Registration, world: Any) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    (initial,) = _open(rso, "rso.arms.initial")
    draft = services.arms_draft_save(actor=om, registration=rso, summary="Half written")
    assert draft.is_draft
    assert _open(rso, "rso.arms.initial") == [initial]  # still due
    assert not _open(rso, "rso.review.arms")
    with pytest.raises(ValidationError, match="draft is reviewed once"):
        services.work_review(actor=sup, work=draft, note="x")
    draft = services.arms_draft_save(
        actor=om, registration=rso, draft=draft, priority="high", summary="Most of it"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.arms_complete(
            actor=om, registration=rso, draft=draft, completed_on=None, priority="", summary=""
        )
    assert set(excinfo.value.message_dict) == {"completed_on", "priority", "summary"}
    done = services.arms_complete(
        actor=om,
        registration=rso,
        draft=draft,
        completed_on=date(2026, 11, 27),
        priority="high",
        summary="Complete",
    )
    assert done.pk == draft.pk
    assert not _open(rso, "rso.arms.initial")
    assert [o.due_date for o in _open(rso, "rso.review.arms")] == [date(2026, 12, 27)]
    with pytest.raises(ValidationError, match="already been completed"):
        services.arms_draft_save(actor=om, registration=rso, draft=done, summary="x")


def test_a_draft_plan_sets_no_visit_frequency(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    before = [o.due_date for o in _open(rso, "rso.visit.frequency")]
    services.rmp_draft_save(
        actor=om, registration=rso, actions="Drafting", visit_frequency_months=1
    )
    assert [o.due_date for o in _open(rso, "rso.visit.frequency")] == before
