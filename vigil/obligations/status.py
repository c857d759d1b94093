"""The one definition of an obligation's status, used by every page, the API, exports and
metrics; and, from the same band table, the SQL filter for each status.

    not yet due → due soon (the policy's window before the due date, and the due date itself)
    → overdue, in bands of days past the due date (policy: 1-7, 8-28, 29-90, over 90)
    met on time (on or before the due date) · met late · waived

Dates are London dates (see core.clock); "today" is passed in so that a page, an export and
a nightly job asked about the same day agree.

A deadline the policy states in hours (a breach on ViSOR within 24 hours) is due at a time,
`due_at`, with `due_date` its London date. It is overdue once that moment has passed, even on
its due date (then 1 day overdue, the first band); met on time if the time it was met
(`met_at`) is not after it, and, where only the day it was met is known, if that day is not
after the due date. `now` is the moment asked about: by default the present when `today` is
today, else the end of `today` (how the day closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from vigil.core import clock
from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy

NOT_YET_DUE = "not_yet_due"
DUE_SOON = "due_soon"
MET_ON_TIME = "met_on_time"
MET_LATE = "met_late"
WAIVED = "waived"


@dataclass(frozen=True)
class Band:
    """Days overdue from `first` to `last` inclusive (`last` None: no upper limit)."""

    status: str
    first: int
    last: int | None

    @property
    def label(self) -> str:
        if self.last is None:
            return f"Over {self.first - 1} days overdue"
        return f"{self.first} to {self.last} days overdue"


def overdue_bands(pack: PolicyPack | None = None) -> list[Band]:
    uppers = (pack or active_policy())["obligations.overdue_band_upper_days"]
    bands, first = [], 1
    for i, last in enumerate([*uppers, None], start=1):
        bands.append(Band(f"overdue_{i}", first, last))
        first = (last or 0) + 1
    return bands


def statuses(pack: PolicyPack | None = None) -> list[tuple[str, str]]:
    """Every status with its label, in the order a worklist shows them."""
    return [
        *((b.status, b.label) for b in reversed(overdue_bands(pack))),
        (DUE_SOON, "Due soon"),
        (NOT_YET_DUE, "Not yet due"),
        (MET_LATE, "Met late"),
        (MET_ON_TIME, "Met on time"),
        (WAIVED, "Waived"),
    ]


def moment(today: date, now: datetime | None = None) -> datetime:
    """The instant a status is asked at: `now`, or the present if `today` is today, or the
    last instant of `today` in London."""
    if now is not None:
        return now
    if today == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(today, time.max))


def _days_overdue(due_date: date, due_at: datetime | None, today: date, now: datetime) -> int:
    days = (today - due_date).days
    if due_at is not None and days <= 0 and due_at < now:
        return 1  # past its time on the day it is due
    return days


def status_of(
    *,
    due_date: date,
    met_date: date | None,
    waived: bool,
    today: date,
    pack: PolicyPack | None = None,
    due_at: datetime | None = None,
    met_at: datetime | None = None,
    now: datetime | None = None,
) -> str:
    pack = pack or active_policy()
    if waived:
        return WAIVED
    if met_date is not None:
        if due_at is not None and met_at is not None:
            return MET_ON_TIME if met_at <= due_at else MET_LATE
        return MET_ON_TIME if met_date <= due_date else MET_LATE
    days_overdue = _days_overdue(due_date, due_at, today, moment(today, now))
    if days_overdue <= 0:
        window = pack["obligations.due_soon_days"]
        return DUE_SOON if -days_overdue <= window else NOT_YET_DUE
    for band in overdue_bands(pack):
        if band.last is None or days_overdue <= band.last:
            return band.status
    raise AssertionError("the last band has no upper limit")  # pragma: no cover


def obligation_status(
    obligation: Any, today: date, pack: PolicyPack | None = None, now: datetime | None = None
) -> str:
    return status_of(
        due_date=obligation.due_date,
        met_date=obligation.met_date,
        waived=obligation.waived_at is not None,
        today=today,
        pack=pack,
        due_at=obligation.due_at,
        met_at=obligation.met_at,
        now=now,
    )


def days_overdue(obligation: Any, today: date, now: datetime | None = None) -> int:
    """Days past the due date of an open obligation (0 if not yet past; 1 on the day it is
    due once past its time)."""
    if obligation.met_date is not None or obligation.waived_at is not None:
        return 0
    return max(0, _days_overdue(obligation.due_date, obligation.due_at, today, moment(today, now)))


_OPEN = Q(met_date__isnull=True, waived_at__isnull=True)
_TIMED_MET = Q(due_at__isnull=False, met_at__isnull=False)


def _past_its_time_today(today: date, now: datetime) -> Q:
    return Q(due_date=today, due_at__lt=now)


def status_q(
    status: str, today: date, pack: PolicyPack | None = None, now: datetime | None = None
) -> Q:
    """The queryset filter that holds exactly the obligations `status_of` gives `status`."""
    pack = pack or active_policy()
    now = moment(today, now)
    met = Q(waived_at__isnull=True, met_date__isnull=False)
    if status == WAIVED:
        return Q(waived_at__isnull=False)
    if status == MET_ON_TIME:
        return met & (
            (_TIMED_MET & Q(met_at__lte=F("due_at")))
            | (~_TIMED_MET & Q(met_date__lte=F("due_date")))
        )
    if status == MET_LATE:
        return met & (
            (_TIMED_MET & Q(met_at__gt=F("due_at"))) | (~_TIMED_MET & Q(met_date__gt=F("due_date")))
        )
    window = pack["obligations.due_soon_days"]
    if status == DUE_SOON:
        return (
            _OPEN
            & Q(due_date__gte=today, due_date__lte=today + timedelta(days=window))
            & ~_past_its_time_today(today, now)
        )
    if status == NOT_YET_DUE:
        return _OPEN & Q(due_date__gt=today + timedelta(days=window))
    for band in overdue_bands(pack):
        if band.status == status:
            return _OPEN & band_days_q(band, today, now)
    raise ValueError(f"Unknown obligation status {status!r}")


def band_days_q(band: Band, today: date, now: datetime | None = None) -> Q:
    """Obligations as many days past their due date as an overdue band holds, on `today`,
    open or not: with an overdue filter before it (`overdue_q`, or `overdue_at_q` for how a
    past day closed), the band's share of that day's overdue work."""
    q = Q(due_date__lte=today - timedelta(days=band.first))
    if band.last is not None:
        q &= Q(due_date__gte=today - timedelta(days=band.last))
    if band.first <= 1 <= (band.last or 1):
        q |= _past_its_time_today(today, moment(today, now))
    return q


def overdue_by_q(days: int, today: date, now: datetime | None = None) -> Q:
    """Open obligations at least `days` days overdue (as `days_overdue` counts them)."""
    q = Q(due_date__lte=today - timedelta(days=days))
    if days <= 1:
        q |= _past_its_time_today(today, moment(today, now))
    return _OPEN & q


def overdue_q(today: date, now: datetime | None = None) -> Q:
    return _OPEN & (Q(due_date__lt=today) | _past_its_time_today(today, moment(today, now)))


def standing_at_q(day: date, prefix: str = "") -> Q:
    """Obligations standing at the close of a past `day`, as the records now tell it: in
    force then (not withdrawn before its end) and not waived by then. Work due in a month
    gone is counted so, whatever was waived or withdrawn after it closed. (`prefix`: the
    path to the obligation from another model's query, as "obligation__".)"""
    end = moment(day)  # the end of the day
    return (
        Q(**{f"{prefix}withdrawn_at__isnull": True}) | Q(**{f"{prefix}withdrawn_at__gt": end})
    ) & (Q(**{f"{prefix}waived_at__isnull": True}) | Q(**{f"{prefix}waived_at__gt": end}))


def open_at_q(day: date, prefix: str = "") -> Q:
    """Obligations open at the close of a past `day`: standing then (`standing_at_q`) and not
    met by then."""
    return standing_at_q(day, prefix) & (
        Q(**{f"{prefix}met_date__isnull": True}) | Q(**{f"{prefix}met_date__gt": day})
    )


def open_at_rows_q(day: date) -> Q:
    """Wider than `open_at_q(day)`, and found by indexes rather than a scan of a force's
    history: the obligations open now, or met, waived or withdrawn after the day. A query of
    a past day's open work filters by it beside the exact filter."""
    end = moment(day)
    return (
        Q(met_date__isnull=True, waived_at__isnull=True, withdrawn_at__isnull=True)
        | Q(met_date__gt=day)
        | Q(waived_at__gt=end)
        | Q(withdrawn_at__gt=end)
    )


def overdue_at_q(day: date) -> Q:
    """Obligations that were overdue at the close of a past `day`, as the records now tell
    it: open then (`open_at_q`) and past their due date (or a due time on that day). The
    monthly snapshots of a month gone read their open work so (assurance), and so read it
    the same whenever they are taken."""
    return open_at_q(day) & (Q(due_date__lt=day) | _past_its_time_today(day, moment(day)))


def due_soon_at_q(day: date, pack: PolicyPack | None = None) -> Q:
    """Obligations that were due soon at the close of a past `day` (`DUE_SOON` as that day
    closed): open then, due within the policy's window from it, and not past a due time on
    it."""
    window = (pack or active_policy())["obligations.due_soon_days"]
    return (
        open_at_q(day)
        & Q(due_date__gte=day, due_date__lte=day + timedelta(days=window))
        & ~_past_its_time_today(day, moment(day))
    )


# --- a day's work: today's, or, for a day gone, as it closed -------------------------------
# Every reading of "the work on a day" goes through these: today by the filters the open-work
# index serves, a day gone by the `*_at_q` filters above, so a month gone reads the same
# whenever it is read (the snapshots, the dashboard and the pack of a month gone).


def _gone(day: date) -> bool:
    return day < clock.today()


def standing_on_q(day: date) -> Q:
    """In force and not waived, today or as a day gone closed (`standing_at_q`)."""
    return (
        standing_at_q(day) if _gone(day) else Q(withdrawn_at__isnull=True, waived_at__isnull=True)
    )


def overdue_on_q(day: date) -> Q:
    """Overdue today (and in force), or as a day gone closed (`overdue_at_q`)."""
    return overdue_at_q(day) if _gone(day) else Q(withdrawn_at__isnull=True) & overdue_q(day)


def due_soon_on_q(day: date, pack: PolicyPack | None = None) -> Q:
    """Due soon today (and in force), or as a day gone closed (`due_soon_at_q`)."""
    if _gone(day):
        return due_soon_at_q(day, pack)
    return Q(withdrawn_at__isnull=True) & status_q(DUE_SOON, day, pack)


def open_rows_on_q(day: date) -> Q:
    """The rows holding the work open on a day, for a query to scan beside its exact filter:
    the open work now (its index), and for a day gone also what was met, waived or withdrawn
    since (`open_at_rows_q`)."""
    if _gone(day):
        return open_at_rows_q(day)
    return Q(met_date__isnull=True, waived_at__isnull=True, withdrawn_at__isnull=True)
