"""Instrument packs: the questions of an instrument (KIRAT, the prioritisation tool), their
answers and points, the bands the total falls into and the answers that force a band, as data.

A pack is a TOML file (docs/instruments.md). Vigil ships illustrative packs in `instruments/`;
a force puts its licensed packs in the directory named by VIGIL_INSTRUMENTS, where a pack with
the code of a shipped one replaces it. Every pack is checked when loaded: an unknown or
missing key, a repeated id, points that are not whole numbers, an override naming an item,
option or band the pack lacks, or bands out of order raise PackError naming the file and the
section, item, option or band at fault. At start (the app's `ready`) a bad pack stops Vigil.
"""

from __future__ import annotations

import hashlib
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from vigil.policy.pack import PolicyPack
from vigil.policy.pack import active as active_policy

logger = logging.getLogger(__name__)

SHIPPED_DIR = Path(__file__).resolve().parent.parent.parent / "instruments"

AGE_GROUPS = ("adult", "child")
OCSEA_KIND = "ocsea_prioritisation"
OCSEA_BANDS = ("low", "medium", "high", "very_high")

_ID = re.compile(r"^[a-z][a-z0-9_]*$")  # items, options, sections, bands, flags, kinds
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # a pack's code (a slug)

# What the Assessment model can store (vigil/instruments/models.py).
_MAX_CODE, _MAX_NAME, _MAX_VERSION = 60, 200, 40
_MAX_ITEM_ID, _MAX_BAND_CODE, _MAX_BAND_LABEL = 60, 20, 60
_MAX_TIMESCALE, _MAX_REASON = 120, 300

_PACK_KEYS = {
    "code": True,
    "kind": True,
    "name": True,
    "version": True,
    "licence": True,
    "illustrative": True,
    "applies_to": True,
    "sections": True,
    "bands": True,
    "description": False,
    "overrides": False,
}
_SECTION_KEYS = {"id": True, "title": True, "items": True, "description": False}
_ITEM_KEYS = {"id": True, "text": True, "options": True, "hint": False}
_OPTION_KEYS = {"id": True, "label": True, "points": True, "flags": False}
_OVERRIDE_KEYS = {"item": True, "options": True, "band": True, "reason": True}
_BAND_KEYS = {"code": True, "label": True, "min_score": True, "timescale": False}


class PackError(ValueError):
    """A pack that cannot be used, with where in which file the fault is."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where


class AnswerError(ValueError):
    """Answers a pack cannot score: `problems` maps each item id at fault to what is wrong."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{item}: {message}" for item, message in self.problems.items()))


class UnknownPackError(KeyError):
    """No loaded pack has this code (a KeyError, with a message that says so in words)."""

    def __init__(self, code: str, loaded: Iterable[str]) -> None:
        super().__init__(code)
        self.code = code
        self.message = (
            f"No instrument pack {code!r} is loaded (loaded: {', '.join(sorted(loaded)) or 'none'})"
        )

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    points: int
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    options: tuple[Option, ...]
    hint: str = ""

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    @property
    def min_points(self) -> int:
        return min(o.points for o in self.options)

    @property
    def max_points(self) -> int:
        return max(o.points for o in self.options)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    items: tuple[Item, ...]
    description: str = ""


@dataclass(frozen=True)
class Override:
    """Answering `item` with one of `options` makes the band at least `band`."""

    item: str
    options: tuple[str, ...]
    band: str
    reason: str


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min_score: int
    timescale: str = ""  # the policy key its timescale comes from


@dataclass(frozen=True)
class Result:
    """What a set of answers comes to. `band` is the final band; `scored_band` the band of the
    score alone, which an override may have raised (then `override_item` and
    `override_reason` say which answer raised it and why; otherwise both are empty)."""

    score: int
    band: str
    band_label: str
    timescale_key: str
    item_points: dict[str, int]
    flags: list[str]
    override_item: str
    override_reason: str
    scored_band: str


