from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

_UNIT_WORDS = {
    "working_days": "working days",
    "percent": "%",
    "count": "",
    "choice": "",
    "rung": "",
}


def _one(value: Any, unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit)
    if unit == "percent":
        return f"{value}%"
    if unit == "years" and value == 0:
        return "indefinite"
    if isinstance(value, int) and word.endswith("s") and value == 1:
        word = word[:-1]
    return f"{value} {word}".strip()


@register.filter
def policy_value(value: Any, unit: str) -> str:
    """A rule's value in words: "28 days", "very high: 1 month, high: 3 months", "indefinite"."""
    if isinstance(value, dict):
        if all(isinstance(v, dict) for v in value.values()):
            return "; ".join(
                f"{k.replace('_', ' ')}: "
                + ", ".join(f"{r.replace('_', ' ')} {_one(d, unit)}" for r, d in v.items())
                for k, v in value.items()
            )
        return "; ".join(f"{k.replace('_', ' ')}: {_one(v, unit)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_one(v, unit) for v in value)
    return _one(value, unit).replace("_", " ")
