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
    "roles": "",
}

# The sections of the pack (the first part of a key) as people say them.
_SECTIONS = {
    "obligations": "Obligations",
    "escalation": "Escalation",
    "ocsea": "OCSEA referrals and investigations",
    "bail": "Bail and release under investigation",
    "rso": "RSO management",
    "records": "Records",
    "probation": "Probation partnership",
    "workforce": "Workforce",
}


def _names() -> dict[str, str]:
    """Codes a value or a key may hold (roles, risk levels, rungs, families of work, OCSEA
    bands) in words."""
    from vigil.accounts.roles import RoleCode
    from vigil.obligations.models import RiskLevel, Rung

    families = {"default": "any other work", "rso": "RSO work", "ocsea": "OCSEA work"}
    families |= {"bail": "bail", "workforce": "workforce", "probation": "probation"}
    return {
        **families,
        **{code: str(label) for code, label in RoleCode.choices},
        **{code: str(label).lower() for code, label in RiskLevel.choices},
        **{code: str(label).lower() for code, label in Rung.choices},
    }


def _word(code: Any) -> str:
    text = str(code)
    return _names().get(text, text.replace("_", " "))


@register.filter
def policy_section(section: str) -> str:
    """A section of the pack in words: "ocsea" is "OCSEA referrals and investigations"."""
    return _SECTIONS.get(section, section.replace("_", " ").capitalize())


def _one(value: Any, unit: str) -> str:
    word = _UNIT_WORDS.get(unit, unit)
    if isinstance(value, list):  # roles, choices
        return ", ".join(_one(v, unit) for v in value)
    if isinstance(value, str):
        return _word(value)
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
                f"{_word(k)}: " + ", ".join(f"{_word(r)} {_one(d, unit)}" for r, d in v.items())
                for k, v in value.items()
            )
        return "; ".join(f"{_word(k)}: {_one(v, unit)}" for k, v in value.items())
    return _one(value, unit)
