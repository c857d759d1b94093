"""What of a figure a viewer may see: the one place small counts are suppressed (issue 15).

A count of one up to the policy's smallest (`workforce.smallest_count`) could point at a
person, so it is shown as "fewer than N" to anyone but a viewer who may see every record the
count is made of (`smallest_shown`). Where a total is shown beside its parts (a theme's
figure and its teams', a risk level's row and its bands, the force and its areas), hiding one
part would leave it to be found by subtraction, so a second part is hidden too, the smallest
other (`protect`): secondary suppression, as the Office for National Statistics does it.

Days and FTE are not counts of records and are never suppressed (`Metric.counts_records`).
The share of work done in time is shown when its parts are not small: the count of late work
it implies is of work, not of people, and the share is the figure the PCC needs (ADR 30)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.accounts.access import has_verb, hidden_persons


@dataclass(frozen=True)
class Shown:
    """A figure as the viewer may see it."""

    text: str
    value: float | None  # None when suppressed or nothing to judge
    suppressed: bool = False


def smallest_shown(user: Any, pack: Any) -> int:
    """0 (every count) for a viewer who may see the records and is kept from no one; for
    anyone else, the policy's smallest count shown. A viewer kept out of a limited-access
    record must not learn of its work from a count of one. (Work only a verb's holders see,
    a colleague's screening, is counted so for those without it: `withheld`.)"""
    if has_verb(user, "view_nominal") and not any(
        source.exists() for source in hidden_persons(user)
    ):
        return 0
    return int(pack["workforce.smallest_count"])


def withheld(user: Any) -> frozenset[str]:
    """The verbs whose holders alone see some work (the engine's `seen_with`: the wellbeing
    lead's screening of colleagues) that this viewer lacks: that work's small counts are
    suppressed for them, whoever they are."""
    from vigil.obligations.registry import subjects

    verbs = {r.seen_with for r in subjects().values() if r.seen_with}
    return frozenset(v for v in verbs if not has_verb(user, v))


def smallest_for(seen_with: str, smallest: int, withheld_verbs: frozenset[str], pack: Any) -> int:
    """The smallest count shown of work a verb's holders alone see, for this viewer."""
    if seen_with and seen_with in withheld_verbs:
        return max(smallest, int(pack["workforce.smallest_count"]))
    return smallest


def small(n: float | None, smallest: int) -> bool:
    return n is not None and 0 < n < smallest


def hidden(smallest: int) -> Shown:
    return Shown(f"Fewer than {smallest}", None, True)


def shown_count(n: float, smallest: int) -> Shown:
    return hidden(smallest) if small(n, smallest) else Shown(f"{n:g}", float(n))


def shown_share(part: float, whole: int, smallest: int) -> Shown:
    if small(part, smallest) or small(whole, smallest):
        return Shown(f"Fewer than {smallest} due", None, True)
    if not whole:
        return Shown("None due", None)
    value = round(100 * part / whole, 1)
    return Shown(f"{value:g}%", value)


def shown_reading(reading: Any, metric: Any, smallest: int) -> Shown:
    """A metric's reading as the viewer may see it."""
    from vigil.assurance.metrics import PERCENT

    smallest = smallest if metric.counts_records else 0
    if metric.unit == PERCENT:
        return shown_share(reading.numerator, reading.denominator or 0, smallest)
    return shown_count(reading.numerator, smallest)


def protect_tree(
    values: dict[Any, float],
    children: dict[Any, list[Any]],
    smallest: int,
    hidden_already: set[Any] | None = None,
) -> set[Any]:
    """The nodes of a tree of counts (each parent the sum of its children: the force, its
    areas, their teams) to hide so that none hidden can be found, nor pinned down, by
    subtraction: every small one (and any `hidden_already`); under a shown parent, while the
    hidden children sum to less than the smallest count shown (one hidden, or 1 and 1 under
    a shown 12 beside 10), its smallest other non-zero child too; under a hidden parent whose
    non-zero children are all shown (their sum would give it), its smallest non-zero child.
    Repeated until nothing changes (each pass hides one more, or ends)."""
    if not smallest:
        return set()
    hide = {node for node, n in values.items() if small(n, smallest)} | (hidden_already or set())
    changed = True
    while changed:
        changed = False
        for parent, kids in children.items():
            shown_kids = sorted(
                (values.get(k, 0), str(k), k) for k in kids if k not in hide and values.get(k, 0)
            )
            if not shown_kids:
                continue
            hidden_sum = sum(values.get(k, 0) for k in kids if k in hide)
            pinned = parent not in hide and 0 < hidden_sum < smallest
            summed = parent in hide and not hidden_sum
            if pinned or summed:
                hide.add(shown_kids[0][2])
                changed = True
    return hide
