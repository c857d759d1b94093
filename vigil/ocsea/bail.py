"""The pre-charge bail clock (PACE 1984 ss.47ZA-47ZM), in one place.

"The period of N months beginning with D" includes D, so it ends on the day before the date N
months on from D: bail starting 16 January ends its 3 months on 15 April; starting 1 December
2027 it ends on 29 February 2028. Where the month N on has no day D (30 November plus 3 months:
there is no 30 February), the period ends at the end of that month: 30 November 2027 and 29
November 2026 give 29 February 2028 and 28 February 2027 (the corresponding-date rule, applied
to the month the period runs into; ADR 11 records the choice).

Every applicable bail period (ABP) runs from the bail start date to its end; an extension
lengthens it and starts a new period the day after the last one ended. A court application
made in time and not yet decided keeps the period running (s.47ZJ)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from vigil.core.dates import last_day_beginning_with
from vigil.ocsea.models import RANK_ORDER, ExtensionStage, Rank


def period_end(start: date, months: int) -> date:
    """The last day of "the period of `months` months beginning with `start`" (the statute's
    arithmetic lives in `core.dates`, ADR 12)."""
    return last_day_beginning_with(start, months=months)


def bail_start(arrested_on: date) -> date:
    """The bail start date: the day after the day of arrest (s.47ZB(4)(a))."""
    return arrested_on + timedelta(days=1)


# Each statutory stage, the one it follows, the policy key of its length in months (from the
# bail start date) and the lowest rank that may authorise it.
STAGE_AFTER = {
    ExtensionStage.INSPECTOR: "initial",
    ExtensionStage.SUPERINTENDENT: ExtensionStage.INSPECTOR,
    ExtensionStage.COURT: ExtensionStage.SUPERINTENDENT,
}
STAGE_MONTHS_KEY = {
    ExtensionStage.INSPECTOR: "bail.inspector_extension_months",
    ExtensionStage.SUPERINTENDENT: "bail.superintendent_extension_months",
}
STAGE_RANK = {
    ExtensionStage.INSPECTOR: Rank.INSPECTOR,
    ExtensionStage.SUPERINTENDENT: Rank.SUPERINTENDENT,
}


def rank_allows(rank: str, stage: str) -> bool:
    """May an officer of `rank` authorise this stage? (A court stage needs a court order.)"""
    needed = STAGE_RANK.get(stage)  # type: ignore[call-overload]
    return needed is not None and rank in RANK_ORDER and RANK_ORDER[rank] >= RANK_ORDER[needed]


@dataclass(frozen=True)
class Period:
    """One applicable bail period: its stage ("initial" or an extension's), first and last
    day (`end` None while a court application is pending), the policy keys behind it, a key
    that names it among the bail's periods (each court period by its order), and the day the
    extension that began it was authorised (or applied for)."""

    stage: str
    start: date
    end: date | None
    policy_keys: tuple[str, ...]
    key: str = ""
    began_on: date | None = None


def initial_months(designated: bool, pack: Any) -> tuple[int, str]:
    key = "bail.initial_period_months_designated" if designated else "bail.initial_period_months"
    return int(pack[key]), key


def extension_end(start_date: date, extension: Any, pack: Any) -> date | None:
    """The last day an extension gives: its statutory length from the bail start date, or
    the court's order (None while the application awaits the court)."""
    if extension.stage == ExtensionStage.COURT:
        return extension.court_end_date  # type: ignore[no-any-return]
    return period_end(start_date, int(pack[STAGE_MONTHS_KEY[extension.stage]]))


def periods(
    start_date: date, designated: bool, extensions: Iterable[Any], pack: Any
) -> list[Period]:
    """The bail periods in order, from the start date and the extensions granted so far
    (refused court applications end nothing and lengthen nothing)."""
    months, key = initial_months(designated, pack)
    first_end = period_end(start_date, months)
    result = [Period("initial", start_date, first_end, (key,), "initial")]
    for extension in sorted(extensions, key=lambda e: (e.authorised_on, e.created_at)):
        previous = result[-1]
        if previous.end is None or extension.court_refused:
            continue
        end = extension_end(start_date, extension, pack)
        if end is not None and end <= previous.end:
            continue
        court = extension.stage == ExtensionStage.COURT
        result.append(
            Period(
                extension.stage,
                previous.end + timedelta(days=1),
                end,
                () if court else (STAGE_MONTHS_KEY[extension.stage],),
                f"court:{getattr(extension, 'pk', '')}" if court else extension.stage,
                extension.authorised_on,
            )
        )
    return result


def next_stage(current: str, designated: bool = False) -> str | None:
    """The extension that may follow the current stage. A designated case's first period is
    already 6 months, so its first extension is the superintendent's, to 9 months (s.47ZDA);
    after the superintendent's only a court may extend, and a court again (s.47ZG)."""
    if current == "initial" and designated:
        return ExtensionStage.SUPERINTENDENT
    for stage, after in STAGE_AFTER.items():
        if after == current:
            return stage
    return ExtensionStage.COURT if current == ExtensionStage.COURT else None
