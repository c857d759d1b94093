"""The OCSEA API: a referral followed from receipt to outcome over the API alone, the bail
dashboard and the bail ladder, the purpose a record needs, and the limits: field errors as
400s naming the field, a missing verb as a 403, and another force's referral, a referral on a
person the user is kept from, and anything addressed through the wrong referral as 404s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from vigil.accounts.models import Role, User
from vigil.accounts.services import membership_add
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.models import Area, Force, Team, TeamKind
from vigil.instruments.packs import Pack, get_pack
from vigil.ocsea import services
from vigil.ocsea.models import (
    Bail,
    BailExtension,
    Leaflet,
    Referral,
    ReferralStatus,
    SupportOrganisation,
    Suspect,
)
from vigil.people.models import Nominal

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
ARRESTED = date(2026, 11, 30)  # bail starts 1 December 2026: the first period ends 28 Feb 2027
PURPOSE = {"X-Vigil-Purpose": "investigation"}
NOBODY = "00000000-0000-4000-8000-000000000000"


def _on(monkeypatch: Any, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)
    monkeypatch.setattr(clock, "now", lambda: NOW + (day - TODAY))


@pytest.fixture(autouse=True)
def frozen(monkeypatch: Any) -> None:
    _on(monkeypatch, TODAY)


def answers_for(pack: Pack, band: str) -> dict[str, str]:
    """Answers that score `band` without an override (as vigil/ocsea/tests/helpers.py)."""
    override_items = {o.item for o in pack.overrides}
    items = [item for section in pack.sections for item in section.items]
    answers = {item.id: min(item.options, key=lambda o: o.points).id for item in items}
    target = next(b for b in pack.bands if b.code == band)
    for item in items:
        if pack.score(answers).score >= target.min_score:
            break
        if item.id in override_items:
            continue
        answers[item.id] = max(item.options, key=lambda o: o.points).id
    assert pack.score(answers).band == band, f"no answers give {band}"
    return answers


@pytest.fixture
def as_user(world: Any) -> Callable[[User | str], Client]:
    def make(user: User | str) -> Client:
        client = Client()
        client.force_login(world.users[user] if isinstance(user, str) else user)
        return client

    return make


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def referral_url(name: str, referral: Any, **more: Any) -> str:
    pk = referral["id"] if isinstance(referral, dict) else referral.pk
    return reverse(f"api:ocsea-referral-{name}", kwargs={"pk": pk, **more})


def bail_url(name: str, bail: Any, **more: Any) -> str:
    pk = bail["id"] if isinstance(bail, dict) else bail.pk
    return reverse(f"api:ocsea-bail-{name}", kwargs={"pk": pk, **more})


def ocsea_team(world: Any) -> Team:
    return Team.objects.get(force=world.users["ocsea_triage"].force, kind=TeamKind.OCSEA)


def area(world: Any) -> Area:
    return Area.objects.get(force=world.users["ocsea_triage"].force)


def intake(world: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "source": "nca_ceop",
        "source_reference": "NCA-SYN-API",
        "received_at": "2026-11-28T09:00:00Z",
        "summary": "Synthetic: uploads of indecent images reported by a platform",
        "category_a": 2,
        "category_c": 10,
        "ocsea_team": str(ocsea_team(world).pk),
        "suspects": [
            {
                "family_name": "Tarrant",
                "given_names": "Syn",
                "date_of_birth": "1980-02-03",
                "age_group": "adult",
                "online_identifiers": ["syn.tarrant@example.test", "10.0.0.9"],
            }
        ],
        "children": [{"description": "Unknown girl, about 12", "age": 12}],
    }
    return {**body, **changes}


def receive(world: Any, as_user: Any, **changes: Any) -> dict[str, Any]:
    response = post(
        as_user("ocsea_triage"), reverse("api:ocsea-referral-list"), intake(world, **changes)
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def events(person_id: Any, prefix: str = "ocsea.") -> list[str]:
    return list(
        AuditEvent.objects.filter(person_id=person_id, event__startswith=prefix)
        .order_by("seq")
        .values_list("event", flat=True)
    )


def _arrested_on_bail(world: Any, referral: Referral) -> Bail:
    """Through the services: triaged, the suspect arrested and bailed with a condition."""
    services.referral_triage(
        actor=world.users["ocsea_triage"],
        referral=referral,
        pack_code="kirat",
        answers=answers_for(get_pack("kirat"), "high"),
    )
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=TODAY
    )
    return services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=area(world),
        conditions=[
            services.ConditionDetails(
                kind="no_unsupervised_contact",
                text="No unsupervised contact with any child under 18",
                victims_views="not_applicable",
            )
        ],
    )


# --- the whole journey ----------------------------------------------------------------------


def test_a_referral_from_receipt_to_outcome_over_the_api(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    triage_officer, investigator = as_user("ocsea_triage"), as_user("investigator")
    supervisor = as_user("ocsea_supervisor")

    # Received: numbered, its suspect made a person record, the assessment clock started.
    referral = receive(world, as_user)
    assert (referral["reference"], referral["status"], referral["band"]) == (
        "OC-2026-00001",
        ReferralStatus.RECEIVED,
        "",
    )
    (suspect,) = referral["suspects"]
    assert suspect["name"] == "TARRANT, Syn"
    assert suspect["online_identifiers"] == ["syn.tarrant@example.test", "10.0.0.9"]
    person = suspect["nominal"]
    assert events(person) == ["ocsea.suspect_added", "ocsea.referral_received"]

    queue = triage_officer.get(reverse("api:ocsea-referral-list"), {"view": "triage"}).json()
    (row,) = queue["results"]
    assert row["reference"] == "OC-2026-00001"
    assert row["suspects"] == ["TARRANT, Syn"]
    assert row["clock"]["due"] == "2026-11-29"  # the assessment within a day of receipt
    assert AuditEvent.objects.about(person).filter(event="nominal.listed").exists()

    # Triaged with KIRAT: the band sets the action clock.
    answers = answers_for(get_pack("kirat"), "high")
    response = post(
        triage_officer,
        referral_url("triage", referral),
        {"pack_code": "kirat", "answers": answers},
    )
    assert response.status_code == 201, response.content
    triaged = response.json()
    assert triaged["band"] == "high"
    assert triaged["assessment"]["pack_code"] == "kirat"

    # Allocated to the OCSEA team's investigator, reviewed, enforcement planned.
    response = post(
        supervisor,
        referral_url("allocate", referral),
        {"team": str(ocsea_team(world).pk), "officer": world.users["investigator"].pk},
    )
    assert response.status_code == 201, response.content
    assert response.json()["officer_name"] == str(world.users["investigator"])
    mine = investigator.get(reverse("api:ocsea-referral-list"), {"view": "mine"}).json()
    assert [r["reference"] for r in mine["results"]] == ["OC-2026-00001"]
    assert mine["results"][0]["status"] == ReferralStatus.INVESTIGATING

    response = post(
        investigator,
        referral_url("reviews", referral),
        {"kind": "pre_enforcement", "reviewed_on": "2026-11-28", "notes": "Ready to enforce"},
    )
    assert response.status_code == 201, response.content
    assert (response.json()["band"], response.json()["previous_band"]) == ("high", "high")
    response = post(
        investigator, referral_url("plan-enforcement", referral), {"planned_on": "2026-11-30"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["planned_enforcement_on"] == "2026-11-30"

    # Enforced, with family at the address: a child with a vulnerability, the support given.
    _on(monkeypatch, ARRESTED)
    response = post(
        investigator,
        referral_url("enforcements", referral),
        {
            "enforced_on": "2026-11-30",
            "outcome": "completed",
            "warrant_reference": "W/SYN/1",
            "devices_seized": 3,
            "family_present": True,
        },
    )
    assert response.status_code == 201, response.content
    enforcement = response.json()["id"]
    response = post(
        investigator,
        referral_url("enforcement-family", referral, enforcement_id=enforcement),
        {
            "relationship": "child",
            "age_band": "5_11",
            "vulnerability": "Disclosed contact by the suspect",
            "vulnerability_identified_on": "2026-11-30",
        },
    )
    assert response.status_code == 201, response.content
    member = response.json()["id"]
    force = world.users["investigator"].force
    organisation = SupportOrganisation.objects.create(force=force, name="Synthetic Aid")
    leaflet = Leaflet.objects.create(force=force, title="Support for families")
    offered = investigator.get(reverse("api:ocsea-support-organisation-list")).json()
    assert [o["name"] for o in offered["results"]] == ["Synthetic Aid"]
    response = post(
        investigator,
        referral_url("enforcement-family-support", referral, enforcement_id=enforcement),
        {
            "support_signposted_on": "2026-11-30",
            "support_organisation": str(organisation.pk),
            "leaflet_given_on": "2026-11-30",
            "leaflet": str(leaflet.pk),
            "welfare_pack_on": "2026-11-30",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["support_organisation"] == str(organisation.pk)
    response = post(
        investigator,
        referral_url(
            "enforcement-family-marf", referral, enforcement_id=enforcement, member_id=member
        ),
        {"submitted_on": "2026-11-30", "reference": "MARF/SYN/1"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["marf_reference"] == "MARF/SYN/1"

    # Arrested and bailed from the next day, with a condition.
    response = post(
        investigator,
        referral_url("suspect-arrest-decision", referral, suspect_id=suspect["id"]),
        {"decision": "arrested", "decided_on": "2026-11-30"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["arrest_decision"] == "arrested"
    response = post(
        investigator,
        reverse("api:ocsea-bail-list"),
        {
            "suspect": suspect["id"],
            "kind": "bail",
            "area": str(area(world).pk),
            "conditions": [
                {
                    "kind": "no_unsupervised_contact",
                    "text": "No unsupervised contact with any child under 18",
                    "victims_views": "not_applicable",
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    bail = response.json()
    assert bail["start_date"] == "2026-12-01"
    assert bail["periods"] == [
        {
            "stage": "initial",
            "stage_label": "First period",
            "start": "2026-12-01",
            "end": "2027-02-28",
            "policy_keys": ["bail.initial_period_months"],
        }
    ]
    assert bail["reference"] == "OC-2026-00001"
    (condition,) = bail["conditions"]
    dashboard = investigator.get(reverse("api:ocsea-bail-list")).json()
    (row,) = dashboard["results"]
    assert (row["name"], row["stage"], row["period_end"], row["expired"]) == (
        "TARRANT, Syn",
        "First period",
        "2027-02-28",
        False,
    )
    assert [c["id"] for c in row["conditions"]] == [condition["id"]]

    # Its conditions checked; an extension by a sergeant refused, an inspector's granted.
    _on(monkeypatch, date(2027, 1, 10))
    response = post(
        investigator,
        bail_url("checks", bail),
        {"checked_on": "2027-01-10", "method": "home_visit", "result": "complied"},
    )
    assert response.status_code == 201, response.content
    _on(monkeypatch, date(2027, 2, 10))
    extension = {
        "stage": "inspector",
        "authorised_on": "2027-02-10",
        "authoriser_name": "PS Synthetic",
        "authoriser_rank": "sergeant",
        "grounds_to_suspect": True,
        "further_time_needed": True,
        "diligent_and_expeditious": True,
        "bail_necessary_and_proportionate": True,
    }
    refused = post(investigator, bail_url("extend", bail), extension)
    assert refused.status_code == 400
    assert refused.json() == {
        "authoriser_rank": [
            "A sergeant cannot authorise this extension: it needs an inspector or above"
        ]
    }
    granted = post(
        investigator,
        bail_url("extend", bail),
        {**extension, "authoriser_name": "Insp Synthetic", "authoriser_rank": "inspector"},
    )
    assert granted.status_code == 201, granted.content
    assert granted.json()["authoriser_rank"] == "inspector"
    shown = investigator.get(bail_url("detail", bail), headers=PURPOSE).json()
    assert [(p["stage"], p["start"], p["end"]) for p in shown["periods"]] == [
        ("initial", "2026-12-01", "2027-02-28"),
        ("inspector", "2027-03-01", "2027-05-31"),
    ]
    assert {o["rule_id"] for o in shown["open_obligations"]} >= {"bail.expiry", "bail.check"}

    # Charged: the bail ends and, in the same write, the outcome is recorded; then the
    # referral is closed.
    _on(monkeypatch, date(2027, 3, 1))
    response = post(
        investigator,
        bail_url("end", bail),
        {"ended_on": "2027-03-01", "reason": "charged", "note": "Charged with 3 offences"},
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["ended_on"],
        response.json()["end_reason"],
        response.json()["suspect_outcome"],
    ) == ("2027-03-01", "charged", "charged")
    assert investigator.get(reverse("api:ocsea-bail-list")).json()["count"] == 0
    close = {"closed_on": "2027-03-01", "note": "Charged; case with the CPS"}
    refused = post(investigator, referral_url("close", referral), close)
    assert refused.status_code == 400  # the periodic review of 26 Dec is late: not hidden
    assert "Intelligence and risk review" in refused.json()["closed_on"][0]
    response = post(
        investigator,
        referral_url("reviews", referral),
        {"kind": "periodic", "reviewed_on": "2027-03-01", "notes": "Charged: case to CPS"},
    )
    assert response.status_code == 201, response.content
    response = post(investigator, referral_url("close", referral), close)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ReferralStatus.CLOSED

    # The record in full, with the purpose stated.
    detail = investigator.get(referral_url("detail", referral), headers=PURPOSE)
    assert detail.status_code == 200, detail.content
    full = detail.json()
    assert full["suspects"][0]["outcome"] == "charged"
    assert full["suspects"][0]["outcome_on"] == "2027-03-01"
    assert full["suspects"][0]["outcome_detail"] == "Charged with 3 offences"
    assert full["suspects"][0]["arrest_decided_on"] == "2026-11-30"
    assert [c["description"] for c in full["children"]] == ["Unknown girl, about 12"]
    assert [(r["kind"], r["band"]) for r in full["reviews"]] == [
        ("triage", "high"),
        ("pre_enforcement", "high"),
        ("periodic", "high"),
    ]
    assessment = full["reviews"][0]["assessment"]
    assert (assessment["pack_code"], assessment["band"]) == ("kirat", "high")
    assert assessment["pack_version"]
    assert [a["officer"] for a in full["allocations"]] == [world.users["investigator"].pk]
    (enforced,) = full["enforcements"]
    assert enforced["family"][0]["marf_submitted_on"] == "2026-11-30"
    (bailed,) = full["bails"]
    assert [e["stage"] for e in bailed["extensions"]] == ["inspector"]
    assert [c["result"] for c in bailed["checks"]] == ["complied"]
    assert full["clock"] == {
        "label": "Closed",
        "due": None,
        "met": None,
        "explanation": "Closed on 1 Mar 2027",
    }
    assert full["open_obligations"] == []
    assert AuditEvent.objects.filter(
        event="nominal.viewed", person_id=person, purpose="investigation"
    ).exists()
    assert events(person) == [
        "ocsea.suspect_added",
        "ocsea.referral_received",
        "ocsea.referral_triaged",
        "ocsea.investigation_allocated",
        "ocsea.risk_reviewed",
        "ocsea.enforcement_planned",
        "ocsea.enforcement_recorded",
        "ocsea.family_member_recorded",
        "ocsea.family_support_recorded",
        "ocsea.marf_submitted",
        "ocsea.arrest_decided",
        "ocsea.bail_started",
        "ocsea.bail_condition_imposed",
        "ocsea.bail_conditions_checked",
        "ocsea.bail_extended",
        "ocsea.bail_ended",
        "ocsea.outcome_recorded",
        "ocsea.risk_reviewed",
        "ocsea.referral_closed",
    ]


# --- receipt: what a body may name -----------------------------------------------------------


def test_receiving_names_each_field_in_error(world: Any, as_user: Any) -> None:
    url = reverse("api:ocsea-referral-list")
    client = as_user("ocsea_triage")
    assert post(client, url).json().keys() >= {
        "source",
        "received_at",
        "summary",
        "ocsea_team",
        "suspects",
    }
    mosovo = Team.objects.get(force=world.users["ocsea_triage"].force, kind=TeamKind.MOSOVO)
    response = post(
        client,
        url,
        intake(
            world,
            received_at="2026-11-29T09:00:00Z",
            ocsea_team=str(mosovo.pk),
            category_b=-1,
        ),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"received_at", "ocsea_team", "category_b"}
    response = post(client, url, intake(world, suspects=[{"age_group": "adult"}]))
    assert response.json() == {
        "family_name": ["Enter the suspect's family name, or their online identifiers if not known"]
    }
    response = post(client, url, intake(world, suspects=[{"family_name": "X", "age_group": "?"}]))
    assert response.json() == {"suspects": {"0": {"age_group": ['"?" is not a valid choice.']}}}
    assert not Referral.objects.exists()


def test_another_forces_team_or_area_is_no_such_object(world: Any, as_user: Any) -> None:
    beta = Force.objects.get(code="beta")
    beta_team, beta_area = Team.objects.get(force=beta), Area.objects.get(force=beta)
    client = as_user("ocsea_triage")

    def error(field: str, pk: Any) -> str:
        response = post(client, reverse("api:ocsea-referral-list"), intake(world, **{field: pk}))
        assert response.status_code == 400
        assert list(response.json()) == [field]
        return str(response.json()[field]).replace(str(pk), "<id>")

    assert error("ocsea_team", beta_team.pk) == error("ocsea_team", NOBODY)
    assert error("area", beta_area.pk) == error("area", NOBODY)
    assert not Referral.objects.exists()


def test_a_suspect_is_an_existing_person_the_user_can_see(world: Any, as_user: Any) -> None:
    known = receive(
        world, as_user, suspects=[{"nominal": str(world.nominal.pk), "age_group": "adult"}]
    )
    assert known["suspects"][0]["nominal"] == str(world.nominal.pk)
    again = receive(
        world, as_user, suspects=[{"nominal": str(world.nominal.pk), "age_group": "adult"}]
    )
    assert (again["linked_to"], again["linked_to_reference"]) == (known["id"], "OC-2026-00001")

    def error(pk: Any) -> str:
        body = intake(world, suspects=[{"nominal": str(pk), "age_group": "adult"}])
        response = post(as_user("ocsea_triage"), reverse("api:ocsea-referral-list"), body)
        assert response.status_code == 400
        return str(response.json()["suspects"]["0"]["nominal"]).replace(str(pk), "<id>")

    assert error(world.other_force_nominal.pk) == error(NOBODY)


def test_triage_names_the_instrument_or_the_item(world: Any, as_user: Any) -> None:
    referral = receive(world, as_user)
    client = as_user("ocsea_triage")
    url = referral_url("triage", referral)
    assert post(client, url, {"pack_code": "no-such", "answers": {}}).json().keys() == {"pack_code"}
    answers = answers_for(get_pack("kirat"), "medium")
    item = next(iter(answers))
    wrong = post(client, url, {"pack_code": "kirat", "answers": {**answers, item: "nonsense"}})
    assert wrong.status_code == 400
    assert list(wrong.json()) == [f"item_{item}"]
    assert post(client, url, {"pack_code": "kirat", "answers": answers}).status_code == 201
    again = post(client, url, {"pack_code": "kirat", "answers": answers})
    assert again.status_code == 400
    assert "detail" in again.json()  # triaged once: a risk review instead


def test_the_list_view_is_checked(world: Any, as_user: Any) -> None:
    response = as_user("investigator").get(reverse("api:ocsea-referral-list"), {"view": "x"})
    assert response.status_code == 400
    assert list(response.json()) == ["view"]


# --- decisions on suspects ---------------------------------------------------------------------


def test_a_decision_not_to_arrest_is_ratified_by_a_supervisor(world: Any, as_user: Any) -> None:
    referral = receive(world, as_user)
    suspect = referral["suspects"][0]["id"]
    url = referral_url("suspect-arrest-decision", referral, suspect_id=suspect)
    investigator = as_user("investigator")
    missing = post(investigator, url, {"decision": "not_arrested", "decided_on": "2026-11-28"})
    assert missing.status_code == 400
    assert missing.json() == {"rationale": ["Enter why the suspect was not arrested"]}
    decided = post(
        investigator,
        url,
        {"decision": "not_arrested", "decided_on": "2026-11-28", "rationale": "No grounds"},
    )
    assert decided.status_code == 200, decided.content
    ratify = referral_url("suspect-ratify", referral, suspect_id=suspect)
    assert post(investigator, ratify, {"note": "Agreed"}).status_code == 403
    ratified = post(as_user("ocsea_supervisor"), ratify, {"note": "Agreed"})
    assert ratified.status_code == 200, ratified.content
    assert ratified.json()["ratified_by"] == world.users["ocsea_supervisor"].pk
    person = referral["suspects"][0]["nominal"]
    assert events(person)[-2:] == ["ocsea.arrest_decided", "ocsea.non_arrest_ratified"]


def test_suspects_are_added_and_children_safeguarded(world: Any, as_user: Any) -> None:
    referral = receive(world, as_user)
    added = post(
        as_user("investigator"),
        referral_url("suspects", referral),
        {"family_name": "Ashdown", "age_group": "adult", "online_identifiers": ["a@example.test"]},
    )
    assert added.status_code == 201, added.content
    assert added.json()["name"] == "ASHDOWN, (not known)"
    child = Referral.objects.get(pk=referral["id"]).children.get()
    done = post(
        as_user("investigator"),
        referral_url("child-safeguarded", referral, child_id=child.pk),
        {"safeguarded_on": "2026-11-28"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["safeguarded_on"] == "2026-11-28"


# --- bail: the dashboard and the ladder ----------------------------------------------------------


def test_the_bail_ladder_to_the_court(world: Any, as_user: Any, monkeypatch: Any) -> None:
    referral = receive(world, as_user)
    client = as_user("investigator")
    suspect = referral["suspects"][0]["id"]
    _on(monkeypatch, ARRESTED)
    post(
        client,
        referral_url("suspect-arrest-decision", referral, suspect_id=suspect),
        {"decision": "arrested", "decided_on": "2026-11-30"},
    )
    bail = post(
        client,
        reverse("api:ocsea-bail-list"),
        {"suspect": suspect, "kind": "bail", "area": str(area(world).pk)},
    ).json()
    condition = post(
        client,
        bail_url("conditions", bail),
        {
            "kind": "curfew",
            "text": "Curfew 2100 to 0700",
            "victims_views": "not_applicable",
            "imposed_on": "2026-11-30",
        },
    )
    assert condition.status_code == 201, condition.content
    confirmed = {
        "grounds_to_suspect": True,
        "further_time_needed": True,
        "diligent_and_expeditious": True,
        "bail_necessary_and_proportionate": True,
        "authoriser_name": "Synthetic Officer",
    }
    for day, stage, rank in (
        (date(2027, 2, 10), "inspector", "inspector"),
        (date(2027, 5, 20), "superintendent", "chief_superintendent"),
    ):
        _on(monkeypatch, day)
        response = post(
            client,
            bail_url("extend", bail),
            {**confirmed, "stage": stage, "authorised_on": str(day), "authoriser_rank": rank},
        )
        assert response.status_code == 201, response.content
    _on(monkeypatch, date(2027, 8, 20))
    applied = post(
        client,
        bail_url("extend", bail),
        {"stage": "court", "authorised_on": "2027-08-20", "court_order_reference": "MC/SYN/1"},
    )
    assert applied.status_code == 201, applied.content
    assert applied.json()["court_pending"] is True
    (row,) = client.get(reverse("api:ocsea-bail-list"), {"kind": "bail"}).json()["results"]
    assert (row["stage"], row["period_end"], row["court_pending"]) == (
        "Court extension",
        None,
        True,
    )
    _on(monkeypatch, date(2027, 9, 3))
    decided = post(
        client,
        bail_url("extension-court-decision", bail, extension_id=applied.json()["id"]),
        {"decided_on": "2027-09-03", "end_date": "2027-11-30"},
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["court_end_date"] == "2027-11-30"
    removed = post(
        client,
        bail_url("condition-remove", bail, condition_id=condition.json()["id"]),
        {"removed_on": "2027-09-03"},
    )
    assert removed.status_code == 200, removed.content
    assert removed.json()["removed_on"] == "2027-09-03"


def test_a_breach_is_actioned_and_a_release_under_investigation_reviewed(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    bail = _arrested_on_bail(world, referral)
    client = as_user("investigator")
    _on(monkeypatch, date(2026, 12, 10))
    breach = post(
        client,
        bail_url("checks", bail),
        {"checked_on": "2026-12-10", "method": "home_visit", "result": "breach"},
    )
    assert breach.json() == {"notes": ["Describe the breach"]}
    breach = post(
        client,
        bail_url("checks", bail),
        {
            "checked_on": "2026-12-10",
            "method": "home_visit",
            "result": "breach",
            "notes": "A child was at the address unsupervised",
        },
    )
    assert breach.status_code == 201, breach.content
    actioned = post(
        client,
        bail_url("check-breach-action", bail, check_id=breach.json()["id"]),
        {"actioned_on": "2026-12-10", "action": "Re-arrested for breach of bail"},
    )
    assert actioned.status_code == 200, actioned.content
    ended = post(client, bail_url("end", bail), {"ended_on": "2026-12-10", "reason": "rui"})
    assert ended.status_code == 200, ended.content
    rui = Bail.objects.get(suspect__referral=referral, kind="rui")
    (row,) = client.get(reverse("api:ocsea-bail-list"), {"kind": "rui"}).json()["results"]
    assert (row["id"], row["stage"]) == (str(rui.pk), "Released under investigation")
    assert client.get(reverse("api:ocsea-bail-list"), {"kind": "bail"}).json()["count"] == 0
    reviewed = post(
        client,
        bail_url("rui-reviews", rui),
        {"reviewed_on": "2026-12-10", "notes": "Awaiting digital forensics"},
    )
    assert reviewed.status_code == 201, reviewed.content
    assert post(client, bail_url("checks", rui), {}).status_code == 400


def test_the_dashboards_filters_are_checked(world: Any, as_user: Any) -> None:
    client = as_user("investigator")
    response = client.get(reverse("api:ocsea-bail-list"), {"kind": "x", "area": "y"})
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "area"}
    other = Area.objects.get(force__code="beta")
    assert client.get(reverse("api:ocsea-bail-list"), {"area": other.pk}).json()["count"] == 0


def test_bail_is_begun_only_for_a_suspect_the_user_can_see(world: Any, as_user: Any) -> None:
    hidden = Referral.objects.get(
        pk=receive(
            world, as_user, suspects=[{"nominal": str(world.limited.pk), "age_group": "adult"}]
        )["id"]
    )
    excluded = _investigator("excluded", world)

    def error(pk: Any) -> str:
        body = {"suspect": str(pk), "kind": "rui", "area": str(area(world).pk)}
        response = post(excluded, reverse("api:ocsea-bail-list"), body)
        assert response.status_code == 400
        assert list(response.json()) == ["suspect"]
        return str(response.json()["suspect"]).replace(str(pk), "<id>")

    assert error(hidden.suspects.get().pk) == error(NOBODY)


# --- the purpose, and what the user may not see or do --------------------------------------------


def test_a_referral_needs_a_stated_purpose(world: Any, as_user: Any) -> None:
    referral = receive(world, as_user)
    person = referral["suspects"][0]["nominal"]
    client = as_user("investigator")
    missing = client.get(referral_url("detail", referral))
    assert missing.status_code == 400
    assert list(missing.json()) == ["X-Vigil-Purpose"]
    unexplained = client.get(referral_url("detail", referral), headers={"X-Vigil-Purpose": "other"})
    assert unexplained.status_code == 400
    assert not AuditEvent.objects.filter(event="nominal.viewed", person_id=person).exists()
    shown = client.get(referral_url("detail", referral), headers=PURPOSE)
    assert shown.status_code == 200
    viewed = AuditEvent.objects.get(event="nominal.viewed", person_id=person)
    assert (viewed.purpose, viewed.detail["via"]) == ("investigation", "api ocsea referral")


def test_a_bail_needs_a_stated_purpose(world: Any, as_user: Any) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    bail = _arrested_on_bail(world, referral)
    client = as_user("investigator")
    assert client.get(bail_url("detail", bail)).status_code == 400
    assert client.get(bail_url("detail", bail), headers=PURPOSE).status_code == 200
    viewed = AuditEvent.objects.get(event="nominal.viewed", person_id=bail.suspect.nominal_id)
    assert viewed.detail["via"] == "api ocsea bail"


def test_a_missing_verb_is_refused(world: Any, as_user: Any) -> None:
    referral = receive(world, as_user)
    enforcement = {"enforced_on": "2026-11-28", "outcome": "completed", "warrant": False}
    triage_officer, investigator = as_user("ocsea_triage"), as_user("investigator")
    refused = post(triage_officer, referral_url("enforcements", referral), enforcement)
    assert refused.status_code == 403
    assert post(investigator, reverse("api:ocsea-referral-list"), intake(world)).status_code == 403
    assert (
        post(
            as_user("investigator"),
            referral_url("allocate", referral),
            {"team": str(ocsea_team(world).pk)},
        ).status_code
        == 403
    )
    for persona in ("offender_manager", "dpo", "performance_analyst"):
        client = as_user(persona)
        assert client.get(reverse("api:ocsea-referral-list")).status_code == 403
        assert client.get(referral_url("detail", referral), headers=PURPOSE).status_code == 403
        assert client.get(reverse("api:ocsea-bail-list")).status_code == 403
        assert client.get(reverse("api:ocsea-leaflet-list")).status_code == 403
    assert not Referral.objects.get(pk=referral["id"]).enforcements.exists()


def _beta_referral() -> Referral:
    beta = Force.objects.get(code="beta")
    team = Team.objects.get(force=beta)
    referral = Referral.objects.create(
        force=beta,
        reference="OC-2026-00001",
        source="nca_ceop",
        received_at=NOW,
        summary="Synthetic: force B's referral",
        ocsea_team=team,
        team=team,
    )
    person = Nominal.objects.get(family_name="Zethudsey")
    Suspect.objects.create(force=beta, referral=referral, nominal=person, age_group="adult")
    return referral


def test_another_forces_referral_is_not_found(world: Any, as_user: Any) -> None:
    beta = _beta_referral()
    ours = receive(world, as_user)
    beta_suspect = beta.suspects.get()
    client = as_user("ocsea_supervisor")
    assert client.get(referral_url("detail", beta), headers=PURPOSE).status_code == 404
    response = post(
        client,
        referral_url("triage", beta),
        {"pack_code": "kirat", "answers": answers_for(get_pack("kirat"), "low")},
    )
    assert response.status_code == 404
    # nor through one of the user's own referrals
    response = post(
        client,
        referral_url("suspect-arrest-decision", ours, suspect_id=beta_suspect.pk),
        {"decision": "arrested", "decided_on": "2026-11-28"},
    )
    assert response.status_code == 404
    listed = client.get(reverse("api:ocsea-referral-list"), {"view": "triage"}).json()
    assert [r["reference"] for r in listed["results"]] == ["OC-2026-00001"]
    assert [r["id"] for r in listed["results"]] == [ours["id"]]
    assert not beta.suspects.exclude(arrest_decision="").exists()


def test_a_record_of_one_referral_is_not_found_through_another(world: Any, as_user: Any) -> None:
    first, second = receive(world, as_user), receive(world, as_user)
    client = as_user("investigator")
    response = post(
        client,
        referral_url("suspect-outcome", first, suspect_id=second["suspects"][0]["id"]),
        {"outcome": "nfa", "outcome_on": "2026-11-28"},
    )
    assert response.status_code == 404
    assert (
        post(
            client,
            referral_url("enforcement-family", first, enforcement_id="not-a-uuid"),
            {"relationship": "child", "age_band": "5_11"},
        ).status_code
        == 404
    )


def _investigator(persona: str, world: Any) -> Client:
    """The persona given the investigator's role in the OCSEA team as well as their own."""
    user = world.users[persona]
    membership_add(
        actor=None, user=user, team=ocsea_team(world), role=Role.objects.get(pk="investigator")
    )
    client = Client()
    client.force_login(user)
    return client


