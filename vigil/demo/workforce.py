"""The demo's workforce: a staff record for everyone in the public-protection teams, the
force's abstraction reasons, and a year of abstractions through the services (recorded on
their day, most reviewed within the week, a few waiting, one officer abstracted often enough
to be flagged, and some scheduled ahead)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from vigil.accounts.models import User
from vigil.accounts.roles import RoleCode
from vigil.core import clock
from vigil.core.models import Force, TeamKind
from vigil.obligations.sync import sync
from vigil.workforce import services
from vigil.workforce.models import AbstractionReason, FollowUp, Grade, StaffRecord

REASONS = [
    "Training",
    "Court attendance",
    "Public order and mutual aid",
    "Cover for another team",
    "Force project or secondment",
]
GRADES = {
    RoleCode.OFFENDER_MANAGER: [Grade.PC, Grade.DC, Grade.STAFF],
    RoleCode.INVESTIGATOR: [Grade.DC],
    RoleCode.OCSEA_TRIAGE: [Grade.DC, Grade.STAFF],
    RoleCode.MOSOVO_SUPERVISOR: [Grade.DS],
    RoleCode.OCSEA_SUPERVISOR: [Grade.DS],
    RoleCode.HEAD_OF_PP: [Grade.DI],
}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def make_workforce(
    rng: random.Random, force: Force, recorder: User, today: date, wellbeing_lead: User
) -> int:
    """Staff records and abstractions for the force's public-protection staff, and their
    screening and training (recorded by the wellbeing lead); the number of abstractions
    made. `recorder` (the head of unit) records and reviews where a team has no supervisor
    of its own."""
    reasons = [AbstractionReason.objects.create(force=force, name=name) for name in REASONS]
    staff = list(
        User.objects.filter(force=force, memberships__role__in=list(GRADES))
        .prefetch_related("memberships__team", "memberships__role")
        .distinct()
        .order_by("username")
    )
    supervisors: dict[Any, User] = {}
    for user in staff:
        for m in user.memberships.all():
            if m.role_id in (RoleCode.MOSOVO_SUPERVISOR, RoleCode.OCSEA_SUPERVISOR):
                supervisors[m.team_id] = user
    for user in staff:
        m = user.memberships.all()[0]
        StaffRecord.objects.create(
            force=force,
            user=user,
            grade=rng.choice(GRADES.get(m.role_id, [Grade.STAFF])),
            contracted_hours=Decimal(rng.choice([40, 40, 40, 40, 37, 30, 24])),
            started_in_role=today - timedelta(days=rng.randint(200, 3000)),
            supervisor=supervisors.get(m.team_id, recorder)
            if supervisors.get(m.team_id) != user
            else recorder,
        )
    officers = [u for u in staff if u.memberships.all()[0].role_id in GRADES and u != recorder]
    often = officers[0] if officers else None  # abstracted often: over the threshold
    made = 0
    for user in officers:
        m = user.memberships.all()[0]
        reviewer = supervisors.get(m.team_id, recorder)
        reviewer = recorder if reviewer == user else reviewer
        count = 9 if user == often else rng.randint(1, 4)
        for _ in range(count):
            start = today - timedelta(
                days=rng.randint(-40, 360) if user != often else rng.randint(0, 85)
            )
            days = rng.randint(1, 4)
            recorded = min(start, today) - timedelta(days=rng.randint(0, 14))
            with clock.frozen(_at(recorded)):
                abstraction = services.abstraction_record(
                    actor=reviewer,
                    person=user,
                    team=m.team,
                    starts_on=start,
                    ends_on=start + timedelta(days=days - 1),
                    hours=Decimal(8 * days),
                    reason=rng.choice(reasons),
                    requested_by=rng.choice(
                        ["Training school", "Crown Court", "Force operations", "Head of unit"]
                    ),
                )
            made += 1
            reviewed = recorded + timedelta(days=rng.randint(1, 10))
            if reviewed < today - timedelta(days=12) and reviewer != user:
                with clock.frozen(_at(reviewed)):
                    services.abstraction_review(
                        actor=reviewer,
                        abstraction=abstraction,
                        note=rng.choice(
                            [
                                "Necessary; the caseload covered by the team (synthetic)",
                                "Agreed; not to be repeated this quarter (synthetic)",
                                "Necessary; visits rescheduled within their dates (synthetic)",
                            ]
                        ),
                    )
    _wellbeing(rng, force, wellbeing_lead, today)
    return made


FOLLOW_UPS = [FollowUp.NOT_NEEDED] * 4 + [FollowUp.OFFERED_TAKEN_UP, FollowUp.OFFERED_DECLINED]


def _wellbeing(rng: random.Random, force: Force, lead: User, today: date) -> None:
    """Most screened within the year, some overdue, a few never; follow-up offered to some;
    most supervisors trained. Then every staff record's obligations synced."""
    for record in StaffRecord.objects.filter(force=force).select_related("user"):
        user = record.user
        roles = {m.role_id for m in user.memberships.all()}
        kinds = {m.team.kind for m in user.memberships.select_related("team")}
        if kinds & {TeamKind.OCSEA, TeamKind.MOSOVO} and rng.random() < 0.85:
            on = max(today - timedelta(days=rng.randint(20, 420)), record.started_in_role)
            with clock.frozen(_at(on)):
                services.screening_record(
                    actor=lead,
                    person=user,
                    screened_on=on,
                    follow_up=rng.choice(
                        [FollowUp.NOT_NEEDED] * 4
                        + [FollowUp.OFFERED_TAKEN_UP, FollowUp.OFFERED_DECLINED]
                    ),
                )
        if roles & {RoleCode.MOSOVO_SUPERVISOR, RoleCode.OCSEA_SUPERVISOR} and rng.random() < 0.7:
            on = today - timedelta(days=rng.randint(30, 300))
            with clock.frozen(_at(on)):
                services.training_record(actor=lead, person=user, completed_on=on)
        if TeamKind.OCSEA in kinds and roles & {RoleCode.INVESTIGATOR, RoleCode.OCSEA_TRIAGE}:
            monday = today - timedelta(days=today.weekday())
            for weeks_back in range(1, 9):  # some officers record their image review
                week = monday - timedelta(weeks=weeks_back)
                with clock.frozen(_at(week + timedelta(days=4))):
                    services.exposure_record(
                        actor=user, week_starting=week, images_reviewed=rng.randint(0, 400)
                    )
        sync(record)
