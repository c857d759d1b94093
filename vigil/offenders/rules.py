"""The obligation rules of RSO management (DOMAIN.md section 3), each date from the policy.

A rule reads one registration and its work (prefetched in bulk sync) and yields what is due:
home visits at the RMP's frequency or the policy's by risk, ARMS (initial and review), RMPs
(after each ARMS and by review), supervisor reviews of every ARMS, RMP and visit, and the
authorisation and later assessment of announced or single-officer visits, the s.96B warrant
decision after failed attempts to enter, notifications (initial, periodic, of each change),
breaches recorded on ViSOR, PND checks, and ARMS reviews after a significant change."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from vigil.core import clock
from vigil.core.dates import add_months, last_day_after, last_day_beginning_with
from vigil.obligations.registry import (
    Action,
    Decisions,
    Due,
    Rule,
    decides,
    done_on,
    kinds,
    names_rules,
    rule,
    subject,
)
from vigil.offenders.models import ChangeKind, ManagementMode, NotificationKind, Registration
from vigil.policy.pack import PolicyPack

kinds(
    {
        "rso.visit": "Home visits",
        "rso.arms": "ARMS assessments",
        "rso.rmp": "Risk management plans",
        "rso.review": "Supervisor reviews",
        "rso.visit_authorisation": "Visit authorisations",
        "rso.visit_assessment": "Assessments of visit authorisations",
        "rso.notification": "Notifications",
        "rso.pnd": "PND checks",
        "rso.breach": "Breaches recorded on ViSOR",
        "rso.register": "The register: ends of notification periods, indefinite reviews",
        "rso.mappa": "MAPPA level 2 and 3 meetings and their actions",
    }
)

_MANAGE, _REVIEW = ("manage_rso",), ("review_rso_work",)
done_on(
    {
        "rso.visit.frequency": Action("offenders:visit-create", "Record the visit", _MANAGE),
        "rso.arms.": Action("offenders:arms-create", "Record an ARMS", _MANAGE),
        "rso.rmp.": Action("offenders:rmp-create", "Record the plan", _MANAGE),
        "rso.notify.": Action("offenders:notification-create", "Record the notification", _MANAGE),
        "rso.pnd.cadence": Action("offenders:pnd-create", "Record a PND check", _MANAGE),
        "rso.pnd.arms": Action("offenders:pnd-create", "Record a PND check", _MANAGE),
        "rso.pnd.assess": Action("offenders:pnd-assess", "Assess the result", _MANAGE, by="key"),
        "rso.review.arms": Action("offenders:arms-review", "Review it", _REVIEW, by="key"),
        "rso.review.rmp": Action("offenders:rmp-review", "Review it", _REVIEW, by="key"),
        "rso.review.visit": Action("offenders:visit-review", "Review it", _REVIEW, by="key"),
        "rso.visit.authorise": Action(
            "offenders:visit-authorise", "Authorise it", ("authorise_visit",), by="key"
        ),
        "rso.visit.assess": Action(
            "offenders:visit-assess", "Assess it", ("assess_visit_authorisation",), by="key"
        ),
        "rso.visit.warrant": Action(
            "offenders:visit-warrant", "Decide on a warrant", ("authorise_visit",), by="key"
        ),
        "rso.mappa.meeting": Action(
            "offenders:mappa-meeting-create", "Record the meeting", _MANAGE
        ),
        "rso.mappa.action": Action(
            "offenders:mappa-action-done", "Record it done", _MANAGE, by="key"
        ),
        "rso.register.indefinite_review": Action(
            "offenders:indefinite-review-determine",
            "Determine it",
            ("determine_indefinite_review",),
            by="key",
        ),
    }
)

# The decisions on RSO work that fall to a supervisor or manager (the supervisor queue).
decides(
    "rso",
    [
        Decisions(
            "reviews", "Reviews of ARMS, plans and visits", ("rso.review.",), "review_rso_work"
        ),
        Decisions(
            "authorisations", "Visit authorisations", ("rso.visit.authorise",), "authorise_visit"
        ),
        Decisions(
            "warrants", "s.96B entry warrant decisions", ("rso.visit.warrant",), "authorise_visit"
        ),
        Decisions(
            "assessments",
            "Assessments of visit authorisations",
            ("rso.visit.assess",),
            "assess_visit_authorisation",
        ),
        Decisions(
            "indefinite",
            "Applications for review of an indefinite requirement",
            ("rso.register.indefinite_review",),
            "determine_indefinite_review",
        ),
    ],
)

names_rules(
    {
        "rso.visit.frequency": "Home visits by risk level",
        "rso.visit.authorise": "Authorising an announced or single-officer visit",
        "rso.visit.assess": "A manager's assessment of a visit authorisation",
        "rso.visit.warrant": "Failed entries before a s.96B warrant",
        "rso.arms.initial": "Initial ARMS after registration or release",
        "rso.arms.review": "ARMS reviews",
        "rso.arms.address": "Risk review after a significant change",
        "rso.arms.breach": "Risk review after a significant change",
        "rso.arms.intelligence": "Risk review after a significant change",
        "rso.rmp.after_arms": "A risk management plan after each ARMS",
        "rso.rmp.review": "Risk management plan reviews",
        "rso.review.arms": "Supervisor review of the work",
        "rso.review.rmp": "Supervisor review of the work",
        "rso.review.visit": "Supervisor review of the work",
        "rso.notify.initial": "Initial notification (s.83)",
        "rso.notify.periodic": "Periodic notification (s.85)",
        "rso.notify.change": "Notification of a change (s.84)",
        "rso.breach.record": "Recording a breach on ViSOR",
        "rso.register.ends": "End of the notification period",
        "rso.register.indefinite_review": "Review of an indefinite requirement (s.91A-F)",
        "rso.mappa.meeting": "MAPPA level 2 and 3 review meetings",
        "rso.mappa.action": "Actions a MAPPA meeting agreed",
        "rso.pnd.cadence": "PND checks",
        "rso.pnd.assess": "Assessing a PND result",
        "rso.pnd.arms": "A PND check at each ARMS",
    }
)

subject(
    Registration,
    label=lambda r: f"{r.nominal} (RSO)",
    person_id=lambda r: r.nominal_id,
    related=(
        "intelligence",
        "nominal",
        "arms",
        "rmps",
        "visits",
        "notifications",
        "pnd_checks",
        "breaches",
        "indefinite_reviews",
        "nominal__addresses",
        "risk_history",
        "concerns",
        "mappa_meetings",
        "mappa_meetings__actions",
    ),
    url_name="offenders:rso-detail",
    person_path="nominal",
)


def _owner(r: Registration) -> dict[str, Any]:
    return {
        "owner_team_id": r.team_id,
        "owner_user_id": r.offender_manager_id,
        "risk_level": r.risk_level,
    }


def _supervisor(r: Registration) -> dict[str, Any]:
    return {"owner_team_id": r.team_id, "owner_user_id": None, "risk_level": r.risk_level}


def _open(r: Registration) -> bool:
    return r.ended_on is None and r.in_community_since is not None


def _by_date(items: Any) -> list[Any]:
    """Complete work by completion date (drafts do not count until completed)."""
    return sorted(
        (x for x in items if x.completed_on is not None),
        key=lambda x: (x.completed_on, x.created_at),
    )


def in_force(fn: Rule) -> Rule:
    """The work the notification requirements call for ends with them: when a fixed
    notification period ends (s.82), nothing of this rule falls due after its last day.
    Only ending the registration remains (`register_end`)."""

    @functools.wraps(fn)
    def until_the_period_ends(r: Registration, pack: PolicyPack) -> Iterator[Due]:
        ends = r.notification_ends(pack)
        for due in fn(r, pack):
            if ends is None or due.due_date <= ends:
                yield due

    return until_the_period_ends


@rule(Registration)
@in_force
def home_visits(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """Visits at the latest RMP's frequency (else the policy's for the risk level), each due
    that many months after the last visit where access was gained. None while reactive."""
    if not _open(r):
        return
    assert r.in_community_since is not None
    visits = [v for v in _by_date(r.visits.all()) if v.access_gained]
    plans = _by_date(r.rmps.all())
    set_by_plan = plans[-1].visit_frequency_months if plans else None
    months = set_by_plan or pack["rso.home_visit_months"][r.risk_level]
    keys = ("rso.home_visit_months",) if set_by_plan is None else ()
    previous = r.in_community_since
    for visit in visits:
        yield Due(
            kind="rso.visit",
            label="Home visit",
            rule_id="rso.visit.frequency",
            key=f"after:{previous.isoformat()}",
            due_date=add_months(previous, months),
            met_date=visit.completed_on,
            policy_keys=keys,
            **_owner(r),
        )
        previous = visit.completed_on
    if r.management_mode == ManagementMode.ACTIVE:
        yield Due(
            kind="rso.visit",
            label="Home visit",
            rule_id="rso.visit.frequency",
            key=f"after:{previous.isoformat()}",
            due_date=add_months(previous, months),
            policy_keys=keys,
            **_owner(r),
        )


@rule(Registration)
@in_force
def arms(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """An initial ARMS within the policy's days of entering the community, then reviews."""
    if not _open(r):
        return
    assert r.in_community_since is not None
    done = _by_date(r.arms.all())
    yield Due(
        kind="rso.arms",
        label="Initial ARMS assessment",
        rule_id="rso.arms.initial",
        key="initial",
        due_date=r.in_community_since + timedelta(days=pack["rso.arms_initial_days"]),
        met_date=done[0].completed_on if done else None,
        policy_keys=("rso.arms_initial_days",),
        **_owner(r),
    )
    for i, assessment in enumerate(done):
        following = done[i + 1] if i + 1 < len(done) else None
        yield Due(
            kind="rso.arms",
            label="ARMS review",
            rule_id="rso.arms.review",
            key=f"after:{assessment.pk}",
            due_date=add_months(assessment.completed_on, pack["rso.arms_review_months"]),
            met_date=following.completed_on if following else None,
            policy_keys=("rso.arms_review_months",),
            **_owner(r),
        )


