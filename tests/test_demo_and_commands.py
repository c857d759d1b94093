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
    """The demo's people, but for those only its OCSEA referrals name (new suspects)."""
    return sorted(
        (n.family_name, n.given_names, str(n.date_of_birth), n.force.code)
        for n in Nominal.objects.filter(force__code__in=["northmoor", "southvale"]).exclude(
            force__code="northmoor", registration__isnull=True
        )
    )


def _ocsea_holds_the_casebook(force: Force) -> None:
    """The small demo's OCSEA work: the realistic mix, and every state a triage officer,
    investigator or OCSEA supervisor should meet (ocsea.py's casebook), written through the
    services with their audit events and obligations."""
    from collections import Counter

    from vigil.core import clock
    from vigil.instruments.models import Assessment
    from vigil.obligations.models import Obligation
    from vigil.obligations.status import overdue_q
    from vigil.ocsea import selectors
    from vigil.ocsea.models import (
        Bail,
        BailExtension,
        Referral,
        RiskReview,
        SupportOrganisation,
        Suspect,
    )
    from vigil.policy.pack import active

    today = clock.today()
    referrals = Referral.objects.filter(force=force)
    assert referrals.count() == 60
    triage = RiskReview.objects.filter(referral__in=referrals, kind="triage")
    bands = Counter(triage.values_list("band", flat=True))  # the band each was triaged in
    assert 3 <= bands["very_high"] <= 9
    assert 10 <= bands["high"] <= 18
    assert 15 <= bands["medium"] <= 26
    assert 12 <= bands["low"] <= 22
    sources = Counter(referrals.values_list("source", flat=True))
    assert sources.most_common(1)[0][0] == "nca_ceop"
    assert {"ncmec", "other_force", "public"} <= set(sources)
    suspects = Suspect.objects.filter(referral__in=referrals)
    assert 4 <= suspects.filter(age_group="child").count() <= 15
    packs = Counter(Assessment.objects.filter(force=force).values_list("pack_code", flat=True))
    assert packs["kirat"] > packs["prioritisation-tool"] > 0
    assert referrals.filter(status="closed").count() >= 15
    assert suspects.filter(outcome="charged").exists()
    assert suspects.filter(outcome="nfa").exists()
    # duplicates linked to the referral on the same suspect
    linked = referrals.filter(linked_to__isnull=False)
    assert linked.count() >= 2
    for duplicate in linked:  # the same person, or an online identifier in common
        ours, theirs = duplicate.suspects.all(), duplicate.linked_to.suspects.all()
        assert {s.nominal_id for s in ours} & {s.nominal_id for s in theirs} or set().union(
            *(s.identifiers() for s in ours)
        ) & set().union(*(s.identifiers() for s in theirs))
    assert suspects.filter(nominal__registration__isnull=False).count() >= 2  # known RSOs
    # the triage queue: unassessed first (one of them a duplicate), then by band
    queue = list(selectors.triage_queue(user=User.objects.get(username="triage")))
    assert [r.band for r in queue[:4]] == ["", "", "", ""]
    assert any(r.linked_to_id for r in queue[:4])
    assert queue[4].band == "very_high"
    # investigations owned outside OCSEA: oversight due, one overdue
    owned_elsewhere = referrals.exclude(team__kind="ocsea").exclude(status="closed")
    assert owned_elsewhere.filter(team__kind="child_abuse").exists()
    assert owned_elsewhere.filter(team__kind="local_policing", officer=None).exists()
    work = Obligation.objects.open().filter(force=force)
    overdue = work.filter(overdue_q(today))
    for rule in (
        "ocsea.assessment",
        "ocsea.action",
        "ocsea.review.periodic",
        "ocsea.review.intelligence",
        "ocsea.review.pre_enforcement",
        "ocsea.oversight",
        "ocsea.arrest.ratify",
        "ocsea.family.welfare",
        "ocsea.family.marf",
        "bail.expiry",
        "bail.check",
        "bail.breach",
        "bail.rui.review",
    ):
        assert overdue.filter(rule_id=rule).exists(), rule
    assert work.filter(rule_id="ocsea.arrest.ratify", due_date__gte=today).exists()
    assert suspects.filter(arrest_decision="not_arrested", ratified_on__isnull=False).exists()
    assert referrals.filter(planned_enforcement_on__gt=today).count() >= 2
    # bail: near expiry, expired without a decision, extended by rank, a court application
    supervisor = User.objects.get(username="ocsea.supervisor")
    rows = selectors.bail_dashboard(user=supervisor, today=today, pack=active())
    assert rows[0].expired  # expired first
    assert any(r.expired and not r.bail.extensions.exists() for r in rows)
    near = [r for r in rows if r.days_left is not None and 0 <= r.days_left <= 14]
    assert len(near) >= 2  # within the policy's lead time
    assert any(r.court_pending for r in rows)
    assert sum(e.court_pending for e in BailExtension.objects.filter(force=force)) == 1
    ranks = set(BailExtension.objects.filter(force=force).values_list("stage", "authoriser_rank"))
    assert {s for s, _ in ranks} >= {"inspector", "superintendent", "court"}
    assert any(r.bail.kind == "rui" for r in rows)
    assert Bail.objects.filter(force=force, end_reason="rui").exists()  # bail to RUI
    assert (
        SupportOrganisation.objects.filter(force=force, name__contains="(synthetic)").count() == 3
    )
    # every write audited by its service
    from vigil.audit.models import AuditEvent

    received = AuditEvent.objects.filter(event="ocsea.referral_received", force_id=force.pk)
    assert received.values("object_id").distinct().count() == 60
    assert received.count() == suspects.count()  # naming each suspect
    assert (
        AuditEvent.objects.filter(event="instrument.assessment_recorded", force_id=force.pk).count()
        == Assessment.objects.filter(force=force).count()
    )


