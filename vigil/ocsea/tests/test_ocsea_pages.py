"""The OCSEA pages a referral goes through, from receipt to outcome, as the triage officer,
the investigator and the OCSEA supervisor."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.audit.purpose import SESSION_KEY
from vigil.core.models import Area
from vigil.instruments.packs import get_pack
from vigil.ocsea import services
from vigil.ocsea.models import Bail, Referral, Suspect
from vigil.ocsea.tests.helpers import NOW, TODAY, answers_for, freeze, ocsea_team, receive, triage


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
    # the suspect the triage officer has just entered is not asked about; the view is still
    # a consultation, of a record they have just added
    page = triage.get(detail_url).content.decode()
    assert "Assessment due" in page
    assert "ocsea.assessment_days" in page
    viewed = AuditEvent.objects.get(event="nominal.viewed", person_id=suspect.nominal_id)
    assert viewed.purpose == "created"

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
            "conditions": list(services.EXTENSION_CONDITIONS),
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
        expected_version=person.version,
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


# --- The smaller gaps (issue 9) ------------------------------------------------------------


def _arrested(world: Any, monkeypatch: Any) -> Suspect:
    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    triage(world, referral, "high")
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=TODAY
    )
    return suspect


def test_add_a_suspect_offers_only_people_the_user_may_see(world: Any, monkeypatch: Any) -> None:
    from vigil.audit.models import AuditEvent
    from vigil.people import services as people

    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    supervisor = world.users["ocsea_supervisor"]
    seen = people.nominal_create(actor=supervisor, family_name="Quillane", given_names="Rory")
    hidden = people.nominal_create(actor=supervisor, family_name="Quillane", given_names="Ada")
    people.nominal_set_limited_access(
        actor=supervisor,
        nominal=hidden,
        limited=True,
        reason="Synthetic: a colleague's relative",
        excluded_from=[world.users["investigator"]],
        expected_version=hidden.version,
    )
    client = _client(world, "investigator", world.nominal)
    url = reverse("ocsea:suspect-create", kwargs={"pk": referral.pk})
    page = client.get(url).content.decode()
    assert 'role="search"' in page
    assert "Is the suspect one of these people?" not in page  # nothing searched yet
    found = client.get(url, {"q": "quillane"}).content.decode()
    assert "QUILLANE, Rory" in found
    assert "QUILLANE, Ada" not in found
    assert f'value="{seen.pk}"' in found
    assert f'value="{hidden.pk}"' not in found
    assert 'class="govuk-radios__input"' in found
    assert "1 person found" in found
    search = AuditEvent.objects.filter(event="nominal.searched").latest("seq")
    assert search.detail["via"] == "ocsea add a suspect"
    assert search.people == [str(seen.pk)]  # and not the one the user may not see

    refused = client.post(f"{url}?q=quillane", {"nominal": str(hidden.pk), "age_group": "adult"})
    assert refused.status_code == 200
    assert "Choose a person record you can see" in refused.content.decode()
    both = client.post(
        f"{url}?q=quillane",
        {"nominal": str(seen.pk), "family_name": "Other", "age_group": "adult"},
    )
    assert "Either choose a person record or enter a new person" in both.content.decode()
    assert referral.suspects.count() == 1
    searches = AuditEvent.objects.filter(event="nominal.searched").count()
    done = client.post(f"{url}?q=quillane", {"nominal": str(seen.pk), "age_group": "adult"})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(event="nominal.searched").count() == searches  # not again
    assert set(referral.suspects.values_list("nominal_id", flat=True)) == {
        world.nominal.pk,
        seen.pk,
    }
    assert (
        not type(seen)
        .objects.filter(family_name="Quillane")
        .exclude(pk__in=[seen.pk, hidden.pk])
        .exists()
    )  # no new person record was made


def test_add_a_suspect_still_makes_a_new_person(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    client = _client(world, "ocsea_triage", world.nominal)
    url = reverse("ocsea:suspect-create", kwargs={"pk": referral.pk})
    done = client.post(
        f"{url}?q=nobody-matches",
        {"nominal": "new", "family_name": "Brackwater", "given_names": "Ian", "age_group": "adult"},
    )
    assert done.status_code == 302
    added = referral.suspects.get(nominal__family_name="Brackwater")
    _state(client, added.nominal)
    online = client.post(url, {"age_group": "adult", "online_identifiers": "syn@example.test"})
    assert online.status_code == 302
    assert referral.suspects.filter(nominal__family_name="UNIDENTIFIED").exists()


def test_the_extension_conditions_are_one_checkbox_group(world: Any, monkeypatch: Any) -> None:
    suspect = _arrested(world, monkeypatch)
    bail = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=Area.objects.get(force=suspect.force),
    )
    client = _client(world, "investigator", world.nominal)
    url = reverse("ocsea:bail-extend", kwargs={"pk": bail.pk})
    page = client.get(url).content.decode()
    assert page.count('<div class="govuk-checkboxes" data-module="govuk-checkboxes">') == 1
    assert page.count('name="conditions"') == 4
    assert "Which of the conditions for the extension are met?</legend>" in page
    assert 'name="grounds_to_suspect"' not in page
    freeze(monkeypatch, TODAY + timedelta(days=10), NOW + timedelta(days=10))
    post = {
        "stage": "inspector",
        **_date("authorised_on", TODAY + timedelta(days=10)),
        "authoriser_name": "Insp Synthetic",
        "authoriser_rank": "inspector",
    }
    refused = client.post(
        url, {**post, "conditions": ["grounds_to_suspect", "diligent_and_expeditious"]}
    ).content.decode()
    message = (
        "Select all four conditions for the extension (not selected: further time is needed "
        "for the investigation; bail is still necessary and proportionate)"
    )
    assert refused.count(message) == 2  # the error summary and the group's own message
    assert 'href="#id_conditions_0"' in refused
    assert 'id="id_conditions_error"' in refused
    assert refused.count("govuk-error-message") == 1
    assert not bail.extensions.exists()
    done = client.post(url, {**post, "conditions": list(services.EXTENSION_CONDITIONS)})
    assert done.status_code == 302
    extension = bail.extensions.get()
    assert all(getattr(extension, name) for name in services.EXTENSION_CONDITIONS)


def test_a_ratification_is_dated_on_the_page(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    triage(world, referral, "high")
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Voluntary interview",
    )
    freeze(monkeypatch, TODAY + timedelta(days=9), NOW + timedelta(days=9))
    client = _client(world, "ocsea_supervisor", world.nominal)
    url = reverse("ocsea:arrest-ratify", kwargs={"pk": suspect.pk})
    page = client.get(url).content.decode()
    assert 'name="ratified_on_day" value="7"' in page  # today, 7 Dec 2026, unless changed
    early = client.post(url, {**_date("ratified_on", TODAY - timedelta(days=1)), "note": "OK"})
    assert "the day of the decision it ratifies" in early.content.decode()
    done = client.post(url, {**_date("ratified_on", TODAY + timedelta(days=1)), "note": "OK"})
    assert done.status_code == 302
    suspect.refresh_from_db()
    assert suspect.ratified_on == TODAY + timedelta(days=1)


def test_a_vulnerability_found_later_is_recorded_on_the_page(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch)
    referral = receive(world, nominal=world.nominal)
    triage(world, referral, "high")
    enforcement = services.enforcement_record(
        actor=world.users["investigator"],
        referral=referral,
        enforced_on=TODAY,
        outcome="completed",
        warrant=False,
        family_present=True,
    )
    member = services.family_member_add(
        actor=world.users["investigator"],
        enforcement=enforcement,
        relationship="child",
        age_band="5_11",
    )
    client = _client(world, "investigator", world.nominal)
    url = reverse("ocsea:family-vulnerability", kwargs={"pk": member.pk})
    detail = client.get(reverse("ocsea:referral-detail", kwargs={"pk": referral.pk}))
    assert url in detail.content.decode()
    refused = client.post(url, {**_date("vulnerability_identified_on", TODAY)})
    assert "Enter the vulnerability identified" in refused.content.decode()
    done = client.post(
        url,
        {"vulnerability": "Disclosed contact", **_date("vulnerability_identified_on", TODAY)},
        follow=True,
    )
    assert "a MARF is due by 29 Nov 2026" in done.content.decode()
    member.refresh_from_db()
    assert member.vulnerability_identified_on == TODAY
    assert reverse("ocsea:marf-create", kwargs={"pk": member.pk}) in done.content.decode()


def test_ending_a_bail_as_charged_on_the_page_says_the_outcome(
    world: Any, monkeypatch: Any
) -> None:
    suspect = _arrested(world, monkeypatch)
    bail = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=Area.objects.get(force=suspect.force),
    )
    freeze(monkeypatch, TODAY + timedelta(days=3), NOW + timedelta(days=3))
    client = _client(world, "investigator", world.nominal)
    url = reverse("ocsea:bail-end", kwargs={"pk": bail.pk})
    assert 'value="bailed"' not in client.get(url).content.decode()
    done = client.post(
        url, {**_date("ended_on", TODAY + timedelta(days=3)), "reason": "charged"}, follow=True
    )
    assert "outcome is recorded as charged (1 Dec 2026)" in done.content.decode()
    suspect.refresh_from_db()
    assert suspect.outcome == "charged"


def test_bail_from_release_under_investigation_on_the_page(world: Any, monkeypatch: Any) -> None:
    suspect = _arrested(world, monkeypatch)
    rui = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="rui",
        area=Area.objects.get(force=suspect.force),
        released_on=TODAY,
    )
    day = date(2027, 1, 11)
    freeze(monkeypatch, day, NOW + (day - TODAY))
    client = _client(world, "investigator", world.nominal)
    detail = client.get(reverse("ocsea:bail-detail", kwargs={"pk": rui.pk})).content.decode()
    url = reverse("ocsea:bail-rebail", kwargs={"pk": rui.pk})
    assert url in detail
    page = client.get(url).content.decode()
    assert "The bail start date stays <strong>Sun 29 Nov 2026</strong>" in page
    assert "ends <strong>Sun 28 Feb 2027</strong>" in page
    assert (
        'value="bailed"'
        not in client.get(reverse("ocsea:bail-end", kwargs={"pk": rui.pk})).content.decode()
    )
    refused = client.post(
        url, {**_date("bailed_on", day), "area": rui.area_id, "condition_kind": "curfew"}
    )
    assert "Enter the condition as imposed" in refused.content.decode()
    done = client.post(
        url,
        {
            **_date("bailed_on", day),
            **_date("rearrested_on", day),
            "area": rui.area_id,
            "designated": "no",
            "condition_kind": "curfew",
            "condition_text": "Indoors 20:00 to 07:00",
            "condition_victims_views": "not_applicable",
        },
        follow=True,
    )
    text = done.content.decode()
    assert "The bail start date stays 29 Nov 2026" in text
    assert "the bail period ends 28 Feb 2027" in text
    bail = Bail.objects.get(suspect=suspect, kind="bail")
    assert (bail.start_date, bail.rebailed_on, bail.rearrested_on) == (
        date(2026, 11, 29),
        day,
        day,
    )
    assert "Bailed on 11 Jan 2027 from release under investigation" in text  # its own page
    rui.refresh_from_db()
    assert (rui.ended_on, rui.end_reason) == (day, "bailed")


def test_referrals_are_searched_by_reference_and_suspect(world: Any, monkeypatch: Any) -> None:
    """Every referral, closed ones too, by Vigil's or the source's reference or a suspect's
    name; audited as People's search is; on the page and in the API."""
    freeze(monkeypatch)
    wanted = receive(world, family_name="Pendragwyn")
    receive(world, family_name="Other")
    Referral.objects.filter(pk=wanted.pk).update(status="closed")
    client = _client(world, "ocsea_supervisor")
    url = reverse("ocsea:investigation-list")
    assert wanted.reference not in client.get(url, {"scope": "all"}).content.decode()  # closed
    for query in ("pendragwyn", wanted.reference.lower()):
        found = client.get(url, {"q": query}).content.decode()
        assert wanted.reference in found
        assert "1 referral matching" in found
    assert "No referral matches" in client.get(url, {"q": "Nobody at all"}).content.decode()
    (searched,) = AuditEvent.objects.filter(
        event="nominal.searched", detail__via="referral search", detail__query="pendragwyn"
    )
    assert set(searched.people) == {str(wanted.suspects.get().nominal_id)}
    api = client.get(reverse("api:ocsea-referral-list"), {"q": "Pendragwyn"}).json()
    assert [r["reference"] for r in api["results"]] == [wanted.reference]
    assert client.get(reverse("api:ocsea-referral-list"), {"q": "x" * 101}).status_code == 400


