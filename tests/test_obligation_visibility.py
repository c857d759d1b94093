"""An obligation is visible exactly when its subject is (issue 10: the leak through a
referral's obligations). A referral is visible only to someone who may see every suspect on
it; its obligations, and its bails' obligations, follow it on every page and endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.audit.purpose import SESSION_KEY
from vigil.obligations.models import Obligation
from vigil.ocsea import services
from vigil.ocsea.models import Referral
from vigil.ocsea.tests.helpers import freeze, receive
from vigil.people import services as people


@pytest.fixture
def two_suspects(world: Any, monkeypatch: Any) -> Referral:
    """Suspect 2 of 2 is restricted to the OCSEA supervisor: the investigator may see
    suspect 1 but not the referral."""
    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    second = people.nominal_create(
        actor=world.users["ocsea_triage"], family_name="Hollinrake", given_names="Syn"
    )
    services.suspect_add(
        actor=world.users["ocsea_triage"],
        referral=referral,
        details=services.SuspectDetails(age_group="adult", nominal=second),
    )
    people.nominal_set_limited_access(
        actor=world.users["ocsea_supervisor"],
        nominal=second,
        limited=True,
        reason="Synthetic: restricted to the supervisor",
        restricted_to=[world.users["ocsea_supervisor"]],
        expected_version=second.version,
    )
    return referral


def _client(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    session = client.session
    session[SESSION_KEY] = {str(world.nominal.pk): {"purpose": "supervision", "detail": ""}}
    session.save()
    return client


def test_the_referral_and_its_work_are_hidden_alike(world: Any, two_suspects: Referral) -> None:
    investigator, supervisor = world.users["investigator"], world.users["ocsea_supervisor"]
    work = Obligation.objects.filter(subject_id=two_suspects.pk)
    assert work.exists()
    assert not Referral.objects.visible_to(investigator).filter(pk=two_suspects.pk).exists()
    assert not Obligation.objects.visible_to(investigator).filter(subject_id=two_suspects.pk)
    assert Obligation.objects.visible_to(supervisor).filter(subject_id=two_suspects.pk).exists()


def test_no_page_or_endpoint_shows_the_hidden_referral_s_work(
    world: Any, two_suspects: Referral
) -> None:
    client = _client(world, "investigator")
    work = Obligation.objects.filter(subject_id=two_suspects.pk).first()
    assert work is not None
    assert (
        client.get(reverse("obligations:obligation-detail", kwargs={"pk": work.pk})).status_code
        == 404
    )
    assert client.get(reverse("api:obligation-detail", kwargs={"pk": work.pk})).status_code == 404
    waive = client.post(
        reverse("api:obligation-waive", kwargs={"pk": work.pk}),
        {"rationale": "x", "version": work.version},
        content_type="application/json",
    )
    assert waive.status_code == 404  # not 400: that would confirm it exists
    for page in (reverse("obligations:my-work"), reverse("obligations:team-worklist")):
        html = client.get(page).content.decode()
        assert two_suspects.reference not in html
        assert "suspect 2 of 2" not in html
    listed = client.get(reverse("api:obligation-list"), {"page_size": 500}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert str(two_suspects.pk) not in {row["subject_id"] for row in rows}


# --- no one owns work they cannot see ---------------------------------------------------------


def _restricted_person(world: Any, *allowed: str) -> Any:
    person = people.nominal_create(
        actor=world.users["offender_manager"], family_name="Ashgrove", given_names="Syn"
    )
    people.nominal_set_limited_access(
        actor=world.users["mosovo_supervisor"],
        nominal=person,
        limited=True,
        reason="Synthetic: restricted",
        restricted_to=[world.users[a] for a in allowed],
        expected_version=person.version,
    )
    return person


def _register(world: Any, person: Any, manager: Any) -> Any:
    from datetime import date

    from vigil.offenders import services as rso

    om = world.users["offender_manager"]
    return rso.registration_create(
        actor=world.users["mosovo_supervisor"],
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2026, 11, 2),
        conviction_date=date(2026, 11, 2),
        disposal="custody_6_to_30_months",
        risk_level="medium",
        offender_manager=manager,
        in_community_since=date(2026, 11, 2),
    )


def test_a_limited_access_rso_is_not_given_to_an_officer_kept_out(
    world: Any, monkeypatch: Any
) -> None:
    from django.core.exceptions import ValidationError

    from vigil.offenders import services as rso

    freeze(monkeypatch)
    person = _restricted_person(world, "mosovo_supervisor")
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as refused:
        _register(world, person, om)
    assert "cannot see this record" in refused.value.message_dict["offender_manager"][0]
    registration = _register(world, person, None)
    with pytest.raises(ValidationError, match="cannot see this record"):
        rso.registration_update(
            actor=world.users["mosovo_supervisor"],
            registration=registration,
            expected_version=registration.version,
            offender_manager_id=om.pk,
        )


def test_limited_access_cannot_keep_out_the_owner_of_open_work(
    world: Any, monkeypatch: Any
) -> None:
    from django.core.exceptions import ValidationError

    freeze(monkeypatch)
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Ashgrove", given_names="Syn")
    _register(world, person, om)
    with pytest.raises(ValidationError) as refused:
        people.nominal_set_limited_access(
            actor=world.users["mosovo_supervisor"],
            nominal=person,
            limited=True,
            reason="Synthetic",
            restricted_to=[world.users["head_of_pp"]],
            expected_version=person.version,
        )
    assert "own open work on it" in refused.value.message_dict["restricted_to"][0]
    person.refresh_from_db()
    assert not person.limited_access  # nothing half-saved
    people.nominal_set_limited_access(  # keeping the manager on the list is fine
        actor=world.users["mosovo_supervisor"],
        nominal=person,
        limited=True,
        reason="Synthetic",
        restricted_to=[om],
        expected_version=person.version,
    )


def test_an_investigation_is_not_allocated_to_an_officer_kept_out(
    world: Any, two_suspects: Referral
) -> None:
    from django.core.exceptions import ValidationError

    from vigil.ocsea.tests.helpers import ocsea_team

    with pytest.raises(ValidationError) as refused:
        services.referral_allocate(
            actor=world.users["ocsea_supervisor"],
            referral=two_suspects,
            team=ocsea_team(world),
            officer=world.users["investigator"],
        )
    assert "cannot see this referral" in refused.value.message_dict["officer"][0]


def test_the_api_names_the_field(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch)
    person = _restricted_person(world, "mosovo_supervisor")
    registration = _register(world, person, None)
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    response = client.patch(
        reverse("api:rso-detail", kwargs={"pk": registration.pk}),
        {"version": registration.version, "offender_manager": world.users["offender_manager"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot see this record" in str(response.json()["offender_manager"])
