"""Bulk sync (`sync_all`) reads stored obligations as rows rather than model instances, for
speed: it must reach exactly what `sync` reaches, change by change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from vigil.obligations import registry
from vigil.obligations.models import Escalation, Obligation
from vigil.obligations.sync import SyncResult, sync, sync_all
from vigil.people import services as people
from vigil.people.models import Nominal
from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy


@pytest.fixture
def twins(world: Any) -> Iterator[dict[str, Any]]:
    """Two identical nominals under a throwaway rule: one is kept in step by `sync`, the
    other by `sync_all`."""
    Escalation.objects.all().delete()
    Obligation.objects.all().delete()
    team = world.users["offender_manager"].memberships.first().team
    risk: dict[Any, str] = {}

    def review(n: Nominal, pack: PolicyPack) -> Iterator[registry.Due]:
        yield registry.Due(
            kind="test.review",
            label="Review",
            rule_id="test.review",
            key="1",
            due_date=n.review_date,
            owner_team_id=team.pk,
            policy_keys=("records.retention_review_years",),
            risk_level=risk.get(n.family_name, "low"),
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
                risk_level=risk.get(n.family_name, "low"),
            )

    registry.subject(Nominal, label=str, person_id=lambda n: n.pk)
    registry.rule(Nominal)(review)
    om = world.users["offender_manager"]
    pair = [
        people.nominal_create(actor=om, family_name="Twinby", given_names="Adrian")
        for _ in range(2)
    ]
    yield {"pair": pair, "risk": risk}
    registry._subjects.pop("people.nominal")


def _state(nominal: Nominal) -> list[tuple[Any, ...]]:
    return sorted(
        (
            o.rule_id,
            o.key,
            o.label,
            o.subject_label,
            o.due_date,
            o.met_date,
            o.withdrawn_at is None,
            o.policy_version_id,
            o.risk_level,
            o.policy_keys,
            o.version,
            [(e.rung, e.reason, e.detail) for e in o.escalations.all()],
        )
        for o in Obligation.objects.filter(subject_id=nominal.pk)
    )


def _counts(result: SyncResult) -> tuple[int, ...]:
    return (result.created, result.changed, result.withdrawn, result.escalated)


def _step(twins: dict[str, Any], **change: Any) -> None:
    one, other = twins["pair"]
    if change:
        Nominal.objects.filter(pk__in=[one.pk, other.pk]).update(**change)
    by_sync = sync(Nominal.objects.get(pk=one.pk))
    by_bulk = sync_all(chunk=3)
    assert _counts(by_bulk) == _counts(by_sync)
    assert _state(other) == _state(one)


def test_sync_all_reaches_what_sync_reaches(twins: dict[str, Any]) -> None:
    one, other = twins["pair"]
    sync_all()  # everything in step before the twins part ways
    assert _state(other) == _state(one)
    _step(twins, given_names="Xavier")  # a new obligation, and a new label on the open one
    twins["risk"]["Twinby"] = "very_high"
    _step(twins)  # a risk rise: changed, and one escalation each
    assert Escalation.objects.filter(obligation__subject_id=other.pk).count() == 1
    _step(twins, review_date=one.review_date + timedelta(days=10))  # re-dated
    _step(twins, given_names="Adrian")  # the check is no longer called for: withdrawn
    _step(twins, given_names="Xavier")  # called for again
    Obligation.objects.filter(rule_id="test.check").update(met_date=one.review_date)
    _step(twins, given_names="Adrian")  # met: history, neither withdrawn nor changed
    _step(twins)  # and a run with nothing to do changes nothing
    met = Obligation.objects.filter(subject_id=other.pk, rule_id="test.check").get()
    assert met.withdrawn_at is None
    assert met.met_date == one.review_date


def test_a_shared_run_reconciles_each_chunk_as_a_single_run_does(twins: dict[str, Any]) -> None:
    """`sync_all(workers=N)` hands chunks of ids to processes, each reconciling its chunk with
    `_sync_unit`: run here in this process (a test's transaction cannot be shared), chunk by
    chunk, it reaches what `sync` reaches."""
    from vigil.obligations import sync as engine
    from vigil.policy.services import policy_version_recorded

    one, other = twins["pair"]
    sync_all()
    Nominal.objects.filter(pk__in=[one.pk, other.pk]).update(given_names="Xavier")
    by_sync = sync(Nominal.objects.get(pk=one.pk))
    pack = active_policy()
    engine._SHARED.update(pack=pack, version=policy_version_recorded(pack), history=())
    ids = list(Nominal.objects.order_by("pk").values_list("pk", flat=True))
    shared = SyncResult()
    for start in range(0, len(ids), 3):
        shared.add(engine._sync_unit("people.nominal", ids[start : start + 3]))
    assert _counts(shared) == _counts(by_sync)
    assert _state(other) == _state(one)


@pytest.mark.django_db
def test_a_shared_run_commits_each_chunk_itself() -> None:
    with pytest.raises(RuntimeError, match="commits each chunk"):
        sync_all(workers=2)  # inside this test's transaction


def test_a_run_splits_force_by_force_into_parts_covering_every_subject(
    twins: dict[str, Any], world: Any
) -> None:
    from vigil.obligations.sync import parts

    other = people.nominal_create(
        actor=world.users["other_force"], family_name="Elsewhere", given_names="Ann"
    )
    found = parts(chunk=2)
    ids = [pk for label, chunk in found if label == "people.nominal" for pk in chunk]
    everyone = Nominal.objects.values_list("pk", flat=True)
    assert sorted(ids) == sorted(str(pk) for pk in everyone)  # each once
    for label, chunk in found:
        assert len(chunk) <= 2
        forces = {n.force_id for n in Nominal.objects.filter(pk__in=chunk)}
        if label == "people.nominal":
            assert len(forces) == 1  # a part is of one force
    assert other.force_id != twins["pair"][0].force_id
