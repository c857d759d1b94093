"""The daily e-mail digest (issue 15): to each person with an e-mail address, what of their
own work became overdue since their last digest and what is due in the next seven days; to a
supervisor, the escalations raised since then that they act on. Sent by `vigil digest`,
scheduled after `vigil daily` (docs/operations.md).

An e-mail leaves the force's systems: it names no person and no record, only kinds of work,
due dates and links into Vigil, where the reader sees what they may. Each digest is kept
(`Digest`): one a person a day, so a second run sends nothing twice, and one whose sending
failed is sent again by the next run. A message is sent only after its record is committed
(`transaction.on_commit`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.core import clock
from vigil.obligations import status as st
from vigil.obligations.models import Digest, DigestStatus, Obligation
from vigil.obligations.registry import kind_labels

WEEK = 7
LONGEST_GAP = 7  # a person back after a fortnight away is told of the last week's, not all
CLAIM = timedelta(minutes=15)  # a digest being sent is another run's for this long


@dataclass
class Item:
    label: str
    due: date
    link: str


@dataclass
class Contents:
    since: date
    overdue: list[Item] = field(default_factory=list)
    due_this_week: list[Item] = field(default_factory=list)
    escalations: list[tuple[str, str, int]] = field(default_factory=list)  # rung, kind, count

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_this_week or self.escalations)

    @property
    def escalation_count(self) -> int:
        return sum(n for _, _, n in self.escalations)


def _link(obligation: Obligation) -> str:
    path = reverse("obligations:obligation-detail", kwargs={"pk": obligation.pk})
    return f"{settings.VIGIL_BASE_URL}{path}"


def _items(obligations: Any) -> list[Item]:
    """Each a kind of work, its due date and its link: never the obligation's own label,
    which may name the person it is about."""
    labels = kind_labels()
    return [
        Item(labels.get(o.kind, "Work"), o.due_date, _link(o))
        for o in obligations.order_by("due_date", "kind")
    ]


@dataclass(frozen=True)
class Last:
    """The person's last digest sent: what it told of ends at the moment it was read."""

    day: date
    as_of: datetime


def contents_for(user: Any, today: date, last: Last | None) -> Contents:
    """What a person's digest says today (their own work, as they may see it): work that
    became overdue (by the engine's status) since the last digest was read, or was recorded
    overdue since; work due in the next seven days; and escalations raised since then."""
    from vigil.obligations.models import Rung
    from vigil.obligations.selectors import escalation_list

    earliest = today - timedelta(days=LONGEST_GAP)
    since = max(last.day, earliest) if last else today - timedelta(days=1)
    mine = Obligation.objects.visible_to(user).open().filter(owner_user=user)
    overdue = mine.filter(st.overdue_q(today), due_date__gte=since if not last else earliest)
    if last:  # told already: overdue when the last was read, and recorded before it
        told = Q(due_date__lt=last.day) | Q(due_at__lte=last.as_of)
        overdue = overdue.exclude(told & Q(created_at__lte=last.as_of))
    found = Contents(since)
    found.overdue = _items(overdue)
    found.due_this_week = _items(
        mine.filter(due_date__gte=today, due_date__lt=today + timedelta(days=WEEK)).exclude(
            st.overdue_q(today)
        )
    )
    if has_verb(user, "act_on_escalations"):
        raised = escalation_list(user=user).filter(raised_on__lte=today)
        if last:
            raised = raised.filter(created_at__gt=last.as_of, raised_on__gte=earliest)
        else:
            raised = raised.filter(raised_on__gte=since)
        counts = Counter(raised.values_list("rung", "obligation__kind"))
        labels = kind_labels()
        found.escalations = [
            (str(Rung(rung).label), labels.get(kind, kind), n)
            for (rung, kind), n in sorted(counts.items())
        ]
    return found


def _last(user: Any, today: date) -> Last | None:
    found = (
        Digest.objects.filter(user=user, status=DigestStatus.SENT, day__lt=today)
        .order_by("-day")
        .values_list("day", "as_of")
        .first()
    )
    return Last(*found) if found else None


def _deliver(digest_id: int, subject: str, body: str, to: str) -> None:
    """After the digest's record is committed: send it, and record how that went."""
    try:
        send_mail(subject, body, None, [to])
    except Exception as error:
        Digest.objects.filter(pk=digest_id).update(
            status=DigestStatus.FAILED, error=str(error)[:300]
        )
        return
    Digest.objects.filter(pk=digest_id).update(status=DigestStatus.SENT, sent_at=clock.now())


def _delivery(digest_id: int, subject: str, body: str, to: str) -> Callable[[], None]:
    def deliver() -> None:
        _deliver(digest_id, subject, body, to)

    return deliver


@dataclass
class DigestRun:
    sent: int = 0
    failed: int = 0
    queued: int = 0  # made inside a caller's transaction: sent when it commits
    nothing_to_say: int = 0
    already_sent: int = 0


def send_digests(today: date | None = None) -> DigestRun:
    """Every active person with an e-mail address and work to tell of: their digest, once a
    day."""
    today = today or clock.today()
    run = DigestRun()
    people = User.objects.filter(is_active=True, force__isnull=False).exclude(email="")
    for user in people.order_by("pk"):
        as_of = clock.now()
        contents = contents_for(user, today, _last(user, today))
        if not contents:
            run.nothing_to_say += 1
            continue
        subject = (
            f"Vigil: {len(contents.overdue)} overdue, {len(contents.due_this_week)} due this "
            f"week" + (f", {contents.escalation_count} escalated" if contents.escalations else "")
        )
        body = render_to_string(
            "obligations/digest.txt",
            {"user": user, "c": contents, "today": today, "base": settings.VIGIL_BASE_URL},
        )
        with transaction.atomic():
            # the day's digest claimed: a second run waits here, then finds it sent or being
            # sent, and sends nothing; one that failed, or whose sender died, is sent again
            kept = Digest.objects.select_for_update().filter(user=user, day=today).first()
            if kept and (
                kept.status == DigestStatus.SENT
                or (kept.status == DigestStatus.PENDING and as_of - kept.as_of < CLAIM)
            ):
                run.already_sent += 1
                continue
            digest, _ = Digest.objects.update_or_create(
                user=user,
                day=today,
                defaults={
                    "since": contents.since,
                    "overdue": len(contents.overdue),
                    "due_this_week": len(contents.due_this_week),
                    "escalations": contents.escalation_count,
                    "status": DigestStatus.PENDING,
                    "as_of": as_of,
                    "error": "",
                },
            )
            transaction.on_commit(_delivery(digest.pk, subject, body, user.email))
        status = Digest.objects.values_list("status", flat=True).get(pk=digest.pk)
        if status == DigestStatus.SENT:
            run.sent += 1
        elif status == DigestStatus.FAILED:
            run.failed += 1
        else:
            run.queued += 1
    return run