def test_a_referral_on_a_person_the_user_is_kept_from_is_not_found(
    world: Any, as_user: Any
) -> None:
    referral = receive(
        world, as_user, suspects=[{"nominal": str(world.limited.pk), "age_group": "adult"}]
    )
    excluded = _investigator("excluded", world)
    assert excluded.get(referral_url("detail", referral), headers=PURPOSE).status_code == 404
    response = post(
        excluded,
        referral_url("intelligence", referral),
        {"received_on": "2026-11-28", "summary": "Synthetic"},
    )
    assert response.status_code == 404
    for view in ("triage", "all"):
        listed = excluded.get(reverse("api:ocsea-referral-list"), {"view": view}).json()
        assert listed["count"] == 0
    assert not AuditEvent.objects.filter(
        actor=world.users["excluded"], person_id=world.limited.pk
    ).exists()
    # while a colleague with the same roles sees it
    colleague = as_user("investigator")
    assert colleague.get(referral_url("detail", referral), headers=PURPOSE).status_code == 200


def test_reference_data_is_the_forces_active_entries(world: Any, as_user: Any) -> None:
    force = world.users["investigator"].force
    SupportOrganisation.objects.create(force=force, name="Active Aid")
    SupportOrganisation.objects.create(force=force, name="Closed Aid", active=False)
    SupportOrganisation.objects.create(force=Force.objects.get(code="beta"), name="Beta Aid")
    Leaflet.objects.create(force=force, title="Families", edition="2026")
    client = as_user("ocsea_triage")
    organisations = client.get(reverse("api:ocsea-support-organisation-list")).json()
    assert [o["name"] for o in organisations["results"]] == ["Active Aid"]
    leaflets = client.get(reverse("api:ocsea-leaflet-list")).json()
    assert [(x["title"], x["edition"]) for x in leaflets["results"]] == [("Families", "2026")]


