"""The one definition of an obligation's status, used by every page, the API, exports and
metrics; and, from the same band table, the SQL filter for each status.

    not yet due → due soon (the policy's window before the due date, and the due date itself)
    → overdue, in bands of days past the due date (policy: 1-7, 8-28, 29-90, over 90)
    met on time (on or before the due date) · met late · waived

Dates are London dates (see core.clock); "today" is passed in so that a page, an export and
a nightly job asked about the same day agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q

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


def status_of(
    *,
    due_date: date,
    met_date: date | None,
    waived: bool,
    today: date,
    pack: PolicyPack | None = None,
) -> str:
    pack = pack or active_policy()
    if waived:
        return WAIVED
    if met_date is not None:
        return MET_ON_TIME if met_date <= due_date else MET_LATE
    days_overdue = (today - due_date).days
    if days_overdue <= 0:
        window = pack["obligations.due_soon_days"]
        return DUE_SOON if -days_overdue <= window else NOT_YET_DUE
    for band in overdue_bands(pack):
        if band.last is None or days_overdue <= band.last:
            return band.status
    raise AssertionError("the last band has no upper limit")  # pragma: no cover


def obligation_status(obligation: Any, today: date, pack: PolicyPack | None = None) -> str:
    return status_of(
        due_date=obligation.due_date,
        met_date=obligation.met_date,
        waived=obligation.waived_at is not None,
        today=today,
        pack=pack,
    )


def days_overdue(obligation: Any, today: date) -> int:
    """Days past the due date of an open obligation (0 if not yet past)."""
    if obligation.met_date is not None or obligation.waived_at is not None:
        return 0
    return max(0, (today - obligation.due_date).days)


_OPEN = Q(met_date__isnull=True, waived_at__isnull=True)


def status_q(status: str, today: date, pack: PolicyPack | None = None) -> Q:
    """The queryset filter that holds exactly the obligations `status_of` gives `status`."""
    pack = pack or active_policy()
    if status == WAIVED:
        return Q(waived_at__isnull=False)
    if status == MET_ON_TIME:
        return Q(waived_at__isnull=True, met_date__isnull=False, met_date__lte=F("due_date"))
    if status == MET_LATE:
        return Q(waived_at__isnull=True, met_date__isnull=False, met_date__gt=F("due_date"))
    window = pack["obligations.due_soon_days"]
    if status == DUE_SOON:
        return _OPEN & Q(due_date__gte=today, due_date__lte=today + timedelta(days=window))
    if status == NOT_YET_DUE:
        return _OPEN & Q(due_date__gt=today + timedelta(days=window))
    for band in overdue_bands(pack):
        if band.status == status:
            q = _OPEN & Q(due_date__lte=today - timedelta(days=band.first))
            if band.last is not None:
                q &= Q(due_date__gte=today - timedelta(days=band.last))
            return q
    raise ValueError(f"Unknown obligation status {status!r}")


def overdue_q(today: date) -> Q:
    return _OPEN & Q(due_date__lt=today)
