"""The declared-writes mechanism refuses declarations that would be open or unchecked
(vigil/writes.py): a write with no verb, and an API action on a record under the viewset's own
that does not say how it hangs from it."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.audit.purpose import SESSION_KEY
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
    page still asks for the other's; with none stated, one question names both."""
    from django.urls import reverse

    referral, client = _on_a_referral(world, monkeypatch, client_for, suspects=1)
    response = client.get(reverse("ocsea:intelligence-create", kwargs={"pk": referral.pk}))
    second = referral.suspects.order_by("created_at")[1]
    assert response.status_code == 302
    assert f"/people/{second.nominal_id}/purpose/" in response["Location"]

    session = client.session
    session[SESSION_KEY] = {}
    session.save()
    response = client.get(reverse("ocsea:intelligence-create", kwargs={"pk": referral.pk}))
    asked = client.get(response["Location"])
    both = [s.nominal for s in referral.suspects.order_by("created_at")]
    assert asked.status_code == 200
    assert all(str(n) in asked.content.decode() for n in both)
    assert b"these records" in asked.content
    done = client.post(
        reverse("people:purpose"),
        {"person": [str(n.pk) for n in both], "purpose": "investigation", "next": "/"},
    )
    assert done["Location"] == "/"
    assert (
        client.get(reverse("ocsea:intelligence-create", kwargs={"pk": referral.pk})).status_code
        == 200
    )


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


def test_a_page_without_its_own_api_shares_a_declared_endpoints_service() -> None:
    """A second page of a write (a risk review re-scored with the instrument) names no API:
    another declaration of the same service serves it, so no write is page-only."""
    from vigil.writes import registry

    writes = registry()
    served = {write.service for write in writes if write.api}
    assert [w.name for w in writes if not w.api and w.service not in served] == []


def test_a_write_done_to_no_record_is_not_an_action_and_a_change_is_a_patch() -> None:
    from vigil.ocsea.writes import RECEIVE
    from vigil.writes import api_update

    with pytest.raises(ValueError, match="api_create"):
        api_action(RECEIVE, url_path="receive")
    with pytest.raises(ValueError, match="PATCH"):
        api_update(PND_CHECK)


def test_a_draft_is_found_only_while_it_is_one(world: Any, client_for: Any) -> None:
    """The declaration's `where`: a completed ARMS assessment is not a draft to continue
    (404 on the page and the API), while a draft is."""
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from vigil.audit.purpose import SESSION_KEY

    registration = world.registration(world.nominal)
    done = registration.arms.get()
    draft = registration.arms.create(
        force_id=registration.force_id, completed_by=world.users["offender_manager"]
    )
    client = client_for("offender_manager")
    session = client.session
    session[SESSION_KEY] = {str(world.nominal.pk): {"purpose": "supervision", "detail": ""}}
    session.save()
    page = "offenders:arms-continue"
    assert client.get(reverse(page, kwargs={"pk": done.pk})).status_code == 404
    assert client.get(reverse(page, kwargs={"pk": draft.pk})).status_code == 200
    token = Token.objects.create(user=world.users["offender_manager"])
    api = client_for("anonymous")
    answer = api.post(
        reverse("api:rso-arms-complete", kwargs={"pk": done.pk}),
        {"completed_on": "2026-11-20", "priority": "high", "summary": "Synthetic"},
        content_type="application/json",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert answer.status_code == 404


def test_a_draft_saved_from_the_page_stays_a_draft_and_completing_it_is_audited(
    world: Any, client_for: Any
) -> None:
    from django.urls import reverse

    from vigil.audit.models import AuditEvent
    from vigil.audit.purpose import SESSION_KEY

    registration = world.registration(world.nominal)
    client = client_for("offender_manager")
    session = client.session
    session[SESSION_KEY] = {str(world.nominal.pk): {"purpose": "supervision", "detail": ""}}
    session.save()
    url = reverse("offenders:arms-create", kwargs={"pk": registration.pk})
    saved = client.post(url, {"summary": "Half written (synthetic)", "save": "draft"})
    assert saved.status_code == 302
    draft = registration.arms.get(summary="Half written (synthetic)")
    assert draft.is_draft
    assert AuditEvent.objects.filter(event="rso.arms_drafted", object_id=str(draft.pk)).exists()
    page = client.get(reverse("offenders:arms-continue", kwargs={"pk": draft.pk}))
    assert "Half written (synthetic)" in page.content.decode()
    assert "Save as a draft" in page.content.decode()


def test_the_service_refusal_is_shown_on_the_pages_own_field(
    world: Any, monkeypatch: Any, client_for: Any
) -> None:
    """`page_errors`: the bail page asks for one condition where the service takes a list;
    a refusal of the first condition is shown on the page's condition field."""
    from django.urls import reverse

    referral, client = _on_a_referral(world, monkeypatch, client_for, suspects=2)
    suspect = referral.suspects.order_by("created_at")[0]
    from vigil.ocsea import services

    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="arrested",
        decided_on=suspect.referral.received_at.date(),
    )
    area = referral.area
    response = client.post(
        reverse("ocsea:bail-create", kwargs={"pk": suspect.pk}),
        {"kind": "bail", "area": str(area.pk), "condition_kind": "curfew"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "condition_text" in form.errors, form.errors
    assert not any(name.startswith("condition_0") for name in form.errors)


def test_every_api_write_is_a_declared_one() -> None:
    """Every viewset method that takes a body (POST, PUT, PATCH, DELETE) is served from a
    declaration (vigil/writes.py): no hand-written API write."""
    from config.api_urls import router

    hand_written, checked = [], 0
    for prefix, viewset, _basename in router.registry:
        allowed = set(viewset.http_method_names)
        handlers = {
            name: method
            for name, method in (
                ("create", "post"),
                ("update", "put"),
                ("partial_update", "patch"),
                ("destroy", "delete"),
            )
            if hasattr(viewset, name) and method in allowed
        }
        for extra in viewset.get_extra_actions():
            for method in set(extra.mapping) - {"get", "head", "options"}:
                handlers[extra.mapping[method]] = method
        for name, method in handlers.items():
            if name == "update" and method == "put" and "put" not in allowed:
                continue
            checked += 1
            if not hasattr(getattr(viewset, name), "write"):
                hand_written.append(f"{method.upper()} {prefix} {name}")
    assert hand_written == []
    from vigil.writes import registry

    assert checked == len([write for write in registry() if write.api])  # each looked at once


def test_a_guard_refuses_before_the_purpose_is_asked(world: Any, client_for: Any) -> None:
    """`WritePage.guard`: a person already on the register goes to their record, with no
    purpose asked and no consultation logged for a page they never see."""
    from django.urls import reverse

    from vigil.audit.models import AuditEvent

    registration = world.registration(world.nominal)
    client = client_for("offender_manager")  # no purpose stated in this session
    before = AuditEvent.objects.count()
    response = client.get(reverse("offenders:registration-create", kwargs={"pk": world.nominal.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("offenders:rso-detail", kwargs={"pk": registration.pk})
    assert AuditEvent.objects.count() == before
