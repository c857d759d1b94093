"""Every service write leaves exactly the audit event(s) it should, in its transaction, and the
admin screens' writes are audited too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from conftest import World
from vigil.accounts import services as accounts
from vigil.accounts.models import Role
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditAction, AuditEvent
from vigil.core.models import Area, Force, TeamKind
from vigil.obligations.testing import assert_nothing_stale
from vigil.people import services as people


def _writes(w: World) -> dict[str, tuple[Callable[[], Any], str | list[str], str]]:
    om = w.users["offender_manager"]
    sup = w.users["mosovo_supervisor"]
    area = Area.objects.filter(force_id=om.force_id).first()
    return {
        "nominal_create": (
            lambda: people.nominal_create(actor=om, family_name="Wyxamere", given_names="Percy"),
            "nominal.created",
            AuditAction.COLLECTION,
        ),
        "nominal_update": (
            lambda: people.nominal_update(
                actor=om, nominal=w.nominal, expected_version=1, family_name="Quenbie"
            ),
            "nominal.updated",
            AuditAction.ALTERATION,
        ),
        "alias_add": (
            lambda: people.alias_add(actor=om, nominal=w.nominal, family_name="Pellishaw"),
            "nominal.alias_added",
            AuditAction.COLLECTION,
        ),
        "identifier_add": (
            lambda: people.identifier_add(
                actor=om, nominal=w.nominal, kind="cro", value="123456/99A"
            ),
            "nominal.identifier_added",
            AuditAction.COLLECTION,
        ),
        "address_add": (
            lambda: people.address_add(
                actor=om,
                nominal=w.nominal,
                kind="nfa",  # the notification rules read it: weekly from now on
                line_1="",
                town="Alpha",
                valid_from=date(2024, 1, 1),
            ),
            ["nominal.address_ended", "nominal.address_added"],  # it ends the home address
            AuditAction.ALTERATION,
        ),
        "nominal_set_limited_access": (
            lambda: people.nominal_set_limited_access(
                actor=sup,
                nominal=w.nominal,
                limited=True,
                reason="r",
                restricted_to=[om],
                expected_version=w.nominal.version,
            ),
            "nominal.access_limited",
            AuditAction.ALTERATION,
        ),
        "force_create": (
            lambda: accounts.force_create(actor=None, code="gamma", name="Gamma"),
            "force.created",
            AuditAction.COLLECTION,
        ),
        "area_create": (
            lambda: accounts.area_create(actor=None, force=area.force, name="New area"),
            "area.created",
            AuditAction.COLLECTION,
        ),
        "team_create": (
            lambda: accounts.team_create(
                actor=None, area=area, name="New team", kind=TeamKind.MOSOVO
            ),
            "team.created",
            AuditAction.COLLECTION,
        ),
        "user_create": (
            lambda: accounts.user_create(
                actor=None, username="newbie", password="a-long-enough-passphrase", force=area.force
            ),
            "user.created",
            AuditAction.COLLECTION,
        ),
        "membership_add": (
            lambda: accounts.membership_add(
                actor=None,
                user=w.users["dpo"],
                team=om.memberships.first().team,
                role=Role.objects.get(pk="investigator"),
            ),
            "user.membership_added",
            AuditAction.ALTERATION,
        ),
        "api_token_revoke": (
            lambda: (
                Token.objects.create(user=om),
                accounts.api_token_revoke(actor=None, user=om),
            ),
            "user.api_token_revoked",
            AuditAction.SECURITY,
        ),
        "api_token_create": (
            lambda: accounts.api_token_create(actor=None, user=om),
            "user.api_token_issued",
            AuditAction.SECURITY,
        ),
    }


WRITES = [
    "nominal_create",
    "nominal_update",
    "alias_add",
    "identifier_add",
    "address_add",
    "nominal_set_limited_access",
    "force_create",
    "area_create",
    "team_create",
    "user_create",
    "membership_add",
    "api_token_create",
    "api_token_revoke",
]


@pytest.mark.parametrize("name", WRITES)
def test_write_is_audited(name: str, world: World) -> None:
    write, event, action = _writes(world)[name]
    before = AuditEvent.objects.count()
    write()
    new = (  # (a new force's chain begins with a record of it in the system chain: ADR 17)
        AuditEvent.objects.filter(seq__gt=before).exclude(event="audit.chain_begun").order_by("seq")
    )
    assert [e.event for e in new] == (event if isinstance(event, list) else [event])
    assert new[0].action == action
    assert verify_chain().ok
    assert_nothing_stale()


def test_every_service_module_write_is_in_the_list() -> None:
    """A new service function fails here until it has an audit test above."""
    import inspect

    from vigil.people import services as people_services

    found = set()
    for module in (people_services, accounts):
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not fname.startswith("_"):
                found.add(fname)
    # consultation logs, tested in test_audit.py and the offenders tests; and the note of the
    # records a write created (tested in test_audit.py)
    helpers = {"nominal_consulted", "nominal_searched", "nominals_listed", "noting_created"}
    assert found - helpers == set(WRITES)


def test_admin_writes_are_audited(world: World) -> None:
    client = Client()
    client.force_login(world.users["sysadmin"])
    force = Force.objects.get(code="alpha")
    response = client.post(
        reverse("admin:core_area_add"), {"force": force.pk, "name": "Alpha North"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event="core.area.created_in_admin")
    assert event.actor_id == world.users["sysadmin"].pk
    assert event.changes["name"] == {"before": None, "after": "Alpha North"}
    area = Area.objects.get(name="Alpha North")
    client.post(reverse("admin:core_area_delete", args=[area.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(
        event="core.area.deleted_in_admin", action=AuditAction.ERASURE
    ).exists()
    assert verify_chain().ok


def test_api_token_command_issues_a_working_token(world: World, capsys: Any) -> None:
    call_command("api_token", "offender_manager")
    key = capsys.readouterr().out.strip()
    response = Client().get(reverse("api:me"), headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    assert response.json()["username"] == "offender_manager"
    call_command("api_token", "offender_manager")  # replaces it: the old one stops working
    assert (
        Client().get(reverse("api:me"), headers={"Authorization": f"Token {key}"}).status_code
        == 401
    )


# --- Declared writes (vigil/writes.py): each is done once through its API action and must
# leave its audit event, about the record's people, in the unbroken chain. A new declaration
# fails here until it has a case below: who does it, to what, with which body.
def _rso(w: World) -> Any:
    return w.registration(w.nominal)


def _triaged(w: World) -> Any:
    from vigil.ocsea.tests.test_ocsea_audited import triaged

    return triaged(w)["referral"]


def _owned_elsewhere(w: World) -> Any:
    from vigil.ocsea.tests.test_ocsea_audited import elsewhere

    return elsewhere(w)["referral"]


def _pnd_check(w: World) -> Any:
    return _rso(w).pnd_checks.get()


def _visit(w: World) -> Any:
    """The world's announced, single-officer visit: its authorisation is due."""
    return _rso(w).visits.get()


