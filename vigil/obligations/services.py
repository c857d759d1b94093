"""Writes to obligations and escalations: waivers, acknowledgements, resolutions, and the
daily time-based work. Each is audited in its transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, atomic, audit_record, audit_record_many
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.obligations.models import (
    DailyRun,
    Escalation,
    EscalationReason,
    GroupAcknowledgement,
    Obligation,
    Rung,
)
from vigil.obligations.status import overdue_by_q, overdue_q
from vigil.policy.pack import active as active_policy

RUNG_VERBS = {
    Rung.OWNER: "view_nominal",
    Rung.SUPERVISOR: "act_on_escalations",
    Rung.HEAD_OF_UNIT: "act_on_head_escalations",
}


def waiver_roles_for(kind: str) -> list[str]:
    """The roles the policy allows to waive obligations of this kind."""
    roles = active_policy()["obligations.waiver_roles"]
    return list(roles.get(kind.split(".")[0], roles["default"]))


def may_waive(user: User, obligation: Obligation) -> bool:
    held = {m.role_id for m in user.memberships.all()}
    return bool(held & set(waiver_roles_for(obligation.kind)))


@atomic
def obligation_waive(
    *, actor: User, obligation: Obligation, rationale: str, expected_version: int
) -> Obligation:
    """Waives an open obligation: only a role the policy allows for its kind, with a
    rationale; the authoriser's role is recorded."""
    held = {m.role_id for m in actor.memberships.all()}
    allowed = [r for r in waiver_roles_for(obligation.kind) if r in held]
    if not may_waive(actor, obligation):
        raise PermissionDenied("Your roles do not allow waiving this kind of obligation.")
    if not rationale.strip():
        raise ValidationError({"rationale": "Enter why this obligation is waived"})
    current = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if current.version != expected_version:
        raise ConflictError("Someone else changed this obligation. Reload it and try again.")
    if current.met_date is not None or current.waived_at is not None:
        raise ValidationError({"rationale": "This obligation is already met or waived"})
    current.waived_at = clock.now()
    current.waived_by = actor
    current.waiver_role = allowed[0]
    current.waiver_rationale = rationale.strip()
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="obligation.waived",
        obj=current,
        person_id=current.person_id,
        justification=current.waiver_rationale,
        changes={"waived": {"before": None, "after": f"by {actor} as {allowed[0]}"}},
    )
    return current


def _escalation_for_update(escalation: Escalation) -> Escalation:
    return Escalation.objects.select_for_update().select_related("obligation").get(pk=escalation.pk)


def may_act_on(actor: User, escalation: Escalation) -> bool:
    """The rung's verb; a supervisor acts on escalations of the work their teams own or
    oversee (the OCSEA team's supervisors on an investigation another team holds: R3's
    central escalation policy), the head of unit (who holds the top rung's verb) on any in the
    force."""
    if has_verb(actor, RUNG_VERBS[Rung.HEAD_OF_UNIT]):
        return True
    if not has_verb(actor, RUNG_VERBS[Rung(escalation.rung)]):
        return False
    work = escalation.obligation
    teams = {work.owner_team_id, work.oversight_team_id} - {None}
    return actor.memberships.filter(team_id__in=teams).exists()


def _require_rung(actor: User, escalation: Escalation) -> None:
    if not may_act_on(actor, escalation):
        raise PermissionDenied("This escalation is for someone at another rung or team.")


@atomic
def escalation_acknowledge(*, actor: User, escalation: Escalation) -> Escalation:
    current = _escalation_for_update(escalation)
    _require_rung(actor, current)
    if current.acknowledged_at is not None:
        return current
    current.acknowledged_at = clock.now()
    current.acknowledged_by = actor
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="escalation.acknowledged",
        obj=current,
        person_id=current.obligation.person_id,
    )
    return current


@atomic
def escalations_acknowledge_group(
    *, actor: User, rung: str, team: Any, kind: str, reason: str, note: str
) -> GroupAcknowledgement:
    """Acknowledges together every escalation of one group that waits for acknowledgement
    and that the actor acts on (their rung, their teams' work: `escalation_list`), as one
    decision with its reason (ADR 20): a backlog raised at once is taken in hand in one
    action, and each escalation still carries who acknowledged it and when. Audited per
    escalation (as one acknowledged alone is) and once for the decision, naming everyone."""
    from vigil.obligations.selectors import EscalationFilters, to_acknowledge

    if not note.strip():
        raise ValidationError({"note": "Enter why these escalations are acknowledged together"})
    group = EscalationFilters(
        rung=rung, team=str(getattr(team, "pk", team)), kind=kind, reason=reason
    )
    waiting = to_acknowledge(user=actor, group=group)
    chosen = list(  # locked, and still unacknowledged once the lock is held
        Escalation.objects.filter(pk__in=waiting.values("pk"), acknowledged_at__isnull=True)
        .select_related("obligation")
        .select_for_update(of=("self",))
        .order_by("raised_on", "pk")
    )
    if not chosen:
        raise ValidationError({"note": "Nothing in this group is waiting for acknowledgement"})
    now = clock.now()
    decision = GroupAcknowledgement.objects.create(
        force_id=chosen[0].force_id,
        acknowledged_by=actor,
        rung=rung,
        team_id=chosen[0].obligation.owner_team_id,
        kind=kind,
        reason=reason,
        note=note.strip(),
        count=len(chosen),
    )
    Escalation.objects.filter(pk__in=[e.pk for e in chosen], acknowledged_at__isnull=True).update(
        acknowledged_at=now,
        acknowledged_by=actor,
        acknowledged_with=decision,
        version=F("version") + 1,
        updated_at=now,
    )
    people = list(dict.fromkeys(e.obligation.person_id for e in chosen if e.obligation.person_id))
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="escalations.group_acknowledged",
        obj=decision,
        detail={
            "rung": rung,
            "team": str(decision.team_id),
            "kind": kind,
            "reason": reason,
            "count": len(chosen),
        },
        justification=decision.note,
        people=people,
    )
    audit_record_many(
        [
            Entry(
                actor,
                AuditAction.ALTERATION,
                "escalation.acknowledged",
                obj=e,
                person_id=e.obligation.person_id,
                detail={"with": str(decision.pk)},
            )
            for e in chosen
        ]
    )
    return decision


