"""The OCSEA pages a referral goes through, from receipt to outcome, as the triage officer,
the investigator and the OCSEA supervisor."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.audit.purpose import SESSION_KEY
from vigil.core.models import Area
from vigil.instruments.packs import get_pack
from vigil.ocsea.models import Bail, Referral, Suspect
from vigil.ocsea.tests.helpers import TODAY, answers_for, freeze, ocsea_team


def _client(world: Any, persona: str, *nominals: Any) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    session = client.session
    session[SESSION_KEY] = {str(n.pk): {"purpose": "investigation", "detail": ""} for n in nominals}
    session.save()
    return client


def _date(prefix: str, day: Any) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def _state(client: Client, *nominals: Any) -> None:
    session = client.session
    stated = session.get(SESSION_KEY, {})
    stated.update({str(n.pk): {"purpose": "investigation", "detail": ""} for n in nominals})
    session[SESSION_KEY] = stated
    session.save()


def test_a_referral_from_receipt_to_outcome_in_the_browser(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch)
    triage = _client(world, "ocsea_triage")
    queue = triage.get(reverse("ocsea:triage-queue"))
    assert queue.status_code == 200
    refused = triage.post(reverse("ocsea:referral-create"), {"source": "nca_ceop"})
    assert refused.status_code == 200
    assert (
        "Enter a summary" in refused.content.decode()
        or "Enter the summary" in refused.content.decode()
    )
    response = triage.post(
        reverse("ocsea:referral-create"),
        {
            "source": "nca_ceop",
            "source_reference": "NCA-SYN-9",
            **_date("received_on", TODAY),
            "received_time": "09:15",
            "summary": "Synthetic: a platform reports uploads",
            "category_a": "1",
            "category_b": "0",
            "category_c": "4",
            "ocsea_team": ocsea_team(world).pk,
            "family_name": "Oakhurst",
            "given_names": "Lyle",
            "age_group": "adult",
            "online_identifiers": "lyle@example.test",
            "children": "Girl, about 13",
        },
    )
    referral = Referral.objects.get(source_reference="NCA-SYN-9")
    assert response.status_code == 302
    suspect = referral.suspects.get()
    detail_url = reverse("ocsea:referral-detail", kwargs={"pk": referral.pk})
    asked = triage.get(detail_url)
    assert asked.status_code == 302
    assert "purpose" in asked["Location"]
    _state(triage, suspect.nominal)
    page = triage.get(detail_url).content.decode()
    assert "Assessment due" in page
    assert "ocsea.assessment_days" in page
    assert AuditEvent.objects.filter(event="nominal.viewed", person_id=suspect.nominal_id).exists()

    triage_url = reverse("ocsea:referral-triage", kwargs={"pk": referral.pk})
    form = triage.get(triage_url).content.decode()
    assert "Step 1" in form
    assert "illustrative" in form
    unanswered = triage.post(triage_url, {})
    assert unanswered.status_code == 200
    answers = answers_for(get_pack("kirat"), "high")
    done = triage.post(triage_url, {f"item_{k}": v for k, v in answers.items()})
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.band == "high"
    assert "Action due (high band)" in triage.get(detail_url).content.decode()

    supervisor = _client(world, "ocsea_supervisor", suspect.nominal)
    allocate = supervisor.post(
        reverse("ocsea:allocate", kwargs={"pk": referral.pk}),
        {"team": ocsea_team(world).pk, "officer": world.users["investigator"].pk, "reason": ""},
    )
    assert allocate.status_code == 302

    investigator = _client(world, "investigator", suspect.nominal)
    mine = investigator.get(reverse("ocsea:investigation-list")).content.decode()
    assert referral.reference in mine
    assert (
        investigator.post(
            reverse("ocsea:review-create", kwargs={"pk": referral.pk}),
            {
                "kind": "pre_enforcement",
                **_date("reviewed_on", TODAY),
                "band": "high",
                "notes": "Ready",
            },
        ).status_code
        == 302
    )
    assert (
        investigator.post(
            reverse("ocsea:enforcement-create", kwargs={"pk": referral.pk}),
            {
                **_date("enforced_on", TODAY),
                "warrant": "yes",
                "warrant_reference": "W/SYN/9",
                "outcome": "completed",
                "devices_seized": "2",
                "children_safeguarded": "0",
                "family_present": "yes",
                "notes": "",
            },
        ).status_code
        == 302
    )
    enforcement = referral.enforcements.get()
    assert (
        investigator.post(
            reverse("ocsea:family-member-create", kwargs={"pk": enforcement.pk}),
            {"relationship": "child", "age_band": "5_11", "lives_with_suspect": "yes"},
        ).status_code
        == 302
    )
    suspect.refresh_from_db()
    stale = suspect.version - 1
    arrest_url = reverse("ocsea:arrest-decision", kwargs={"pk": suspect.pk})
    arrest = {"decision": "arrested", **_date("decided_on", TODAY)}
    conflict = investigator.post(arrest_url, {**arrest, "version": stale})
    assert "Someone else changed this record" in conflict.content.decode()
    decided = investigator.post(arrest_url, {**arrest, "version": suspect.version})
    assert decided.status_code == 302
    area = Area.objects.get(force=referral.force)
    assert (
        investigator.post(
            reverse("ocsea:bail-create", kwargs={"pk": suspect.pk}),
            {
                "kind": "bail",
                "area": area.pk,
                "designated": "no",
                "condition_kind": "no_unsupervised_contact",
                "condition_text": "No unsupervised contact with children",
                "condition_protects": "Children in the household",
                "condition_victims_views": "not_applicable",
            },
        ).status_code
        == 302
    )
    bail = Bail.objects.get(suspect=suspect)
    refused = investigator.post(
        reverse("ocsea:bail-extend", kwargs={"pk": bail.pk}),
        {
            "stage": "inspector",
            **_date("authorised_on", TODAY),
            "authoriser_name": "PS Synthetic",
            "authoriser_rank": "sergeant",
            "grounds_to_suspect": "on",
            "further_time_needed": "on",
            "diligent_and_expeditious": "on",
            "bail_necessary_and_proportionate": "on",
        },
    )
    assert refused.status_code == 200
    assert "it needs an inspector or above" in refused.content.decode()
    dashboard = investigator.get(
        reverse("ocsea:bail-dashboard"), {"area": area.pk}
    ).content.decode()
    assert str(suspect.nominal) in dashboard
    bail_page = investigator.get(
        reverse("ocsea:bail-detail", kwargs={"pk": bail.pk})
    ).content.decode()
    assert "bail.initial_period_months" in bail_page
    assert (
        investigator.post(
            reverse("ocsea:bail-end", kwargs={"pk": bail.pk}),
            {**_date("ended_on", TODAY), "reason": "charged", "note": ""},
        ).status_code
        == 302
    )
    assert (
        investigator.post(
            reverse("ocsea:outcome-create", kwargs={"pk": suspect.pk}),
            {
                "outcome": "charged",
                **_date("outcome_on", TODAY),
                "detail": "",
                "version": Suspect.objects.get(pk=suspect.pk).version,
            },
        ).status_code
        == 302
    )
    close_url = reverse("ocsea:referral-close", kwargs={"pk": referral.pk})
    refused = investigator.post(close_url, {**_date("closed_on", TODAY), "note": "Charged"})
    assert refused.status_code == 200
    assert "Signpost support to the suspect&#x27;s family" in refused.content.decode()
    from vigil.ocsea.models import Leaflet, SupportOrganisation

    organisation = SupportOrganisation.objects.create(force=referral.force, name="Synthetic Aid")
    leaflet = Leaflet.objects.create(force=referral.force, title="Support for families")
    assert (
        investigator.post(
            reverse("ocsea:family-support", kwargs={"pk": enforcement.pk}),
            {
                **_date("support_signposted_on", TODAY),
                "support_organisation": organisation.pk,
                **_date("leaflet_given_on", TODAY),
                "leaflet": leaflet.pk,
                **_date("welfare_pack_on", TODAY),
            },
        ).status_code
        == 302
    )
    assert (
        investigator.post(close_url, {**_date("closed_on", TODAY), "note": "Charged"}).status_code
        == 302
    )
    referral.refresh_from_db()
    assert referral.status == "closed"
    timeline = investigator.get(detail_url).content.decode()
    assert "Referral closed" in timeline
    assert "Enforcement: completed" in timeline


def test_a_referral_on_a_limited_access_person_is_hidden_from_those_kept_out(
    world: Any, monkeypatch: Any
) -> None:
    from vigil.accounts.models import Role
    from vigil.accounts.services import membership_add, user_create
    from vigil.obligations.models import Obligation
    from vigil.ocsea.tests.helpers import receive
    from vigil.people import services as people

    freeze(monkeypatch)
    kept_out = user_create(
        actor=None, username="kept.out", password="x" * 16, force=world.nominal.force
    )
    membership_add(
        actor=None, user=kept_out, team=ocsea_team(world), role=Role.objects.get(pk="investigator")
    )
    person = people.nominal_create(
        actor=world.users["ocsea_triage"], family_name="Hidwell", given_names="Sam"
    )
    people.nominal_set_limited_access(
        actor=world.users["ocsea_supervisor"],
        nominal=person,
        limited=True,
        reason="Synthetic: a colleague's relative",
        excluded_from=[kept_out],
    )
    referral = receive(world, nominal=person)
    assert Referral.objects.visible_to(kept_out).filter(pk=referral.pk).count() == 0
    assert (
        Referral.objects.visible_to(world.users["investigator"]).filter(pk=referral.pk).count() == 1
    )
    assert not Obligation.objects.visible_to(kept_out).filter(subject_id=referral.pk).exists()
    client = Client()
    client.force_login(kept_out)
    _state(client, person)
    url = reverse("ocsea:referral-detail", kwargs={"pk": referral.pk})
    assert client.get(url).status_code == 404
    assert referral.reference not in client.get(reverse("ocsea:triage-queue")).content.decode()
    suspect = referral.suspects.get()
    assert (
        client.get(reverse("ocsea:arrest-decision", kwargs={"pk": suspect.pk})).status_code == 404
    )
    colleague = _client(world, "investigator", person)
    assert colleague.get(url).status_code == 200


def test_the_person_record_links_to_their_referrals(world: Any, monkeypatch: Any) -> None:
    from vigil.ocsea.tests.helpers import receive

    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    url = reverse("people:nominal-detail", kwargs={"pk": world.nominal.pk})
    page = _client(world, "ocsea_triage", world.nominal).get(url).content.decode()
    assert f"Referral {referral.reference}" in page
    assert f"/ocsea/referrals/new/?nominal={world.nominal.pk}" in page
    page = _client(world, "offender_manager", world.nominal).get(url).content.decode()
    assert referral.reference not in page
    start = _client(world, "ocsea_triage", world.nominal).get(
        reverse("ocsea:referral-create"), {"nominal": world.nominal.pk}
    )
    assert start.status_code == 200
    assert "from their person record" in start.content.decode()


def test_a_review_can_rerun_the_instrument_from_the_page(world: Any, monkeypatch: Any) -> None:
    from vigil.ocsea.tests.helpers import receive, triage

    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    triage(world, referral, "low")
    client = _client(world, "investigator", world.nominal)
    review_page = client.get(reverse("ocsea:review-create", kwargs={"pk": referral.pk}))
    url = reverse("ocsea:review-rescore", kwargs={"pk": referral.pk})
    assert url in review_page.content.decode()
    refused = client.post(url, {"kind": "periodic", **_date("reviewed_on", TODAY)})
    assert "What the review found" in refused.content.decode()
    answers = answers_for(get_pack("kirat"), "very_high")
    done = client.post(
        url,
        {
            "kind": "periodic",
            **_date("reviewed_on", TODAY),
            "notes": "Device examination found more",
            **{f"item_{k}": v for k, v in answers.items()},
        },
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.band == "very_high"