@rule(Registration)
@in_force
def risk_management_plans(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """An RMP within the policy's days of each ARMS, and a review of each RMP."""
    if not _open(r):
        return
    plans = _by_date(r.rmps.all())
    for assessment in _by_date(r.arms.all()):
        after = [p for p in plans if p.completed_on >= assessment.completed_on]
        yield Due(
            kind="rso.rmp",
            label="Risk management plan after ARMS",
            rule_id="rso.rmp.after_arms",
            key=f"after:{assessment.pk}",
            due_date=assessment.completed_on + timedelta(days=pack["rso.rmp_after_arms_days"]),
            met_date=after[0].completed_on if after else None,
            policy_keys=("rso.rmp_after_arms_days",),
            **_owner(r),
        )
    for i, plan in enumerate(plans):
        following = plans[i + 1] if i + 1 < len(plans) else None
        yield Due(
            kind="rso.rmp",
            label="Risk management plan review",
            rule_id="rso.rmp.review",
            key=f"after:{plan.pk}",
            due_date=add_months(plan.completed_on, pack["rso.rmp_review_months"]),
            met_date=following.completed_on if following else None,
            policy_keys=("rso.rmp_review_months",),
            **_owner(r),
        )


@rule(Registration)
def supervisor_reviews(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """Every ARMS, RMP and visit reviewed by a supervisor within the policy's months (R13)."""
    months = pack["rso.supervisor_review_months"]
    for name, items in (("ARMS", r.arms.all()), ("RMP", r.rmps.all()), ("visit", r.visits.all())):
        for item in _by_date(items):
            yield Due(
                kind="rso.review",
                label=f"Supervisor review of {name} of {item.completed_on:%-d %b %Y}",
                rule_id=f"rso.review.{name.lower()}",
                key=str(item.pk),
                due_date=add_months(item.completed_on, months),
                met_date=item.reviewed_on,
                policy_keys=("rso.supervisor_review_months",),
                **_supervisor(r),
            )


@rule(Registration)
def non_compliant_visits(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """An announced or single-officer visit needs a supervisor's authorisation (due on the
    day) and, once authorised, a manager's assessment of that decision (R14)."""
    for visit in r.visits.all():
        if visit.compliant:
            continue
        yield Due(
            kind="rso.visit_authorisation",
            label="Authorise a non-compliant visit",
            rule_id="rso.visit.authorise",
            key=str(visit.pk),
            due_date=visit.completed_on,
            met_date=visit.authorised_on,
            policy_keys=(),
            **_supervisor(r),
        )
        if visit.authorised_on:
            yield Due(
                kind="rso.visit_assessment",
                label="Assess a visit authorisation",
                rule_id="rso.visit.assess",
                key=str(visit.pk),
                due_date=visit.authorised_on
                + timedelta(days=pack["rso.non_compliant_visit_assessment_days"]),
                met_date=visit.assessed_on,
                policy_keys=("rso.non_compliant_visit_assessment_days",),
                **_supervisor(r),
            )


@rule(Registration)
@in_force
def entry_warrant(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """After the policy's number of failed attempts in a row to enter the home, a
    supervisor decides on a s.96B entry warrant (due on the day of the last attempt). A
    later visit that gains access settles it too."""
    needed = pack["rso.entry_warrant_failed_attempts"]
    visits = sorted(r.visits.all(), key=lambda v: (v.visited_at, v.created_at))
    failed = 0
    for i, visit in enumerate(visits):
        if visit.access_gained:
            failed = 0
            continue
        failed += 1
        if failed < needed:
            continue
        failed = 0
        entered = next((v.completed_on for v in visits[i + 1 :] if v.access_gained), None)
        settled = [d for d in (visit.warrant_decided_on, entered) if d is not None]
        yield Due(
            kind="rso.visit",
            label=f"Decide on a s.96B entry warrant ({needed} failed attempts to enter)",
            rule_id="rso.visit.warrant",
            key=str(visit.pk),
            due_date=visit.completed_on,
            met_date=min(settled) if settled else None,
            policy_keys=("rso.entry_warrant_failed_attempts",),
            **_supervisor(r),
        )


def no_fixed_abode_on(r: Registration, day: date) -> bool:
    """Had the person no fixed abode on `day`, by the address history as it was then: every
    home or no-fixed-abode address in force that day was "no fixed abode"."""
    then = [
        a
        for a in r.nominal.addresses.all()
        if a.kind in ("home", "nfa")
        and a.valid_from <= day
        and (a.valid_to is None or a.valid_to >= day)
    ]
    return bool(then) and all(a.kind == "nfa" for a in then)


def _periodic_due(r: Registration, pack: PolicyPack, last: date) -> tuple[date, str]:
    """When the notification after `last` is due (s.85(1)): "within the period of one year
    after" it, a calendar year (1 March 2027: by 1 March 2028; 29 February 2028: by 28
    February 2029); within 7 days after it if the person had no fixed abode that day."""
    if no_fixed_abode_on(r, last):
        key = "rso.no_fixed_abode_notification_days"
        return last_day_after(last, days=pack[key]), key
    key = "rso.periodic_notification_months"
    return last_day_after(last, months=pack[key]), key


@rule(Registration)
@in_force
def notifications(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """The initial notification "within the period of 3 days beginning with" the relevant
    date (s.83(1): last day D+2), time in custody, detained in hospital or abroad disregarded
    (s.83(6): from the day of release); then each periodic notification after the last
    notification (s.85), weekly in the weeks with no fixed abode."""
    if r.ended_on is not None:
        return
    made = sorted(r.notifications.all(), key=lambda n: (n.made_on, n.created_at))
    initial = next((n for n in made if n.kind == "initial"), None)
    days = pack["rso.initial_notification_days"]
    start = r.initial_notification_from()
    due_date = None if start is None else last_day_beginning_with(start, days=days)
    if initial is not None and (start is None or initial.made_on < start):
        # Notified before the release the record now holds (a later recall moved it): the
        # release the notification followed is not recorded, so it is not shown late.
        start = r.registration_date
        due_date = max(last_day_beginning_with(start, days=days), initial.made_on)
    if start is not None and due_date is not None:
        yield Due(
            kind="rso.notification",
            label="Initial notification",
            rule_id="rso.notify.initial",
            key="initial",
            due_date=due_date,
            met_date=initial.made_on if initial else None,
            policy_keys=("rso.initial_notification_days",),
            **_owner(r),
        )
    if r.in_community_since is None or start is None:
        return
    previous = initial.made_on if initial else start
    for notification in made:
        if (
            notification is initial
            or notification.kind == NotificationKind.TRAVEL  # s.86 does not restart s.85
            or notification.made_on < previous
        ):
            continue
        due_date, period_key = _periodic_due(r, pack, previous)
        yield Due(
            kind="rso.notification",
            label="Periodic notification",
            rule_id="rso.notify.periodic",
            key=f"after:{previous.isoformat()}",
            due_date=due_date,
            met_date=notification.made_on,
            policy_keys=(period_key,),
            **_owner(r),
        )
        previous = notification.made_on
    due_date, period_key = _periodic_due(r, pack, previous)
    yield Due(
        kind="rso.notification",
        label="Periodic notification",
        rule_id="rso.notify.periodic",
        key=f"after:{previous.isoformat()}",
        due_date=due_date,
        policy_keys=(period_key,),
        **_owner(r),
    )


@rule(Registration)
@in_force
def change_notifications(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """Each notified change was due "within the period of 3 days beginning with" the change
    (s.84(1): last day D+2; a release from custody is dated the day of release): made late,
    it shows as met late, the evidence of a late notification."""
    for notification in r.notifications.all():
        if notification.kind != NotificationKind.CHANGE or notification.changed_on is None:
            continue
        what = ChangeKind(notification.change_kind).label.lower()
        yield Due(
            kind="rso.notification",
            label=f"Notify a change: {what}",
            rule_id="rso.notify.change",
            key=str(notification.pk),
            due_date=last_day_beginning_with(
                notification.changed_on, days=pack["rso.change_notification_days"]
            ),
            met_date=notification.made_on,
            policy_keys=("rso.change_notification_days",),
            **_owner(r),
        )


@rule(Registration)
def breaches(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """A breach recorded on ViSOR within the policy's hours of being identified: due at that
    moment, not at the end of the day."""
    hours = pack["rso.breach_record_hours"]
    for breach in r.breaches.all():
        due_at = breach.identified_at + timedelta(hours=hours)
        yield Due(
            kind="rso.breach",
            label="Record the breach on ViSOR",
            rule_id="rso.breach.record",
            key=str(breach.pk),
            due_date=clock.localdate(due_at),
            due_at=due_at,
            met_date=breach.recorded_nationally_on,
            met_at=breach.recorded_nationally_at,
            policy_keys=("rso.breach_record_hours",),
            **_owner(r),
        )


@rule(Registration)
def register_end(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """A fixed notification period ends on its last day (s.82): the requirements end by law,
    and the registration is ended the day after, so the register holds only those still
    subject to them."""
    ends = r.notification_ends(pack)
    if ends is None:
        return
    yield Due(
        kind="rso.register",
        label=f"End the registration: the notification period ended on {ends:%-d %b %Y}",
        rule_id="rso.register.ends",
        key="period",
        due_date=ends + timedelta(days=1),
        met_date=r.ended_on,
        policy_keys=("rso.notification_period_years",),
        **_owner(r),
    )


@rule(Registration)
def indefinite_reviews(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """Each application for review of an indefinite requirement determined within the
    policy's weeks (s.91C), by the head of unit for the chief officer."""
    weeks = pack["rso.indefinite_review_decision_weeks"]
    for review in r.indefinite_reviews.all():
        yield Due(
            kind="rso.register",
            label="Determine the application for review of the indefinite requirement",
            rule_id="rso.register.indefinite_review",
            key=str(review.pk),
            due_date=review.applied_on + timedelta(weeks=weeks),
            met_date=review.decided_on,
            policy_keys=("rso.indefinite_review_decision_weeks",),
            **_supervisor(r),
        )


@rule(Registration)
@in_force
def pnd_checks(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """A PND check at each ARMS and at least every 12 months; each result assessed within
    the policy's days."""
    if not _open(r):
        return
    assert r.in_community_since is not None
    checks = sorted(r.pnd_checks.all(), key=lambda c: (c.checked_on, c.created_at))
    previous = r.in_community_since
    for check in checks:
        yield Due(
            kind="rso.pnd",
            label="PND check",
            rule_id="rso.pnd.cadence",
            key=f"after:{previous.isoformat()}",
            due_date=add_months(previous, pack["rso.pnd_check_months"]),
            met_date=check.checked_on,
            policy_keys=("rso.pnd_check_months",),
            **_owner(r),
        )
        previous = check.checked_on
        yield Due(
            kind="rso.pnd",
            label="Assess a PND result",
            rule_id="rso.pnd.assess",
            key=str(check.pk),
            due_date=check.checked_on + timedelta(days=pack["rso.pnd_assessment_days"]),
            met_date=check.assessed_on,
            policy_keys=("rso.pnd_assessment_days",),
            **_owner(r),
        )
    yield Due(
        kind="rso.pnd",
        label="PND check",
        rule_id="rso.pnd.cadence",
        key=f"after:{previous.isoformat()}",
        due_date=add_months(previous, pack["rso.pnd_check_months"]),
        policy_keys=("rso.pnd_check_months",),
        **_owner(r),
    )
    for assessment in _by_date(r.arms.all()):
        window = pack["rso.pnd_at_arms_window_days"]
        at_arms = [
            c for c in checks if abs((c.checked_on - assessment.completed_on).days) <= window
        ]
        yield Due(
            kind="rso.pnd",
            label="PND check for the ARMS",
            rule_id="rso.pnd.arms",
            key=str(assessment.pk),
            due_date=assessment.completed_on + timedelta(days=window),
            met_date=at_arms[0].checked_on if at_arms else None,
            policy_keys=("rso.pnd_at_arms_window_days",),
            **_owner(r),
        )


def _significant_changes(r: Registration) -> Iterator[tuple[str, str, date, str, str]]:
    """(rule id, key, date, label, policy key) of each significant change on the record."""
    for entry in r.intelligence.all():
        if entry.returned_to_active:
            yield (
                "rso.arms.intelligence",
                str(entry.pk),
                entry.received_on,
                "Risk review after new intelligence (returned to active management)",
                "rso.reactive_return_review_days",
            )
        else:
            yield (
                "rso.arms.intelligence",
                str(entry.pk),
                entry.received_on,
                "Risk review after new intelligence",
                "rso.arms_significant_change_days",
            )
    for notification in r.notifications.all():
        if notification.change_kind == ChangeKind.HOME_ADDRESS:
            yield (
                "rso.arms.address",
                str(notification.pk),
                notification.made_on,
                "Risk review after a change of home address",
                "rso.arms_significant_change_days",
            )
    for breach in r.breaches.all():
        yield (
            "rso.arms.breach",
            str(breach.pk),
            clock.localdate(breach.identified_at),
            "Risk review after a breach"
            + (" (returned to active management)" if breach.returned_to_active else ""),
            "rso.reactive_return_review_days"
            if breach.returned_to_active
            else "rso.arms_significant_change_days",
        )
    for rise in r.risk_history.all():
        if rise.returned_to_active:
            yield (
                "rso.arms.risk_rise",
                str(rise.pk),
                rise.effective_on,
                "Risk review after a rise in risk (returned to active management)",
                "rso.reactive_return_review_days",
            )
    for concern in r.concerns.all():
        if concern.returned_to_active:
            yield (
                "rso.arms.concern",
                str(concern.pk),
                concern.raised_on,
                "Risk review after a concern (returned to active management)",
                "rso.reactive_return_review_days",
            )


@rule(Registration)
@in_force
def risk_review_after_significant_change(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """New intelligence, a change of home address or a breach is a significant change: an
    ARMS review within the policy's days. Whatever ended reactive management (intelligence,
    a breach, a rise in risk, a concern) calls for a risk review within the shorter return
    period. Each is met by the first ARMS on or after it."""
    if not _open(r):
        return
    done = [a.completed_on for a in _by_date(r.arms.all())]
    for rule_id, key, on, label, policy_key in _significant_changes(r):
        after = [d for d in done if d >= on]
        yield Due(
            kind="rso.arms",
            label=label,
            rule_id=rule_id,
            key=key,
            due_date=on + timedelta(days=pack[policy_key]),
            met_date=after[0] if after else None,
            policy_keys=(policy_key,),
            **_owner(r),
        )


@rule(Registration)
def mappa(r: Registration, pack: PolicyPack) -> Iterator[Due]:
    """While the RSO is managed at MAPPA level 2 or 3: the next review meeting by the date
    the last one set (each met by the next meeting held), and each action a meeting agreed,
    by its due date, owned by its police owner or else by the offender manager, who sees
    another agency's done. Nothing after the registration ends."""
    if r.ended_on is not None:
        return
    meetings = sorted(r.mappa_meetings.all(), key=lambda m: (m.held_on, m.created_at))
    for at, meeting in enumerate(meetings):
        following = meetings[at + 1] if at + 1 < len(meetings) else None
        if following is not None or r.mappa_level in (2, 3):
            yield Due(
                kind="rso.mappa",
                label=f"MAPPA level {meeting.level} review meeting",
                rule_id="rso.mappa.meeting",
                key=str(meeting.pk),
                due_date=meeting.next_review_on,
                met_date=following.held_on if following is not None else None,
                policy_keys=("rso.mappa_review_weeks",),
                **_owner(r),
            )
        for action in meeting.actions.all():
            yield Due(
                kind="rso.mappa",
                label=f"MAPPA action ({action.agency}): {action.description[:120]}",
                rule_id="rso.mappa.action",
                key=str(action.pk),
                due_date=action.due_on,
                met_date=action.done_on,
                policy_keys=(),
                owner_team_id=r.team_id,
                owner_user_id=action.owner_id or r.offender_manager_id,
                risk_level=r.risk_level,
            )
