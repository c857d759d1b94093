"""List pages do a fixed number of queries however many rows they show (no N+1)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from vigil.people import services as people


def _queries(client: Any, url: str, data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def test_nominal_search_page(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    url = reverse("people:nominal-list")
    om = world.users["offender_manager"]
    people.nominal_create(actor=om, family_name="Brominby", given_names="First")
    one = _queries(client, url, {"q": "Brominby"})
    for i in range(12):
        n = people.nominal_create(
            actor=om, family_name="Brominby", given_names=f"N{i}", identifiers=[("local", f"L{i}")]
        )
        people.address_add(
            actor=om,
            nominal=n,
            kind="home",
            line_1=f"{i} Mock Way",
            town="Alpha",
            valid_from=n.review_date.replace(year=2020),
        )
    many = _queries(client, url, {"q": "Brominby"})
    assert many == one


def test_audit_log_page(world: World, client_for: Any) -> None:
    client = client_for("dpo")
    url = reverse("audit:event-list")
    first = _queries(client, url, {"action": "security"})
    for i in range(10):
        client_for("offender_manager").get(reverse("obligations:my-work"))
        people.nominal_create(
            actor=world.users["offender_manager"], family_name="Marnby", given_names=f"M{i}"
        )
    assert _queries(client, url, {}) == first
