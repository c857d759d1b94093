"""The instrument pages and API: who may see them (`view_ocsea`), what they show, and a pack
that is not loaded as a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import World
from vigil.policy.pack import active as active_policy

ALLOWED = ["ocsea_triage", "investigator", "ocsea_supervisor", "head_of_pp"]
REFUSED = ["offender_manager", "mosovo_supervisor", "dpo", "sysadmin", "pcc_assurance"]


@pytest.mark.parametrize("persona", ALLOWED)
def test_the_list_shows_every_loaded_pack(persona: str, world: World, client_for: Any) -> None:
    response = client_for(persona).get(reverse("instruments:pack-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "KIRAT (illustrative)" in html
    assert "Prioritisation tool for child suspects (illustrative)" in html
    assert html.count('<strong class="govuk-tag govuk-tag--yellow">Illustrative</strong>') == 2
    assert "2026.1-illustrative" in html
    assert "Child suspects" in html
    assert reverse("instruments:pack-detail", kwargs={"code": "kirat"}) in html


@pytest.mark.parametrize("persona", REFUSED)
def test_pages_need_view_ocsea(persona: str, world: World, client_for: Any) -> None:
    client = client_for(persona)
    assert client.get(reverse("instruments:pack-list")).status_code == 403
    detail = reverse("instruments:pack-detail", kwargs={"code": "kirat"})
    assert client.get(detail).status_code == 403


def test_pages_send_the_signed_out_to_sign_in(world: World, client_for: Any) -> None:
    response = client_for("anonymous").get(reverse("instruments:pack-list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_detail_shows_the_pack_in_full(world: World, client_for: Any) -> None:
    response = client_for("ocsea_triage").get(
        reverse("instruments:pack-detail", kwargs={"code": "kirat"})
    )
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert "Step 2: Access to children" in html
    assert "Has the suspect current access to children?" in html
    assert "Lives with children: <strong>4 points</strong>" in html
    assert "The suspect has current unsupervised access to children" in html  # an override
    assert "ocsea.action_days_by_band.very_high" in html
    # each band's timescale as the policy in force has it
    policy = active_policy()["ocsea.action_days_by_band"]
    assert f"{policy['high']} days<br><code" in html
    assert f"{policy['very_high']} day<br><code" in html
    assert "20 or more" in html  # very high's scores
    assert "This pack is illustrative" in html
    assert response.context["pack"].digest in html


def test_a_pack_that_is_not_loaded_is_404(world: World, client_for: Any) -> None:
    client = client_for("ocsea_triage")
    assert (
        client.get(reverse("instruments:pack-detail", kwargs={"code": "nope"})).status_code == 404
    )
    url = reverse("api:instrument-detail", kwargs={"code": "nope"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ALLOWED)
def test_the_api_lists_the_packs(persona: str, world: World, client_for: Any) -> None:
    response = client_for(persona).get(reverse("api:instrument-list"))
    assert response.status_code == 200
    body = response.json()
    assert [p["code"] for p in body] == ["kirat", "prioritisation-tool"]
    assert body[1]["applies_to"] == ["child"]
    assert body[0]["illustrative"] is True
    assert body[0]["shipped"] is True
    assert len(body[0]["digest"]) == 64


def test_the_api_gives_one_pack_in_full(world: World, client_for: Any) -> None:
    response = client_for("investigator").get(
        reverse("api:instrument-detail", kwargs={"code": "prioritisation-tool"})
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "ocsea_prioritisation"
    assert [s["id"] for s in body["sections"]] == [
        "referral",
        "harmful_sexual_behaviour",
        "access_to_children",
        "suspect_safeguarding",
    ]
    first = body["sections"][0]["items"][0]
    assert first["id"] == "age_gap"
    assert first["options"][2] == {
        "id": "over_four_years",
        "label": "More than 4 years",
        "points": 4,
        "flags": ["significant_age_gap"],
    }
    assert {"item": "contact_behaviour", "band": "very_high"}.items() <= body["overrides"][
        0
    ].items()
    policy = active_policy()
    assert [b["code"] for b in body["bands"]] == ["low", "medium", "high", "very_high"]
    assert body["bands"][3]["timescale_value"] == policy["ocsea.action_days_by_band"]["very_high"]
    assert body["bands"][3]["timescale_unit"] == "days"
    assert body["policy_version"] == policy.version
    assert (body["min_score"], body["max_score"]) == (0, 37)


@pytest.mark.parametrize("persona", REFUSED)
def test_the_api_needs_view_ocsea(persona: str, world: World, client_for: Any) -> None:
    client = client_for(persona)
    assert client.get(reverse("api:instrument-list")).status_code == 403
    url = reverse("api:instrument-detail", kwargs={"code": "kirat"})
    assert client.get(url).status_code == 403


def test_the_api_refuses_the_signed_out(world: World, client_for: Any) -> None:
    assert client_for("anonymous").get(reverse("api:instrument-list")).status_code == 401