@atomic
def escalation_resolve(*, actor: User, escalation: Escalation, resolution: str) -> Escalation:
    current = _escalation_for_update(escalation)
    _require_rung(actor, current)
    if not resolution.strip():
        raise ValidationError({"resolution": "Enter what was done"})
    if current.resolved_at is not None:
        raise ValidationError({"resolution": "This escalation is already resolved"})
    now = clock.now()
    if current.acknowledged_at is None:
        current.acknowledged_at, current.acknowledged_by = now, actor
    current.resolved_at, current.resolved_by = now, actor
    current.resolution = resolution.strip()
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="escalation.resolved",
        obj=current,
        person_id=current.obligation.person_id,
        justification=current.resolution,
    )
    return current


@dataclass
class DailyResult:
    escalations_raised: int
    overdue: int
    escalations_closed: int


def ladder_q(family: str, ladders: dict[str, Any]) -> Q:
    """The obligations a ladder covers: its family's kinds ("rso" covers rso.visit, ...),
    or, for "default", every kind whose family has no ladder of its own."""
    if family != "default":
        return Q(kind__startswith=f"{family}.")
    others = Q()
    for name in ladders:
        if name != "default":
            others |= Q(kind__startswith=f"{name}.")
    return ~others if others else Q()


def escalate_overdue(today: date) -> DailyResult:
    """Raises an escalation for each open obligation overdue past a rung's threshold (once
    per obligation and rung, so running twice raises nothing new)."""
    ladders = active_policy()["escalation.overdue_days_to_level"]
    raised = 0
    overdue = Obligation.objects.current().filter(overdue_q(today))
    for family, ladder in ladders.items():
        for rung, days in ladder.items():
            already = Escalation.objects.filter(
                obligation=OuterRef("pk"), rung=rung, reason=EscalationReason.OVERDUE
            )
            candidates = (
                overdue.filter(ladder_q(family, ladders))
                .filter(overdue_by_q(days, today))
                .exclude(Exists(already))
            )
            batch = [
                Escalation(
                    force_id=o.force_id,
                    obligation=o,
                    rung=rung,
                    reason=EscalationReason.OVERDUE,
                    raised_on=today,
                    detail=f"{days} or more days overdue",
                )
                for o in candidates.only("pk", "force_id").iterator(chunk_size=2000)
            ]
            Escalation.objects.bulk_create(batch, ignore_conflicts=True, batch_size=1000)
            raised += len(batch)
    return DailyResult(
        escalations_raised=raised, overdue=overdue.count(), escalations_closed=_close_settled(today)
    )


def _close_settled(today: date) -> int:
    """Open escalations whose obligation has since been met, waived or withdrawn are
    resolved by the daily run, saying so."""
    settled = Escalation.objects.filter(resolved_at__isnull=True).filter(
        Q(obligation__met_date__isnull=False)
        | Q(obligation__waived_at__isnull=False)
        | Q(obligation__withdrawn_at__isnull=False)
    )
    return settled.update(
        resolved_at=clock.now(),
        resolution="Closed by the daily run: the obligation was met, waived or withdrawn.",
    )


def daily_run(*, today: date | None = None) -> DailyRun:
    """The time-based work of one day, recorded as a run people can see. Safe to repeat."""
    today = today or clock.today()
    run = DailyRun.objects.create(run_date=today, started_at=clock.now())
    with transaction.atomic():
        result = escalate_overdue(today)
        run.counts = {
            "escalations_raised": result.escalations_raised,
            "escalations_closed": result.escalations_closed,
            "overdue": result.overdue,
        }
        run.finished_at = clock.now()
        run.save()
        audit_record(
            actor=None,
            action=AuditAction.ALTERATION,
            event="obligations.daily_run",
            detail={"run_date": today, **run.counts},
        )
    return run


def escalation_age_days(escalation: Any, today: date) -> int:
    end = escalation.resolved_at.date() if escalation.resolved_at else today
    return (end - escalation.raised_on).days


@atomic
def obligations_listed(*, actor: User, obligations: list[Obligation], via: str) -> None:
    """A worklist that shows people's names is a consultation of each person on it: one
    event for the page, naming each of them (ADR 17), so the DPO's search by person finds
    it. A page that names no one consults no one."""
    people = list(dict.fromkeys(o.person_id for o in obligations if o.person_id))
    if not people:
        return
    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="obligation.listed",
        detail={"via": via, "shown": len(obligations)},
        people=people,
    )


@atomic
def worklist_exported(
    *,
    actor: User,
    obligations: list[Obligation],
    recipients: list[str],
    justification: str,
    filters: dict[str, Any],
) -> None:
    """A worklist export is a disclosure: one event naming the recipients and each person
    in it (ADR 17)."""
    audit_record(
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="obligations.exported",
        recipients=recipients,
        justification=justification,
        detail={"rows": len(obligations), "filters": filters},
        people=sorted({o.person_id for o in obligations if o.person_id}, key=str),
    )
