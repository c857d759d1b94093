"""Reads of RSO records, each starting from `Registration.objects.visible_to(user)`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from vigil.obligations.models import Obligation
from vigil.obligations.status import overdue_q
from vigil.offenders.models import HomeVisit, Registration, Transfer, TransferStatus
from vigil.people.models import Nominal
from vigil.policy.pack import PolicyPack


def caseload(*, user: Any, scope: str, today: date, query: str = "") -> QuerySet[Registration]:
    """The register as the user works it: their own caseload, their teams', or the force's;
    with each record's next visit date and number of overdue obligations. A `query` narrows
    it to records whose person matches by name, alias, identifier or postcode (as People's
    search does), or whose register reference is the query."""
    registrations = Registration.objects.visible_to(user).filter(ended_on__isnull=True)
    if query:
        people = Nominal.objects.visible_to(user).search(query).values("pk")
        registrations = registrations.filter(
            Q(nominal__in=people) | Q(register_reference__iexact=" ".join(query.split()))
        )
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
                arms.completed_on or timezone.localdate(arms.updated_at),
                "arms",
                "ARMS assessment (draft)" if arms.is_draft else "ARMS assessment",
                f"Priority: {arms.get_priority_display() or 'not yet set'}",
                arms,
            )
        )
    for plan in registration.rmps.all():
        every = (
            f"visits every {plan.visit_frequency_months} months"
            if plan.visit_frequency_months
            else "visits at the policy's frequency"
        )
        entries.append(
            TimelineEntry(
                plan.completed_on or timezone.localdate(plan.updated_at),
                "rmp",
                "Risk management plan (draft)" if plan.is_draft else "Risk management plan",
                every,
                plan,
            )
        )
    for notification in registration.notifications.all():
        detail = notification.details
        if notification.changed_on:
            detail = (
                f"{notification.get_change_kind_display()} changed on "
                f"{notification.changed_on:%-d %b %Y}. {detail}"
            ).strip()
        entries.append(
            TimelineEntry(
                notification.made_on,
                "notification",
                notification.get_kind_display(),
                detail,
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
    for concern in registration.concerns.all():
        detail = concern.details + (
            " Returned the RSO to active management." if concern.returned_to_active else ""
        )
        entries.append(TimelineEntry(concern.raised_on, "concern", "Concern", detail, concern))
    for change in registration.risk_history.all():
        if change.source != "changed" and not change.returned_to_active:
            continue  # the ARMS and the registration are on the timeline already
        entries.append(
            TimelineEntry(
                change.effective_on,
                "risk",
                f"Risk level: {change.get_level_display().lower()}",
                f"{change.get_source_display()}."
                + (" Returned the RSO to active management." if change.returned_to_active else ""),
                change,
            )
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
    for meeting in registration.mappa_meetings.prefetch_related("actions"):
        agreed = "; ".join(
            f"{a.description} ({a.agency}, due {a.due_on:%-d %b %Y}"
            + (f", done {a.done_on:%-d %b %Y})" if a.done_on else ")")
            for a in meeting.actions.all()
        )
        entries.append(
            TimelineEntry(
                meeting.held_on,
                "mappa",
                f"MAPPA level {meeting.level} meeting, chaired by {meeting.chair}",
                " ".join(
                    part
                    for part in (
                        meeting.summary,
                        f"Actions: {agreed}." if agreed else "",
                        f"Next review by {meeting.next_review_on:%-d %b %Y}.",
                    )
                    if part
                ),
                meeting,
            )
        )
    for breach in registration.breaches.all():
        entries.append(
            TimelineEntry(
                timezone.localdate(breach.identified_at),
                "breach",
                f"Breach: {breach.get_kind_display()}",
                breach.details,
                breach,
            )
        )
    for review in registration.indefinite_reviews.all():
        entries.append(
            TimelineEntry(
                review.applied_on,
                "indefinite_review",
                "Application for review of the indefinite requirement",
                f"{review.get_outcome_display()} on {review.decided_on:%-d %b %Y}: "
                f"{review.rationale}"
                if review.decided_on
                else "Awaiting the determination",
                review,
            )
        )
    for transfer in registration.transfers.select_related(
        "from_team", "to_team", "from_force", "to_force"
    ):
        entries.append(
            TimelineEntry(
                transfer.decided_on or transfer.requested_on,
                "transfer",
                "Transfer" if transfer.status != TransferStatus.PENDING else "Transfer asked",
                _transfer_words(transfer),
                transfer,
            )
        )
    return sorted(entries, key=lambda e: (e.when, e.kind == "transfer"), reverse=True)


def _transfer_words(transfer: Transfer) -> str:
    where = (
        f"{transfer.from_force} to {transfer.to_force}"
        if transfer.between_forces
        else f"{transfer.from_team} to {transfer.to_team}"
    )
    return f"{where} ({transfer.get_status_display().lower()}): {transfer.reason}"


def open_obligations(registration: Registration) -> list[Obligation]:
    return list(
        Obligation.objects.open()
        .filter(subject_type="offenders.registration", subject_id=registration.pk)
        .select_related("owner_user", "owner_team")
        .order_by("due_date")
    )


def warrant_flag(registration: Registration) -> HomeVisit | None:
    """The visit whose failed attempt to enter put the s.96B warrant path open (a decision
    not yet made and access not since gained), if any."""
    flagged = (
        Obligation.objects.open()
        .filter(
            subject_type="offenders.registration",
            subject_id=registration.pk,
            rule_id="rso.visit.warrant",
        )
        .values_list("key", flat=True)
    )
    return registration.visits.filter(pk__in=list(flagged)).order_by("-visited_at").first()


@dataclass(frozen=True)
class VisitPattern:
    """How the latest visits fall by weekday and hour (London time)."""

    weekday: str
    hour: int
    count: int
    of: int
    share: int
    predictable: bool

    def describe(self) -> str:
        return (
            f"{self.count} of the last {self.of} visits were on a {self.weekday} "
            f"between {self.hour:02d}:00 and {self.hour:02d}:59"
        )


def visit_pattern(registration: Registration, pack: PolicyPack) -> VisitPattern | None:
    """The most common weekday and hour among the latest visits (the policy's window), and
    whether its share reaches the policy's flag for predictable visits; None with too few
    visits to judge."""
    window = pack["rso.visit_clustering_window"]
    latest = list(registration.visits.order_by("-visited_at")[: window["visits"]])
    if len(latest) < window["at_least"]:
        return None
    slots = Counter(
        (timezone.localtime(v.visited_at).strftime("%A"), timezone.localtime(v.visited_at).hour)
        for v in latest
    )
    (weekday, hour), count = max(slots.items(), key=lambda item: (item[1], item[0]))
    share = round(100 * count / len(latest))
    return VisitPattern(
        weekday=weekday,
        hour=hour,
        count=count,
        of=len(latest),
        share=share,
        predictable=share >= pack["rso.visit_clustering_share"],
    )


def transfer_decline_verb(transfer: Transfer, actor: Any) -> str:
    """The verb that lets the actor decline (the receiving force) or withdraw (the sending
    force) the transfer; PermissionDenied for a transfer between other forces."""
    if actor.force_id == transfer.to_force_id:
        return "transfer_rso"
    if actor.force_id == transfer.from_force_id:
        return "manage_rso"
    raise PermissionDenied("This transfer is between other forces.")
