"""The s.62 audit log: written with every write and view, chained, and tamper-evident."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from conftest import World
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditAction, AuditEvent, ImmutableError
from vigil.audit.services import audit_record
from vigil.audit.testing import disable_audit_triggers
from vigil.core.csv_export import neutralise
from vigil.people import services as people


def _raw(sql: str, params: list[Any]) -> None:
    """Tampering as someone with database access would, around Vigil's own guards (the
    triggers are dropped or disabled inside the test's transaction, which is rolled back)."""
    with connection.cursor() as cursor:
        disable_audit_triggers(cursor)
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def _append(n: int) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit_record(actor=None, action=AuditAction.SECURITY, event=f"test.{i}")
            for i in range(n)
        ]


def test_chain_verifies_after_the_world_is_built(world: World) -> None:
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count() > 10
    # a chain per force (and one for events with no force, once there is one)
    forces = AuditEvent.objects.exclude(force=None).values_list("force_id", flat=True)
    chains = {f"force:{force_id}" for force_id in forces}
    assert len(chains) == 2
    # and the system chain, which records each chain's beginning
    assert {head.chain for head in result.heads} == chains | {"system"}


def test_edit_is_detected(world: World) -> None:
    events = _append(3)
    _raw("UPDATE audit_auditevent SET event = %s WHERE id = %s", ["forged", events[1].id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "edited"
    assert result.problem.chain == "system" == events[1].chain
    assert result.problem.seq == events[1].chain_seq


def test_delete_is_detected(world: World) -> None:
    events = _append(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "deleted"
    assert result.problem.seq == events[1].chain_seq


def test_delete_of_the_last_event_is_detected(world: World) -> None:
    events = _append(2)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "deleted"


def test_reorder_is_detected(world: World) -> None:
    a, b, _ = _append(3)
    _raw("UPDATE audit_auditevent SET chain_seq = -1 WHERE id = %s", [a.id.hex])
    _raw("UPDATE audit_auditevent SET chain_seq = %s WHERE id = %s", [a.chain_seq, b.id.hex])
    _raw("UPDATE audit_auditevent SET chain_seq = %s WHERE id = %s", [b.chain_seq, a.id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "reordered"
    assert result.problem.seq == a.chain_seq


def test_audit_verify_command_exits_non_zero_naming_the_event(world: World) -> None:
    events = _append(2)
    call_command("audit_verify")  # intact: no error
    _raw(
        "UPDATE audit_auditevent SET justification = %s WHERE id = %s",
        ["changed", events[0].id.hex],
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert excinfo.value.returncode == 1
    assert f"chain system: event #{events[0].chain_seq} " in str(excinfo.value)
    assert str(events[0].id) in str(excinfo.value)


def _force_events(world: World, n: int) -> list[AuditEvent]:
    """Events of the world's first force (an offender manager's)."""
    om = world.users["offender_manager"]
    with transaction.atomic():
        return [
            audit_record(actor=om, action=AuditAction.SECURITY, event=f"test.force.{i}")
            for i in range(n)
        ]


def test_each_force_chains_on_its_own_and_is_verified_on_its_own(world: World) -> None:
    """A force's events join its chain under its own head: another force's, and the system
    chain, are untouched; tampering in one chain names it."""
    from vigil.audit.models import AuditChain

    om, other = world.users["offender_manager"], world.users["other_force"]
    heads = {head.key: head.seq for head in AuditChain.objects.all()}
    mine = _force_events(world, 2)
    assert {e.chain for e in mine} == {f"force:{om.force_id}"}
    assert [e.chain_seq for e in mine] == [heads[mine[0].chain] + 1, heads[mine[0].chain] + 2]
    assert mine[1].prev_hash == mine[0].hash
    after = {head.key: head.seq for head in AuditChain.objects.all()}
    assert after[f"force:{other.force_id}"] == heads[f"force:{other.force_id}"]
    assert after.get("system") == heads.get("system")
    assert mine[0].seq < mine[1].seq  # the deployment-wide order of appending
    _raw("UPDATE audit_auditevent SET detail = %s WHERE id = %s", ['{"x": 1}', mine[0].id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "edited"
    assert result.problem.chain == f"force:{om.force_id}"
    assert result.problem.seq == mine[0].chain_seq


def test_an_event_moved_into_another_forces_chain_is_detected(world: World) -> None:
    """The hash covers the chain and the place in it: an event moved between chains (its
    place renumbered to fit) no longer matches its hash."""
    om, other = world.users["offender_manager"], world.users["other_force"]
    event = _force_events(world, 1)[0]
    from vigil.audit.models import AuditChain

    theirs = AuditChain.objects.get(key=f"force:{other.force_id}")
    _raw(
        "UPDATE audit_auditevent SET chain = %s, chain_seq = %s WHERE id = %s",
        [theirs.key, theirs.seq + 1, event.id.hex],
    )
    result = verify_chain()
    assert result.problem is not None
    # its own chain lost its last event; the other's holds one beyond its head (the chains
    # are walked in the order of their keys: either is found first)
    found = {
        f"force:{om.force_id}": "deleted",
        theirs.key: "edited",
    }
    assert found[result.problem.chain] == result.problem.kind


def test_the_closed_global_chain_still_verifies_and_detects_tampering(world: World) -> None:
    """Events appended before chains were per force stay in the one `global` chain, hashed
    as they were (without their chain): it verifies, and an edit in it is named."""
    import uuid

    from vigil.audit.chain import GENESIS_HASH, GLOBAL, compute_hash
    from vigil.audit.models import AuditChain
    from vigil.core import clock

    previous, made = GENESIS_HASH, []
    for place in (1, 2):
        fields = {
            "id": uuid.uuid4(),
            "seq": -10 + place,  # their old place in the one chain (a free seq here)
            "chain": GLOBAL,
            "chain_seq": place,
            "occurred_at": clock.now(),
            "action": "security",
            "event": f"test.legacy.{place}",
            "actor_id": None,
            "actor_label": "system",
            "force_id": None,
            "object_type": "",
            "object_id": "",
            "object_repr": "",
            "person_id": None,
            "changes": {},
            "detail": {},
            "recipients": [],
            "purpose": "",
            "justification": "",
            "request_id": "",
            "prev_hash": previous,
        }
        fields["hash"] = previous = compute_hash(fields)
        made.append(AuditEvent(**fields))
    with connection.cursor() as cursor:  # as migration 0003 left them: the chain is closed
        disable_audit_triggers(cursor)
        AuditEvent.objects.bulk_create(made)
        AuditChain.objects.create(key=GLOBAL, seq=2, hash=previous)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")
    assert verify_chain().ok
    _raw("UPDATE audit_auditevent SET people = %s WHERE id = %s", ['["x"]', made[1].id.hex])
    result = verify_chain()  # a field its hash never covered, still caught
    assert result.problem is not None
    assert (result.problem.chain, result.problem.seq) == (GLOBAL, 2)
    _raw("UPDATE audit_auditevent SET event = %s WHERE id = %s", ["forged", made[0].id.hex])
    result = verify_chain()
    assert result.problem is not None
    assert (result.problem.chain, result.problem.seq) == (GLOBAL, 1)


def test_the_closed_global_chain_takes_no_new_event(world: World) -> None:
    """The database refuses an event for the closed chain, and any move of its head."""
    import uuid

    from vigil.audit.chain import GENESIS_HASH, GLOBAL
    from vigil.audit.models import AuditChain
    from vigil.core import clock

    forged = AuditEvent(
        id=uuid.uuid4(),
        seq=10**9,
        chain=GLOBAL,
        chain_seq=10**9,
        occurred_at=clock.now(),
        action="security",
        event="forged",
        actor_label="system",
        prev_hash=GENESIS_HASH,
        hash="f" * 64,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.bulk_create([forged])
    AuditChain.objects.create(key=GLOBAL, seq=0, hash=GENESIS_HASH)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditchain SET seq = seq + 1 WHERE key = 'global'")


def test_a_chain_deleted_whole_is_found_by_the_record_of_its_beginning(world: World) -> None:
    """Each chain's beginning is an event of the system chain: deleting a force's events
    and its head together is found there."""
    om = world.users["offender_manager"]
    key = f"force:{om.force_id}"
    begun = AuditEvent.objects.filter(event="audit.chain_begun", chain="system")
    assert key in {event.detail["chain"] for event in begun}
    _raw("DELETE FROM audit_auditevent WHERE chain = %s", [key])
    _raw("DELETE FROM audit_auditchain WHERE key = %s", [key])
    result = verify_chain()
    assert result.problem is not None
    assert (result.problem.chain, result.problem.kind) == (key, "deleted")


def test_audit_verify_holds_the_chains_to_the_heads_kept_outside(
    world: World, tmp_path: Any, capsys: Any
) -> None:
    call_command("audit_verify")
    heads = tmp_path / "heads.txt"
    heads.write_text(capsys.readouterr().out)
    _append(2)
    call_command("audit_verify", "--expect", str(heads))  # grown since: still runs through
    om = world.users["offender_manager"]
    key = f"force:{om.force_id}"
    _raw("DELETE FROM audit_auditevent WHERE chain = %s", [key])
    _raw("DELETE FROM audit_auditchain WHERE key = %s", [key])
    _raw(
        "DELETE FROM audit_auditevent WHERE event = 'audit.chain_begun' AND chain = 'system'",
        [],
    )
    with pytest.raises(CommandError):  # the system chain lost events: caught anyway
        call_command("audit_verify", "--expect", str(heads))


def test_django_refuses_to_change_or_delete_events(world: World) -> None:
    event = _append(1)[0]
    event.event = "forged"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    with pytest.raises(ImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(event="forged")
    with pytest.raises(ImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET event = 'forged'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditchain SET seq = 0",
        "DELETE FROM audit_auditchain",
        "UPDATE audit_auditevent SET chain = 'system'",
    ],
)
def test_database_triggers_refuse_update_and_delete(world: World, sql: str) -> None:
    if sql.startswith("TRUNCATE") and connection.vendor == "sqlite":
        pytest.skip("SQLite has no TRUNCATE")
    _append(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def test_every_service_write_is_audited_in_its_transaction(world: World) -> None:
    om = world.users["offender_manager"]
    before = AuditEvent.objects.count()
    nominal = people.nominal_create(actor=om, family_name="Brominby", given_names="Edith")
    created = AuditEvent.objects.get(event="nominal.created", object_id=str(nominal.pk))
    assert created.action == AuditAction.COLLECTION
    assert created.changes["family_name"] == {"before": None, "after": "Brominby"}
    assert created.actor_id == om.pk
    assert created.force_id == om.force_id
    people.nominal_update(actor=om, nominal=nominal, expected_version=1, given_names="Edie")
    updated = AuditEvent.objects.get(event="nominal.updated", object_id=str(nominal.pk))
    assert updated.changes == {"given_names": {"before": "Edith", "after": "Edie"}}
    assert AuditEvent.objects.count() == before + 2
    assert verify_chain().ok


def test_a_failed_write_leaves_no_audit_event_and_no_record(world: World) -> None:
    om = world.users["offender_manager"]
    before = AuditEvent.objects.count()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        # the PNC is already on another nominal: the whole creation rolls back
        people.nominal_create(
            actor=om,
            family_name="Marnaxton",
            given_names="Hugo",
            identifiers=[("pnc", "90/1234567A")],
        )
    assert AuditEvent.objects.count() == before
    assert not world.nominal.__class__.objects.filter(family_name="Marnaxton").exists()


def test_viewing_a_record_asks_the_purpose_once_then_logs_each_view(
    world: World, client_for: Any
) -> None:
    client = client_for("offender_manager")
    detail = reverse("people:nominal-detail", kwargs={"pk": world.nominal.pk})
    response = client.get(detail)
    assert response.status_code == 302
    assert "purpose" in response["Location"]
    assert not AuditEvent.objects.filter(event="nominal.viewed").exists()
    response = client.post(response["Location"], {"purpose": "other", "detail": ""})
    assert response.status_code == 200  # "other" needs detail
    assert b"Explain the policing purpose" in response.content
    client.post(
        reverse("people:nominal-purpose", kwargs={"pk": world.nominal.pk}),
        {"purpose": "offender_management", "detail": "Home visit planning"},
    )
    assert client.get(detail).status_code == 200
    assert client.get(detail).status_code == 200
    views = AuditEvent.objects.filter(event="nominal.viewed", person_id=world.nominal.pk)
    assert views.count() == 2
    assert {(v.purpose, v.justification, v.action) for v in views} == {
        ("offender_management", "Home visit planning", AuditAction.CONSULTATION)
    }
    assert all(v.request_id for v in views)


def test_every_page_showing_the_record_asks_the_purpose_and_logs_the_view(
    world: World, client_for: Any
) -> None:
    client = client_for("mosovo_supervisor")
    pk = world.nominal.pk
    for name in (
        "people:nominal-edit",
        "people:alias-add",
        "people:address-add",
        "people:nominal-access",
    ):
        url = reverse(name, kwargs={"pk": pk})
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("people:nominal-purpose", kwargs={"pk": pk}))
    purpose_url = reverse("people:nominal-purpose", kwargs={"pk": pk})
    edit = reverse("people:nominal-edit", kwargs={"pk": pk})
    response = client.post(f"{purpose_url}?next={edit}", {"purpose": "supervision"})
    assert response["Location"] == edit  # back to the page that asked
    evil = client.post(f"{purpose_url}?next=https://evil.example/", {"purpose": "supervision"})
    assert evil["Location"] == reverse("people:nominal-detail", kwargs={"pk": pk})
    assert client.get(edit).status_code == 200
    assert (
        AuditEvent.objects.filter(
            event="nominal.viewed", person_id=pk, detail={"via": "change details"}
        ).count()
        == 1
    )


def test_api_view_needs_a_purpose_and_logs_it(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    url = reverse("api:nominal-detail", kwargs={"pk": world.nominal.pk})
    missing = client.get(url)
    assert missing.status_code == 400
    assert "X-Vigil-Purpose" in missing.json()
    ok = client.get(url, headers={"X-Vigil-Purpose": "safeguarding"})
    assert ok.status_code == 200
    event = AuditEvent.objects.get(event="nominal.viewed", person_id=world.nominal.pk)
    assert event.purpose == "safeguarding"
    assert event.detail == {"via": "api"}


def test_dpo_searches_by_person_and_exports_as_a_disclosure(world: World, client_for: Any) -> None:
    client = client_for("dpo")
    listing = client.get(reverse("audit:event-list"), {"person": "Quenby"})
    assert listing.status_code == 200
    assert str(world.nominal.pk) in {str(e.person_id) for e in listing.context["page"]}
    response = client.post(
        reverse("audit:event-export") + f"?person={world.nominal.pk}",
        {"recipients": "Information Commissioner's Office", "justification": "ICO request 42"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "nominal.created" in body
    disclosure = AuditEvent.objects.get(event="audit.exported")
    assert disclosure.action == AuditAction.DISCLOSURE
    assert disclosure.recipients == ["Information Commissioner's Office"]
    assert disclosure.justification == "ICO request 42"
    assert disclosure.detail["rows"] == body.count("\n") - 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),  # full-width equals
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM", "'\uff20SUM"),
        ("\ufeff=1+1", "'\ufeff=1+1"),  # behind a byte order mark
        ("\u200b\u200d=cmd", "'\u200b\u200d=cmd"),  # behind zero-width characters
        ("\u200bplain", "\u200bplain"),
        ("plain", "plain"),
        (None, ""),
        (5, "5"),
    ],
)
def test_csv_cells_are_neutralised(value: Any, expected: str) -> None:
    assert neutralise(value) == expected


def test_the_audit_log_hides_people_the_reader_is_kept_out_of(
    world: World, client_for: Any
) -> None:
    dpo = world.users["dpo"]
    sup = world.users["mosovo_supervisor"]
    people.nominal_set_limited_access(
        actor=sup,
        nominal=world.nominal,
        limited=True,
        reason="Relative of the DPO",
        excluded_from=[dpo],
        expected_version=world.nominal.version,
    )
    client = client_for("dpo")
    listing = client.get(reverse("audit:event-list"), {"person": str(world.nominal.pk)})
    assert listing.context["page"].paginator.count == 0
    everything = client.get(reverse("audit:event-list"))
    assert world.nominal.pk not in {e.person_id for e in everything.context["page"]}
    api = client.get(reverse("api:audit-event-list"), {"person": str(world.nominal.pk)})
    assert api.json()["count"] == 0
    # a colleague DPO who is not excluded still sees them
    assert AuditEvent.objects.filter(person_id=world.nominal.pk).exists()


def test_a_search_logs_each_person_it_lists(world: World, client_for: Any) -> None:
    client = client_for("investigator")
    client.get(reverse("people:nominal-list"), {"q": "Quenby"})
    search = AuditEvent.objects.get(event="nominal.searched")
    assert search.detail["query"] == "Quenby"
    assert search.detail["results"] == 1
    # one event for the page, naming each person it showed, found by the search by person
    assert search.people == [str(world.nominal.pk)]
    assert not AuditEvent.objects.filter(event="nominal.listed").exists()
    assert search in AuditEvent.objects.about(world.nominal.pk)
    dpo = client_for("dpo").get(reverse("audit:event-list"), {"person": str(world.nominal.pk)})
    assert search in dpo.context["page"]
    assert verify_chain().ok


def test_a_list_is_one_event_naming_everyone_it_shows(world: World, client_for: Any) -> None:
    """A worklist naming N people writes one consultation, not N; the search index of the
    people it names is verified against the event's hashed list."""
    client_for("offender_manager").get(reverse("obligations:my-work"))
    (listed,) = AuditEvent.objects.filter(event="obligation.listed")
    assert set(listed.people) == {str(world.nominal.pk), str(world.limited.pk)}
    assert listed.person_id is None
    assert verify_chain().ok
    _raw("DELETE FROM audit_auditeventperson WHERE person_id = %s", [world.limited.pk.hex])
    result = verify_chain()
    assert result.problem is not None
    assert result.problem.kind == "edited"
    assert result.problem.event_id == str(listed.id)
    assert "search index" in result.problem.message


def test_the_purpose_form_returns_to_the_page_that_asked(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    edit = reverse("people:nominal-edit", kwargs={"pk": world.nominal.pk})
    asked = client.get(client.get(edit)["Location"])
    assert f'name="next" value="{edit}"' in asked.content.decode()
    # the form posts what it rendered: the hidden next, and the purpose
    form_action = reverse("people:nominal-purpose", kwargs={"pk": world.nominal.pk})
    response = client.post(form_action, {"next": edit, "purpose": "offender_management"})
    assert response["Location"] == edit


def test_reading_the_audit_log_over_the_api_is_a_recorded_disclosure(
    world: World, client_for: Any
) -> None:
    response = client_for("dpo").get(reverse("api:audit-event-list"), {"action": "collection"})
    assert response.status_code == 200
    disclosure = AuditEvent.objects.get(event="audit.exported")
    assert disclosure.action == AuditAction.DISCLOSURE
    assert disclosure.detail["via"] == "api"
    assert disclosure.detail["rows"] == len(response.json()["results"])


def test_a_service_appends_its_events_as_its_last_step(world: World, monkeypatch: Any) -> None:
    """`audit.services.atomic`: a service's events join their chain after its obligation
    sync, so the chain's head is locked only from then to the commit."""
    from datetime import UTC, datetime

    from vigil.audit.models import AuditChain
    from vigil.offenders import services as rso
    from vigil.offenders.services import visits

    om, registration = world.users["offender_manager"], world.registration(world.nominal)
    chain = f"force:{om.force_id}"
    before = AuditChain.objects.get(key=chain).seq
    during: list[int] = []
    real_sync = visits.sync

    def sync(subject: Any, **kwargs: Any) -> Any:
        during.append(AuditChain.objects.get(key=chain).seq)  # nothing appended yet
        return real_sync(subject, **kwargs)

    monkeypatch.setattr(visits, "sync", sync)
    rso.visit_record(
        actor=om,
        registration=registration,
        visited_at=datetime(2026, 11, 20, 19, tzinfo=UTC),
        announced=False,
        officers=[om, world.users["mosovo_supervisor"]],
        access_gained=True,
    )
    assert during == [before]
    assert AuditChain.objects.get(key=chain).seq > before
    assert AuditEvent.objects.filter(event="rso.visit_recorded").exists()
    assert verify_chain().ok


def test_a_service_that_fails_inside_another_leaves_none_of_its_events(world: World) -> None:
    from vigil.audit.services import atomic

    om = world.users["offender_manager"]

    @atomic
    def inner() -> None:
        audit_record(actor=om, action=AuditAction.SECURITY, event="test.inner")
        raise ValueError("refused")

    @atomic
    def outer() -> None:
        audit_record(actor=om, action=AuditAction.SECURITY, event="test.outer")
        with pytest.raises(ValueError, match="refused"):
            inner()
        assert not AuditEvent.objects.filter(event="test.outer").exists()  # not yet

    outer()
    assert AuditEvent.objects.filter(event="test.outer").count() == 1
    assert not AuditEvent.objects.filter(event="test.inner").exists()
    assert verify_chain().ok


def test_the_audit_log_names_events_in_words(world: Any, client_for: Any) -> None:
    from vigil.audit.templatetags.vigil_audit import event_words

    assert event_words("ocsea.non_arrest_ratified") == "OCSEA: non-arrest ratified"
    assert event_words("user.api_token_issued") == "User: API token issued"
    assert event_words("nominal.searched") == "Person: searched"
    client_for("offender_manager").get(reverse("people:nominal-list"), {"q": "Quenby"})
    page = client_for("dpo").get(reverse("audit:event-list")).content.decode()
    assert "Person: searched" in page
    assert '<code class="govuk-body-s">nominal.searched</code>' in page  # the code kept


def test_the_purposes_offered_fit_the_role(world: World, client_for: Any) -> None:
    """A triage officer is offered triage, not offender management; a purpose that does not
    fit the role is refused on the page and over the API, naming the field."""
    client = client_for("ocsea_triage")
    url = reverse("people:nominal-purpose", kwargs={"pk": world.nominal.pk})
    asked = client.get(url).content.decode()
    assert "Triaging a referral" in asked
    assert "Managing this person as an offender" not in asked
    assert str(world.nominal) in asked  # the question names the person
    refused = client.post(url, {"purpose": "offender_management"})
    assert refused.status_code == 200
    assert b"Select a purpose that fits your role" in refused.content
    api = client.get(
        reverse("api:nominal-detail", kwargs={"pk": world.nominal.pk}),
        headers={"X-Vigil-Purpose": "offender_management"},
    )
    assert api.status_code == 400
    assert "X-Vigil-Purpose" in api.json()
    client.post(url, {"purpose": "triage"})
    assert (
        client.get(reverse("people:nominal-detail", kwargs={"pk": world.nominal.pk})).status_code
        == 200
    )
    assert AuditEvent.objects.filter(event="nominal.viewed", purpose="triage").count() == 1


def test_a_record_its_user_has_just_created_is_not_asked_about(
    world: World, client_for: Any
) -> None:
    """The new record is shown at once; its view is still a consultation, for that reason."""
    client = client_for("offender_manager")
    made = client.post(
        reverse("people:nominal-create"),
        {"family_name": "Brindlecombe", "given_names": "Oswin", "sex": "male"},
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    shown = client.get(made["Location"])
    assert shown.status_code == 200
    event = AuditEvent.objects.get(event="nominal.viewed", person_id=shown.context["nominal"].pk)
    assert event.purpose == "created"  # said as itself, not a guess at the user's purpose
    assert event.purpose_label == "Recording a person I have just added"
    # another's record is still asked about
    other = client.get(reverse("people:nominal-detail", kwargs={"pk": world.nominal.pk}))
    assert other.status_code == 302
