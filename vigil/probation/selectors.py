"""Reads of the probation partnership: each side's exchanges with their clock (the engine's
status of the exchange's obligation: one idea of "overdue" for both sides), the rung of the
ladder a late answer has reached, and the figures of a period (R17's evidence)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from vigil.obligations import status as st
from vigil.obligations.models import Escalation, Obligation
from vigil.probation.models import Agreement, Direction, Exchange, ExchangeKind, side_of

BOXES = ("inbox", "outbox", "answered")


def exchanges_for(*, user: Any, agreement: Agreement, box: str) -> QuerySet[Exchange]:
    """The exchanges the user may see: `inbox` those for their side to answer, still open;
    `outbox` those their side raised, still open; `answered` every answered one."""
    side = side_of(user, agreement)
    mine = Direction.TO_PROBATION if side == "probation" else Direction.TO_POLICE
    found = Exchange.objects.visible_to(user).select_related(
        "agreement", "registration", "raised_by", "answered_by"
    )
    if box == "inbox":
        found = found.filter(direction=mine, answered_on__isnull=True).order_by("due_on")
    elif box == "outbox":
        found = found.exclude(direction=mine).filter(answered_on__isnull=True).order_by("due_on")
    else:
        found = found.filter(answered_on__isnull=False).order_by("-answered_on")
    return found


@dataclass(frozen=True)
class Clock:
    status: str  # the engine's: not_yet_due, due_soon, overdue..., met_on_time, met_late
    label: str
    rung: str  # "owner", or the rung a late answer has been escalated to
    rung_title: str  # as the answering side calls it


def clocks(exchanges: list[Exchange], agreement: Agreement, today: date) -> dict[Any, Clock]:
    """Each exchange's clock: its status by the engine's one function, and how far up the
    answering side's ladder it has climbed (the engine's open escalation of its obligation,
    read here for a partner who reads no obligation)."""
    labels = dict(st.statuses())
    keys = [str(e.pk) for e in exchanges]
    rungs: dict[str, str] = {}
    for key, rung in (
        Escalation.objects.filter(
            obligation__rule_id="probation.response",
            obligation__key__in=keys,
            resolved_at__isnull=True,
        )
        .order_by("raised_on")
        .values_list("obligation__key", "rung")
    ):
        rungs[key] = rung
    found = {}
    for e in exchanges:
        status = st.status_of(due_date=e.due_on, met_date=e.answered_on, waived=False, today=today)
        rung = rungs.get(str(e.pk), "owner")
        found[e.pk] = Clock(
            status, labels.get(status, status), rung, agreement.rung_title(e.answering_side, rung)
        )
    return found


def partnership_figures(
    *, agreement: Agreement, start: date, end: date, today: date
) -> dict[str, Any]:
    """The period's figures for the joint review and the scorecard: of the exchanges raised
    in it, each way, how many were answered in time, late, or are still open past their due
    date; the escalations raised in it by rung; those still open at the head of unit (for
    the strategic management board); and what the exchanges were about."""
    raised = Exchange.objects.filter(agreement=agreement, raised_on__gte=start, raised_on__lte=end)
    ways: dict[str, dict[str, Any]] = {}
    for direction, label in Direction.choices:
        these = list(raised.filter(direction=direction).values("due_on", "answered_on"))
        in_time = sum(1 for e in these if e["answered_on"] and e["answered_on"] <= e["due_on"])
        late = sum(1 for e in these if e["answered_on"] and e["answered_on"] > e["due_on"])
        overdue = sum(1 for e in these if not e["answered_on"] and e["due_on"] < today)
        decided = in_time + late + overdue
        ways[direction] = {
            "label": label,
            "raised": len(these),
            "answered_in_time": in_time,
            "answered_late": late,
            "open_overdue": overdue,
            "open_in_time": len(these) - decided,
            "in_time_percent": round(100 * in_time / decided) if decided else None,
        }
    responses = Obligation.objects.filter(force_id=agreement.force_id, rule_id="probation.response")
    escalations = Escalation.objects.filter(
        obligation__in=responses, raised_on__gte=start, raised_on__lte=end
    )
    board = Escalation.objects.filter(
        obligation__in=responses, rung="head_of_unit", resolved_at__isnull=True
    ).filter(Q(obligation__met_date__isnull=True))
    labels = dict(ExchangeKind.choices)
    themes = Counter(labels[k] for k in raised.values_list("kind", flat=True))
    return {
        "period": [start.isoformat(), end.isoformat()],
        "as_of": today.isoformat(),
        "directions": ways,
        "escalations": dict(Counter(escalations.values_list("rung", flat=True))),
        "for_the_board": board.count(),
        "themes": dict(themes),
    }


def last_review(agreement: Agreement) -> Any:
    return agreement.reviews.order_by("-held_on").first()
