"""Officers named in a form: each by name, with what tells them apart where names clash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
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