def _authorised_visit(w: World) -> Any:
    from vigil.offenders import services as rso

    return rso.visit_authorise(
        actor=w.users["mosovo_supervisor"], visit=_visit(w), rationale="Synthetic"
    )


def _failed_visits(w: World) -> Any:
    """Visits in a row without gaining access, as many as the policy's warrant path needs."""
    from datetime import UTC, datetime, timedelta

    from vigil.offenders import services as rso
    from vigil.policy.pack import active

    registration = _rso(w)
    pair = [w.users["offender_manager"], w.users["mosovo_supervisor"]]
    visits = [
        rso.visit_record(
            actor=w.users["offender_manager"],
            registration=registration,
            visited_at=datetime(2026, 11, 20, 19, tzinfo=UTC) + timedelta(days=n),
            announced=False,
            officers=pair,
            access_gained=False,
            outcome="No answer (synthetic)",
        )
        for n in range(active()["rso.entry_warrant_failed_attempts"])
    ]
    return visits[-1]


def _breach(w: World) -> Any:
    from datetime import UTC, datetime

    from vigil.offenders import services as rso

    return rso.breach_record(
        actor=w.users["offender_manager"],
        registration=_rso(w),
        identified_at=datetime(2026, 11, 28, 9, tzinfo=UTC),
        kind="other",
        details="Synthetic",
    )


def _closable(w: World) -> Any:
    from vigil.ocsea.tests.test_ocsea_audited import _with_outcome, triaged

    return _with_outcome(triaged(w), w)["referral"]


def _ocsea(context: str, key: str) -> Callable[[World], Any]:
    """A record from one of the OCSEA audit suite's set-ups (vigil/ocsea/tests)."""

    def make(w: World) -> Any:
        from vigil.ocsea.tests import test_ocsea_audited as steps

        return getattr(steps, context)(w)[key]

    return make


def _child(w: World) -> Any:
    return _ocsea("received", "referral")(w).children.get()


def _rso_audited(name: str) -> Callable[[World], Any]:
    """A record from one of the RSO audit suite's set-ups (vigil/offenders/tests)."""

    def make(w: World) -> Any:
        from vigil.offenders.tests import test_rso_audited as steps

        return getattr(steps, name)(w)

    return make


def _indefinite(w: World) -> Any:
    from vigil.offenders.tests.test_rso_audited import _indefinite as indefinite

    return indefinite(w)


