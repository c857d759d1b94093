"""Reactive management: who may enter it, decided in one function from the dated risk
history, used by the decision service, the supervisor's page and the API.

NPCC 2017 (DOMAIN.md section 3): the RSO has been "assessed low risk *throughout* at least
3 years in the community, with no new intelligence, breach or concern in that time". So the
level in force on the first day of that window (the latest history entry on or before it)
and every entry since must be low; a history that starts inside the window cannot show it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigil.core import clock
from vigil.core.dates import add_years


@dataclass(frozen=True)
class Eligibility:
    """Whether the RSO may be managed reactively now: the conditions met and those not met,
    each in the supervisor's words."""

    since: date  # the first day of the window the conditions look back over
    years: int  # the policy's years
    met: list[str] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.shortfalls


def _d(day: date) -> str:
    return f"{day:%-d %b %Y}"


def reactive_eligibility(registration: Any, pack: Any, today: date) -> Eligibility:
    years = pack["rso.reactive_low_risk_years"]
    since = add_years(today, -years)
    met: list[str] = []
    short: list[str] = []
    result = Eligibility(since, years, met, short)

    if registration.risk_level == "low":
        met.append("Risk of serious harm is low")
    else:
        short.append(f"Risk of serious harm is {registration.get_risk_level_display().lower()}")

    community = registration.in_community_since
    if community is not None and community <= since:
        met.append(f"In the community since {_d(community)}: {years} years or more")
    elif community is None:
        short.append("In custody: not in the community")
    else:
        short.append(f"In the community only since {_d(community)}: less than {years} years")

    history = sorted(registration.risk_history.all(), key=lambda e: (e.effective_on, e.created_at))
    before = [e for e in history if e.effective_on <= since]
    within = [e for e in history if e.effective_on > since]
    if not before:
        first = f"; it starts on {_d(history[0].effective_on)}" if history else ""
        short.append(f"No risk level is recorded for {_d(since)}{first}")
    else:
        higher = [e for e in [before[-1], *within] if e.level != "low"]
        if higher:
            short.append(
                "Not low throughout: "
                + "; ".join(
                    f"{e.get_level_display().lower()} from {_d(max(e.effective_on, since))} "
                    f"({e.get_source_display().lower()})"
                    for e in higher
                )
            )
        else:
            met.append(f"Assessed low throughout since {_d(since)} ({len(within) + 1} records)")

    for noun, found, dates in (
        (
            "intelligence",
            "Intelligence received",
            [i.received_on for i in registration.intelligence.all()],
        ),
        (
            "breach",
            "A breach identified",
            [clock.localdate(b.identified_at) for b in registration.breaches.all()],
        ),
        ("concern", "A concern raised", [c.raised_on for c in registration.concerns.all()]),
    ):
        recent = sorted(d for d in dates if d > since)
        if recent:
            short.append(f"{found} on {_d(recent[-1])}, within the last {years} years")
        else:
            met.append(f"No {noun} since {_d(since)}")
    return result


def reactive_shortfalls(registration: Any, pack: Any, today: date) -> list[str]:
    """The policy's conditions for reactive management that this RSO does not meet (empty:
    eligible)."""
    return reactive_eligibility(registration, pack, today).shortfalls
