"""Reads of RSO records, each starting from `Registration.objects.visible_to(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from vigil.obligations.models import Obligation
from vigil.obligations.status import overdue_q
from vigil.offenders.models import Registration


def caseload(*, user: Any, scope: str, today: date) -> QuerySet[Registration]:
    """The register as the user works it: their own caseload, their teams', or the force's;
    with each record's next visit date and number of overdue obligations."""
    registrations = Registration.objects.visible_to(user).filter(ended_on__isnull=True)
    if scope == "mine":
        registrations = registrations.filter(offender_manager=user)
    elif scope == "team":
        registrations = registrations.filter(team__memberships__user=user).distinct()
    open_work = Obligation.objects.open().filter(
        subject_type="offenders.registration", subject_id=OuterRef("pk")
    )
    next_visit = open_work.filter(kind="rso.visit").values("subject_id").annotate(d=Min("due_date"))
    overdue = open_work.filter(overdue_q(today)).values("subject_id").annotate(n=Count("pk"))
    return (
        registrations.select_related("nominal", "offender_manager", "team")
        .annotate(
            next_visit=Subquery(next_visit.values("d")[:1]),
            overdue=Coalesce(Subquery(overdue.values("n")[:1]), 0, output_field=IntegerField()),
        )
        .order_by("nominal__family_name", "nominal__given_names", "pk")
    )


@dataclass(frozen=True)
class TimelineEntry:
    when: date
    kind: str
    title: str
    detail: str
    record: Any


def timeline(registration: Registration) -> list[TimelineEntry]:
    """What happened on the record, newest first."""
    entries = [
        TimelineEntry(
            registration.registration_date,
            "registration",
            "Registered",
            registration.get_disposal_display(),
            registration,
        )
    ]
    for visit in registration.visits.prefetch_related("officers"):
        detail = (
            ("Unannounced" if not visit.announced else "Announced")
            + (", in pairs" if visit.officer_count >= 2 else ", one officer")
            + ("" if visit.access_gained else ", no access")
        )
        entries.append(TimelineEntry(visit.completed_on, "visit", "Home visit", detail, visit))
    for arms in registration.arms.all():
        entries.append(
            TimelineEntry(
                arms.completed_on,
                "arms",
                "ARMS assessment",
                f"Priority: {arms.get_priority_display()}",
                arms,
            )
        )
    for plan in registration.rmps.all():
        every = (
            f"visits every {plan.visit_frequency_months} months"
            if plan.visit_frequency_months
            else "visits at the policy's frequency"
        )
        entries.append(TimelineEntry(plan.completed_on, "rmp", "Risk management plan", every, plan))
    for notification in registration.notifications.all():
        entries.append(
            TimelineEntry(
                notification.made_on,
                "notification",
                notification.get_kind_display(),
                notification.details,
                notification,
            )
        )
    for entry in registration.intelligence.all():
        detail = f"{entry.source} ({entry.grading}): {entry.summary}" + (
            " Returned the RSO to active management." if entry.returned_to_active else ""
        )
        entries.append(
            TimelineEntry(entry.received_on, "intelligence", "Intelligence", detail, entry)
        )
    if registration.reactive_since:
        entries.append(
            TimelineEntry(
                registration.reactive_since,
                "reactive",
                "Reactive management",
                f"Decided by {registration.reactive_decided_by}: {registration.reactive_rationale}",
                registration,
            )
        )
    for check in registration.pnd_checks.all():
        entries.append(TimelineEntry(check.checked_on, "pnd", "PND check", check.result, check))
    return sorted(entries, key=lambda e: e.when, reverse=True)


def open_obligations(registration: Registration) -> list[Obligation]:
    return list(
        Obligation.objects.open()
        .filter(subject_type="offenders.registration", subject_id=registration.pk)
        .select_related("owner_user", "owner_team")
        .order_by("due_date")
    )
