"""Nominal records: services (validation, history, concurrency, limited access), selectors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import World
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.people import selectors, services
from vigil.people.models import Nominal


def test_create_validates_naming_the_field(world: World) -> None:
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as excinfo:
        services.nominal_create(
            actor=om,
            family_name=" ",
            given_names="",
            date_of_birth=clock.today() + timedelta(days=1),
        )
    assert set(excinfo.value.message_dict) == {"family_name", "given_names", "date_of_birth"}


def test_roles_without_the_verb_cannot_create(world: World) -> None:
    for persona in ("pcc_assurance", "sysadmin", "dpo", "head_of_pp"):
        with pytest.raises(PermissionDenied):
            services.nominal_create(actor=world.users[persona], family_name="A", given_names="B")


def test_review_date_on_29_february_rolls_to_1_march(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2028, 2, 29))
    nominal = services.nominal_create(
        actor=world.users["offender_manager"], family_name="Pell", given_names="Odette"
    )
    assert nominal.review_date == date(2038, 3, 1)


def test_stale_version_is_a_conflict_and_nothing_is_lost(world: World) -> None:
    om = world.users["offender_manager"]
    services.nominal_update(
        actor=om, nominal=world.nominal, expected_version=1, given_names="Adrian James"
    )
    with pytest.raises(ConflictError):
        services.nominal_update(
            actor=om, nominal=world.nominal, expected_version=1, given_names="Overwritten"
        )
    assert Nominal.objects.get(pk=world.nominal.pk).given_names == "Adrian James"


def test_new_home_address_ends_the_previous_one(world: World) -> None:
    om = world.users["offender_manager"]
    current = world.nominal.addresses.get()
    moved = current.valid_from + timedelta(days=100)
    services.address_add(
        actor=om,
        nominal=world.nominal,
        kind="home",
        line_1="2 Sample Road",
        town="Alpha",
        valid_from=moved,
    )
    current.refresh_from_db()
    assert current.valid_to == moved - timedelta(days=1)
    assert world.nominal.addresses.filter(valid_to__isnull=True).count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.address_add(
            actor=om,
            nominal=world.nominal,
            kind="home",
            line_1="3 Mock Way",
            town="Alpha",
            valid_from=moved - timedelta(days=5),
        )
    assert "valid_from" in excinfo.value.message_dict


def test_duplicate_identifier_is_refused_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.identifier_add(
            actor=world.users["offender_manager"],
            nominal=world.limited,
            kind="pnc",
            value="90/1234567a",
        )
    assert "value" in excinfo.value.message_dict


def test_restricted_to_list_hides_the_record_from_everyone_else(world: World) -> None:
    sup = world.users["mosovo_supervisor"]
    om = world.users["offender_manager"]
    services.nominal_set_limited_access(
        actor=sup,
        nominal=world.nominal,
        limited=True,
        reason="Witness protection",
        restricted_to=[om],
        expected_version=world.nominal.version,
    )
    visible = lambda u: set(selectors.nominal_list(user=u).values_list("pk", flat=True))  # noqa: E731
    assert world.nominal.pk in visible(om)
    assert world.nominal.pk in visible(sup)  # the setter stays on the list
    assert world.nominal.pk not in visible(world.users["investigator"])
    assert world.nominal.pk not in visible(world.users["head_of_pp"])


def test_limited_access_validation(world: World) -> None:
    sup = world.users["mosovo_supervisor"]
    with pytest.raises(ValidationError) as excinfo:
        services.nominal_set_limited_access(
            actor=sup,
            nominal=world.nominal,
            limited=True,
            reason="",
            excluded_from=[sup],
            expected_version=world.nominal.version,
        )
    assert {"reason", "excluded_from"} <= set(excinfo.value.message_dict)
    with pytest.raises(ValidationError):
        services.nominal_set_limited_access(
            actor=sup,
            nominal=world.nominal,
            limited=True,
            reason="x",
            excluded_from=[world.users["other_force"]],
            expected_version=world.nominal.version,
        )


def test_search_by_name_alias_identifier_and_postcode(world: World) -> None:
    om = world.users["offender_manager"]
    services.alias_add(
        actor=om, nominal=world.nominal, kind="alias", family_name="Grendow", given_names=""
    )
    for query in ("quenby", "Grendow", "90/1234567A", "zz99 1aa", "Adrian Quenby"):
        assert list(selectors.nominal_list(user=om, query=query)) == [world.nominal], query


def test_create_page_shows_errors_by_field_and_saves_nothing(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    response = client.post(
        reverse("people:nominal-create"),
        {
            "family_name": "",
            "given_names": "Ann",
            "sex": "female",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "1990",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"family_name", "date_of_birth"}
    assert not Nominal.objects.filter(given_names="Ann").exists()


def test_create_then_view_over_the_api(world: World, client_for: Any) -> None:
    client = client_for("investigator")
    created = client.post(
        reverse("api:nominal-list"),
        {
            "family_name": "Ostrelford",
            "given_names": "Juno",
            "sex": "female",
            "date_of_birth": "1991-05-04",
            "pnc": "91/7654321B",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    stale = client.patch(
        reverse("api:nominal-detail", kwargs={"pk": pk}),
        {"version": 0, "given_names": "J"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = client.post(
        reverse("api:nominal-addresses", kwargs={"pk": pk}),
        {"kind": "home", "line_1": "1 Test", "town": "", "valid_from": "2020-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "town" in bad.json()


def test_api_change_answers_with_the_new_version_not_the_record(
    world: World, client_for: Any
) -> None:
    client = client_for("offender_manager")
    url = reverse("api:nominal-detail", kwargs={"pk": world.nominal.pk})
    response = client.patch(
        url, {"version": 1, "given_names": "Adrian John"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"id": str(world.nominal.pk), "version": 2}


def test_api_search_needs_a_query(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    assert client.get(reverse("api:nominal-list")).status_code == 400
    assert client.get(reverse("api:nominal-list"), {"q": "Q\x00"}).status_code == 400
    found = client.get(reverse("api:nominal-list"), {"q": "quenby"}).json()
    assert [n["family_name"] for n in found["results"]] == ["Quenby"]


def test_the_limited_access_endpoint_requires_the_version(world: World) -> None:
    """Two people changing one record's access lists at once must not silently overwrite
    each other: the version read is required, as on every other record write."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    url = reverse("api:nominal-limited-access", kwargs={"pk": world.nominal.pk})
    body = {"limited": True, "reason": "Synthetic", "restricted_to": ["offender_manager"]}
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 400
    assert set(missing.json()) == {"version"}
    stale = client.post(
        url, {**body, "version": world.nominal.version - 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    done = client.post(
        url, {**body, "version": world.nominal.version}, content_type="application/json"
    )
    assert done.status_code == 200


def test_an_address_without_its_kind_is_a_400_naming_it(world: World) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.users["offender_manager"])
    response = client.post(
        reverse("api:nominal-addresses", kwargs={"pk": world.nominal.pk}),
        {"line_1": "2 Example Row", "town": "Alpha", "valid_from": "2026-11-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind"}
