"""Escalations by group, and a group acknowledged together (ADR 20): a backlog of hundreds
is a handful of rows, taken in hand in one audited decision with its reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.obligations import selectors, services
from vigil.obligations.models import Escalation, GroupAcknowledgement, Obligation


@pytest.fixture
def backlog(world: Any) -> list[Obligation]:
    """Twelve overdue home visits of the MOSOVO team, as a first daily run finds them."""
    made = []
    for n in range(12):
        o = world.obligation(world.nominal)
        o.pk = None
        o.key = f"backlog-{n}"
        o.due_date = clock.today() - timedelta(days=40 + n)
        o.save(force_insert=True)
        made.append(o)
    services.escalate_overdue(clock.today())
    return made


def _group(user: Any) -> selectors.EscalationGroup:
    groups = selectors.escalation_groups(user=user)
    return next(g for g in groups if g.rung == "supervisor" and g.kind == "rso.visit")


def test_a_backlog_is_a_handful_of_groups(world: Any, backlog: Any) -> None:
    supervisor = world.users["mosovo_supervisor"]
    every = selectors.escalation_list(user=supervisor)
    groups = selectors.escalation_groups(user=supervisor)
    assert every.count() > len(groups)
    assert sum(g.total for g in groups) == every.count()
    visits = _group(supervisor)
    assert visits.new == visits.total >= 12
    assert visits.oldest == min(e.raised_on for e in every.filter(rung="supervisor"))
    assert selectors.escalation_groups(user=world.users["ocsea_supervisor"]) == []


def test_a_group_is_acknowledged_together_with_its_reason(world: Any, backlog: Any) -> None:
    supervisor = world.users["mosovo_supervisor"]
    group = _group(supervisor)
    decision = services.escalations_acknowledge_group(
        actor=supervisor,
        rung=group.rung,
        team=group.team_id,
        kind=group.kind,
        reason=group.reason,
        note="Backlog from the first run: allocated at Monday's tasking meeting.",
    )
    assert decision.count == group.new
    done = Escalation.objects.filter(acknowledged_with=decision)
    assert done.count() == group.new
    assert not done.filter(acknowledged_at__isnull=True).exists()
    assert set(done.values_list("acknowledged_by", flat=True)) == {supervisor.pk}
    assert not done.filter(resolved_at__isnull=False).exists()  # each still resolved alone
    each = AuditEvent.objects.filter(event="escalation.acknowledged", detail__with=str(decision.pk))
    assert each.count() == group.new  # each audited as one acknowledged alone is
    summary = AuditEvent.objects.get(event="escalations.group_acknowledged")
    assert summary.justification.startswith("Backlog from the first run")
    assert summary.detail["count"] == group.new
    assert summary in AuditEvent.objects.about(world.nominal.pk)  # the DPO finds it by person
    assert _group(supervisor).new == 0
    with pytest.raises(ValidationError) as refused:  # nothing left waiting in it
        services.escalations_acknowledge_group(
            actor=supervisor,
            rung=group.rung,
            team=group.team_id,
            kind=group.kind,
            reason=group.reason,
            note="Again",
        )
    assert "note" in refused.value.message_dict


def test_a_reason_is_required_and_another_team_acknowledges_nothing(
    world: Any, backlog: Any
) -> None:
    group = _group(world.users["mosovo_supervisor"])
    with pytest.raises(ValidationError) as refused:
        services.escalations_acknowledge_group(
            actor=world.users["mosovo_supervisor"],
            rung=group.rung,
            team=group.team_id,
            kind=group.kind,
            reason=group.reason,
            note="  ",
        )
    assert refused.value.message_dict["note"] == [
        "Enter why these escalations are acknowledged together"
    ]
    with pytest.raises(ValidationError):  # the OCSEA supervisor acts on none of them
        services.escalations_acknowledge_group(
            actor=world.users["ocsea_supervisor"],
            rung=group.rung,
            team=group.team_id,
            kind=group.kind,
            reason=group.reason,
            note="Not mine",
        )
    assert not GroupAcknowledgement.objects.exists()
    assert not Escalation.objects.filter(acknowledged_at__isnull=False).exists()


def test_the_pages_and_the_api(world: Any, backlog: Any, client_for: Any) -> None:
    client = client_for("mosovo_supervisor")
    group = _group(world.users["mosovo_supervisor"])
    listing = client.get(reverse("obligations:escalation-list")).content.decode()
    assert "Escalations by team and kind of work" in listing
    assert world.nominal.family_name.upper() not in listing  # counts, no names
    opened = client.get(reverse("obligations:escalation-list") + "?" + group.query)
    assert f"Acknowledge all {group.new} together" in opened.content.decode()
    url = reverse("obligations:escalation-group-acknowledge") + "?" + group.query
    form = client.get(url).content.decode()
    assert f"Acknowledge {group.new} escalations together" in form
    data = {
        "rung": group.rung,
        "team": group.team_id,
        "kind": group.kind,
        "reason": group.reason,
        "note": "",
    }
    refused = client.post(url, data).content.decode()
    assert "<title>Error: " in refused
    assert 'href="#id_note"' in refused  # the summary names the field
    answer = client.post(url, {**data, "note": "Backlog: in hand."})
    assert answer.status_code == 302
    assert GroupAcknowledgement.objects.get().count == group.new
    api = client_for("mosovo_supervisor")
    groups = api.get(reverse("api:escalation-groups")).json()
    assert any(g["kind"] == "rso.visit" and g["new"] == 0 for g in groups)
    o = backlog[0]
    Escalation.objects.filter(obligation=o).update(acknowledged_at=None, acknowledged_with=None)
    made = api.post(
        reverse("api:escalation-acknowledgement-list"),
        {**data, "team": str(group.team_id), "note": "Via the API"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["count"] == 1
    listed = api.get(reverse("api:escalation-acknowledgement-list")).json()
    assert {d["note"] for d in listed["results"]} == {"Backlog: in hand.", "Via the API"}


def test_the_overseer_acknowledges_the_work_their_team_oversees(
    world: Any, client_for: Any
) -> None:
    """An OCSEA supervisor sees and acts on the supervisor-rung escalations of work their
    team oversees for another team (R3's central escalation policy), alone or as a group,
    and sees the decision they made; a supervisor of neither team does not."""
    from vigil.core.models import Team

    ocsea = Team.objects.get(name="Alpha ocsea")
    Obligation.objects.filter(pk=world.escalation().obligation_id).update(oversight_team=ocsea)
    overseer = world.users["ocsea_supervisor"]
    assert services.may_act_on(overseer, world.escalation())
    (seen,) = selectors.escalation_groups(user=overseer)
    as_filters = selectors.EscalationFilters(seen.rung, str(seen.team_id), seen.kind, seen.reason)
    assert selectors.to_acknowledge(user=overseer, group=as_filters).count() == 1  # the page's
    decision = services.escalations_acknowledge_group(
        actor=overseer,
        rung=seen.rung,
        team=seen.team_id,
        kind=seen.kind,
        reason=seen.reason,
        note="Overseen: in hand",
    )
    assert world.escalation().acknowledged_at is not None
    url = reverse("api:escalation-acknowledgement-list")
    assert client_for("ocsea_supervisor").get(url).json()["count"] == 1
    assert decision.team_id != ocsea.pk  # the owning team's, as every group decision
    # a supervisor of neither team neither acts on it nor sees the decision
    from vigil.accounts.models import Role
    from vigil.accounts.services import membership_add, user_create

    elsewhere = Team.objects.create(
        force_id=overseer.force_id, area=ocsea.area, name="Alpha MOSOVO East", kind="mosovo"
    )
    other = user_create(actor=None, username="east.sup", password="x" * 20, force=overseer.force)
    membership_add(
        actor=None, user=other, team=elsewhere, role=Role.objects.get(pk="mosovo_supervisor")
    )
    assert not services.may_act_on(other, world.escalation())
    outsider = Client()
    outsider.force_login(other)
    assert outsider.get(url).json()["count"] == 0


def test_decisions_are_seen_by_the_teams_they_concern(
    world: Any, backlog: Any, client_for: Any
) -> None:
    group = _group(world.users["mosovo_supervisor"])
    services.escalations_acknowledge_group(
        actor=world.users["mosovo_supervisor"],
        rung=group.rung,
        team=group.team_id,
        kind=group.kind,
        reason=group.reason,
        note="In hand",
    )
    url = reverse("api:escalation-acknowledgement-list")
    assert client_for("mosovo_supervisor").get(url).json()["count"] == 1
    assert client_for("head_of_pp").get(url).json()["count"] == 1
    assert client_for("ocsea_supervisor").get(url).json()["count"] == 0
