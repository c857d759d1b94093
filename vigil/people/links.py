"""Links from a person's record to the domain records about them (an OCSEA referral, say),
which the domains register: `people` shows them without importing any domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PersonLink:
    label: str
    url: str
    tag: str = ""


LinkSource = Callable[[Any, Any], list[PersonLink]]
_sources: list[LinkSource] = []


def register(source: LinkSource) -> LinkSource:
    """A domain's function (user, nominal) -> the links that user may follow."""
    if source not in _sources:
        _sources.append(source)
    return source


def links_for(user: Any, nominal: Any) -> list[PersonLink]:
    return [link for source in _sources for link in source(user, nominal)]
