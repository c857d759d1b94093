"""RSO management on the obligation engine: services, rules and their dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.obligations.sync import sync
from vigil.offenders import services
from vigil.offenders.models import Disposal, ManagementMode, Registration
from vigil.people import services as people
from vigil.policy.pack import load

PACK = load()


@pytest.fixture
def rso(world: Any, monkeypatch: Any) -> Registration:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 28))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 28, 12, tzinfo=UTC))
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Ostrowick", given_names="Percy")
    return services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2025, 11, 30),
        conviction_date=date(2025, 9, 1),
        disposal=Disposal.CUSTODY_6_TO_30,
        risk_level="high",
        offender_manager=om,
        register_reference="syn-0001",
        in_community_since=date(2025, 11, 30),
    )


def _open(rso: Registration, kind: str) -> list[Obligation]:
    return list(Obligation.objects.open().filter(subject_id=rso.pk, kind=kind).order_by("due_date"))


def test_registration_sets_the_first_visit_and_arms(rso: Registration) -> None:
    visit = _open(rso, "rso.visit")
    assert [o.due_date for o in visit] == [date(2026, 2, 28)]  # 30 Nov + 3 months: month end
    assert visit[0].policy_keys == ["rso.home_visit_months"]
    arms = _open(rso, "rso.arms")
    assert [o.due_date for o in arms] == [date(2025, 12, 28)]  # 28 days
    assert arms[0].owner_user_id == rso.offender_manager_id
    assert AuditEvent.objects.filter(event="rso.registered", person_id=rso.nominal_id).exists()


def test_a_visit_meets_the_due_visit_and_sets_the_next(rso: Registration, world: Any) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    services.visit_record(
        actor=om,
        registration=rso,
        visited_at=datetime(2026, 2, 27, 19, tzinfo=UTC),
        announced=False,
        officers=[om, sup],
        access_gained=True,
    )
    met = Obligation.objects.get(subject_id=rso.pk, kind="rso.visit", met_date__isnull=False)
    assert met.met_date == date(2026, 2, 27)
    assert met.due_date == date(2026, 2, 28)
    assert [o.due_date for o in _open(rso, "rso.visit")] == [date(2026, 5, 27)]
    review = _open(rso, "rso.review")
    assert [o.due_date for o in review] == [date(2026, 3, 27)]  # a month to review it
    assert review[0].owner_user_id is None  # the team's supervisors


def test_a_failed_visit_does_not_meet_the_obligation(rso: Registration, world: Any) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    services.visit_record(
        actor=om,
        registration=rso,
        visited_at=datetime(2026, 2, 20, 10, tzinfo=UTC),
        announced=False,
        officers=[om, sup],
        access_gained=False,
    )
    assert [o.due_date for o in _open(rso, "rso.visit")] == [date(2026, 2, 28)]


def test_the_rmp_sets_the_visit_frequency(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    services.arms_complete(
        actor=om,
        registration=rso,
        completed_on=date(2025, 12, 10),
        priority="high",
        summary="Synthetic summary",
    )
    rmp_due = _open(rso, "rso.rmp")
    assert [o.due_date for o in rmp_due] == [date(2025, 12, 24)]  # 14 days after ARMS
    services.rmp_complete(
        actor=om,
        registration=rso,
        completed_on=date(2025, 12, 20),
        actions="Synthetic actions",
        visit_frequency_months=1,
    )
    assert [o.due_date for o in _open(rso, "rso.visit")] == [date(2025, 12, 30)]
    assert _open(rso, "rso.visit")[0].policy_keys == []  # set by the plan, not the policy
    assert [o.due_date for o in _open(rso, "rso.rmp")] == [date(2026, 6, 20)]  # review
    assert [o.due_date for o in _open(rso, "rso.arms")] == [date(2026, 12, 10)]  # review


def test_a_supervisor_reviews_others_work_only(rso: Registration, world: Any) -> None:
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    arms = services.arms_complete(
        actor=sup, registration=rso, completed_on=date(2025, 12, 10), priority="high", summary="s"
    )
    with pytest.raises(ValidationError):
        services.work_review(actor=sup, work=arms, note="")  # their own
    with pytest.raises(PermissionDenied):
        services.work_review(actor=om, work=arms)
    services.work_review(actor=world.users["head_of_pp"], work=arms, note="Agreed")
    assert not _open(rso, "rso.review")


def test_a_non_compliant_visit_is_authorised_then_assessed(rso: Registration, world: Any) -> None:
    om, sup, head = (
        world.users[u] for u in ("offender_manager", "mosovo_supervisor", "head_of_pp")
    )
    visit = services.visit_record(
        actor=om,
        registration=rso,
        visited_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        announced=True,
        officers=[om],
        access_gained=True,
    )
    assert [o.label for o in _open(rso, "rso.visit_authorisation")] == [
        "Authorise a non-compliant visit"
    ]
    with pytest.raises(PermissionDenied):
        services.visit_authorise(actor=om, visit=visit, rationale="x")
    services.visit_authorise(actor=sup, visit=visit, rationale="Dog on premises; risk to officer")
    assert not _open(rso, "rso.visit_authorisation")
    assessment = _open(rso, "rso.visit_assessment")
    assert [o.due_date for o in assessment] == [date(2026, 11, 28) + timedelta(days=28)]
    services.visit_assess(actor=head, visit=visit, assessment="Reasonable")
    assert not _open(rso, "rso.visit_assessment")


def test_reactive_management_stops_routine_visits(rso: Registration) -> None:
    Registration.objects.filter(pk=rso.pk).update(management_mode=ManagementMode.REACTIVE)
    rso.refresh_from_db()
    assert sync(rso).withdrawn == 1
    assert not _open(rso, "rso.visit")


def test_the_register_follows_the_persons_access(rso: Registration, world: Any) -> None:
    assert rso in Registration.objects.visible_to(world.users["offender_manager"])
    assert world.limited.registration not in Registration.objects.visible_to(
        world.users["excluded"]
    )
    assert not Registration.objects.visible_to(world.users["other_force"]).exists()
    assert not Registration.objects.visible_to(world.users["pcc_assurance"]).exists()


def test_registration_validation_names_the_field(world: Any) -> None:
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(
            actor=om,
            nominal=world.nominal,
            team=om.memberships.get().team,
            registration_date=date(2020, 1, 1),
            conviction_date=date(2020, 6, 1),
            disposal="life",
            risk_level="extreme",
            mappa_category=5,
        )
    assert {"disposal", "risk_level", "registration_date", "mappa_category"} <= set(
        excinfo.value.message_dict
    )


def test_add_months_corresponds_to_the_date() -> None:
    from vigil.core.dates import add_months

    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_the_api_records_a_visit_and_shows_what_is_due(world: Any, client_for: Any) -> None:
    from django.urls import reverse

    client = client_for("offender_manager")
    registration = world.nominal.registration
    url = reverse("api:rso-detail", kwargs={"pk": registration.pk})
    assert client.get(url).status_code == 400  # no stated purpose
    record = client.get(url, headers={"X-Vigil-Purpose": "offender_management"}).json()
    assert any(o["kind"] == "rso.visit" for o in record["open_obligations"])
    response = client.post(
        reverse("api:rso-visits", kwargs={"pk": registration.pk}),
        {
            "visited_at": "2024-07-01T19:30:00+01:00",
            "announced": False,
            "officers": ["offender_manager", "mosovo_supervisor"],
            "access_gained": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["completed_on"] == "2024-07-01"
    caseload = client.get(reverse("api:rso-list")).json()
    assert {r["name"] for r in caseload["results"]} == {"QUENBY, Adrian", "VARLOWICK, Maud"}


def test_the_caseload_logs_each_person_listed(world: Any, client_for: Any) -> None:
    from django.urls import reverse

    client_for("offender_manager").get(reverse("offenders:rso-list"))
    (listed,) = AuditEvent.objects.filter(event="nominal.listed", detail__via="caseload")
    assert set(listed.people) == {str(world.nominal.pk), str(world.limited.pk)}


def test_authorisation_and_assessment_happen_once(world: Any) -> None:
    visit = world.nominal.registration.visits.get()
    sup, head = world.users["mosovo_supervisor"], world.users["head_of_pp"]
    services.visit_authorise(actor=sup, visit=visit, rationale="Lone officer: risk assessed")
    with pytest.raises(ValidationError):
        services.visit_authorise(actor=sup, visit=visit, rationale="Again")
    services.visit_assess(actor=head, visit=visit, assessment="Reasonable")
    with pytest.raises(ValidationError):
        services.visit_assess(actor=head, visit=visit, assessment="Again")


def test_notifications_initial_then_yearly(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    due = _open(rso, "rso.notification")
    assert [(o.label, o.due_date) for o in due] == [
        ("Initial notification", date(2025, 12, 2)),  # 3 days beginning with 30 Nov (s.83)
        ("Periodic notification", date(2026, 11, 30)),  # a year from the relevant date
    ]
    services.notification_record(
        actor=om, registration=rso, kind="initial", made_on=date(2025, 12, 2)
    )
    services.notification_record(
        actor=om, registration=rso, kind="periodic", made_on=date(2026, 11, 20)
    )
    assert [o.due_date for o in _open(rso, "rso.notification")] == [date(2027, 11, 20)]


def test_no_fixed_abode_means_weekly_notification(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    people.address_add(
        actor=om,
        nominal=rso.nominal,
        kind="nfa",
        line_1="",
        town="Alpha",
        valid_from=date(2026, 11, 1),
    )
    services.notification_record(
        actor=om, registration=rso, kind="initial", made_on=date(2025, 12, 2)
    )
    services.notification_record(
        actor=om, registration=rso, kind="periodic", made_on=date(2026, 11, 23)
    )
    due = _open(rso, "rso.notification")
    assert [o.due_date for o in due] == [date(2026, 11, 30)]
    assert due[0].policy_keys == ["rso.no_fixed_abode_notification_days"]


def test_pnd_checks_yearly_at_each_arms_and_assessed(rso: Registration, world: Any) -> None:
    om = world.users["offender_manager"]
    assert [o.due_date for o in _open(rso, "rso.pnd")] == [date(2026, 11, 30)]
    services.arms_complete(
        actor=om, registration=rso, completed_on=date(2026, 1, 10), priority="high", summary="s"
    )
    labels = {o.label: o.due_date for o in _open(rso, "rso.pnd")}
    assert labels["PND check for the ARMS"] == date(2026, 1, 24)  # within the window
    check = services.pnd_check_record(
        actor=om, registration=rso, checked_on=date(2026, 1, 15), result="No trace (synthetic)"
    )
    labels = {o.label: o.due_date for o in _open(rso, "rso.pnd")}
    assert "PND check for the ARMS" not in labels
    assert labels["PND check"] == date(2027, 1, 15)
    assert labels["Assess a PND result"] == date(2026, 1, 22)
    services.pnd_assess(actor=om, check=check, assessment="Nothing new")
    assert "Assess a PND result" not in {o.label for o in _open(rso, "rso.pnd")}


def test_intelligence_on_an_active_rso_brings_the_arms_forward(
    rso: Registration, world: Any
) -> None:
    om = world.users["offender_manager"]
    services.intelligence_record(
        actor=om,
        registration=rso,
        received_on=date(2026, 11, 1),
        source="Force intelligence",
        grading="C3 1",
        summary="Synthetic",
    )
    review = [o for o in _open(rso, "rso.arms") if o.rule_id == "rso.arms.intelligence"]
    assert [o.due_date for o in review] == [date(2026, 11, 29)]  # 28 days
    services.arms_complete(
        actor=om, registration=rso, completed_on=date(2026, 11, 20), priority="high", summary="s"
    )
    assert not [o for o in _open(rso, "rso.arms") if o.rule_id == "rso.arms.intelligence"]


def test_the_register_is_searched_by_name_reference_and_identifier(
    world: Any, client_for: Any
) -> None:
    """As People is searched, and audited the same way; a search looks through the whole
    force the user may see (limited access still holds)."""
    from django.urls import reverse

    client = client_for("mosovo_supervisor")
    url = reverse("offenders:rso-list")
    found = client.get(url, {"q": "quenby"}).content.decode()
    assert "QUENBY, Adrian" in found
    assert "VARLOWICK" not in found
    assert "QUENBY, Adrian" in client.get(url, {"q": " syn-QUENBY "}).content.decode()
    nothing = client.get(url, {"q": "Nobody"}).content.decode()
    assert "No record in the force matches" in nothing
    (searched,) = AuditEvent.objects.filter(
        event="nominal.searched", detail__via="rso register", detail__query="quenby"
    )
    assert set(searched.people) == {str(world.nominal.pk)}
    answer = client.get(reverse("api:rso-list"), {"q": "Quenby"}).json()
    assert [r["name"] for r in answer["results"]] == ["QUENBY, Adrian"]
    assert client.get(reverse("api:rso-list"), {"q": "x" * 101}).status_code == 400
    kept_out = client_for("excluded").get(url, {"q": "varlowick"}).content.decode()
    assert "VARLOWICK" not in kept_out
