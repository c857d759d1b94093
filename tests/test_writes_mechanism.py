"""The declared-writes mechanism refuses declarations that would be open or unchecked
(vigil/writes.py): a write with no verb, and an API action on a record under the viewset's own
that does not say how it hangs from it."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.offenders.writes import PND_CHECK
from vigil.writes import Write, api_action


def test_a_write_names_a_verb() -> None:
    fields: dict[str, Any] = {**PND_CHECK.__dict__, "name": "test.unguarded", "verbs": ()}
    with pytest.raises(ValueError, match="names no verb"):
        Write(**fields)


def test_an_action_on_a_record_under_the_viewsets_own_says_how_it_hangs_from_it() -> None:
    with pytest.raises(ValueError, match="needs `under`"):
        api_action(PND_CHECK, url_path="checks/(?P<check_id>[^/.]+)/x", record="check_id")


def _on_a_referral(world: Any, monkeypatch: Any, client_for: Any, *, suspects: int = 1) -> Any:
    """A triaged referral and the investigator's client, with a stated purpose for the
    suspects named in `suspects` (the first so many)."""
    from vigil.audit.purpose import SESSION_KEY
    from vigil.ocsea import services
    from vigil.ocsea.tests.helpers import freeze, receive, triage

    freeze(monkeypatch)
    referral = receive(world)
    services.suspect_add(
        actor=world.users["investigator"],
        referral=referral,
        details=services.SuspectDetails(age_group="adult", family_name="Second", given_names="S"),
    )
    triage(world, referral, "high")
    client = client_for("investigator")
    session = client.session
    named = list(referral.suspects.order_by("created_at"))[:suspects]
    session[SESSION_KEY] = {
        str(s.nominal_id): {"purpose": "investigation", "detail": ""} for s in named
    }
    session.save()
    return referral, client


def test_a_declared_page_asks_the_purpose_for_every_person_it_is_about(
    world: Any, monkeypatch: Any, client_for: Any
) -> None:
    """A step on a referral shows its suspects: with a purpose stated for one of two, the
    page still asks for the other's."""
    from django.urls import reverse

    referral, client = _on_a_referral(world, monkeypatch, client_for, suspects=1)
    response = client.get(reverse("ocsea:intelligence-create", kwargs={"pk": referral.pk}))
    second = referral.suspects.order_by("created_at")[1]
    assert response.status_code == 302
    assert f"/people/{second.nominal_id}/purpose/" in response["Location"]


def test_a_declared_page_names_a_stale_version_and_saves_nothing(
    world: Any, monkeypatch: Any, client_for: Any
) -> None:
    """A versioned write (the arrest decision) posted from a page read before a colleague's
    change: the page says so at the top, keeps the input, and nothing is saved; posted with
    the current version it is saved."""
    from django.urls import reverse

    referral, client = _on_a_referral(world, monkeypatch, client_for, suspects=2)
    suspect = referral.suspects.order_by("created_at")[0]
    url = reverse("ocsea:arrest-decision", kwargs={"pk": suspect.pk})
    posted = {
        "decision": "arrested",
        "decided_on_day": "28",
        "decided_on_month": "11",
        "decided_on_year": "2026",
    }
    stale = client.post(url, {**posted, "version": suspect.version + 1})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()
    suspect.refresh_from_db()
    assert suspect.arrest_decision == ""
    saved = client.post(url, {**posted, "version": suspect.version})
    assert saved.status_code == 302
    suspect.refresh_from_db()
    assert suspect.arrest_decision == "arrested"