def _application(w: World) -> Any:
    from datetime import date

    from vigil.offenders import services as rso

    return rso.indefinite_review_apply(
        actor=w.users["offender_manager"], registration=_indefinite(w), applied_on=date(2026, 11, 2)
    )


def _with_second_team(w: World) -> Any:
    from vigil.offenders.tests.test_rso_audited import _second_team

    _second_team(w)
    return _rso(w)


def _move_body(w: World, subject: Any) -> dict[str, Any]:
    from vigil.core.models import Team

    return {"team": str(Team.objects.get(name="Alpha North").pk), "reason": "Moved (synthetic)"}


Body = dict[str, Any] | Callable[[World, Any], dict[str, Any]]


def _unregistered(w: World) -> Any:
    return people.nominal_create(
        actor=w.users["offender_manager"], family_name="Bexley", given_names="Jo"
    )


def _register_body(w: World, nominal: Any) -> dict[str, Any]:
    return {
        "nominal": str(nominal.pk),
        "team": str(w.users["offender_manager"].memberships.get().team_id),
        "registration_date": "2026-01-05",
        "conviction_date": "2025-12-01",
        "disposal": "caution",
        "risk_level": "low",
    }


def _visit_body(w: World, registration: Any) -> dict[str, Any]:
    return {
        "visited_at": "2026-11-20T19:00:00Z",
        "announced": False,
        "officers": [w.users["offender_manager"].username, w.users["mosovo_supervisor"].username],
        "access_gained": True,
    }


def _draft(kind: str) -> Callable[[World], Any]:
    def make(w: World) -> Any:
        registration = _rso(w)
        return getattr(registration, kind).create(
            force_id=registration.force_id, completed_by=w.users["offender_manager"]
        )

    return make


def _rmp(w: World) -> Any:
    registration = _rso(w)
    return registration.rmps.create(
        force_id=registration.force_id,
        completed_on=date(2026, 11, 20),
        completed_by=w.users["offender_manager"],
        actions="Synthetic",
    )


def _transfer_in(w: World) -> Any:
    """A transfer asked of the world's force by the other force's offender manager."""
    from vigil.offenders import services as rso
    from vigil.offenders.models import Registration

    beta_om = w.users["other_force"]
    registration = Registration.objects.filter(
        nominal=w.other_force_nominal
    ).first() or rso.registration_create(
        actor=beta_om,
        nominal=w.other_force_nominal,
        team=beta_om.memberships.get().team,
        registration_date=date(2026, 1, 5),
        conviction_date=date(2025, 12, 1),
        disposal="caution",
        risk_level="low",
    )
    return rso.transfer_request(
        actor=beta_om,
        registration=registration,
        to_force=w.users["offender_manager"].force,
        reason="Moving (synthetic)",
    )


def _accept_body(w: World, transfer: Any) -> dict[str, Any]:
    return {"team": str(w.users["mosovo_supervisor"].memberships.get().team_id)}


def _referral_body(w: World, nothing: Any) -> dict[str, Any]:
    from vigil.ocsea.tests.helpers import ocsea_team

    return {
        "source": "nca_ceop",
        "received_at": "2026-11-28T09:00:00Z",
        "summary": "Synthetic: uploads reported by a platform",
        "ocsea_team": str(ocsea_team(w).pk),
        "suspects": [{"age_group": "adult", "family_name": "Newperson"}],
    }


def _triage_body(w: World, referral: Any) -> dict[str, Any]:
    from vigil.instruments.packs import get_pack
    from vigil.ocsea.tests.helpers import answers_for

    return {"pack_code": "kirat", "answers": answers_for(get_pack("kirat"), "medium")}


def _allocate_body(w: World, referral: Any) -> dict[str, Any]:
    return {"team": str(referral.team_id), "officer": str(w.users["investigator"].pk)}


def _bail_body(w: World, suspect: Any) -> dict[str, Any]:
    area = Area.objects.filter(force_id=suspect.force_id).first()
    assert area is not None
    return {"suspect": str(suspect.pk), "kind": "bail", "area": str(area.pk)}


def _court_body(w: World, extension: Any) -> dict[str, Any]:
    from datetime import timedelta

    end = extension.bail.start_date + timedelta(days=365)
    return {"decided_on": "2026-11-29", "end_date": end.isoformat()}


def _abstraction(w: World) -> Any:
    from datetime import date

    from vigil.workforce.models import Abstraction, AbstractionReason

    om = w.users["offender_manager"]
    reason, _ = AbstractionReason.objects.get_or_create(force_id=om.force_id, name="Court")
    return Abstraction.objects.create(
        force_id=om.force_id,
        person=om,
        team=om.memberships.get().team,
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 2),
        hours=8,
        reason=reason,
        requested_by="Crown Court",
        recorded_by=w.users["mosovo_supervisor"],
        recorded_on=date(2026, 11, 2),
    )


