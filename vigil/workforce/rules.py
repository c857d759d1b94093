"""The obligations workforce records carry: an abstraction reviewed by a manager within the
policy's days (R11)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from vigil.core.dates import add_months
from vigil.core.models import Team, TeamKind
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
from vigil.workforce.models import SCREENED_TEAMS, SUPERVISOR_ROLES, Abstraction, StaffRecord

kinds(
    {
        "workforce.abstraction": "Abstraction reviews",
        "workforce.wellbeing": "Psychological screening and trauma-informed training",
    }
)

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

names_rules(
    {
        "workforce.abstraction.review": "Abstractions reviewed by a manager",
        "workforce.screening": "Psychological screening every year (R16)",
        "workforce.training": "Trauma-informed training for supervisors (R16)",
    }
)

subject(
    StaffRecord,
    label=lambda s: f"{s.user} (staff)",
    person_id=lambda s: None,  # staff, not a nominal
    seen_with="manage_wellbeing",  # who is due screening is the wellbeing lead's to see
    related=(
        "user",
        "user__memberships",
        "user__memberships__team",
        "user__screenings",
        "user__trainings",
    ),
)

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


def _wellbeing_team(force_id: Any) -> Any:
    """The force's wellbeing team owns the work (so only the wellbeing lead sees who is
    due); a force without one has no such obligations until it has."""
    return (
        Team.objects.filter(force_id=force_id, kind=TeamKind.WELLBEING)
        .order_by("name")
        .values_list("pk", flat=True)
        .first()
    )


def _every(s: StaffRecord, done: list[date], months: int, team: Any, **what: Any) -> Iterator[Due]:
    """One due date after starting in the role and after each time it was done: each met by
    the next time, the last one open."""
    since = s.started_in_role
    for on in sorted(d for d in done if d >= since):
        yield Due(
            key=f"after:{since.isoformat()}",
            due_date=add_months(since, months),
            met_date=on,
            owner_team_id=team,
            owner_user_id=s.user_id,
            **what,
        )
        since = on
    yield Due(
        key=f"after:{since.isoformat()}",
        due_date=add_months(since, months),
        owner_team_id=team,
        owner_user_id=s.user_id,
        **what,
    )


@rule(StaffRecord)
def wellbeing(s: StaffRecord, pack: PolicyPack) -> Iterator[Due]:
    """Psychological screening within the policy's months of starting in the role and of
    each screening, for every member of an OCSEA or MOSOVO team; trauma-informed training as
    often for their supervisors (R16). Owned by the wellbeing team, reminded to the person in
    their own work; no one else sees who is due."""
    memberships = list(s.user.memberships.all())
    team = _wellbeing_team(s.force_id)
    if team is None or not s.user.is_active:
        return
    if any(m.team.kind in SCREENED_TEAMS for m in memberships):
        yield from _every(
            s,
            [x.screened_on for x in s.user.screenings.all()],  # type: ignore[attr-defined]
            pack["workforce.screening_months"],
            team,
            kind="workforce.wellbeing",
            label="Psychological screening",
            rule_id="workforce.screening",
            policy_keys=("workforce.screening_months",),
        )
    if any(m.role_id in SUPERVISOR_ROLES for m in memberships):
        yield from _every(
            s,
            [x.completed_on for x in s.user.trainings.all()],  # type: ignore[attr-defined]
            pack["workforce.trauma_training_months"],
            team,
            kind="workforce.wellbeing",
            label="Trauma-informed training",
            rule_id="workforce.training",
            policy_keys=("workforce.trauma_training_months",),
        )
