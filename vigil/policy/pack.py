"""The policy pack: every threshold Vigil's rules use, as data with its source.

`policy/default.toml` holds the defaults; a force's file, named by VIGIL_POLICY, overrides any
value. Both are checked when loaded: an unknown key, a value of the wrong type, a negative
period or a choice not offered raises PolicyError naming the key. The pack's version is a hash
of its label and values, recorded with every obligation it dates.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "policy" / "default.toml"

UNITS = {
    "days",
    "weeks",
    "months",
    "years",
    "hours",
    "working_days",
    "count",
    "percent",
    "points",
    "choice",
    "rung",
    "roles",
}
CONFIDENCES = {"high", "medium", "local", "low"}
# Values other values are divided by: a 0 would break the page or the forecast that uses them.
MUST_BE_POSITIVE = {
    "workforce.points_per_fte",
    "workforce.full_time_hours",
    "workforce.span_of_control",
    "workforce.manager_case_hours_a_year",
}
RUNGS = ("owner", "supervisor", "head_of_unit")
_LEAF_FIELDS = {"value", "unit", "description", "source", "confidence", "choices"}
_OVERRIDE_FIELDS = {"value", "source", "confidence", "note"}


class PolicyError(ValueError):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    unit: str
    description: str
    source: str
    confidence: str
    choices: tuple[str, ...] = ()
    overridden: bool = False


@dataclass(frozen=True)
class PolicyPack:
    label: str
    rules: dict[str, Rule] = field(repr=False)
    version: str = ""

    def __getitem__(self, key: str) -> Any:
        return self.rules[key].value

    def rule(self, key: str) -> Rule:
        return self.rules[key]

    @property
    def short_version(self) -> str:
        return self.version[:12]

    def sections(self) -> dict[str, list[Rule]]:
        grouped: dict[str, list[Rule]] = {}
        for rule in self.rules.values():
            grouped.setdefault(rule.key.split(".")[0], []).append(rule)
        return grouped


def _leaves(table: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Rules by dotted key: a table holding `value` is a rule; other tables are sections."""
    found: dict[str, dict[str, Any]] = {}
    for name, item in table.items():
        key = f"{prefix}{name}"
        if not isinstance(item, dict):
            found[key] = {"value": item}  # an override may give a bare value
        elif "value" in item:
            found[key] = item
        else:
            found.update(_leaves(item, f"{key}."))
    return found


def _check_type(key: str, default: Any, value: Any) -> None:
    if isinstance(default, bool) or isinstance(value, bool):
        if type(default) is not type(value):
            raise PolicyError(key, f"must be {type(default).__name__}, not {value!r}")
        return
    if isinstance(default, int) and not isinstance(value, int):
        raise PolicyError(key, f"must be a whole number, not {value!r}")
    if isinstance(default, str) and not isinstance(value, str):
        raise PolicyError(key, f"must be text, not {value!r}")
    if isinstance(default, list) and all(isinstance(d, str) for d in default):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PolicyError(key, f"must be a list of text, not {value!r}")
        return
    if isinstance(default, list):
        if not isinstance(value, list) or len(value) != len(default):
            raise PolicyError(key, f"must be a list of {len(default)} values, not {value!r}")
        for i, (d, v) in enumerate(zip(default, value, strict=True)):
            _check_type(f"{key}[{i}]", d, v)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            raise PolicyError(key, f"must be a table of {', '.join(default)}, not {value!r}")
        for name in value:
            if name not in default:
                raise PolicyError(f"{key}.{name}", "is not a known key")
        for name, v in value.items():
            _check_type(f"{key}.{name}", default[name], v)