def test_an_extension_record_is_not_found_through_another_bail(world: Any, as_user: Any) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    bail = _arrested_on_bail(world, referral)
    others = [{"family_name": "Other", "age_group": "adult"}]
    other = Referral.objects.get(pk=receive(world, as_user, suspects=others)["id"])
    other_bail = _arrested_on_bail(world, other)
    extension = BailExtension.objects.create(
        force=other_bail.force,
        bail=other_bail,
        stage="court",
        authorised_on=TODAY,
        court_order_reference="MC/SYN/2",
        recorded_by=world.users["investigator"],
    )
    response = post(
        as_user("investigator"),
        bail_url("extension-court-decision", bail, extension_id=extension.pk),
        {"decided_on": "2026-11-28", "end_date": None},
    )
    assert response.status_code == 404


def test_a_decision_on_a_stale_read_is_a_conflict(world: Any, as_user: Any) -> None:
    from vigil.ocsea.tests.helpers import receive

    referral = receive(world)
    suspect = referral.suspects.get()
    client = as_user("investigator")
    url = referral_url("suspect-arrest-decision", referral, suspect_id=suspect.pk)
    decision = {"decision": "arrested", "decided_on": TODAY.isoformat()}
    stale = post(client, url, {**decision, "version": suspect.version + 5})
    assert stale.status_code == 409
    fresh = post(client, url, {**decision, "version": suspect.version})
    assert fresh.status_code == 200, fresh.content
    assert fresh.json()["version"] == suspect.version + 1