@pytest.mark.exhaustive  # the whole demo, twice: PostgreSQL's run (ADR 24)
def test_demo_is_deterministic_and_audited_from_the_first_record(
    empty_db: None, monkeypatch: Any
) -> None:
    first_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    result = generate(scale="small", seed=7, progress=lambda m: None)
    assert [f.code for f in result.forces] == ["northmoor", "southvale"]
    demo_users = User.objects.exclude(username__startswith="old-")
    roles = {m.role_id for u in demo_users for m in u.memberships.all()}
    assert roles == {r.value for r in RoleCode}  # one login per role
    demo = Nominal.objects.filter(force__in=result.forces)
    suspects_new = demo.filter(ocsea_suspects__isnull=False, registration__isnull=True).distinct()
    assert demo.count() == result.nominals == 217 + suspects_new.count()  # 2 from the register
    assert result.referrals == 60
    assert result.registrations == 203  # 202 in the first force (2 imported), 1 in the second
    from vigil.obligations.models import Obligation
    from vigil.offenders.models import Registration

    registered = Registration.objects.filter(force=result.forces[0])
    assert registered.count() == 202
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
    first = (  # gaps allowed; a new chain's record of its beginning comes before its events
        AuditEvent.objects.filter(seq__gt=first_seq)
        .exclude(event="audit.chain_begun")
        .order_by("seq")
        .first()
    )
    assert first is not None
    assert first.event == "force.created"
    assert (
        AuditEvent.objects.filter(
            event="nominal.created", force_id__in=[f.pk for f in result.forces]
        ).count()
        == demo.count()
    )
    assert verify_chain().ok
    # the services kept each record's obligations in step one at a time; a full run, reading
    # every record's work in bulk (`related.load`), finds nothing to change
    from vigil.obligations.sync import sync_all

    settled = sync_all()
    assert (settled.created, settled.changed, settled.withdrawn) == (0, 0, 0)
    assert settled.unchanged > 1000
    assert verbs_of(User.objects.get(username="pcc")) == {"view_aggregates", "compare_forces"}
    _ocsea_holds_the_casebook(result.forces[0])
    fingerprint = _fingerprint()
    empty_db_again()
    # the parts that add no registered person have generators of their own (the OCSEA
    # plans' determinism is tested in test_demo_scales.py without writing them): leaving them
    # out leaves the people the same and the second run a third of the first
    for part in (
        "_ocsea",
        "make_mappa",
        "make_partnership",
        "make_workforce",
        "run_forecast",
        "make_assurance",
    ):
        monkeypatch.setattr(f"vigil.demo.generator.{part}", lambda *args, **kwargs: None)
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
    assert verbs_of(admin) == {"manage_users", "manage_reference_data", "run_jobs"}
    assert admin.force is not None
    assert admin.force.code == "delta"