def test_a_date_relative_to_today_sits_tight_in_its_brackets() -> None:
    from django.template import Context, Template

    page = Template("({% include 'ocsea/_relative.html' with due=due %})").render(
        Context({"due": TODAY + timedelta(days=1), "today": TODAY})
    )
    assert page == "(due tomorrow)"


def test_the_instrument_is_told_the_referrals_image_categories(
    world: Any, monkeypatch: Any
) -> None:
    """KIRAT's question on the most serious category of image is pre-filled from the counts
    the referral was received with, for the officer to confirm; with none, "No images"."""
    freeze(monkeypatch)
    referral = receive(world)  # two category A, ten category C
    url = reverse("ocsea:referral-triage", kwargs={"pk": referral.pk})
    client = _client(world, "ocsea_triage", *[s.nominal for s in referral.suspects.all()])
    page = client.get(url, {"pack_code": "kirat"}).content.decode()
    assert 'name="item_image_category" type="radio" value="category_a" checked' in page
    Referral.objects.filter(pk=referral.pk).update(category_a=0, category_c=0)
    page = client.get(url, {"pack_code": "kirat"}).content.decode()
    assert 'name="item_image_category" type="radio" value="none" checked' in page


def test_the_ocsea_supervisor_has_a_decision_queue(world: Any, monkeypatch: Any) -> None:
    """Like the MOSOVO supervisor's queue: a section per kind of decision, each decision
    linked to the page that makes it (a decision not to arrest, to ratify)."""
    from vigil.ocsea.tests.helpers import TODAY, freeze, receive, triage

    freeze(monkeypatch)
    referral = receive(world)
    triage(world, referral, "high")
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Synthetic: no grounds yet",
    )
    client = Client()
    client.force_login(world.users["ocsea_supervisor"])
    url = reverse("ocsea:decision-queue")
    sections = client.get(url).context["sections"]
    assert set(sections) == {"ratify", "oversight", "triage"}
    assert sections["ratify"].count == 1
    page = client.get(url, {"section": "ratify"}).content.decode()
    assert reverse("ocsea:arrest-ratify", kwargs={"pk": suspect.pk}) in page
    triage_only = Client()
    triage_only.force_login(world.users["ocsea_triage"])
    assert set(triage_only.get(url).context["sections"]) == {"triage"}
