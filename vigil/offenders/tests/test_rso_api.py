"""The RSO API: registering and changing the record, decisions on the work, breaches,
notifications of a change, and moves and transfers; each through its service, with its audit
event, its field errors as 400s, and another force's records as 404s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.models import Force, Team, TeamKind
from vigil.offenders import services
from vigil.offenders.models import (
    Breach,
    BreachKind,
    Disposal,
    HomeVisit,
    Registration,
    Transfer,
)
from vigil.people import services as people

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
TODAY = date(2026, 11, 28)


@pytest.fixture
def rso(world: Any, monkeypatch: Any) -> Registration:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: NOW)
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Tregarthen", given_names="Ned")
    return services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2020, 3, 2),
        conviction_date=date(2020, 1, 6),
        disposal=Disposal.CUSTODY_6_TO_30,
        risk_level="medium",
        offender_manager=om,
        register_reference="SYN-API",
        in_community_since=date(2020, 3, 2),
    )


@pytest.fixture
def as_user(world: Any) -> Callable[[User | str], Client]:
    def make(user: User | str) -> Client:
        client = Client()
        client.force_login(world.users[user] if isinstance(user, str) else user)
        return client

    return make


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def audited(event: str, registration: Registration) -> bool:
    return AuditEvent.objects.filter(event=event, person_id=registration.nominal_id).exists()


def _beta() -> tuple[Force, Team]:
    beta = Force.objects.get(code="beta")
    return beta, Team.objects.get(force=beta, kind=TeamKind.MOSOVO)


@pytest.fixture
def beta_supervisor() -> User:
    """A MOSOVO supervisor and head of unit in force B: every RSO verb, another force."""
    _, team = _beta()
    user = user_create(actor=None, username="beta.sup", password="x" * 16, force=team.force)
    for role in (RoleCode.MOSOVO_SUPERVISOR, RoleCode.HEAD_OF_PP):
        membership_add(actor=None, user=user, team=team, role=Role.objects.get(pk=role))
    return user


def _visit(world: Any, rso: Registration, day: date, *, compliant: bool = True) -> HomeVisit:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    return services.visit_record(
        actor=om,
        registration=rso,
        visited_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
        announced=not compliant,
        officers=[om, sup] if compliant else [om],
        access_gained=True,
    )


# --- registering and changing the record ----------------------------------------------------


def test_a_person_is_registered(rso: Registration, world: Any, as_user: Any) -> None:
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Polglaze", given_names="Jory")
    data = {
        "nominal": str(person.pk),
        "team": str(rso.team_id),
        "offender_manager": om.pk,
        "registration_date": "2026-11-01",
        "conviction_date": "2026-10-01",
        "disposal": Disposal.CUSTODY_30_PLUS,
        "risk_level": "high",
        "register_reference": "syn-0009",
    }
    response = post(as_user("offender_manager"), reverse("api:rso-list"), data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["register_reference"], body["version"]) == (
        "POLGLAZE, Jory",
        "SYN-0009",
        1,
    )
    registration = Registration.objects.get(pk=body["id"])
    assert audited("rso.registered", registration)


def test_registering_names_the_field_in_error(rso: Registration, world: Any, as_user: Any) -> None:
    person = people.nominal_create(
        actor=world.users["offender_manager"], family_name="Polglaze", given_names="Jory"
    )
    data = {
        "nominal": str(person.pk),
        "team": str(rso.team_id),
        "registration_date": "2026-09-01",
        "conviction_date": "2026-10-01",  # after the registration: the service refuses
        "disposal": Disposal.CAUTION,
        "risk_level": "low",
    }
    response = post(as_user("offender_manager"), reverse("api:rso-list"), data)
    assert response.status_code == 400
    assert set(response.json()) == {"registration_date"}
    assert not Registration.objects.filter(nominal=person).exists()
    assert post(as_user("offender_manager"), reverse("api:rso-list")).json().keys() >= {
        "nominal",
        "team",
        "disposal",
        "risk_level",
    }


def test_registering_an_unseen_person_says_no_more_than_for_no_one(
    rso: Registration, world: Any, as_user: Any
) -> None:
    """The excluded officer naming the limited-access person, or anyone naming another
    force's person, gets the answer for an id that names no one."""
    om = world.users["offender_manager"]
    limited = people.nominal_create(actor=om, family_name="Hosking", given_names="Wenna")
    people.nominal_set_limited_access(
        actor=world.users["mosovo_supervisor"],
        nominal=limited,
        limited=True,
        reason="test",
        excluded_from=[world.users["excluded"]],
        expected_version=limited.version,
    )
    base = {
        "team": str(rso.team_id),
        "registration_date": "2026-11-01",
        "conviction_date": "2026-10-01",
        "disposal": Disposal.CAUTION,
        "risk_level": "low",
    }

    def error(persona: str, pk: Any) -> str:
        response = post(as_user(persona), reverse("api:rso-list"), {**base, "nominal": str(pk)})
        assert response.status_code == 400
        assert list(response.json()) == ["nominal"]
        return str(response.json()["nominal"]).replace(str(pk), "<id>")

    nobody = "00000000-0000-4000-8000-000000000000"
    assert error("excluded", limited.pk) == error("excluded", nobody)
    assert error("offender_manager", world.other_force_nominal.pk) == error(
        "offender_manager", nobody
    )
    assert not Registration.objects.filter(nominal=limited).exists()


