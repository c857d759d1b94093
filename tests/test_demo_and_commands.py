"""The demo generator and the bootstrap command."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from vigil.accounts.access import verbs_of
from vigil.accounts.models import User
from vigil.accounts.roles import RoleCode
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditEvent
from vigil.core.models import Force
from vigil.demo.generator import generate
from vigil.people.models import Nominal


@pytest.fixture
def empty_db(db: Any) -> None:
    """As if the database held no organisation: the session's world is renamed out of the
    way (users and forces cannot be deleted: audit events refer to them)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    User.objects.update(username=Concat(Value("old-"), F("username")))
    Force.objects.update(
        code=Concat(Value("old-"), F("code")), name=Concat(Value("old "), F("name"))
    )


def _fingerprint() -> list[tuple[str, str, str, str]]:
    return sorted(
        (n.family_name, n.given_names, str(n.date_of_birth), n.force.code)
        for n in Nominal.objects.filter(force__code__in=["northmoor", "southvale"])
    )


def test_demo_is_deterministic_and_audited_from_the_first_record(empty_db: None) -> None:
    first_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    result = generate(scale="small", seed=7, progress=lambda m: None)
    assert [f.code for f in result.forces] == ["northmoor", "southvale"]
    demo_users = User.objects.exclude(username__startswith="old-")
    roles = {m.role_id for u in demo_users for m in u.memberships.all()}
    assert roles == {r.value for r in RoleCode}  # one login per role
    demo = Nominal.objects.filter(force__in=result.forces)
    assert demo.count() == result.nominals == 215
    assert result.registrations == 201  # 200 in the first force, 1 in the second
    from vigil.obligations.models import Obligation
    from vigil.offenders.models import Registration

    registered = Registration.objects.filter(force=result.forces[0])
    assert registered.count() == 200
    # and one of the second force's, whose transfer to the first awaits its decision
    from vigil.offenders.models import Transfer

    asked = Transfer.objects.get(status="pending")
    assert (asked.from_force, asked.to_force) == (result.forces[1], result.forces[0])
    risk_mix = {r: registered.filter(risk_level=r).count() for r in ("very_high", "low")}
    assert risk_mix["low"] > 70
    assert risk_mix["very_high"] < 15
    assert registered.filter(management_mode="reactive").exists()
    open_work = Obligation.objects.open().filter(force__in=result.forces)
    assert open_work.filter(kind="rso.visit").exists()
    assert open_work.filter(kind="rso.review").exists()
    assert demo.filter(limited_access=True).count() == 1
    assert all(a.postcode.startswith("ZZ99") for n in demo for a in n.addresses.all())
    first = AuditEvent.objects.get(seq=first_seq + 1)
    assert first.event == "force.created"
    assert (
        AuditEvent.objects.filter(
            event="nominal.created", force_id__in=[f.pk for f in result.forces]
        ).count()
        == demo.count()
    )
    assert verify_chain().ok
    assert verbs_of(User.objects.get(username="pcc")) == {"view_aggregates"}
    fingerprint = _fingerprint()
    empty_db_again()
    generate(scale="small", seed=7, progress=lambda m: None)
    assert _fingerprint() == fingerprint  # the same seed gives the same people


def empty_db_again() -> None:
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    User.objects.exclude(username__startswith="old-").update(
        username=Concat(Value("old-"), Cast("id", CharField()), Value("-"), F("username"))
    )
    suffix = str(Force.objects.count())
    Force.objects.exclude(code__startswith="old-").update(
        code=Concat(Value("old-"), F("code"), Value(suffix)),
        name=Concat(Value("old "), F("name"), Value(suffix)),
    )


def test_demo_command_refuses_a_populated_database(world: Any) -> None:
    with pytest.raises(CommandError):
        call_command("demo")
    call_command("demo", "--if-empty")  # and does nothing, quietly


def test_bootstrap_creates_the_first_administrator(empty_db: None, monkeypatch: Any) -> None:
    from unittest import mock

    monkeypatch.setenv("VIGIL_BOOTSTRAP_PASSWORD", "a-long-enough-passphrase")
    with pytest.raises(CommandError, match="exists already"):
        call_command("bootstrap", "--force-code", "e", "--force-name", "E", "--admin", "x")
    with mock.patch.object(Force.objects, "exists", return_value=False):
        call_command(
            "bootstrap",
            "--force-code",
            "delta",
            "--force-name",
            "Delta Police",
            "--admin",
            "root.admin",
        )
    admin = User.objects.get(username="root.admin")
    assert verbs_of(admin) == {"manage_users", "manage_reference_data"}
    assert admin.force is not None
    assert admin.force.code == "delta"
