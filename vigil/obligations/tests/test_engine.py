"""The engine: registry, sync (idempotent, withdraws, re-dates), bulk sync, escalation,
waivers, and the daily run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.obligations import registry, services
from vigil.obligations.models import DailyRun, Escalation, Obligation
from vigil.obligations.sync import sync, sync_all
from vigil.offenders.models import Registration
from vigil.people.models import Nominal
from vigil.policy.pack import PolicyPack


@pytest.fixture
def nominal_rules(world: Any) -> Iterator[dict[str, Any]]:
    """A throwaway subject kind for the tests: each nominal owes a review on its retention
    date, and a second check while its given names start with X; risk comes from a dict."""
    Escalation.objects.all().delete()  # the shared world's own work is not these tests'
    Obligation.objects.all().delete()
    team = world.users["offender_manager"].memberships.first().team
    state: dict[str, Any] = {"risk": {}, "team": team}

    def review(n: Nominal, pack: PolicyPack) -> Iterator[registry.Due]:
        yield registry.Due(
            kind="test.review",
            label="Review",
            rule_id="test.review",
            key="1",
            due_date=n.review_date,
            owner_team_id=team.pk,
            policy_keys=("records.retention_review_years",),
            risk_level=state["risk"].get(n.pk, "low"),
        )
        if n.given_names.startswith("X"):
            yield registry.Due(
                kind="test.check",
                label="Check",
                rule_id="test.check",
                key="1",
                due_date=n.review_date - timedelta(days=30),
                owner_team_id=team.pk,
                policy_keys=(),
                risk_level=state["risk"].get(n.pk, "low"),
            )

    registry.subject(Nominal, label=str, person_id=lambda n: n.pk)
    registry.rule(Nominal)(review)
    yield state
    registry._subjects.pop("people.nominal")


def test_sync_creates_then_changes_nothing(world: Any, nominal_rules: Any) -> None:
    first = sync(world.nominal)
    assert (first.created, first.changed, first.withdrawn) == (1, 0, 0)
    again = sync(world.nominal)
    assert (again.created, again.changed, again.withdrawn, again.unchanged) == (0, 0, 0, 1)
    obligation = Obligation.objects.get(subject_id=world.nominal.pk, rule_id="test.review")
    assert obligation.policy_version_id
    assert obligation.policy_keys == ["records.retention_review_years"]
    assert obligation.subject_label == str(world.nominal)


def test_sync_withdraws_what_the_rules_no_longer_call_for(world: Any, nominal_rules: Any) -> None:
    world.nominal.given_names = "Xavier"
    assert sync(world.nominal).created == 2
    world.nominal.given_names = "Adrian"
    result = sync(world.nominal)
    assert result.withdrawn == 1
    assert Obligation.objects.current().filter(subject_id=world.nominal.pk).count() == 1
    assert Obligation.objects.filter(subject_id=world.nominal.pk).count() == 2  # history kept


def test_a_risk_rise_escalates(world: Any, nominal_rules: Any) -> None:
    sync(world.nominal)
    nominal_rules["risk"][world.nominal.pk] = "very_high"
    result = sync(world.nominal)
    assert result.changed == 1
    assert result.escalated == 1
    escalation = Escalation.objects.get()
    assert escalation.rung == "head_of_unit"
    assert escalation.reason == "risk_rise"


def test_sync_all_streams_everything_and_is_idempotent(world: Any, nominal_rules: Any) -> None:
    ticks: list[int] = []
    first = sync_all(chunk=1, progress=ticks.append)
    # every subject of every registered kind: these nominals and the world's RSO records
    count = Nominal.objects.count() + Registration.objects.count()
    assert first.subjects == count
    assert first.created >= Nominal.objects.count()
    assert sum(ticks) == count
    second = sync_all(chunk=2)
    assert (second.created, second.changed, second.withdrawn) == (0, 0, 0)


def test_sync_obligations_command_reports(world: Any, nominal_rules: Any, capsys: Any) -> None:
    call_command("sync_obligations")
    assert "created" in capsys.readouterr().out
    call_command("sync_obligations")
    assert "0 created, 0 changed, 0 withdrawn" in capsys.readouterr().out


def _overdue(world: Any, nominal_rules: Any, days: int) -> Obligation:
    sync(world.nominal)
    obligation = Obligation.objects.get(subject_id=world.nominal.pk, rule_id="test.review")
    Obligation.objects.filter(pk=obligation.pk).update(
        due_date=clock.today() - timedelta(days=days)
    )
    return obligation


def test_daily_escalates_up_the_ladder_once(world: Any, nominal_rules: Any) -> None:
    _overdue(world, nominal_rules, 30)
    run = services.daily_run()
    assert run.counts["escalations_raised"] == 2  # supervisor at 8 days, head of unit at 29
    assert services.daily_run().counts["escalations_raised"] == 0  # safe to run twice
    assert DailyRun.objects.count() == 2
    assert {e.rung for e in Escalation.objects.all()} == {"supervisor", "head_of_unit"}


def test_each_kind_of_work_climbs_its_own_ladder(
    world: Any, nominal_rules: Any, settings: Any, tmp_path: Any
) -> None:
    policy = tmp_path / "force.toml"
    policy.write_text("[escalation.overdue_days_to_level]\nvalue.default = { supervisor = 2 }\n")
    settings.VIGIL_POLICY = str(policy)
    test_kind = _overdue(world, nominal_rules, 3)  # "test." has no ladder: the default's
    rso = Obligation.objects.create(
        **{
            f.attname: getattr(test_kind, f.attname)
            for f in Obligation._meta.concrete_fields
            if f.attname not in ("id", "created_at", "updated_at")
        }
        | {"kind": "rso.visit", "rule_id": "rso.test", "subject_type": "test.rso"}
    )
    assert services.daily_run().counts["escalations_raised"] == 1
    escalation = Escalation.objects.get()
    assert (escalation.obligation_id, escalation.rung) == (test_kind.pk, "supervisor")
    Obligation.objects.filter(pk=rso.pk).update(due_date=clock.today() - timedelta(days=8))
    services.daily_run()
    assert Escalation.objects.filter(obligation=rso, rung="supervisor").exists()  # rso: 8 days


def test_daily_leaves_obligations_under_the_threshold(world: Any, nominal_rules: Any) -> None:
    _overdue(world, nominal_rules, 7)
    assert services.daily_run(today=clock.today()).counts["escalations_raised"] == 0


def test_escalations_are_acknowledged_and_resolved_by_their_rung(
    world: Any, nominal_rules: Any
) -> None:
    _overdue(world, nominal_rules, 10)
    services.daily_run()
    escalation = Escalation.objects.get()
    with pytest.raises(PermissionDenied):
        services.escalation_acknowledge(
            actor=world.users["offender_manager"], escalation=escalation
        )
    sup = world.users["mosovo_supervisor"]
    services.escalation_acknowledge(actor=sup, escalation=escalation)
    with pytest.raises(ValidationError):
        services.escalation_resolve(actor=sup, escalation=escalation, resolution=" ")
    services.escalation_resolve(actor=sup, escalation=escalation, resolution="Visit booked")
    escalation.refresh_from_db()
    assert escalation.resolved_by == sup
    assert escalation.acknowledged_by == sup
    events = AuditEvent.objects.filter(object_id=str(escalation.pk)).values_list("event", flat=True)
    assert list(events.order_by("seq")) == ["escalation.acknowledged", "escalation.resolved"]


def test_only_the_roles_the_policy_names_may_waive(world: Any, nominal_rules: Any) -> None:
    obligation = _overdue(world, nominal_rules, 3)
    Obligation.objects.filter(pk=obligation.pk).update(kind="rso.visit")
    obligation.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.obligation_waive(
            actor=world.users["ocsea_supervisor"],
            obligation=obligation,
            rationale="x",
            expected_version=obligation.version,
        )
    with pytest.raises(ValidationError):
        services.obligation_waive(
            actor=world.users["mosovo_supervisor"],
            obligation=obligation,
            rationale="",
            expected_version=obligation.version,
        )
    waived = services.obligation_waive(
        actor=world.users["mosovo_supervisor"],
        obligation=obligation,
        rationale="In hospital; visit when discharged",
        expected_version=obligation.version,
    )
    assert waived.waiver_role == "mosovo_supervisor"
    assert waived.waived_at is not None
    assert AuditEvent.objects.filter(
        event="obligation.waived", object_id=str(obligation.pk)
    ).exists()


def test_obligations_follow_the_subjects_limited_access(world: Any, nominal_rules: Any) -> None:
    sync(world.limited)
    excluded = world.users["excluded"]
    colleague = world.users["offender_manager"]
    assert not Obligation.objects.visible_to(excluded).filter(person_id=world.limited.pk).exists()
    assert Obligation.objects.visible_to(colleague).filter(person_id=world.limited.pk).exists()
    assert not Obligation.objects.visible_to(world.users["other_force"]).exists()
    assert not Obligation.objects.visible_to(world.users["pcc_assurance"]).exists()


def test_an_occurrence_withdrawn_and_wanted_again_is_revived(
    world: Any, nominal_rules: Any
) -> None:
    world.nominal.given_names = "Xavier"
    sync(world.nominal)
    world.nominal.given_names = "Adrian"
    assert sync(world.nominal).withdrawn == 1
    world.nominal.given_names = "Xavier"
    result = sync(world.nominal)  # no duplicate: the withdrawn row comes back
    assert result.created == 0
    assert result.withdrawn == 0
    assert Obligation.objects.current().filter(subject_id=world.nominal.pk).count() == 2


def test_met_obligations_are_history(world: Any, nominal_rules: Any) -> None:
    sync(world.nominal)
    obligation = Obligation.objects.get(subject_id=world.nominal.pk)
    Obligation.objects.filter(pk=obligation.pk).update(met_date=obligation.due_date)
    nominal_rules["risk"][world.nominal.pk] = "very_high"
    world.nominal.review_date = world.nominal.review_date + timedelta(days=99)
    result = sync(world.nominal)
    assert (result.changed, result.escalated) == (0, 0)
    obligation.refresh_from_db()
    assert obligation.risk_level == "low"
    assert obligation.met_date == obligation.due_date


def test_a_risk_rise_is_one_escalation_for_the_subject(world: Any, nominal_rules: Any) -> None:
    world.nominal.given_names = "Xavier"  # two open obligations
    sync(world.nominal)
    nominal_rules["risk"][world.nominal.pk] = "high"  # both obligations' risk rises
    result = sync(world.nominal)
    assert result.escalated == 1
    escalation = Escalation.objects.get()
    assert escalation.rung == "supervisor"
    assert escalation.obligation.rule_id == "test.check"


def test_daily_still_escalates_overdue_work_that_a_risk_rise_escalated(
    world: Any, nominal_rules: Any
) -> None:
    obligation = _overdue(world, nominal_rules, 40)
    Escalation.objects.create(
        force_id=obligation.force_id,
        obligation=obligation,
        rung="head_of_unit",
        reason="risk_rise",
        raised_on=clock.today(),
        detail="Risk rose",
    )
    services.daily_run()
    overdue_rungs = set(Escalation.objects.filter(reason="overdue").values_list("rung", flat=True))
    assert overdue_rungs == {"supervisor", "head_of_unit"}


def test_daily_closes_escalations_of_settled_obligations(world: Any, nominal_rules: Any) -> None:
    obligation = _overdue(world, nominal_rules, 10)
    services.daily_run()
    Obligation.objects.filter(pk=obligation.pk).update(met_date=clock.today())
    assert services.daily_run().counts["escalations_closed"] == 1
    assert not Escalation.objects.filter(resolved_at__isnull=True).exists()


def test_the_ladder_sends_each_rung_to_its_people(world: Any, nominal_rules: Any) -> None:
    _overdue(world, nominal_rules, 40)
    services.daily_run()
    supervisor_rung = Escalation.objects.get(rung="supervisor")
    head_rung = Escalation.objects.get(rung="head_of_unit")
    with pytest.raises(PermissionDenied):  # another team's supervisor
        services.escalation_acknowledge(
            actor=world.users["ocsea_supervisor"], escalation=supervisor_rung
        )
    with pytest.raises(PermissionDenied):  # the head of unit's rung
        services.escalation_acknowledge(
            actor=world.users["mosovo_supervisor"], escalation=head_rung
        )
    services.escalation_acknowledge(
        actor=world.users["mosovo_supervisor"], escalation=supervisor_rung
    )
    services.escalation_acknowledge(actor=world.users["head_of_pp"], escalation=head_rung)