def test_the_record_is_changed_with_its_version(
    rso: Registration, world: Any, as_user: Any
) -> None:
    url = reverse("api:rso-detail", kwargs={"pk": rso.pk})
    client = as_user("offender_manager")
    response = client.patch(
        url,
        {"version": rso.version, "risk_level": "very_high", "mappa_level": 2},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["risk_level"], response.json()["version"]) == (
        "very_high",
        rso.version + 1,
    )
    assert audited("rso.updated", rso)
    stale = client.patch(
        url, {"version": rso.version, "risk_level": "low"}, content_type="application/json"
    )
    assert stale.status_code == 409
    rso.refresh_from_db()
    assert rso.risk_level == "very_high"


def test_changing_the_record_names_the_field_in_error(
    rso: Registration, world: Any, as_user: Any
) -> None:
    url = reverse("api:rso-detail", kwargs={"pk": rso.pk})
    client = as_user("offender_manager")

    def patch(data: dict[str, Any]) -> Any:
        return client.patch(url, data, content_type="application/json")

    assert set(patch({"risk_level": "low"}).json()) == {"version"}
    response = patch({"version": rso.version, "mappa_level": 7})
    assert (response.status_code, set(response.json())) == (400, {"mappa_level"})
    # an offender manager, but not in the record's team
    _, om2 = _second_team(world)
    response = patch({"version": rso.version, "offender_manager": om2.pk})
    assert (response.status_code, set(response.json())) == (400, {"offender_manager"})
    # and an empty manager unassigns the record
    assert patch({"version": rso.version, "offender_manager": None}).status_code == 200
    rso.refresh_from_db()
    assert rso.offender_manager is None


# --- decisions on the work ------------------------------------------------------------------


def test_a_supervisor_reviews_arms_plans_and_visits(
    rso: Registration, world: Any, as_user: Any
) -> None:
    om = world.users["offender_manager"]
    arms = services.arms_complete(
        actor=om, registration=rso, completed_on=TODAY, priority="medium", summary="Synthetic"
    )
    plan = services.rmp_complete(actor=om, registration=rso, completed_on=TODAY, actions="Visit")
    visit = _visit(world, rso, date(2026, 11, 20))
    client = as_user("mosovo_supervisor")
    for name, work in (("arms", arms), ("rmp", plan), ("visit", visit)):
        response = post(client, reverse(f"api:rso-{name}-review", kwargs={"pk": work.pk}))
        assert response.status_code == 200, (name, response.content)
        assert response.json()["reviewed_on"] == "2026-11-28"
    assert (
        AuditEvent.objects.filter(event="rso.work_reviewed", person_id=rso.nominal_id).count() == 3
    )
    again = post(client, reverse("api:rso-arms-review", kwargs={"pk": arms.pk}), {"note": "x"})
    assert (again.status_code, set(again.json())) == (400, {"note"})


