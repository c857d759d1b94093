"""The obligations of the probation partnership (R17): each exchange answered by the other
side within the agreement's working days, and the agreement reviewed jointly every so many
months. The engine keeps their status and climbs the escalation ladder when they are late
(the policy's `escalation.overdue_days_to_level.probation`), one clock for both sides."""

from __future__ import annotations

from collections.abc import Iterator

from vigil.core.dates import add_months
from vigil.obligations.registry import Action, Due, done_on, kinds, names_rules, rule, subject
from vigil.policy.pack import PolicyPack
from vigil.probation.models import Agreement, Direction, Exchange

kinds(
    {
        "probation.response": "Probation exchanges to answer",
        "probation.review": "Joint reviews of the probation agreement",
    }
)

names_rules(
    {
        "probation.response": "Each exchange answered within the agreement's working days (R17)",
        "probation.review": "The agreement reviewed jointly every quarter (R17)",
    }
)

done_on(
    {
        "probation.response": Action("probation:exchange-answer", "Answer it", ("raise_exchange",)),
        "probation.review": Action(
            "probation:review-create", "Record the joint review", ("record_joint_review",)
        ),
    }
)

subject(
    Exchange,
    label=lambda e: f"{e.shared_as}: {e.get_kind_display().lower()} ({e.summary})",
    person_id=lambda e: e.registration.nominal_id,
    person_path="registration__nominal",
    related=("registration", "registration__nominal", "agreement"),
    url_name="probation:exchange-detail",
)

subject(
    Agreement,
    label=lambda a: a.name,
    person_id=lambda a: None,  # the partnership, not a person
    related=("reviews",),
    url_name="probation:agreement",
)


@rule(Exchange)
def response(e: Exchange, pack: PolicyPack) -> Iterator[Due]:
    """The other side's answer by the due date: probation's owned by the agreement's
    probation team and overseen by the record's MOSOVO team (which chases it); the police's
    owned by the record's offender manager and team."""
    to_probation = e.direction == Direction.TO_PROBATION
    registration = e.registration
    yield Due(
        kind="probation.response",
        label=f"Answer the {e.get_kind_display().lower()} ({e.get_priority_display().lower()})"
        if not to_probation
        else f"Probation's answer to the {e.get_kind_display().lower()}",
        rule_id="probation.response",
        key=str(e.pk),
        due_date=e.due_on,
        met_date=e.answered_on,
        owner_team_id=e.agreement.probation_team_id if to_probation else registration.team_id,
        owner_user_id=None if to_probation else registration.offender_manager_id,
        oversight_team_id=registration.team_id if to_probation else None,
        risk_level=registration.risk_level,
        policy_keys=("probation.response_working_days",),
    )


@rule(Agreement)
def joint_review(a: Agreement, pack: PolicyPack) -> Iterator[Due]:
    """The next joint review: the agreement's months after the last (or after it began)."""
    held = sorted(r.held_on for r in a.reviews.all())
    since = a.starts_on
    for on in held:
        yield Due(
            kind="probation.review",
            label="Joint review of the probation agreement",
            rule_id="probation.review",
            key=f"after:{since.isoformat()}",
            due_date=add_months(since, a.review_months),
            met_date=on,
            owner_team_id=a.police_team_id,
            policy_keys=("probation.agreement_review_months",),
        )
        since = on
    yield Due(
        kind="probation.review",
        label="Joint review of the probation agreement",
        rule_id="probation.review",
        key=f"after:{since.isoformat()}",
        due_date=add_months(since, a.review_months),
        owner_team_id=a.police_team_id,
        policy_keys=("probation.agreement_review_months",),
    )
