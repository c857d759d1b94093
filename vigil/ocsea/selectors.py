"""Reads of OCSEA work, each scoped with `visible_to(user)`: the triage queue, the
investigations list (with the OCSEA supervisor's oversight of those owned elsewhere), the
bail dashboard by local policing area, a referral's timeline, open work and clocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, overload

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.urls import reverse

from vigil.accounts.access import has_verb
from vigil.instruments.packs import available_packs
from vigil.obligations.models import Obligation
from vigil.obligations.selectors import user_team_ids
from vigil.ocsea import bail as bail_clock
from vigil.ocsea.models import (
    INSTRUMENT_KIND,
    Bail,
    BailExtension,
    BailKind,
    Referral,
    ReferralStatus,
    ReviewKind,
)
from vigil.ocsea.rules import action_clock, received_on
from vigil.people.links import PersonLink
from vigil.people.models import Nominal
from vigil.policy.pack import PolicyPack

# Unassessed referrals first (any of them may be very high), then by band.
BAND_RANK = Case(
    When(band="", then=Value(5)),
    When(band="very_high", then=Value(4)),
    When(band="high", then=Value(3)),
    When(band="medium", then=Value(2)),
    When(band="low", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)
CLOCK_RULES = ("ocsea.assessment", "ocsea.action")


def _open_work(subject_type: str, rule_ids: tuple[str, ...] = ()) -> QuerySet[Obligation]:
    work = Obligation.objects.open().filter(subject_type=subject_type, subject_id=OuterRef("pk"))
    return work.filter(rule_id__in=rule_ids) if rule_ids else work


def _next(work: QuerySet[Obligation], field: str) -> Subquery:
    return Subquery(work.order_by("due_date").values(field)[:1])


def triage_queue(*, user: Any) -> QuerySet[Referral]:
    """Referrals not yet actioned: unassessed first, then by band, then by time left on the
    clock (the assessment's or the action's, whichever is open)."""
    clock = _open_work("ocsea.referral", CLOCK_RULES)
    return (
        Referral.objects.visible_to(user)
        .exclude(status=ReferralStatus.CLOSED)
        .filter(actioned_on__isnull=True, enforcements__isnull=True)
        .annotate(
            band_rank=BAND_RANK,
            clock_due=_next(clock, "due_date"),
            clock_label=_next(clock, "label"),
        )
        .select_related("team", "officer", "linked_to")
        .prefetch_related("suspects__nominal")
        .order_by("-band_rank", "clock_due", "received_at")
    )


SCOPES = ("mine", "team", "elsewhere", "all")


def investigations(*, user: Any, scope: str, today: date, query: str = "") -> QuerySet[Referral]:
    """Open referrals with their next due work and how many items are overdue: the user's
    own, their teams', those owned outside OCSEA (the supervisor's oversight, R3), or all.
    A `query` searches every referral, closed ones too: by Vigil's or the source's
    reference, or a suspect's name, alias, identifier or postcode (People's search)."""
    referrals = Referral.objects.visible_to(user)
    if query:
        words = " ".join(query.split())
        people = Nominal.objects.visible_to(user).search(words).values("pk")
        referrals = referrals.filter(
            Q(reference__iexact=words)
            | Q(source_reference__iexact=words)
            | Q(suspects__nominal__in=people)
        ).distinct()
    else:
        referrals = referrals.exclude(status=ReferralStatus.CLOSED)
    if scope == "mine":
        referrals = referrals.filter(officer=user)
    elif scope == "team":
        referrals = referrals.filter(Q(team_id__in=user_team_ids(user)))
    elif scope == "elsewhere":
        referrals = referrals.exclude(team__kind="ocsea")
    work = _open_work("ocsea.referral")
    overdue = (
        work.filter(due_date__lt=today)
        .order_by()
        .values("subject_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        referrals.annotate(
            band_rank=BAND_RANK,
            next_due=_next(work, "due_date"),
            next_label=_next(work, "label"),
            overdue=Subquery(overdue, output_field=IntegerField()),
        )
        .select_related("team", "officer", "linked_to")
        .prefetch_related("suspects__nominal")
        .order_by("next_due", "-band_rank", "received_at")
    )


@dataclass(frozen=True)
class BailRow:
    bail: Bail
    stage: str
    period_end: date | None  # None: RUI, or a court application pending
    court_pending: bool
    expired: bool  # the period has ended and no decision is recorded
    next_check: date | None
    next_due: date | None  # RUI: the next review
    conditions: list[Any]

    @property
    def days_left(self) -> int | None:
        return None if self.period_end is None else (self.period_end - self._today).days

    _today: date = date.min


STAGE_LABELS = {
    "initial": "First period",
    "inspector": "Inspector's extension",
    "superintendent": "Superintendent's extension",
    "court": "Court extension",
}


@dataclass(frozen=True)
class _Ext:
    """An extension as the bail clock reads it (a row, not a model instance)."""

    pk: Any
    stage: str
    authorised_on: date
    created_at: Any
    court_end_date: date | None
    court_refused: bool


class BailBoard(Sequence[BailRow]):
    """The bail dashboard's rows in order, built a page at a time: the order comes from light
    rows of every open bail (their periods worked out from the extensions' columns), and only
    the rows a page shows are read in full. Paginators (pages and API) slice it."""

    def __init__(self, order: list[tuple[Any, date | None, str, bool]], today: date) -> None:
        self._order = order  # (bail id, period end, stage, court pending)
        self._today = today
        self.expired = sum(1 for _, end, _, _ in order if end is not None and end < today)

    def __len__(self) -> int:
        return len(self._order)

    def ending_by_week(self, weeks: int) -> list[tuple[str, date | None, int]]:
        """How many bail periods end in each of the next `weeks` weeks (Monday to Sunday, this
        week first): (label, the week's Monday, count), after those already ended without a
        decision and before those ending later. Released under investigation has no end."""
        monday = self._today - timedelta(days=self._today.weekday())
        counts = [0] * (weeks + 2)
        for _, end, _, _ in self._order:
            if end is None:
                continue
            if end < self._today:
                counts[0] += 1
            else:
                counts[min(1 + (end - monday).days // 7, weeks + 1)] += 1
        starts = [monday + timedelta(weeks=i) for i in range(weeks)]
        return [
            ("Ended without a decision", None, counts[0]),
            *((f"Week of {d:%-d %b}", d, counts[1 + i]) for i, d in enumerate(starts)),
            ("Later", None, counts[-1]),
        ]

    @overload
    def __getitem__(self, index: int) -> BailRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[BailRow]: ...

    def __getitem__(self, index: int | slice) -> BailRow | list[BailRow]:
        if isinstance(index, int):
            return self._rows([self._order[index]])[0]
        return self._rows(self._order[index])

    def _rows(self, order: list[tuple[Any, date | None, str, bool]]) -> list[BailRow]:
        ids = [pk for pk, *_ in order]
        bails = Bail.objects.select_related(
            "suspect__nominal", "suspect__referral__officer", "area"
        ).prefetch_related("conditions")
        found = {b.pk: b for b in bails.filter(pk__in=ids)}
        due: dict[tuple[Any, str], date] = {}
        for subject_id, rule_id, first in (
            Obligation.objects.open()
            .filter(subject_type="ocsea.bail", subject_id__in=ids)
            .order_by()
            .values("subject_id", "rule_id")
            .annotate(first=Min("due_date"))
            .values_list("subject_id", "rule_id", "first")
        ):
            due[(subject_id, rule_id)] = first
        rows = []
        for pk, end, stage, pending in order:
            bail = found[pk]
            dates = [d for (subject, _), d in due.items() if subject == pk]
            rows.append(
                BailRow(
                    bail=bail,
                    stage=stage,
                    period_end=end,
                    court_pending=pending,
                    expired=end is not None and end < self._today,
                    next_check=due.get((pk, "bail.check")),
                    next_due=min(dates, default=None),
                    conditions=[c for c in bail.conditions.all() if c.removed_on is None],
                    _today=self._today,
                )
            )
        return rows


def bail_dashboard(
    *, user: Any, today: date, pack: PolicyPack, area_id: Any = None, kind: str = ""
) -> BailBoard:
    """Suspects on bail or released under investigation in a local policing area: their
    conditions, next check due, the period's end and the extension stage; bails whose period
    has run out without a decision first, then by the period's end (a release under
    investigation by its next review)."""
    bails = Bail.objects.visible_to(user).filter(ended_on__isnull=True)
    if area_id:
        bails = bails.filter(area_id=area_id)
    if kind in BailKind.values:
        bails = bails.filter(kind=kind)
    light = list(bails.values_list("pk", "kind", "start_date", "designated"))
    ids = [pk for pk, *_ in light]
    extensions: dict[Any, list[_Ext]] = {}
    columns = ("pk", "stage", "authorised_on", "created_at", "court_end_date", "court_refused")
    for row in BailExtension.objects.filter(bail_id__in=ids).values("bail_id", *columns):
        found: dict[str, Any] = dict(row)
        extensions.setdefault(found.pop("bail_id"), []).append(_Ext(**found))
    for pk, extension in _carried_extensions(ids, columns):
        extensions.setdefault(pk, []).append(extension)
    reviews = dict(
        Obligation.objects.open()
        .filter(
            subject_type="ocsea.bail",
            subject_id__in=[pk for pk, kind_, *_ in light if kind_ == BailKind.RUI],
        )
        .order_by()
        .values("subject_id")
        .annotate(first=Min("due_date"))
        .values_list("subject_id", "first")
    )
    order = []
    for pk, kind_, start, designated in light:
        if kind_ == BailKind.BAIL:
            period = bail_clock.periods(start, designated, extensions.get(pk, []), pack)[-1]
            order.append((pk, period.end, STAGE_LABELS[period.stage], period.end is None))
        else:
            order.append((pk, None, "Released under investigation", False))
    order.sort(
        key=lambda row: (
            not (row[1] is not None and row[1] < today),
            row[1] or reviews.get(row[0]) or date.max,
            str(row[0]),
        )
    )
    return BailBoard(order, today)


def _carried_extensions(ids: list[Any], columns: tuple[str, ...]) -> list[tuple[Any, _Ext]]:
    """(bail id, extension) for each extension an open bail from release under investigation
    carries from earlier bails after the same arrest (`Bail.clock_extensions`, ADR 13)."""
    rebails = list(
        Bail.objects.filter(pk__in=ids, continues__isnull=False).values_list(
            "pk", "suspect_id", "arrested_on", "created_at"
        )
    )
    if not rebails:
        return []
    earlier = BailExtension.objects.filter(
        bail__suspect_id__in={suspect for _, suspect, _, _ in rebails}, bail__kind=BailKind.BAIL
    ).values("bail_id", "bail__suspect_id", "bail__arrested_on", "bail__created_at", *columns)
    carried = []
    for row in earlier:
        found: dict[str, Any] = dict(row)
        bail_id = found.pop("bail_id")
        suspect, arrested, created = (
            found.pop("bail__suspect_id"),
            found.pop("bail__arrested_on"),
            found.pop("bail__created_at"),
        )
        for pk, rebail_suspect, rebail_arrested, rebail_created in rebails:
            if (
                bail_id != pk
                and (suspect, arrested) == (rebail_suspect, rebail_arrested)
                and created < rebail_created
            ):
                carried.append((pk, _Ext(**found)))
    return carried


@dataclass(frozen=True)
class RebailClock:
    """The clock a bail from release under investigation continues (ADR 13): the arrest the
    release followed, the bail start date (the day after it, PACE s.47ZB(4)(a)), whether it
    is a designated case, and the applicable bail periods so far (with the extensions granted
    on earlier bails after the arrest)."""

    arrested_on: date
    start: date
    designated: bool
    periods: list[bail_clock.Period]

    @property
    def end(self) -> date | None:
        return self.periods[-1].end


def rebail_clock(rui: Bail, pack: PolicyPack, *, designated: bool = False) -> RebailClock | None:
    """The one place the clock of a bail from release under investigation is decided: from
    the arrest the release followed, whatever happened since (None when no arrest is
    recorded). A designated case stays one once an earlier bail after the arrest was."""
    if rui.arrested_on is None:
        return None
    earlier = Bail.objects.filter(
        suspect_id=rui.suspect_id, arrested_on=rui.arrested_on, kind=BailKind.BAIL
    )
    start = bail_clock.bail_start(rui.arrested_on)
    designated = designated or earlier.filter(designated=True).exists()
    carried = BailExtension.objects.filter(bail__in=earlier)
    periods = bail_clock.periods(start, designated, carried, pack)
    return RebailClock(rui.arrested_on, start, designated, periods)


def open_obligations(referral: Referral) -> list[Obligation]:
    """The referral's open work and its suspects' bails', soonest first."""
    bails = Bail.objects.filter(suspect__referral=referral).values_list("pk", flat=True)
    return list(
        Obligation.objects.open()
        .filter(
            Q(subject_type="ocsea.referral", subject_id=referral.pk)
            | Q(subject_type="ocsea.bail", subject_id__in=list(bails))
        )
        .select_related("owner_user", "owner_team")
        .order_by("due_date")
    )


@dataclass(frozen=True)
class Clock:
    """The clock shown wherever the referral appears, and which policy rule set it."""

    label: str
    due: date | None
    explanation: str
    met: date | None = None


def referral_clock(referral: Referral, pack: PolicyPack) -> Clock:
    if referral.status == ReferralStatus.CLOSED:
        return Clock("Closed", None, f"Closed on {referral.closed_on:%-d %b %Y}")
    received = received_on(referral)
    found = action_clock(referral, pack)
    if found is None:
        days = pack["ocsea.assessment_days"]
        return Clock(
            "Assessment due",
            received + timedelta(days=days),
            f"The instrument is completed within {_plural(days, 'day')} of receipt "
            f"(policy ocsea.assessment_days: {pack.rules['ocsea.assessment_days'].source})",
        )
    start, due, started_by = found
    days = pack["ocsea.action_days_by_band"][referral.band]
    kept = (
        " It was overdue when the band was lowered, so it keeps its earlier date."
        if due != start + timedelta(days=days)
        else ""
    )
    done = [
        d
        for d in (referral.actioned_on, *(e.enforced_on for e in referral.enforcements.all()))
        if d
    ]
    return Clock(
        f"Action due ({referral.get_band_display().lower()} band)",
        due,
        f"{referral.get_band_display()} band: police action within {_plural(days, 'day')} of "
        f"{started_by} on {start:%-d %b %Y} (policy ocsea.action_days_by_band and "
        f"ocsea.action_clock_starts: {pack.rules['ocsea.action_days_by_band'].source}).{kept}",
        met=min(done) if done else None,
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    title: str
    text: str
    by: Any = None


def timeline(referral: Referral) -> list[TimelineEntry]:
    """What happened on the referral, newest first: receipt, reviews, intelligence,
    allocations, oversight, enforcement and family support, arrest decisions, outcomes, bail."""
    entries = [
        TimelineEntry(
            received_on(referral),
            "Referral received",
            f"From {referral.get_source_display()} {referral.source_reference}".strip(),
        )
    ]
    for review in referral.reviews.select_related("reviewed_by", "assessment"):
        words = review.notes
        if review.assessment is not None:
            a = review.assessment
            words = f"{a.pack_name} {a.pack_version}: score {a.score}, {a.band_label}" + (
                f" (raised by {a.override_reason.lower()})" if a.override_item else ""
            )
            if review.notes and review.kind != ReviewKind.TRIAGE:
                words = f"{review.notes} ({words})"
        change = (
            f" Band {review.get_previous_band_display().lower()} to "
            f"{review.get_band_display().lower()}."
            if review.previous_band and review.previous_band != review.band
            else ""
        )
        entries.append(
            TimelineEntry(
                review.reviewed_on,
                f"{review.get_kind_display()}: {review.get_band_display().lower()} band",
                words + change,
                review.reviewed_by,
            )
        )
    for item in referral.intelligence.select_related("recorded_by"):
        entries.append(
            TimelineEntry(item.received_on, "New intelligence", item.summary, item.recorded_by)
        )
    for allocation in referral.allocations.select_related("team", "officer", "allocated_by"):
        entries.append(
            TimelineEntry(
                allocation.allocated_on,
                f"Allocated to {allocation.team}",
                f"Officer: {allocation.officer or 'not yet named'}. {allocation.reason}".strip(),
                allocation.allocated_by,
            )
        )
    for oversight in referral.oversight.select_related("reviewed_by"):
        entries.append(
            TimelineEntry(
                oversight.reviewed_on,
                "OCSEA oversight review",
                oversight.notes,
                oversight.reviewed_by,
            )
        )
    if referral.actioned_on:
        entries.append(TimelineEntry(referral.actioned_on, "Police action", referral.action_taken))
    for enforcement in referral.enforcements.select_related("recorded_by"):
        entries.append(
            TimelineEntry(
                enforcement.enforced_on,
                f"Enforcement: {enforcement.get_outcome_display().lower()}",
                f"{enforcement.devices_seized} devices seized; "
                f"{enforcement.children_safeguarded} children safeguarded"
                + (f"; warrant {enforcement.warrant_reference}" if enforcement.warrant else ""),
                enforcement.recorded_by,
            )
        )
    for suspect in referral.suspects.select_related("nominal", "arrest_decided_by", "ratified_by"):
        if suspect.arrest_decided_on:
            entries.append(
                TimelineEntry(
                    suspect.arrest_decided_on,
                    f"{suspect.nominal}: {suspect.get_arrest_decision_display().lower()}",
                    suspect.arrest_rationale,
                    suspect.arrest_decided_by,
                )
            )
        if suspect.ratified_on:
            entries.append(
                TimelineEntry(
                    suspect.ratified_on,
                    f"Decision not to arrest {suspect.nominal} ratified",
                    suspect.ratification_note,
                    suspect.ratified_by,
                )
            )
        if suspect.outcome_on:
            entries.append(
                TimelineEntry(
                    suspect.outcome_on,
                    f"{suspect.nominal}: {suspect.get_outcome_display().lower()}",
                    suspect.outcome_detail,
                )
            )
    for bail in Bail.objects.filter(suspect__referral=referral).select_related("suspect__nominal"):
        entries.append(
            TimelineEntry(
                bail.in_force_from,
                f"{bail.suspect.nominal}: {bail.get_kind_display().lower()}"
                + (" from release under investigation" if bail.continues_id else ""),
                f"The bail start date stays {bail.start_date:%-d %b %Y}, the day after the "
                f"arrest on {bail.arrested_on:%-d %b %Y} (ADR 13)"
                if bail.continues_id and bail.arrested_on
                else "",
            )
        )
        for extension in bail.extensions.all():
            entries.append(
                TimelineEntry(
                    extension.authorised_on,
                    extension.get_stage_display(),
                    _extension_words(extension),
                )
            )
        for check in bail.checks.select_related("officer"):
            entries.append(
                TimelineEntry(
                    check.checked_on,
                    f"Bail conditions checked: {check.get_result_display().lower()}",
                    check.notes,
                    check.officer,
                )
            )
        if bail.ended_on:
            entries.append(
                TimelineEntry(
                    bail.ended_on,
                    f"{bail.get_kind_display()} ended: {bail.get_end_reason_display().lower()}",
                    bail.end_note,
                )
            )
    if referral.closed_on:
        entries.append(TimelineEntry(referral.closed_on, "Referral closed", referral.closure_note))
    return sorted(entries, key=lambda e: e.on, reverse=True)


def _extension_words(extension: Any) -> str:
    if extension.stage == "court":
        if extension.court_refused:
            return f"Refused by the court ({extension.court_order_reference})"
        if extension.court_end_date:
            ordered = f"{extension.court_end_date:%-d %b %Y}"
            return f"Ordered to {ordered} ({extension.court_order_reference})"
        return f"Applied for ({extension.court_order_reference}); awaiting the court"
    return f"Authorised by {extension.get_authoriser_rank_display()} {extension.authoriser_name}"


def person_links(user: Any, nominal: Any) -> list[PersonLink]:
    """From a person's record: the referrals about them the user may open, and receiving a
    new one."""
    links = [
        PersonLink(
            f"Referral {r.reference} (suspect)",
            reverse("ocsea:referral-detail", kwargs={"pk": r.pk}),
            r.get_status_display(),
        )
        for r in Referral.objects.visible_to(user).filter(suspects__nominal=nominal)
    ]
    if has_verb(user, "triage_referral"):
        url = reverse("ocsea:referral-create")
        links.append(
            PersonLink("Receive a referral about this person", f"{url}?nominal={nominal.pk}")
        )
    return links


def suitable_packs(referral: Referral) -> list[Any]:
    """The instruments for a referral: those for any of its suspects' age groups (a referral
    naming an adult and a child is prioritised with either; the child tool first)."""
    groups = set(referral.suspects.values_list("age_group", flat=True))
    found = [
        p for p in available_packs() if p.kind == INSTRUMENT_KIND and groups & set(p.applies_to)
    ]
    return sorted(found, key=lambda p: ("child" not in p.applies_to, p.name))
