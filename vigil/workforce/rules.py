"""The obligations workforce records carry: an abstraction reviewed by a manager within the
policy's days (R11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from vigil.obligations.registry import (
    Action,
    Decisions,
    Due,
    decides,
    done_on,
    kinds,
    names_rules,
    rule,
    subject,
)
from vigil.policy.pack import PolicyPack
from vigil.workforce.models import Abstraction

kinds({"workforce.abstraction": "Abstraction reviews"})

decides(
    "workforce",
    [
        Decisions(
            "abstractions",
            "Abstractions to review",
            ("workforce.abstraction.review",),
            "manage_abstractions",
        )
    ],
)

done_on(
    {
        "workforce.abstraction.review": Action(
            "workforce:abstraction-review", "Review it", ("manage_abstractions",)
        )
    }
)

names_rules({"workforce.abstraction.review": "Abstractions reviewed by a manager"})

subject(
    Abstraction,
    label=lambda a: f"{a.person} (abstraction)",
    person_id=lambda a: None,  # staff, not a nominal: no one's record is consulted
    related=("person", "team"),
    url_name="workforce:abstraction-detail",
)


@rule(Abstraction)
def abstraction_review(a: Abstraction, pack: PolicyPack) -> Iterator[Due]:
    """The manager's review within the policy's days of the abstraction being recorded."""
    yield Due(
        kind="workforce.abstraction",
        label=f"Review the abstraction of {a.person}",
        rule_id="workforce.abstraction.review",
        key=str(a.pk),
        due_date=a.recorded_on + timedelta(days=pack["workforce.abstraction_review_days"]),
        met_date=a.reviewed_on,
        owner_team_id=a.team_id,
        policy_keys=("workforce.abstraction_review_days",),
    )