# --- the smaller gaps (issue 9) ------------------------------------------------------------


def _not_arrested(world: Any, as_user: Any) -> tuple[dict[str, Any], str]:
    referral = receive(world, as_user)
    suspect = referral["suspects"][0]["id"]
    decided = post(
        as_user("investigator"),
        referral_url("suspect-arrest-decision", referral, suspect_id=suspect),
        {"decision": "not_arrested", "decided_on": "2026-11-28", "rationale": "No grounds"},
    )
    assert decided.status_code == 200, decided.content
    return referral, suspect


def test_a_ratification_is_dated_over_the_api(world: Any, as_user: Any, monkeypatch: Any) -> None:
    referral, suspect = _not_arrested(world, as_user)
    _on(monkeypatch, date(2026, 12, 7))
    url = referral_url("suspect-ratify", referral, suspect_id=suspect)
    supervisor = as_user("ocsea_supervisor")
    future = post(supervisor, url, {"note": "Agreed", "ratified_on": "2026-12-08"})
    assert future.status_code == 400
    assert future.json() == {
        "ratified_on": ["The date of ratification must be today or in the past"]
    }
    early = post(supervisor, url, {"note": "Agreed", "ratified_on": "2026-11-27"})
    assert early.json() == {
        "ratified_on": [
            "The date of ratification must be on or after 28 Nov 2026, the day of the "
            "decision it ratifies"
        ]
    }
    ratified = post(supervisor, url, {"note": "Agreed", "ratified_on": "2026-11-30"})
    assert ratified.status_code == 200, ratified.content
    assert ratified.json()["ratified_on"] == "2026-11-30"


