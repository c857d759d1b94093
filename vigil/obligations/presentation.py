"""How an obligation's status reads on a page: the label, the tag colour (one scheme
everywhere, overdue bands darker as they age) and the relative hint beside the date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from vigil.obligations import status as st

_TAG = {
    st.NOT_YET_DUE: "govuk-tag--grey",
    st.DUE_SOON: "govuk-tag--blue",
    "overdue_1": "govuk-tag--yellow",
    "overdue_2": "govuk-tag--orange",
    "overdue_3": "govuk-tag--red",
    "overdue_4": "vigil-tag--overdue-severe",
    st.MET_ON_TIME: "govuk-tag--green",
    st.MET_LATE: "govuk-tag--pink",
    st.WAIVED: "govuk-tag--purple",
}


@dataclass(frozen=True)
class StatusView:
    code: str
    label: str
    tag_class: str
    hint: str


def relative(due: date, today: date) -> str:
    days = (due - today).days
    if days == 0:
        return "due today"
    if days > 0:
        return "due tomorrow" if days == 1 else f"in {days} days"
    return "1 day overdue" if days == -1 else f"{-days} days overdue"


def relative_time(due_at: datetime, today: date, now: datetime) -> str:
    """The hint for a deadline in hours: the time counts on its day."""
    at = timezone.localtime(due_at)
    if at.date() != today:
        return f"{relative(at.date(), today)}, at {at:%H:%M}"
    if due_at < now:
        return f"overdue since {at:%H:%M} today"
    return f"due by {at:%H:%M} today"


def status_view(obligation: Any, today: date) -> StatusView:
    code = st.obligation_status(obligation, today)
    labels = dict(st.statuses())
    label = labels[code]
    if code.startswith("overdue_"):
        label = "Overdue"
    if obligation.met_date is not None:
        hint = f"met {obligation.met_date:%-d %b %Y}"
    elif obligation.waived_at is not None:
        hint = "waived"
    elif obligation.due_at is not None:
        hint = relative_time(obligation.due_at, today, st.moment(today))
    else:
        hint = relative(obligation.due_date, today)
    tag = _TAG.get(code, "govuk-tag--red" if code.startswith("overdue_") else "govuk-tag--grey")
    return StatusView(code, label, tag, hint)


@dataclass(frozen=True)
class LegendEntry:
    label: str
    tag_class: str


def overdue_legend() -> list[LegendEntry]:
    """The overdue bands of the policy with the tag colour each is shown in, lightest first:
    the key beside every list whose tags say "Overdue" in a band's colour."""
    return [LegendEntry(b.label, _TAG.get(b.status, "govuk-tag--red")) for b in st.overdue_bands()]


def band_label(status: str) -> str:
    """A status's words ("8 to 28 days overdue"), for the label of a band's cell."""
    return dict(st.statuses()).get(status, status)


def band_tag(status: str) -> str:
    """The tag colour of a status (an overdue band's, for the risk x band table's headings)."""
    return _TAG.get(status, "govuk-tag--grey")
