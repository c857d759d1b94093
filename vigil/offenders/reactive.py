"""Reactive management: who may enter it (the policy's conditions), as one function used by
the decision service, the RSO page and (later) the R15 metric."""

from __future__ import annotations

from datetime import date
from typing import Any

from vigil.core import clock
from vigil.core.dates import add_years


def reactive_shortfalls(registration: Any, pack: Any, today: date) -> list[str]:
    """The policy's conditions for reactive management that this RSO does not meet (empty:
    eligible): low risk, in the community for the policy's years, and no intelligence or
    breach in that time."""
    years = pack["rso.reactive_low_risk_years"]
    since = add_years(today, -years)
    shortfalls = []
    if registration.risk_level != "low":
        shortfalls.append("Risk of serious harm is not low")
    if registration.in_community_since is None or registration.in_community_since > since:
        shortfalls.append(f"Not in the community for {years} years")
    if any(i.received_on > since for i in registration.intelligence.all()):
        shortfalls.append(f"Intelligence received in the last {years} years")
    if any(clock.localdate(b.identified_at) > since for b in registration.breaches.all()):
        shortfalls.append(f"A breach in the last {years} years")
    return shortfalls