def _abstraction_body(w: World, subject: Any) -> dict[str, Any]:
    from vigil.workforce.models import AbstractionReason

    om = w.users["offender_manager"]
    reason, _ = AbstractionReason.objects.get_or_create(force_id=om.force_id, name="Court")
    return {
        "person": str(om.pk),
        "team": str(om.memberships.get().team_id),
        "starts_on": "2026-11-30",
        "ends_on": "2026-12-01",
        "hours": "12.5",
        "reason": str(reason.pk),
        "requested_by": "Crown Court (synthetic)",
    }


# Writes about staff or the force, not a nominal: their events name the record (an
# abstraction, a screening; the job queued to make a forecast; a register extract uploaded,
# queued for import or discarded: the import's own changes to records are audited by the
# services it calls, as tests in vigil/register show), and no person.
ABOUT_STAFF = {
    "assurance.report",
    "assurance.narrative",
    "probation.agreement",
    "probation.review",
    "register.upload",
    "register.import",
    "register.discard",
    "workforce.forecast",
    "workforce.abstraction",
    "workforce.abstraction_review",
    "workforce.screening",
    "workforce.training",
    "workforce.exposure",
}


def _assurance_report(w: World) -> Any:
    from vigil.assurance.services import report_make

    return report_make(actor=w.users["head_of_pp"], kind="pcc", days=30)


def _checked_import(w: World) -> Any:
    from vigil.register.models import ImportStatus, RegisterImport

    supervisor = w.users["mosovo_supervisor"]
    return RegisterImport.objects.create(
        force_id=supervisor.force_id,
        uploaded_by=supervisor,
        filename="extract.csv",
        size=1,
        sha256="0" * 64,
        mapping_name="Test",
        mapping_text="",
        extract_date=date(2026, 12, 1),
        status=ImportStatus.CHECKED,
    )


