"""Officers named in a form: each by name, with what tells them apart where names clash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from vigil.accounts.models import User


def _team(user: User) -> str:
    teams = sorted({str(m.team) for m in user.memberships.all()})
    return teams[0] if teams else ""


def labels(users: Iterable[User]) -> dict[Any, str]:
    """Each user's label: their name, and where two share it, their collar number (or their
    team, or their username, whichever first tells them apart). Read with
    `prefetch_related("memberships__team")`."""
    users = list(users)
    namesakes: dict[str, list[User]] = {}
    for u in users:
        namesakes.setdefault(str(u), []).append(u)
    out = {}
    for name, group in namesakes.items():
        teams = Counter(_team(u) for u in group)
        for u in group:
            if len(group) == 1:
                detail = ""
            elif u.collar_number:
                detail = f"collar {u.collar_number}"
            elif teams[_team(u)] == 1:
                detail = _team(u)
            else:
                detail = u.username
            out[u.pk] = f"{name} ({detail})" if detail else name
    return out


def with_team(users: Iterable[User]) -> dict[Any, str]:
    """Each user's label with their team always (a search across the force), and their
    collar number when they have one: "PC Ada Ford, 4417, MOSOVO Northmoor City"; two labels
    still alike end with the username, so a search never offers two the same."""
    users = list(users)
    out = {
        u.pk: ", ".join(part for part in (str(u), u.collar_number, _team(u)) if part) for u in users
    }
    alike = Counter(out.values())
    return {
        u.pk: f"{out[u.pk]} ({u.username})" if alike[out[u.pk]] > 1 else out[u.pk] for u in users
    }


# How an officer's load is said beside their name where work is allocated (the workforce app
# registers it: `describes_load`); without it, names alone.
LoadWords = Callable[..., dict[Any, str]]
_load: list[LoadWords] = []


def describes_load(words: LoadWords) -> None:
    _load[:] = [words]


def with_load(
    users: Iterable[User],
    *,
    holder: Any = None,
    rso_level: str = "",
    ocsea_band: str = "",
    new_case: bool = True,
) -> dict[Any, str]:
    """Each officer's label where a case is allocated: their name told apart from namesakes,
    and their capacity now and with this case ("at 82% of capacity; 90% with this case"),
    except for the officer who holds it already (`holder`)."""
    users = list(users)
    names = labels(users)
    if not _load:
        return names
    load = _load[0](
        users, holder=holder, rso_level=rso_level, ocsea_band=ocsea_band, new_case=new_case
    )
    return {pk: f"{name}: {load[pk]}" if load.get(pk) else name for pk, name in names.items()}
