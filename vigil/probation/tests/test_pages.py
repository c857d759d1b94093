"""The partnership's pages and API as each side uses them (issue 14): the partner's inbox,
an exchange raised and answered on the pages, the agreement and its review, the API's boxes.
A partner sees the person as shared, never their record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.probation.models import Exchange
from vigil.probation.tests.helpers import agreement, exchange

pytestmark = pytest.mark.django_db


def test_a_partner_lands_on_their_exchanges_and_answers_one(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 4))
    asked = exchange(world)
    partner = client_for("probation_partner")
    landing = partner.get("/")
    assert landing.status_code == 302
    assert landing["Location"] == reverse("probation:index")
    page = partner.get(reverse("probation:index")).content.decode()
    assert "Current address and employment (test)" in page
    assert "QUENBY, Adrian (SYN-QUENBY)" in page
    # a partner reads no record: the person is named, not linked
    assert reverse("offenders:rso-detail", kwargs={"pk": asked.registration_id}) not in page
    detail = partner.get(reverse("probation:exchange-detail", kwargs={"pk": asked.pk}))
    assert "Answer it" in detail.content.decode()
    assert AuditEvent.objects.filter(
        event="probation.exchange_viewed", person_id=world.nominal.pk
    ).exists()
    assert (
        partner.get(reverse("people:nominal-detail", kwargs={"pk": world.nominal.pk})).status_code
        == 403
    )
    sent = partner.post(
        reverse("probation:exchange-answer", kwargs={"pk": asked.pk}),
        {"answer": "Address confirmed (synthetic)"},
    )
    assert sent.status_code == 302
    asked.refresh_from_db()
    assert asked.answered_by == world.users["probation_partner"]


def test_an_officer_raises_one_on_the_page_naming_the_field_at_fault(
    world: Any, client_for: Any
) -> None:
    agreement(world)
    officer = client_for("offender_manager")
    bad = officer.post(
        reverse("probation:exchange-create"),
        {
            "register_reference": "SYN-NOBODY",
            "kind": "concern",
            "priority": "urgent",
            "summary": "x",
            "detail": "y",
        },
    )
    assert bad.status_code == 200
    assert 'href="#id_register_reference"' in bad.content.decode()
    made = officer.post(
        reverse("probation:exchange-create"),
        {
            "register_reference": "SYN-QUENBY",
            "kind": "concern",
            "priority": "urgent",
            "summary": "Seen near a school (synthetic)",
            "detail": "Please tell us what you hold",
        },
    )
    assert made.status_code == 302
    found = Exchange.objects.get()
    page = officer.get(made["Location"]).content.decode()
    assert "Waiting for probation" in page
    # the officer may open the record it is about
    assert reverse("offenders:rso-detail", kwargs={"pk": found.registration_id}) in page


def test_the_agreement_page_and_a_joint_review(world: Any, client_for: Any) -> None:
    found = agreement(world)
    head = client_for("head_of_pp")
    page = head.get(reverse("probation:agreement")).content.decode()
    assert "1 working day when urgent, 5 when standard" in page
    assert "DS → DI / head of unit" in page
    recorded = head.post(
        reverse("probation:review-create", kwargs={"pk": found.pk}),
        {
            "held_on_day": "1",
            "held_on_month": "12",
            "held_on_year": "2026",
            "period_from_day": "1",
            "period_from_month": "9",
            "period_from_year": "2026",
            "period_to_day": "30",
            "period_to_month": "11",
            "period_to_year": "2026",
            "attendees": "DI, head of PDU (synthetic)",
            "action_1": "Weekly MAPPA list",
            "owner_1": "Head of PDU",
            "due_1": "2027-01-08",
        },
    )
    assert recorded.status_code == 302
    review = head.get(recorded["Location"]).content.decode()
    assert "Weekly MAPPA list" in review
    assert "Exchanges raised in the period, each way" in review


def test_the_api_serves_each_sides_box(world: Any, monkeypatch: Any) -> None:
    from django.test import Client

    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 4))
    asked = exchange(world)
    token = Token.objects.create(user=world.users["probation_partner"])
    client = Client(headers={"Authorization": f"Token {token.key}"})
    inbox = client.get(reverse("api:probation-exchange-list"), {"box": "inbox"}).json()
    (row,) = inbox["results"]
    assert row["id"] == str(asked.pk)
    assert row["shared_as"] == "QUENBY, Adrian (SYN-QUENBY)"
    assert (row["due_on"], row["status"]) == ("2026-12-07", "due_soon")  # the same clock
    assert "registration" not in row
    assert client.get(reverse("api:probation-exchange-list"), {"box": "x"}).status_code == 400
    answered = client.post(
        reverse("api:probation-exchange-answer", kwargs={"pk": asked.pk}),
        {"answer": "Done (synthetic)"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    assert answered.json()["status"] == "met_on_time"


def test_an_officer_raises_one_from_the_rso_record(world: Any, client_for: Any) -> None:
    from vigil.audit.purpose import remember_purpose

    agreement(world)
    officer = client_for("offender_manager")
    session = officer.session
    remember_purpose(session, [world.nominal.pk], "offender_management", "")
    session.save()
    record = officer.get(
        reverse("offenders:rso-detail", kwargs={"pk": world.nominal.registration.pk})
    ).content.decode()
    link = f"{reverse('probation:exchange-create')}?reference=SYN-QUENBY"
    assert link in record
    form = officer.get(link).content.decode()
    assert 'value="SYN-QUENBY"' in form