def _extract_upload(w: World, nothing: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from vigil.register.mapping import example

    header = ",".join(example("visor").columns.values())
    return {
        "file": SimpleUploadedFile("extract.csv", f"{header}\n".encode()),
        "mapping": "visor",
        "extract_date": "2024-06-01",
    }


MULTIPART = {"register.upload"}  # a file is sent as a form is, not as JSON


def _mappa_action(w: World) -> Any:
    from vigil.offenders import services as rso

    meeting = rso.mappa_meeting_record(
        actor=w.users["offender_manager"],
        registration=w.nominal.registration,
        level=2,
        held_on=date(2026, 11, 20),
        chair="DI (synthetic)",
        actions=[
            {
                "description": "Joint visit",
                "agency": "Police",
                "owner": None,
                "due_on": date(2026, 11, 30),
            }
        ],
    )
    return meeting.actions.get()


def _team(w: World, kind: str) -> Any:
    from vigil.core.models import Team

    return Team.objects.get(force_id=w.nominal.force_id, kind=kind)


def _probation_agreement(w: World) -> Any:
    from vigil.probation.tests.helpers import agreement

    return agreement(w)


def _probation_exchange(w: World) -> Any:
    from vigil.probation.tests.helpers import exchange

    return exchange(w)


def _extract_with_quenby(w: World) -> Any:
    """A checked extract in which the register holds the world's Quenby at a lower risk
    than Vigil does: a difference to accept, mark for correction or export."""
    from vigil.register.models import RowAction, StagedRow

    found = _checked_import(w)
    found.extract_date = date(2024, 6, 1)
    found.mapping_text = (
        '[columns]\nregister_reference = "Ref"\nfamily_name = "Surname"\n'
        'given_names = "Forenames"\nrisk_level = "Risk"\nregistration_date = "Registered"\n'
    )
    found.save()
    StagedRow.objects.create(
        register_import=found,
        row=2,
        reference="SYN-QUENBY",
        name="QUENBY, Adrian",
        action=RowAction.UPDATE,
        values={
            "register_reference": "SYN-QUENBY",
            "family_name": "Quenby",
            "given_names": "Adrian",
            "risk_level": "low",
            "registration_date": "2024-01-10",
        },
    )
    return w.nominal.registration


# Writes that disclose many people at once: the event names each of them
ABOUT_MANY = {"register.export"}

DECLARED_CASES: dict[str, tuple[str, Callable[[World], Any], Body]] = {
    "register.upload": ("mosovo_supervisor", lambda w: None, _extract_upload),
    "register.import": ("mosovo_supervisor", _checked_import, {}),
    "register.discard": ("mosovo_supervisor", _checked_import, {}),
    "probation.agreement": (
        "head_of_pp",
        lambda w: None,
        lambda w, nothing: {
            "name": "Alpha and Alpha PDU (synthetic)",
            "probation_party": "Alpha probation delivery unit",
            "probation_team": str(_team(w, TeamKind.PROBATION_PARTNER).pk),
            "police_team": str(_team(w, TeamKind.HEADQUARTERS).pk),
            "starts_on": "2026-01-05",
        },
    ),
    "probation.exchange": (
        "offender_manager",
        lambda w: _probation_agreement(w) and None,
        {
            "register_reference": "syn-quenby",
            "kind": "information_request",
            "priority": "urgent",
            "summary": "Current employment (synthetic)",
            "detail": "Synthetic",
        },
    ),
    "probation.answer": (
        "probation_partner",
        lambda w: _probation_exchange(w),
        {"answer": "Employed part-time (synthetic)"},
    ),
    "probation.review": (
        "head_of_pp",
        lambda w: _probation_agreement(w),
        {
            "held_on": "2026-11-20",
            "period_from": "2026-08-01",
            "period_to": "2026-10-31",
            "attendees": "Synthetic",
        },
    ),
    "register.accept": ("offender_manager", _extract_with_quenby, {"field": "risk_level"}),
    "register.correction": (
        "offender_manager",
        _extract_with_quenby,
        {"field": "risk_level", "note": "Reviewed: high, as Vigil holds (synthetic)"},
    ),
    "register.export": (
        "mosovo_supervisor",
        lambda w: _extract_with_quenby(w) and None,
        {"recipient": "The ViSOR bureau (synthetic)"},
    ),
    "workforce.abstraction": ("mosovo_supervisor", lambda w: None, _abstraction_body),
    "workforce.forecast": ("head_of_pp", lambda w: None, {"years": 5}),
    "assurance.report": ("performance_analyst", lambda w: None, {"kind": "pcc", "days": 30}),
    "assurance.narrative": (
        "head_of_pp",
        lambda w: _assurance_report(w),
        {"version": 1, "narrative": "The force met its targets (synthetic)."},
    ),
    "workforce.screening": (
        "wellbeing_lead",
        lambda w: None,
        lambda w, nothing: {
            "person": str(w.users["offender_manager"].pk),
            "screened_on": "2026-11-20",
            "follow_up": "not_needed",
        },
    ),
    "workforce.exposure": (
        "investigator",
        lambda w: None,
        lambda w, nothing: {"week_starting": "2026-11-23", "images_reviewed": 40},
    ),
    "workforce.training": (
        "wellbeing_lead",
        lambda w: None,
        lambda w, nothing: {
            "person": str(w.users["mosovo_supervisor"].pk),
            "completed_on": "2026-11-20",
        },
    ),
    "workforce.abstraction_review": (
        "mosovo_supervisor",
        _abstraction,
        lambda w, a: {"version": a.version, "note": "Necessary; not regular (synthetic)"},
    ),
    "rso.move": ("mosovo_supervisor", _with_second_team, _move_body),
    "rso.transfer_request": (
        "offender_manager",
        _rso,
        {"to_force": "beta", "reason": "Moving (synthetic)"},
    ),
    "people.alias": ("offender_manager", lambda w: w.nominal, {"family_name": "Pellishaw"}),
    "people.identifier": (
        "offender_manager",
        lambda w: w.nominal,
        {"kind": "cro", "value": "123456/99A"},
    ),
    "people.address": (
        "offender_manager",
        lambda w: w.nominal,
        {
            "kind": "home",
            "line_1": "2 Sample Road",
            "town": "Alpha",
            "postcode": "ZZ99 1AB",
            "valid_from": "2026-01-05",
        },
    ),
    "rso.breach": (
        "offender_manager",
        _rso,
        {"identified_at": "2026-11-27T10:00:00Z", "kind": "other", "details": "Synthetic"},
    ),
    "rso.indefinite_review": ("offender_manager", _indefinite, {"applied_on": "2026-11-02"}),
    "rso.indefinite_review_determine": (
        "head_of_pp",
        _application,
        {"outcome": "continued", "rationale": "Risk remains (synthetic)"},
    ),
    "rso.reactive": (
        "mosovo_supervisor",
        lambda w: _rso_audited("_low_risk_rso")(w),
        {"rationale": "Stable for years (synthetic)"},
    ),
    "rso.registration_end": (
        "offender_manager",
        _rso,
        {"ended_on": "2026-11-28", "reason": "Discharged by the court (synthetic)"},
    ),
    "ocsea.arrest_decision": (
        "investigator",
        _ocsea("enforced", "suspect"),
        {"decision": "arrested", "decided_on": "2026-11-28"},
    ),
    "ocsea.ratify": ("ocsea_supervisor", _ocsea("not_arrested", "suspect"), {"note": "Agreed"}),
    "ocsea.outcome": (
        "investigator",
        _ocsea("triaged", "suspect"),
        {"outcome": "nfa", "outcome_on": "2026-11-28"},
    ),
    "ocsea.child_safeguarded": ("investigator", _child, {"safeguarded_on": "2026-11-28"}),
    "ocsea.family_member": (
        "investigator",
        _ocsea("enforced", "enforcement"),
        {"relationship": "partner", "age_band": "adult"},
    ),
    "ocsea.family_support": (
        "investigator",
        _ocsea("enforced", "enforcement"),
        {"welfare_pack_on": "2026-11-28"},
    ),
    "ocsea.family_vulnerability": (
        "investigator",
        _ocsea("with_plain_member", "member"),
        {
            "vulnerability": "Disclosed contact (synthetic)",
            "vulnerability_identified_on": "2026-11-28",
        },
    ),
    "ocsea.condition_remove": (
        "investigator",
        lambda w: _ocsea("bailed", "bail")(w).conditions.first(),
        {"removed_on": "2026-11-29"},
    ),
    "ocsea.condition_check": (
        "investigator",
        _ocsea("bailed", "bail"),
        {"checked_on": "2026-11-29", "method": "home_visit", "result": "complied"},
    ),
    "ocsea.breach_action": (
        "investigator",
        _ocsea("checked", "check"),
        {"actioned_on": "2026-11-29", "action": "Arrested for breach (synthetic)"},
    ),
    "ocsea.bail_end": (
        "investigator",
        _ocsea("bailed", "bail"),
        {"ended_on": "2026-11-29", "reason": "nfa"},
    ),
    "ocsea.rui_review": (
        "investigator",
        _ocsea("under_investigation", "bail"),
        {"reviewed_on": "2026-11-28", "notes": "Enquiries continue (synthetic)"},
    ),
    "ocsea.marf": (
        "investigator",
        _ocsea("with_member", "member"),
        {"submitted_on": "2026-11-28", "reference": "MARF/1"},
    ),
    "ocsea.action": (
        "investigator",
        _triaged,
        {"actioned_on": "2026-11-28", "action_taken": "Checks (synthetic)"},
    ),
    "ocsea.enforcement_plan": ("investigator", _triaged, {"planned_on": "2026-12-03"}),
    "ocsea.enforcement": (
        "investigator",
        _triaged,
        {"enforced_on": "2026-11-28", "outcome": "completed", "warrant": False},
    ),
    "ocsea.close": ("investigator", _closable, {"closed_on": "2026-11-28", "note": "NFA"}),
    "rso.pnd_assess": ("offender_manager", _pnd_check, {"assessment": "Nothing new (synthetic)"}),
    "rso.visit_authorise": ("mosovo_supervisor", _visit, {"rationale": "Synthetic"}),
    "rso.visit_assess": ("head_of_pp", _authorised_visit, {"assessment": "Sound (synthetic)"}),
    "rso.visit_warrant": ("mosovo_supervisor", _failed_visits, {"decision": "Apply (synthetic)"}),
    "rso.breach_visor": ("offender_manager", _breach, {"recorded_at": "2026-11-28T10:00:00Z"}),
    "rso.notification": ("offender_manager", _rso, {"kind": "periodic", "made_on": "2026-01-05"}),
    "rso.mappa_meeting": (
        "offender_manager",
        lambda w: w.nominal.registration,
        {"level": 2, "held_on": "2026-11-20", "chair": "DI (synthetic)"},
    ),
    "rso.mappa_action_done": (
        "offender_manager",
        lambda w: _mappa_action(w),
        {"done_on": "2026-11-27", "outcome": "Visited jointly (synthetic)"},
    ),
    "rso.pnd_check": (
        "offender_manager",
        _rso,
        {"checked_on": "2026-01-05", "result": "No new information (synthetic)"},
    ),
    "rso.intelligence": (
        "offender_manager",
        _rso,
        {
            "received_on": "2026-01-05",
            "source": "Neighbourhood team",
            "grading": "B2",
            "summary": "Seen near a school (synthetic)",
        },
    ),
    "rso.concern": (
        "offender_manager",
        _rso,
        {"raised_on": "2026-01-05", "details": "Contact with a child (synthetic)"},
    ),
    "people.nominal": (
        "offender_manager",
        lambda w: None,
        {"family_name": "Wyxamere", "given_names": "Percy", "pnc": "2015/0123456X"},
    ),
    "people.nominal_edit": (
        "offender_manager",
        lambda w: w.nominal,
        lambda w, nominal: {"version": nominal.version, "family_name": "Quenbie"},
    ),
    "people.limited_access": (
        "mosovo_supervisor",
        lambda w: w.nominal,
        lambda w, nominal: {
            "version": nominal.version,
            "limited": True,
            "reason": "Synthetic",
            "restricted_to": [
                w.users[name].username for name in ("offender_manager", "mosovo_supervisor")
            ],
        },
    ),
    "obligations.waive": (
        "mosovo_supervisor",
        lambda w: w.obligation(w.nominal),
        lambda w, obligation: {"version": obligation.version, "rationale": "Synthetic"},
    ),
    "obligations.acknowledge": ("mosovo_supervisor", lambda w: w.escalation(), {}),
    "obligations.resolve": (
        "mosovo_supervisor",
        lambda w: w.escalation(),
        {"resolution": "Done (synthetic)"},
    ),
    "obligations.acknowledge_group": (
        "mosovo_supervisor",
        lambda w: None,
        lambda w, nothing: {
            "rung": w.escalation().rung,
            "team": str(w.escalation().obligation.owner_team_id),
            "kind": w.escalation().obligation.kind,
            "reason": w.escalation().reason,
            "note": "Backlog in hand (synthetic)",
        },
    ),
    "rso.register": ("offender_manager", _unregistered, _register_body),
    "rso.registration_edit": (
        "offender_manager",
        _rso,
        lambda w, registration: {"version": registration.version, "register_reference": "SYN/99"},
    ),
    "rso.visit": ("offender_manager", _rso, _visit_body),
    "rso.arms": (
        "offender_manager",
        _rso,
        {"completed_on": "2026-11-20", "priority": "high", "summary": "Synthetic"},
    ),
    "rso.rmp": ("offender_manager", _rso, {"completed_on": "2026-11-20", "actions": "Synthetic"}),
    "rso.arms_draft": (
        "offender_manager",
        _draft("arms"),
        {"completed_on": "2026-11-20", "priority": "high", "summary": "Synthetic"},
    ),
    "rso.rmp_draft": (
        "offender_manager",
        _draft("rmps"),
        {"completed_on": "2026-11-20", "actions": "Synthetic"},
    ),
    "rso.visit_review": ("mosovo_supervisor", _visit, {"note": "Seen (synthetic)"}),
    "rso.arms_review": ("mosovo_supervisor", lambda w: _rso(w).arms.get(), {}),
    "rso.rmp_review": ("mosovo_supervisor", _rmp, {}),
    "rso.transfer_accept": ("mosovo_supervisor", _transfer_in, _accept_body),
    "rso.transfer_decline": ("mosovo_supervisor", _transfer_in, {"note": "Not ours (synthetic)"}),
    "ocsea.receive": ("ocsea_triage", lambda w: None, _referral_body),
    "ocsea.triage": ("ocsea_triage", _ocsea("received", "referral"), _triage_body),
    "ocsea.risk_review": (
        "investigator",
        _triaged,
        {"kind": "periodic", "reviewed_on": "2026-11-28", "notes": "Unchanged (synthetic)"},
    ),
    "ocsea.allocate": ("ocsea_supervisor", _triaged, _allocate_body),
    "ocsea.suspect": ("investigator", _triaged, {"age_group": "adult", "family_name": "Second"}),
    "ocsea.bail": ("investigator", _ocsea("arrested", "suspect"), _bail_body),
    "ocsea.condition": (
        "investigator",
        _ocsea("bailed", "bail"),
        {
            "kind": "exclusion",
            "text": "Not to enter X (synthetic)",
            "victims_views": "sought",
            "imposed_on": "2026-11-29",
        },
    ),
    "ocsea.extend": (
        "investigator",
        _ocsea("bailed", "bail"),
        {
            "stage": "inspector",
            "authorised_on": "2026-11-29",
            "authoriser_name": "Synthetic",
            "authoriser_rank": "inspector",
            "grounds_to_suspect": True,
            "further_time_needed": True,
            "diligent_and_expeditious": True,
            "bail_necessary_and_proportionate": True,
        },
    ),
    "ocsea.court_decision": ("investigator", _ocsea("applied_to_court", "extension"), _court_body),
    "ocsea.rebail": (
        "investigator",
        _ocsea("under_investigation", "bail"),
        {
            "bailed_on": "2026-11-28",
            "conditions": [{"kind": "curfew", "text": "20:00-07:00", "victims_views": "sought"}],
        },
    ),
    "ocsea.intelligence": (
        "investigator",
        _triaged,
        {"received_on": "2026-11-28", "summary": "A second account (synthetic)"},
    ),
    "ocsea.oversight": (
        "ocsea_supervisor",
        _owned_elsewhere,
        {"reviewed_on": "2026-11-28", "notes": "Progressing (synthetic)"},
    ),
}


BAIL_WORK = {
    "ocsea.condition",
    "ocsea.extend",
    "ocsea.court_decision",
    "ocsea.condition_remove",
    "ocsea.condition_check",
    "ocsea.breach_action",
    "ocsea.bail_end",
}


def _declared() -> list[Any]:
    from vigil.writes import registry

    return [write for write in registry() if write.api]  # a second page: its API's declaration


# writes whose record is named in the API's body, not its path
IN_THE_BODY = {"ocsea.bail", "rso.register"}


def _api_path(subject: Any) -> dict[str, Any]:
    """The API path's arguments for a record: a record on a referral is reached through it."""
    from vigil.ocsea.models import (
        BailCondition,
        BailExtension,
        ChildAtRisk,
        ConditionCheck,
        Enforcement,
        FamilyMember,
        Suspect,
    )

    if isinstance(subject, Suspect):
        return {"pk": subject.referral_id, "suspect_id": subject.pk}
    if isinstance(subject, ChildAtRisk):
        return {"pk": subject.referral_id, "child_id": subject.pk}
    if isinstance(subject, Enforcement):
        return {"pk": subject.referral_id, "enforcement_id": subject.pk}
    if isinstance(subject, (BailCondition, ConditionCheck, BailExtension)):
        name = {BailCondition: "condition_id", ConditionCheck: "check_id"}.get(
            type(subject), "extension_id"
        )
        return {"pk": subject.bail_id, name: subject.pk}
    if isinstance(subject, FamilyMember):
        return {
            "pk": subject.enforcement.referral_id,
            "enforcement_id": subject.enforcement_id,
            "member_id": subject.pk,
        }
    return {"pk": subject.pk}


def _about(write: Any, subject: Any, made: Any) -> set[Any]:
    """The people a write is about: those its page asks the purpose for, else (a write that
    made a new record, or whose page names no person's record) those its record is about."""
    from vigil.obligations.models import Escalation, GroupAcknowledgement, Obligation
    from vigil.ocsea.models import Referral
    from vigil.offenders.models import Transfer
    from vigil.probation.models import Exchange

    if isinstance(subject, Exchange):  # an exchange names the person it is about
        return {subject.registration.nominal_id}
    if subject is None and (raised := Exchange.objects.filter(pk=made).first()):
        return {raised.registration.nominal_id}
    if subject is None:  # a referral received is about its suspects; a person added, them
        decision = GroupAcknowledgement.objects.filter(pk=made).first()
        if decision:  # escalations acknowledged together: their obligations' people
            return {e.obligation.person_id for e in decision.escalations.all()}
        referral = Referral.objects.filter(pk=made).first()
        return {s.nominal_id for s in referral.suspects.all()} if referral else {made}
    if asked := {person.pk for person in write.people(subject)}:
        return asked
    if isinstance(subject, Transfer):  # the receiving force may not open the record yet
        return {subject.registration.nominal_id}
    if isinstance(subject, Escalation):
        subject = subject.obligation
    assert isinstance(subject, Obligation), write.name
    return {subject.person_id}


@pytest.mark.parametrize("write", _declared(), ids=lambda w: w.name)
def test_a_declared_write_is_audited(write: Any, world: World, monkeypatch: Any) -> None:
    from datetime import timedelta

    from vigil.ocsea.tests.helpers import TODAY, freeze

    # a bail starts the day after the arrest: its work is done on its first day
    on_bail = write.name in BAIL_WORK
    freeze(monkeypatch, TODAY + timedelta(days=1)) if on_bail else freeze(monkeypatch)
    persona, subject_of, body = DECLARED_CASES[write.name]
    subject = subject_of(world)
    actor = world.users[persona]
    token = Token.objects.create(user=actor)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    in_path = subject is not None and write.name not in IN_THE_BODY
    send = getattr(Client(), write.api_method.lower())
    response = send(
        reverse(write.api, kwargs=_api_path(subject) if in_path else {}),
        body(world, subject) if callable(body) else body,
        **({} if write.name in MULTIPART else {"content_type": "application/json"}),
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == (201 if write.creates else 200), response.content
    if write.name in ABOUT_STAFF:  # no nominal: the event names the record it changed
        written = AuditEvent.objects.filter(seq__gt=before or 0, actor=actor)
        assert written.filter(object_id=str(response.json()["id"]), person_id__isnull=True).exists()
        assert verify_chain().ok
        assert_nothing_stale()
        return
    if write.name in ABOUT_MANY:  # one disclosure naming each person in it
        disclosed = AuditEvent.objects.about(world.nominal.pk).filter(
            seq__gt=before or 0, actor=actor, action=AuditAction.DISCLOSURE
        )
        assert disclosed.filter(object_id=str(response.json()["id"])).exists()
        assert verify_chain().ok
        return
    people = _about(write, subject, response.json()["id"])
    written = AuditEvent.objects.filter(seq__gt=before or 0, actor=actor).exclude(
        action=AuditAction.CONSULTATION
    )
    assert people
    assert written.filter(person_id__in=people).exists(), list(written)
    assert verify_chain().ok
    assert_nothing_stale()