@dataclass(frozen=True)
class Pack:
    code: str
    kind: str
    name: str
    version: str
    licence: str
    illustrative: bool
    applies_to: tuple[str, ...]
    sections: tuple[Section, ...]
    bands: tuple[Band, ...]  # low to high
    overrides: tuple[Override, ...]
    digest: str  # SHA-256 of the file's bytes
    path: Path
    description: str = ""
    _items: dict[str, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_items", {i.id: i for s in self.sections for i in s.items})

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(self._items.values())

    def item(self, item_id: str) -> Item:
        return self._items[item_id]

    def band(self, code: str) -> Band:
        for band in self.bands:
            if band.code == code:
                return band
        raise KeyError(code)

    @property
    def min_score(self) -> int:
        return sum(i.min_points for i in self.items)

    @property
    def max_score(self) -> int:
        return sum(i.max_points for i in self.items)

    @property
    def shipped(self) -> bool:
        """Whether the pack is one Vigil ships (rather than one the force loaded)."""
        return self.path.parent.resolve() == SHIPPED_DIR.resolve()

    @property
    def short_digest(self) -> str:
        return self.digest[:12]

    def band_for(self, score: int) -> Band:
        """The highest band whose minimum the score reaches."""
        found = self.bands[0]
        for band in self.bands:
            if score >= band.min_score:
                found = band
        return found

    def score(self, answers: Mapping[str, str]) -> Result:
        """Scores one option per item. Raises AnswerError naming each item unanswered, each
        answer that is not one of its item's options, and each answer to no item."""
        problems: dict[str, str] = {}
        for item_id in answers:
            if item_id not in self._items:
                problems[item_id] = f"{item_id!r} is not a question of {self.name}"
        points: dict[str, int] = {}
        flags: list[str] = []
        for item in self.items:
            chosen = answers.get(item.id)
            if chosen is None or chosen == "":
                problems[item.id] = f"Answer '{item.text}'"
                continue
            option = item.option(str(chosen))
            if option is None:
                problems[item.id] = f"{chosen!r} is not an answer to '{item.text}'"
                continue
            points[item.id] = option.points
            flags.extend(f for f in option.flags if f not in flags)
        if problems:
            raise AnswerError(problems)
        total = sum(points.values())
        scored = self.band_for(total)
        final, raised_by = scored, None
        rank = {b.code: n for n, b in enumerate(self.bands)}
        for override in self.overrides:
            # "at least": an override counts only where it lifts the band higher than the score
            # (and any earlier override) already put it
            if (
                str(answers[override.item]) in override.options
                and rank[override.band] > rank[final.code]
            ):
                final, raised_by = self.band(override.band), override
        return Result(
            score=total,
            band=final.code,
            band_label=final.label,
            timescale_key=final.timescale,
            item_points=points,
            flags=flags,
            override_item=raised_by.item if raised_by else "",
            override_reason=raised_by.reason if raised_by else "",
            scored_band=scored.code,
        )


# --- reading and checking a file -----------------------------------------------------------


def _keys(where: str, table: Any, spec: Mapping[str, bool]) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise PackError(where, "must be a table")
    unknown = sorted(set(table) - set(spec))
    if unknown:
        raise PackError(
            where, f"has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
        )
    missing = sorted(k for k, required in spec.items() if required and k not in table)
    if missing:
        raise PackError(where, f"lacks {', '.join(missing)}")
    return table


def _text(
    where: str, table: Mapping[str, Any], key: str, max_length: int = 0, *, optional: bool = False
) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise PackError(where, f"{key} must be text in quotes, not {value!r}")
    if not optional and not value.strip():
        raise PackError(where, f"{key} must not be empty")
    if max_length and len(value) > max_length:
        raise PackError(where, f"{key} must be at most {max_length} characters")
    return value.strip()


def _ident(where: str, table: Mapping[str, Any], key: str, max_length: int = _MAX_ITEM_ID) -> str:
    value = _text(where, table, key, max_length)
    if not _ID.match(value):
        raise PackError(
            where,
            f"{key} {value!r} must be lower-case letters, digits and underscores, "
            "starting with a letter",
        )
    return value


def _whole(where: str, table: Mapping[str, Any], key: str) -> int:
    value = table[key]
    if not isinstance(value, int) or isinstance(value, bool):
        raise PackError(where, f"{key} must be a whole number, not {value!r}")
    return value


def _list(where: str, table: Mapping[str, Any], key: str, *, empty: bool = False) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise PackError(where, f"{key} must be a list, not {value!r}")
    if not value and not empty:
        raise PackError(where, f"{key} must not be empty")
    return value


def _unique(where: str, what: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for one in ids:
        if one in seen:
            raise PackError(where, f"{what} {one!r} appears more than once")
        seen.add(one)


def _label(kind: str, table: Any, n: int) -> str:
    """How an error names a section, item, option or band: by its id when it has a usable
    one, else by its place."""
    key = "code" if kind == "band" else "id"
    if isinstance(table, dict) and isinstance(table.get(key), str) and table[key]:
        return f"{kind} {table[key]!r}"
    return f"{kind} {n}"


def _option(where: str, raw: Any) -> Option:
    table = _keys(where, raw, _OPTION_KEYS)
    flags = _list(where, table, "flags", empty=True)
    for flag in flags:
        if not isinstance(flag, str) or not _ID.match(flag):
            raise PackError(where, f"flag {flag!r} must be lower-case letters, digits and _")
    return Option(
        id=_ident(where, table, "id"),
        label=_text(where, table, "label", 200),
        points=_whole(where, table, "points"),
        flags=tuple(flags),
    )


def _item(where: str, raw: Any) -> Item:
    table = _keys(where, raw, _ITEM_KEYS)
    item_id = _ident(where, table, "id")
    options = tuple(
        _option(f"{where}, {_label('option', o, n)}", o)
        for n, o in enumerate(_list(where, table, "options"), 1)
    )
    _unique(where, "option", (o.id for o in options))
    return Item(
        id=item_id,
        text=_text(where, table, "text", 500),
        options=options,
        hint=_text(where, table, "hint", 1000, optional=True),
    )


def _section(where: str, raw: Any) -> Section:
    table = _keys(where, raw, _SECTION_KEYS)
    items = tuple(
        _item(f"{where}, {_label('item', i, n)}", i)
        for n, i in enumerate(_list(where, table, "items"), 1)
    )
    return Section(
        id=_ident(where, table, "id"),
        title=_text(where, table, "title", 200),
        items=items,
        description=_text(where, table, "description", 1000, optional=True),
    )


def _band(where: str, raw: Any) -> Band:
    table = _keys(where, raw, _BAND_KEYS)
    return Band(
        code=_ident(where, table, "code", _MAX_BAND_CODE),
        label=_text(where, table, "label", _MAX_BAND_LABEL),
        min_score=_whole(where, table, "min_score"),
        timescale=_text(where, table, "timescale", _MAX_TIMESCALE, optional=True),
    )


def _override(where: str, raw: Any, items: Mapping[str, Item], bands: Iterable[str]) -> Override:
    table = _keys(where, raw, _OVERRIDE_KEYS)
    item_id = _text(where, table, "item")
    if item_id not in items:
        raise PackError(where, f"names item {item_id!r}, which the pack does not have")
    options = _list(where, table, "options")
    for option in options:
        if not isinstance(option, str) or items[item_id].option(option) is None:
            raise PackError(where, f"names option {option!r}, which item {item_id!r} does not have")
    band = _text(where, table, "band")
    if band not in bands:
        raise PackError(where, f"names band {band!r}, which the pack does not have")
    return Override(item_id, tuple(options), band, _text(where, table, "reason", _MAX_REASON))


def _check_bands(name: str, kind: str, bands: tuple[Band, ...], min_score: int) -> None:
    _unique(name, "band", (b.code for b in bands))
    for lower, higher in pairwise(bands):
        if higher.min_score <= lower.min_score:
            raise PackError(
                f"{name}: band {higher.code!r}",
                f"min_score {higher.min_score} must be above band {lower.code!r}'s "
                f"({lower.min_score}): bands run from low to high",
            )
    if bands[0].min_score > min_score:
        raise PackError(
            f"{name}: band {bands[0].code!r}",
            f"min_score {bands[0].min_score} leaves scores from {min_score} in no band: the "
            "first band must start at or below the lowest possible score",
        )
    if kind == OCSEA_KIND:
        codes = tuple(b.code for b in bands)
        if codes != OCSEA_BANDS:
            raise PackError(
                f"{name}: bands",
                f"a {OCSEA_KIND} pack's bands must be {', '.join(OCSEA_BANDS)} in that order "
                f"(got {', '.join(codes)})",
            )
        for band in bands:
            if not band.timescale:
                raise PackError(
                    f"{name}: band {band.code!r}",
                    "lacks timescale (the policy key its action timescale comes from)",
                )


def load_pack(path: Path) -> Pack:
    """Reads and checks one pack file."""
    name = path.name
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(name, f"cannot be read: {exc}") from None
    table = _keys(name, raw, _PACK_KEYS)
    code = _text(name, table, "code", _MAX_CODE)
    if not _CODE.match(code):
        raise PackError(name, f"code {code!r} must be lower-case letters, digits and hyphens")
    kind = _ident(name, table, "kind")
    version = _text(name, table, "version", _MAX_VERSION)
    if not isinstance(table["illustrative"], bool):
        raise PackError(name, f"illustrative must be true or false, not {table['illustrative']!r}")
    applies_to = _list(name, table, "applies_to")
    for group in applies_to:
        if group not in AGE_GROUPS:
            raise PackError(name, f"applies_to {group!r} is not one of {', '.join(AGE_GROUPS)}")
    _unique(name, "applies_to", applies_to)

    sections = tuple(
        _section(f"{name}: {_label('section', s, n)}", s)
        for n, s in enumerate(_list(name, table, "sections"), 1)
    )
    _unique(name, "section", (s.id for s in sections))
    _unique(name, "item", (i.id for s in sections for i in s.items))
    items = {i.id: i for s in sections for i in s.items}

    bands = tuple(
        _band(f"{name}: {_label('band', b, n)}", b)
        for n, b in enumerate(_list(name, table, "bands"), 1)
    )
    _check_bands(name, kind, bands, sum(i.min_points for i in items.values()))
    overrides = tuple(
        _override(f"{name}: override {n}", o, items, [b.code for b in bands])
        for n, o in enumerate(_list(name, table, "overrides", empty=True), 1)
    )
    return Pack(
        code=code,
        kind=kind,
        name=_text(name, table, "name", _MAX_NAME),
        version=version,
        licence=_text(name, table, "licence", 1000),
        illustrative=table["illustrative"],
        applies_to=tuple(applies_to),
        sections=sections,
        bands=bands,
        overrides=overrides,
        digest=hashlib.sha256(data).hexdigest(),
        path=path,
        description=_text(name, table, "description", 2000, optional=True),
    )


# --- the policy a band's timescale comes from ----------------------------------------------


def policy_timescale(policy: PolicyPack, key: str) -> tuple[Any, str]:
    """The value (and unit) of a band's timescale key in a policy pack: a rule's key, or a
    rule's key and a path into its table ("ocsea.action_days_by_band.very_high")."""
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        rule_key = ".".join(parts[:cut])
        if rule_key in policy.rules:
            rule = policy.rule(rule_key)
            value = rule.value
            for part in parts[cut:]:
                if not isinstance(value, dict) or part not in value:
                    raise KeyError(key)
                value = value[part]
            return value, rule.unit
    raise KeyError(key)


def check_timescales(pack: Pack, policy: PolicyPack) -> None:
    for band in pack.bands:
        if not band.timescale:
            continue
        try:
            policy_timescale(policy, band.timescale)
        except KeyError:
            raise PackError(
                f"{pack.path.name}: band {band.code!r}",
                f"timescale {band.timescale!r} is not a key of the policy pack",
            ) from None


# --- the packs in force --------------------------------------------------------------------


def load_directories(
    directories: Iterable[Path], policy: PolicyPack | None = None
) -> dict[str, Pack]:
    """Every pack in the directories, by code. A pack in a later directory replaces one of
    the same code from an earlier directory; two of one code in one directory are an error."""
    packs: dict[str, Pack] = {}
    for directory in directories:
        if not directory.is_dir():
            raise PackError(str(directory), "is not a directory of instrument packs")
        here: dict[str, Pack] = {}
        for path in sorted(directory.glob("*.toml")):
            pack = load_pack(path)
            if pack.code in here:
                raise PackError(
                    path.name, f"code {pack.code!r} is also the code of {here[pack.code].path.name}"
                )
            if policy is not None:
                check_timescales(pack, policy)
            here[pack.code] = pack
        for code, pack in here.items():
            if code in packs:
                logger.info("Instrument pack %s: %s replaces %s", code, pack.path, packs[code].path)
        packs.update(here)
    return packs


def _directories() -> tuple[str, ...]:
    return tuple(str(d) for d in getattr(settings, "VIGIL_INSTRUMENT_DIRS", [SHIPPED_DIR]))


@lru_cache(maxsize=4)
def _loaded(directories: tuple[str, ...], policy_version: str) -> dict[str, Pack]:
    try:
        return load_directories([Path(d) for d in directories], active_policy())
    except PackError as exc:
        raise ImproperlyConfigured(f"Instrument packs (VIGIL_INSTRUMENT_DIRS): {exc}") from None


def _packs() -> dict[str, Pack]:
    return _loaded(_directories(), active_policy().version)


def clear_cache() -> None:
    """Forget the loaded packs (tests; a running Vigil reads its packs once, at start)."""
    _loaded.cache_clear()


def available_packs() -> list[Pack]:
    """The packs in force, by kind and name."""
    return sorted(_packs().values(), key=lambda p: (p.kind, p.name, p.code))


def get_pack(code: str) -> Pack:
    packs = _packs()
    try:
        return packs[code]
    except KeyError:
        raise UnknownPackError(code, packs) from None


def packs_for(kind: str, age_group: str) -> list[Pack]:
    """The packs of a kind that apply to an adult or a child suspect."""
    if age_group not in AGE_GROUPS:
        raise ValueError(f"age_group must be one of {', '.join(AGE_GROUPS)}, not {age_group!r}")
    return [p for p in available_packs() if p.kind == kind and age_group in p.applies_to]
