"""A small pack as data, and writing it as a TOML file, for the instrument tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ACCESS = "Has the suspect current access to children?"


def small_pack(**changes: Any) -> dict[str, Any]:
    """Three questions (0-3, 0-5, 0-1 points: scores 0 to 9) in two sections; bands low 0,
    medium 3, high 5, very high 7; current access forces at least high, contact very high."""
    pack: dict[str, Any] = {
        "code": "test-tool",
        "kind": "ocsea_prioritisation",
        "name": "Test tool",
        "version": "1",
        "licence": "Test content",
        "illustrative": True,
        "applies_to": ["adult", "child"],
        "sections": [
            {
                "id": "one",
                "title": "Step one",
                "items": [
                    {
                        "id": "access",
                        "text": ACCESS,
                        "hint": "Children in the household",
                        "options": [
                            {"id": "no", "label": "No", "points": 0},
                            {"id": "yes", "label": "Yes", "points": 3, "flags": ["access"]},
                        ],
                    },
                    {
                        "id": "images",
                        "text": "How many images?",
                        "options": [
                            {"id": "none", "label": "None", "points": 0},
                            {"id": "some", "label": "Some", "points": 3},
                            {"id": "many", "label": "Many", "points": 5, "flags": ["volume"]},
                        ],
                    },
                ],
            },
            {
                "id": "two",
                "title": "Step two",
                "items": [
                    {
                        "id": "contact",
                        "text": "Is there evidence of contact offending?",
                        "options": [
                            {"id": "no", "label": "No", "points": 0},
                            {"id": "yes", "label": "Yes", "points": 1, "flags": ["contact"]},
                        ],
                    }
                ],
            },
        ],
        "overrides": [
            {"item": "access", "options": ["yes"], "band": "high", "reason": "Current access"},
            {"item": "contact", "options": ["yes"], "band": "very_high", "reason": "Contact"},
        ],
        "bands": [
            {
                "code": c,
                "label": label,
                "min_score": m,
                "timescale": f"ocsea.action_days_by_band.{c}",
            }
            for c, label, m in (
                ("low", "Low", 0),
                ("medium", "Medium", 3),
                ("high", "High", 5),
                ("very_high", "Very high", 7),
            )
        ],
    }
    pack = copy.deepcopy(pack)
    pack.update(changes)
    return pack


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string for plain text
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def to_toml(pack: dict[str, Any]) -> str:
    return "".join(f"{key} = {_value(value)}\n" for key, value in pack.items())


def write_pack(directory: Path, pack: dict[str, Any], name: str = "pack.toml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(to_toml(pack))
    return path