def test_no_one_reviews_their_own_work(rso: Registration, world: Any, as_user: Any) -> None:
    arms = services.arms_complete(
        actor=world.users["mosovo_supervisor"],
        registration=rso,
        completed_on=TODAY,
        priority="medium",
        summary="Synthetic",
    )
    response = post(
        as_user("mosovo_supervisor"), reverse("api:rso-arms-review", kwargs={"pk": arms.pk})
    )
    assert (response.status_code, set(response.json())) == (400, {"note"})
    refused = post(
        as_user("offender_manager"), reverse("api:rso-arms-review", kwargs={"pk": arms.pk})
    )
    assert refused.status_code == 403


def test_a_visit_is_authorised_then_assessed(rso: Registration, world: Any, as_user: Any) -> None:
    visit = _visit(world, rso, date(2026, 11, 20), compliant=False)
    authorise = reverse("api:rso-visit-authorise", kwargs={"pk": visit.pk})
    assess = reverse("api:rso-visit-assess", kwargs={"pk": visit.pk})
    supervisor, head = as_user("mosovo_supervisor"), as_user("head_of_pp")
    early = post(head, assess, {"assessment": "Reasonable"})
    assert (early.status_code, set(early.json())) == (400, {"assessment"})
    assert set(post(supervisor, authorise, {"rationale": ""}).json()) == {"rationale"}
    response = post(supervisor, authorise, {"rationale": "Dog on premises"})
    assert response.status_code == 200, response.content
    assert response.json()["authorised_on"] == "2026-11-28"
    assert audited("rso.visit_authorised", rso)
    again = post(supervisor, authorise, {"rationale": "Again"})
    assert (again.status_code, set(again.json())) == (400, {"rationale"})
    response = post(head, assess, {"assessment": "Reasonable"})
    assert response.status_code == 200, response.content
    assert response.json()["assessed_on"] == "2026-11-28"
    assert audited("rso.visit_assessed", rso)
    assert post(as_user("offender_manager"), authorise, {"rationale": "x"}).status_code == 403