def test_a_vulnerability_found_later_over_the_api(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    investigator = world.users["investigator"]
    enforcement = services.enforcement_record(
        actor=investigator,
        referral=referral,
        enforced_on=TODAY,
        outcome="completed",
        warrant=False,
        family_present=True,
    )
    member = services.family_member_add(
        actor=investigator, enforcement=enforcement, relationship="partner", age_band="adult"
    )
    _on(monkeypatch, date(2026, 12, 3))
    client = as_user("investigator")
    url = referral_url(
        "enforcement-family-vulnerability",
        referral,
        enforcement_id=enforcement.pk,
        member_id=member.pk,
    )
    empty = post(client, url, {})
    assert set(empty.json()) == {"vulnerability", "vulnerability_identified_on"}
    done = post(
        client,
        url,
        {
            "vulnerability": "Partner disclosed coercion",
            "vulnerability_identified_on": "2026-12-02",
        },
    )
    assert done.status_code == 200, done.content
    assert done.json()["vulnerability_identified_on"] == "2026-12-02"
    shown = client.get(referral_url("detail", referral), headers=PURPOSE).json()
    (marf,) = [o for o in shown["open_obligations"] if o["rule_id"] == "ocsea.family.marf"]
    assert marf["due_date"] == "2026-12-03"
    again = post(
        client, url, {"vulnerability": "Another", "vulnerability_identified_on": "2026-12-02"}
    )
    assert again.status_code == 400
    assert list(again.json()) == ["vulnerability"]
    other = Referral.objects.get(pk=receive(world, as_user, source_reference="NCA-SYN-2")["id"])
    through_another = referral_url(
        "enforcement-family-vulnerability",
        other,
        enforcement_id=enforcement.pk,
        member_id=member.pk,
    )
    assert post(client, through_another, {}).status_code == 404


def test_a_suspect_released_under_investigation_is_bailed_over_the_api(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    # PACE s.47ZB(4)(a): "a person's bail start date is the day after the day on which the
    # person was arrested for the relevant offence": arrested 30 Nov 2026 -> 1 Dec 2026, and
    # s.47ZB(1)(b) "the period of 3 months beginning with" it ends 28 Feb 2027.
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    suspect = referral.suspects.get()
    _on(monkeypatch, ARRESTED)
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=ARRESTED
    )
    rui = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="rui",
        area=area(world),
        released_on=ARRESTED,
    )
    client = as_user("investigator")
    _on(monkeypatch, date(2027, 1, 11))
    ended = post(client, bail_url("end", rui), {"ended_on": "2027-01-11", "reason": "bailed"})
    assert ended.status_code == 400
    assert list(ended.json()) == ["reason"]
    assert post(client, bail_url("rebail", rui), {}).json() == {
        "bailed_on": ["This field is required."]
    }
    bailed = post(
        client,
        bail_url("rebail", rui),
        {
            "bailed_on": "2027-01-11",
            "rearrested_on": "2027-01-11",
            "conditions": [
                {"kind": "curfew", "text": "Indoors 20:00 to 07:00", "victims_views": "sought"}
            ],
        },
    )
    assert bailed.status_code == 201, bailed.content
    bail = bailed.json()
    assert (bail["kind"], bail["arrested_on"], bail["start_date"]) == (
        "bail",
        "2026-11-30",
        "2026-12-01",
    )
    assert (bail["rebailed_on"], bail["rearrested_on"], bail["continues"]) == (
        "2027-01-11",
        "2027-01-11",
        str(rui.pk),
    )
    assert [(p["stage"], p["end"]) for p in bail["periods"]] == [("initial", "2027-02-28")]
    assert [c["imposed_on"] for c in bail["conditions"]] == ["2027-01-11"]
    released = client.get(bail_url("detail", rui), headers=PURPOSE).json()
    assert (released["ended_on"], released["end_reason"]) == ("2027-01-11", "bailed")
    assert released["open_obligations"] == []
    assert post(client, bail_url("rebail", bail), {"bailed_on": "2027-01-11"}).status_code == 400
    assert events(suspect.nominal_id)[-3:] == [
        "ocsea.bail_ended",
        "ocsea.bail_started",
        "ocsea.bail_condition_imposed",
    ]