def _flat(value: Any) -> list[Any]:
    """The leaf values of a value, through nested tables (a ladder per kind of work)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _flat(item)]
    if isinstance(value, list) and not all(isinstance(v, str) for v in value):
        return list(value)
    return [value]


def _check_ladders(key: str, ladders: dict[str, Any]) -> None:
    for family, ladder in ladders.items():
        for name in ladder:
            if name not in RUNGS or name == "owner":
                raise PolicyError(f"{key}.{family}.{name}", "is not a rung above the owner")
        days = [ladder[r] for r in RUNGS if r in ladder]
        if sorted(days) != days:
            raise PolicyError(f"{key}.{family}", "each rung must come no sooner than the one below")


def _check_value(rule: Rule) -> None:
    values = (
        _flat(rule.value)
        if isinstance(rule.value, dict)
        else rule.value
        if isinstance(rule.value, list)
        else [rule.value]
    )
    if rule.unit == "choice" and rule.value not in rule.choices:
        raise PolicyError(rule.key, f"must be one of {', '.join(rule.choices)}")
    if rule.unit == "rung":
        for v in values:
            if v not in RUNGS:
                raise PolicyError(rule.key, f"{v!r} is not a rung ({', '.join(RUNGS)})")
    if rule.key == "escalation.overdue_days_to_level":
        _check_ladders(rule.key, rule.value)
    if rule.unit == "roles":
        for roles in values:
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                raise PolicyError(rule.key, "must list role codes")
    if rule.unit not in ("choice", "rung", "roles"):
        for v in values:
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise PolicyError(rule.key, f"must not be negative (got {v!r})")
    if rule.key in MUST_BE_POSITIVE and not all(v > 0 for v in values):
        raise PolicyError(rule.key, "must be more than 0 (it divides)")
    if rule.key == "obligations.overdue_band_upper_days" and sorted(rule.value) != rule.value:
        raise PolicyError(rule.key, "the band limits must rise")


def _merged(base: Any, override: Any) -> Any:
    """An override's value over the default's: tables merge key by key (so a force may
    change one rung of one ladder), anything else is replaced."""
    if not isinstance(base, dict):
        return override
    return {
        name: _merged(base[name], override[name]) if name in override else base[name]
        for name in base
    }


def load(default_path: Path = DEFAULT_PATH, override_path: Path | None = None) -> PolicyPack:
    """Loads and checks the default pack and, if given, a force's overrides."""
    try:
        default = tomllib.loads(default_path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(str(default_path), f"cannot be read: {exc}") from None
    label = str(default.get("pack", {}).get("label", "Vigil default"))
    rules: dict[str, Rule] = {}
    for key, leaf in _leaves({k: v for k, v in default.items() if k != "pack"}).items():
        unknown = set(leaf) - _LEAF_FIELDS
        missing = {"value", "unit", "description", "source", "confidence"} - set(leaf)
        if unknown or missing:
            raise PolicyError(key, f"has unknown fields {unknown or ''} or lacks {missing or ''}")
        if leaf["unit"] not in UNITS:
            raise PolicyError(key, f"has an unknown unit {leaf['unit']!r}")
        if leaf["confidence"] not in CONFIDENCES:
            raise PolicyError(key, f"has an unknown confidence {leaf['confidence']!r}")
        rule = Rule(
            key,
            leaf["value"],
            leaf["unit"],
            leaf["description"],
            leaf["source"],
            leaf["confidence"],
            tuple(leaf.get("choices", ())),
        )
        _check_value(rule)
        rules[key] = rule
    if override_path is not None:
        try:
            override = tomllib.loads(override_path.read_text())
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise PolicyError(str(override_path), f"cannot be read: {exc}") from None
        label = str(override.get("pack", {}).get("label", f"{label} (with local overrides)"))
        for key, leaf in _leaves({k: v for k, v in override.items() if k != "pack"}).items():
            if key not in rules:
                raise PolicyError(key, "is not a known key")
            unknown = set(leaf) - _OVERRIDE_FIELDS
            if unknown:
                raise PolicyError(key, f"may set only {', '.join(sorted(_OVERRIDE_FIELDS))}")
            base = rules[key]
            _check_type(key, base.value, leaf["value"])
            value = _merged(base.value, leaf["value"])
            rule = Rule(
                key,
                value,
                base.unit,
                base.description,
                leaf.get("source", f"Local override ({override_path.name})"),
                leaf.get("confidence", "local"),
                base.choices,
                overridden=True,
            )
            _check_value(rule)
            rules[key] = rule
    content = json.dumps(
        {"label": label, "values": {k: r.value for k, r in sorted(rules.items())}},
        sort_keys=True,
        separators=(",", ":"),
    )
    return PolicyPack(label, rules, hashlib.sha256(content.encode()).hexdigest())


@lru_cache(maxsize=1)
def _active(override: str) -> PolicyPack:
    try:
        return load(DEFAULT_PATH, Path(override) if override else None)
    except PolicyError as exc:
        where = "VIGIL_POLICY" if override else "policy/default.toml"
        raise ImproperlyConfigured(f"{where}: {exc}") from None


def active() -> PolicyPack:
    """The pack in force (loaded once per process)."""
    return _active(getattr(settings, "VIGIL_POLICY", ""))