def test_the_warrant_decision_follows_failed_attempts(
    rso: Registration, world: Any, as_user: Any
) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    failed = [
        services.visit_record(
            actor=om,
            registration=rso,
            visited_at=datetime(2026, 11, day, 10, tzinfo=UTC),
            announced=False,
            officers=[om, sup],
            access_gained=False,
        )
        for day in (2, 9)
    ]
    client = as_user("mosovo_supervisor")
    first = post(
        client,
        reverse("api:rso-visit-warrant", kwargs={"pk": failed[0].pk}),
        {"decision": "Apply"},
    )
    assert (first.status_code, set(first.json())) == (400, {"decision"})  # not the flagged one
    response = post(
        client,
        reverse("api:rso-visit-warrant", kwargs={"pk": failed[1].pk}),
        {"decision": "Apply to the magistrates for a s.96B warrant"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["warrant_decided_on"] == "2026-11-28"
    assert audited("rso.warrant_decided", rso)


def test_a_pnd_result_is_assessed_once(rso: Registration, world: Any, as_user: Any) -> None:
    check = services.pnd_check_record(
        actor=world.users["offender_manager"],
        registration=rso,
        checked_on=TODAY,
        result="No trace (synthetic)",
    )
    url = reverse("api:rso-pnd-check-assess", kwargs={"pk": check.pk})
    client = as_user("offender_manager")
    assert set(post(client, url).json()) == {"assessment"}
    response = post(client, url, {"assessment": "Nothing of concern"})
    assert response.status_code == 200, response.content
    assert (response.json()["assessed_on"], response.json()["assessment"]) == (
        "2026-11-28",
        "Nothing of concern",
    )
    assert audited("rso.pnd_assessed", rso)
    again = post(client, url, {"assessment": "Again"})
    assert (again.status_code, set(again.json())) == (400, {"assessment"})


# --- breaches and notifications -------------------------------------------------------------


def test_a_breach_is_recorded_then_entered_on_visor(
    rso: Registration, world: Any, as_user: Any
) -> None:
    client = as_user("offender_manager")
    url = reverse("api:rso-breaches", kwargs={"pk": rso.pk})
    data = {
        "identified_at": "2026-11-27T09:00:00Z",
        "kind": BreachKind.FAILED_TO_NOTIFY,
        "details": "Did not notify a new address",
        "action_taken": "Arrested",
    }
    future = post(client, url, {**data, "identified_at": "2026-11-29T09:00:00Z"})
    assert (future.status_code, set(future.json())) == (400, {"identified_at"})
    blank = post(client, url, {**data, "details": " "})
    assert (blank.status_code, set(blank.json())) == (400, {"details"})
    response = post(client, url, data)
    assert response.status_code == 201, response.content
    assert response.json()["recorded_nationally_on"] is None
    assert audited("rso.breach_recorded", rso)
    visor = reverse("api:rso-breach-visor", kwargs={"pk": response.json()["id"]})
    neither = post(client, visor, {})
    assert (neither.status_code, set(neither.json())) == (400, {"recorded_at"})
    early = post(client, visor, {"recorded_at": "2026-11-27T08:59:00Z"})
    assert (early.status_code, set(early.json())) == (400, {"recorded_at"})
    entered = post(client, visor, {"recorded_at": "2026-11-28T08:30:00Z"})
    assert entered.status_code == 200, entered.content
    assert entered.json()["recorded_nationally_on"] == "2026-11-28"
    assert entered.json()["recorded_nationally_at"].startswith("2026-11-28T08:30:00")
    assert audited("rso.breach_recorded_nationally", rso)


def test_a_notification_of_a_change_says_what_and_when(
    rso: Registration, world: Any, as_user: Any
) -> None:
    client = as_user("offender_manager")
    url = reverse("api:rso-notifications", kwargs={"pk": rso.pk})
    data = {"kind": "change", "made_on": "2026-11-27", "change_kind": "home_address"}
    undated = post(client, url, data)
    assert (undated.status_code, set(undated.json())) == (400, {"changed_on"})
    homeless = post(client, url, {**data, "changed_on": "2026-11-25"})
    assert (homeless.status_code, set(homeless.json())) == (400, {"address_kind"})
    new_home = {"address_kind": "home", "address_line_1": "9 Tanners Yard", "address_town": "X"}
    response = post(client, url, {**data, "changed_on": "2026-11-25", **new_home})
    assert response.status_code == 201, response.content
    assert "address_line_1" not in response.json()  # in the person's history, not here
    home = rso.nominal.addresses.get(valid_to__isnull=True, kind="home")
    assert (home.line_1, home.valid_from) == ("9 Tanners Yard", date(2026, 11, 25))
    assert (response.json()["change_kind"], response.json()["changed_on"]) == (
        "home_address",
        "2026-11-25",
    )
    assert audited("rso.notification_recorded", rso)
    periodic = post(client, url, {"kind": "periodic", "made_on": "2026-11-27"})
    assert periodic.status_code == 201, periodic.content
    assert periodic.json()["changed_on"] is None


# --- moves and transfers --------------------------------------------------------------------


def _second_team(world: Any) -> tuple[Team, User]:
    sup = world.users["mosovo_supervisor"]
    team = team_create(
        actor=None,
        area=sup.memberships.get().team.area,
        name="Alpha MOSOVO East",
        kind=TeamKind.MOSOVO,
    )
    om2 = user_create(actor=None, username="om.east", password="x" * 16, force=sup.force)
    membership_add(
        actor=None, user=om2, team=team, role=Role.objects.get(pk=RoleCode.OFFENDER_MANAGER)
    )
    return team, om2


def test_a_supervisor_moves_an_rso_to_another_team(
    rso: Registration, world: Any, as_user: Any
) -> None:
    team, om2 = _second_team(world)
    url = reverse("api:rso-move", kwargs={"pk": rso.pk})
    data = {"team": str(team.pk), "offender_manager": om2.pk, "reason": "Moved east"}
    assert post(as_user("offender_manager"), url, data).status_code == 403
    client = as_user("mosovo_supervisor")
    wrong = post(client, url, {**data, "offender_manager": world.users["offender_manager"].pk})
    assert (wrong.status_code, set(wrong.json())) == (400, {"offender_manager"})
    beta_team = _beta()[1]
    elsewhere = post(client, url, {**data, "team": str(beta_team.pk)})
    assert (elsewhere.status_code, set(elsewhere.json())) == (400, {"team"})
    response = post(client, url, data)
    assert response.status_code == 200, response.content
    assert (response.json()["team"], response.json()["offender_manager"]) == (str(team.pk), om2.pk)
    assert audited("rso.transferred", rso)


def _ask(world: Any, rso: Registration) -> Transfer:
    return services.transfer_request(
        actor=world.users["offender_manager"],
        registration=rso,
        to_force=_beta()[0],
        reason="Moving to Beta Town",
    )


def test_another_force_is_asked_to_take_an_rso(rso: Registration, world: Any, as_user: Any) -> None:
    client = as_user("offender_manager")
    url = reverse("api:rso-transfer", kwargs={"pk": rso.pk})
    unknown = post(client, url, {"to_force": "gamma", "reason": "Moving"})
    assert (unknown.status_code, set(unknown.json())) == (400, {"to_force"})
    home = post(client, url, {"to_force": "alpha", "reason": "Moving"})
    assert (home.status_code, set(home.json())) == (400, {"to_force"})
    blank = post(client, url, {"to_force": "beta", "reason": " "})
    assert (blank.status_code, set(blank.json())) == (400, {"reason"})
    response = post(client, url, {"to_force": str(_beta()[0].pk), "reason": "Moving to Beta"})
    assert response.status_code == 201, response.content
    assert {k: response.json()[k] for k in ("status", "from_force", "to_force", "name")} == {
        "status": "pending",
        "from_force": "alpha",
        "to_force": "beta",
        "name": "TREGARTHEN, Ned",
    }
    assert audited("rso.transfer_requested", rso)
    twice = post(client, url, {"to_force": "beta", "reason": "Again"})
    assert (twice.status_code, set(twice.json())) == (400, {"to_force"})


def test_both_forces_list_a_transfer_with_only_what_the_receiver_needs(
    rso: Registration, world: Any, as_user: Any, beta_supervisor: User
) -> None:
    transfer = _ask(world, rso)
    url = reverse("api:rso-transfers")
    (incoming,) = as_user(beta_supervisor).get(url).json()["results"]
    assert set(incoming) == {
        "id",
        "status",
        "name",
        "date_of_birth",
        "register_reference",
        "risk_level",
        "from_force",
        "to_force",
        "reason",
        "requested_on",
        "decided_on",
    }
    assert (incoming["id"], incoming["register_reference"], incoming["risk_level"]) == (
        str(transfer.pk),
        "SYN-API",
        "medium",
    )
    outgoing = as_user("offender_manager").get(url).json()["results"]
    assert [t["id"] for t in outgoing] == [str(transfer.pk)]
    listed = AuditEvent.objects.filter(event="nominal.listed", detail__via="api transfers")
    assert {(e.actor_id, tuple(e.people)) for e in listed} == {
        (beta_supervisor.pk, (str(rso.nominal_id),)),
        (world.users["offender_manager"].pk, (str(rso.nominal_id),)),
    }
    # a move within the force is on the record, not among the transfers
    team, om2 = _second_team(world)
    services.transfer_decline(actor=beta_supervisor, transfer=transfer, note="Not ours")
    services.registration_transfer(
        actor=world.users["mosovo_supervisor"],
        registration=rso,
        team=team,
        offender_manager=om2,
        reason="Moved",
    )
    for client in (as_user("offender_manager"), as_user(beta_supervisor)):
        assert [t["status"] for t in client.get(url).json()["results"]] == ["declined"]


def test_a_limited_records_transfer_is_hidden_from_those_kept_out(
    world: Any, as_user: Any, beta_supervisor: User
) -> None:
    limited = world.limited.registration
    ask = {"registration": limited, "to_force": _beta()[0], "reason": "Moving"}
    first = services.transfer_request(actor=world.users["offender_manager"], **ask)
    excluded, om = as_user("excluded"), as_user("offender_manager")
    url = reverse("api:rso-transfers")
    assert excluded.get(url).json()["results"] == []
    decline = reverse("api:rso-transfer-decline", kwargs={"pk": first.pk})
    assert post(excluded, decline, {"note": "Withdrawn"}).status_code == 404
    assert post(om, decline, {"note": "Withdrawn"}).status_code == 200
    # once accepted, the record's lists name Beta's people: it leaves Alpha's lists
    second = services.transfer_request(actor=world.users["offender_manager"], **ask)
    _, beta_team = _beta()
    accept = reverse("api:rso-transfer-accept", kwargs={"pk": second.pk})
    accepted = post(as_user(beta_supervisor), accept, {"team": str(beta_team.pk)})
    assert accepted.status_code == 200, accepted.content
    assert om.get(url).json()["results"] == []
    assert excluded.get(url).json()["results"] == []
    assert {t["id"] for t in as_user(beta_supervisor).get(url).json()["results"]} == {
        str(first.pk),
        str(second.pk),
    }


def test_the_receiving_force_accepts(
    rso: Registration, world: Any, as_user: Any, beta_supervisor: User
) -> None:
    transfer = _ask(world, rso)
    url = reverse("api:rso-transfer-accept", kwargs={"pk": transfer.pk})
    beta, beta_team = _beta()
    refused = post(as_user("mosovo_supervisor"), url, {"team": str(rso.team_id)})
    assert refused.status_code == 404  # the sending force does not accept for Beta
    client = as_user(beta_supervisor)
    assert set(post(client, url, {"note": "x"}).json()) == {"team"}
    own_team = post(client, url, {"team": str(rso.team_id)})  # not a team Beta may name
    assert (own_team.status_code, set(own_team.json())) == (400, {"team"})
    response = post(client, url, {"team": str(beta_team.pk), "note": "Accepted"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    rso.refresh_from_db()
    assert (rso.force_id, rso.team_id) == (beta.pk, beta_team.pk)
    assert audited("rso.transfer_accepted", rso)
    again = post(client, url, {"team": str(beta_team.pk)})
    assert (again.status_code, set(again.json())) == (400, {"note"})


def test_the_receiving_force_declines_or_the_sender_withdraws(
    rso: Registration, world: Any, as_user: Any, beta_supervisor: User
) -> None:
    first = _ask(world, rso)
    url = reverse("api:rso-transfer-decline", kwargs={"pk": first.pk})
    client = as_user(beta_supervisor)
    blank = post(client, url)
    assert (blank.status_code, set(blank.json())) == (400, {"note"})
    # in the receiving force, declining needs a supervisor's verb
    assert post(as_user("other_force"), url, {"note": "No"}).status_code == 403
    response = post(client, url, {"note": "Not our area"})
    assert (response.status_code, response.json()["status"]) == (200, "declined")
    assert audited("rso.transfer_declined", rso)
    second = _ask(world, rso)
    url = reverse("api:rso-transfer-decline", kwargs={"pk": second.pk})
    # in the sending force, withdrawing needs an offender manager's verb
    assert post(as_user("head_of_pp"), url, {"note": "No"}).status_code == 403
    response = post(as_user("offender_manager"), url, {"note": "The move fell through"})
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
    assert audited("rso.transfer_withdrawn", rso)


# --- another force's records ----------------------------------------------------------------


def _breach(world: Any, rso: Registration) -> Breach:
    return services.breach_record(
        actor=world.users["offender_manager"],
        registration=rso,
        identified_at=NOW,
        kind=BreachKind.OTHER,
        details="Synthetic",
    )


# Each endpoint naming one of force A's records, as (url name, the id it takes).
ELSEWHERE: list[tuple[str, Callable[[Any, Registration], Any]]] = [
    ("api:rso-detail", lambda w, r: r.pk),
    ("api:rso-breaches", lambda w, r: r.pk),
    ("api:rso-move", lambda w, r: r.pk),
    ("api:rso-transfer", lambda w, r: r.pk),
    ("api:rso-notifications", lambda w, r: r.pk),
    ("api:rso-visit-review", lambda w, r: _visit(w, r, TODAY, compliant=False).pk),
    ("api:rso-visit-authorise", lambda w, r: _visit(w, r, TODAY, compliant=False).pk),
    ("api:rso-visit-assess", lambda w, r: _visit(w, r, TODAY, compliant=False).pk),
    ("api:rso-visit-warrant", lambda w, r: _visit(w, r, TODAY, compliant=False).pk),
    (
        "api:rso-arms-review",
        lambda w, r: (
            services.arms_complete(
                actor=w.users["offender_manager"],
                registration=r,
                completed_on=TODAY,
                priority="low",
                summary="s",
            ).pk
        ),
    ),
    (
        "api:rso-rmp-review",
        lambda w, r: (
            services.rmp_complete(
                actor=w.users["offender_manager"], registration=r, completed_on=TODAY, actions="a"
            ).pk
        ),
    ),
    (
        "api:rso-pnd-check-assess",
        lambda w, r: (
            services.pnd_check_record(
                actor=w.users["offender_manager"], registration=r, checked_on=TODAY, result="r"
            ).pk
        ),
    ),
    ("api:rso-breach-visor", lambda w, r: _breach(w, r).pk),
]


@pytest.mark.parametrize(("name", "make"), ELSEWHERE, ids=[n for n, _ in ELSEWHERE])
def test_another_forces_records_are_404(
    name: str,
    make: Callable[[Any, Registration], Any],
    rso: Registration,
    world: Any,
    as_user: Any,
    beta_supervisor: User,
) -> None:
    """Force B's supervisor holds every verb, and still finds nothing of force A's."""
    url = reverse(name, kwargs={"pk": make(world, rso)})
    client = as_user(beta_supervisor)
    if name == "api:rso-detail":
        assert client.patch(url, {"version": 1}, content_type="application/json").status_code == 404
    else:
        assert post(client, url, {}).status_code == 404


def test_an_id_that_is_no_id_is_404(rso: Registration, as_user: Any) -> None:
    client = as_user("mosovo_supervisor")
    for name in ("api:rso-visit-review", "api:rso-breach-visor", "api:rso-transfer-accept"):
        assert post(client, reverse(name, kwargs={"pk": "not-an-id"})).status_code == 404


def test_the_registration_is_ended_then_takes_no_new_work(
    rso: Registration, world: Any, as_user: Any
) -> None:
    client = as_user("offender_manager")
    url = reverse("api:rso-end", kwargs={"pk": rso.pk})
    refused = client.post(url, {"ended_on": "2026-11-20"}, content_type="application/json")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    ended = client.post(
        url,
        {"ended_on": "2026-11-20", "reason": "Notification period over"},
        content_type="application/json",
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["ended_on"] == "2026-11-20"
    assert audited("rso.registration_ended", rso)
    late = client.post(
        reverse("api:rso-arms", kwargs={"pk": rso.pk}),
        {"completed_on": "2026-11-21", "priority": "low", "summary": "Synthetic"},
        content_type="application/json",
    )
    assert late.status_code == 400
    assert "ended on 20 Nov 2026" in late.content.decode()


def test_an_arms_is_drafted_then_completed(rso: Registration, world: Any, as_user: Any) -> None:
    client = as_user("offender_manager")
    drafted = client.post(
        reverse("api:rso-arms", kwargs={"pk": rso.pk}),
        {"draft": True, "summary": "Started"},
        content_type="application/json",
    )
    assert drafted.status_code == 201, drafted.content
    assert drafted.json()["is_draft"] is True
    assert audited("rso.arms_drafted", rso)
    url = reverse("api:rso-arms-complete", kwargs={"pk": drafted.json()["id"]})
    refused = client.post(url, {"summary": "Done"}, content_type="application/json")
    assert refused.status_code == 400
    assert "completed_on" in refused.json()
    done = client.post(
        url,
        {"completed_on": "2026-11-27", "priority": "medium", "summary": "Done"},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["is_draft"] is False


def test_a_client_giving_only_the_day_is_still_served(
    rso: Registration, world: Any, as_user: Any
) -> None:
    """`recorded_on` (the day only) is what clients sent before times were kept: still
    accepted, judged by the day."""
    client = as_user("offender_manager")
    made = post(
        client,
        reverse("api:rso-breaches", kwargs={"pk": rso.pk}),
        {"identified_at": "2026-11-27T09:00:00Z", "kind": BreachKind.OTHER, "details": "x"},
    )
    visor = reverse("api:rso-breach-visor", kwargs={"pk": made.json()["id"]})
    entered = post(client, visor, {"recorded_on": "2026-11-28"})
    assert entered.status_code == 200, entered.content
    assert entered.json()["recorded_nationally_on"] == "2026-11-28"
    assert entered.json()["recorded_nationally_at"] is None