def test_bail_is_refused_once_the_period_from_the_arrest_has_ended(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    suspect = referral.suspects.get()
    _on(monkeypatch, ARRESTED)
    services.arrest_decision_record(
        actor=world.users["investigator"], suspect=suspect, decision="arrested", decided_on=ARRESTED
    )
    rui = services.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="rui",
        area=area(world),
        released_on=ARRESTED,
    )
    _on(monkeypatch, date(2027, 3, 1))
    refused = post(as_user("investigator"), bail_url("rebail", rui), {"bailed_on": "2027-03-01"})
    assert refused.status_code == 400
    (message,) = refused.json()["bailed_on"]
    assert message.startswith(
        "The applicable bail period for the arrest on 30 Nov 2026 ended on 28 Feb 2027"
    )
    assert Bail.objects.filter(suspect=suspect).count() == 1


def test_ending_as_charged_keeps_the_outcome_consistent_over_the_api(
    world: Any, as_user: Any, monkeypatch: Any
) -> None:
    referral = Referral.objects.get(pk=receive(world, as_user)["id"])
    bail = _arrested_on_bail(world, referral)
    client = as_user("investigator")
    _on(monkeypatch, date(2026, 12, 10))
    suspect = referral.suspects.get()
    nfa = post(
        client,
        referral_url("suspect-outcome", referral, suspect_id=suspect.pk),
        {"outcome": "nfa", "outcome_on": "2026-12-10"},
    )
    assert nfa.status_code == 200, nfa.content
    refused = post(client, bail_url("end", bail), {"ended_on": "2026-12-10", "reason": "charged"})
    assert refused.status_code == 400
    assert refused.json() == {
        "reason": [
            "TARRANT, Syn's outcome is recorded as no further action (10 Dec 2026): if they "
            "were charged, record that outcome first"
        ]
    }
    assert Bail.objects.get(pk=bail.pk).ended_on is None


