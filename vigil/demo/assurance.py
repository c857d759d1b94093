"""The demo's assurance: six months of snapshots (the scorecard's and the dashboard's trend)
and a report of each kind, each with the force's narrative, made by the head of public
protection."""

from __future__ import annotations

from datetime import date
from typing import Any

from vigil.assurance.services import report_make, snapshot_month
from vigil.core.dates import add_months

PCC_NARRATIVE = """Since the inspection the force has moved every referral onto KIRAT, and \
prioritisation within the bands' times is close to target. Supervisor reviews within a month \
remain below target in two MOSOVO teams; an extra detective sergeant joins in January.

The force asks the commissioner to note the overdue ARMS reviews of medium-risk RSOs, which \
the January performance meeting will take as its first item."""

PACK_NARRATIVE = """Last month as it closed, for the monthly performance meeting: each team \
lead to bring their plan for work more than 28 days overdue."""


def make_assurance(forces: list[Any], head: Any, today: date) -> None:
    this_month = today.replace(day=1)
    for back in range(6, 0, -1):
        snapshot_month(add_months(this_month, -back), forces=forces)
    report_make(actor=head, kind="pcc", days=90, narrative=PCC_NARRATIVE)
    report_make(actor=head, kind="monthly_pack", days=30, narrative=PACK_NARRATIVE)