def test_the_schema_describes_the_new_steps(world: Any, as_user: Any) -> None:
    schema = as_user("investigator").get(reverse("api-schema"), {"format": "json"}).json()
    paths, components = schema["paths"], schema["components"]["schemas"]
    rebail = paths["/api/v1/ocsea/bails/{id}/rebail/"]["post"]
    assert set(rebail["responses"]) == {"201", "400", "401", "403", "404"}  # no version: no 409
    assert components["RebailRequest"]["required"] == ["bailed_on"]
    vulnerability = (
        "/api/v1/ocsea/referrals/{id}/enforcements/{enforcement_id}/family/{member_id}/"
        "vulnerability/"
    )
    assert set(paths[vulnerability]["post"]["responses"]) == {"200", "400", "401", "403", "404"}
    assert components["VulnerabilityInputRequest"]["required"] == [
        "vulnerability",
        "vulnerability_identified_on",
    ]
    ratification = components["RatificationRequest"]
    assert ratification["required"] == ["note"]
    assert ratification["properties"]["ratified_on"]["format"] == "date"
    reason = components["BailEndRequest"]["properties"]["reason"]["allOf"][0]["$ref"]
    assert components[reason.rsplit("/", 1)[1]]["enum"] == ["charged", "nfa", "rui", "other"]
    bail = components["Bail"]["properties"]
    assert {"continues", "rebailed_on", "rearrested_on", "suspect_outcome"} <= set(bail)
    # The extension stays four booleans over the API.
    extend = components["ExtendRequest"]["properties"]
    assert {"grounds_to_suspect", "bail_necessary_and_proportionate"} <= set(extend)
