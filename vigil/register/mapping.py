"""How a force's register extract maps onto Vigil's fields (docs/register.md).

ViSOR and MAPPS name their columns differently, and forces export different reports, so a
mapping file (TOML) says which source column holds each of Vigil's fields, how the source
writes its dates, and how it spells each field's values:

    name = "ViSOR nominal extract (Northmoor)"
    date_formats = ["%d/%m/%Y"]

    [columns]
    register_reference = "ViSOR Ref"
    family_name = "Surname"
    ...

    [values.risk_level]
    "VERY HIGH" = "very_high"

A field left out is not imported (and not compared). `vigil/register/mappings/` holds
examples for a ViSOR and a MAPPS extract."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vigil.obligations.models import RiskLevel
from vigil.offenders.models import Disposal, ManagementMode
from vigil.people.models import Sex

EXAMPLES = Path(__file__).parent / "mappings"


@dataclass(frozen=True)
class Field:
    label: str
    kind: str = "text"  # text, date, choice, level (a MAPPA category or level: 1 to 3)
    required: bool = False
    max_length: int = 150
    choices: tuple[str, ...] = ()
    past: bool = False  # a date that cannot be after the day of the import


FIELDS: dict[str, Field] = {
    "register_reference": Field("Register reference", required=True, max_length=40),
    "family_name": Field("Family name", required=True, max_length=100),
    "given_names": Field("Given names", required=True, max_length=150),
    "date_of_birth": Field("Date of birth", kind="date", past=True),
    "sex": Field("Sex", kind="choice", choices=tuple(Sex.values)),
    "address_line_1": Field("Address line 1"),
    "address_line_2": Field("Address line 2"),
    "town": Field("Town", max_length=100),
    "postcode": Field("Postcode", max_length=10),
    "risk_level": Field(
        "Risk level", kind="choice", required=True, choices=tuple(RiskLevel.values)
    ),
    "management_mode": Field("Management", kind="choice", choices=tuple(ManagementMode.values)),
    "offender_manager": Field("Offender manager", max_length=150),
    "team": Field("Team", max_length=100),
    "registration_date": Field("Registration date", kind="date", required=True, past=True),
    "conviction_date": Field("Conviction date", kind="date", past=True),
    "disposal": Field("Disposal", kind="choice", choices=tuple(Disposal.values)),
    "in_community_since": Field("In the community since", kind="date", past=True),
    "notification_ends": Field("Notification period ends", kind="date"),
    "mappa_category": Field("MAPPA category", kind="level"),
    "mappa_level": Field("MAPPA level", kind="level"),
}

ISO = "%Y-%m-%d"  # a spreadsheet's own dates reach the validation as ISO 8601


class MappingError(ValueError):
    """The mapping file is wrong; the message names the key."""


@dataclass(frozen=True)
class Mapping:
    name: str
    columns: dict[str, str]  # Vigil's field: the source column
    date_formats: tuple[str, ...] = (ISO,)
    # Vigil's field: {the source's spelling, case-folded: Vigil's value}
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # Vigil's field: {Vigil's value: the source's first spelling of it, as written}
    spelled: dict[str, dict[str, str]] = field(default_factory=dict)

    def spell(self, name: str, value: str) -> str:
        """Vigil's value as the source writes it (for the export into the register)."""
        return self.spelled.get(name, {}).get(value, value)

    def missing(self, header: list[str]) -> list[str]:
        """The mapped source columns the extract's header lacks (compared without case)."""
        present = {h.casefold() for h in header}
        return [c for c in self.columns.values() if c.casefold() not in present]

    def positions(self, header: list[str]) -> dict[str, int]:
        """Vigil's field: the index of its source column in the header."""
        index = {h.casefold(): i for i, h in enumerate(header)}
        return {f: index[c.casefold()] for f, c in self.columns.items()}


def load_mapping(text: str, source: str = "the mapping") -> Mapping:
    """A mapping from its TOML; raises MappingError naming what is wrong."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{source}: not valid TOML ({exc})") from None
    unknown = set(data) - {"name", "date_formats", "columns", "values"}
    if unknown:
        raise MappingError(f"{source}: unknown key {sorted(unknown)[0]!r}")
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError(f"{source}: [columns] must map Vigil's fields to source columns")
    for name, column in columns.items():
        if name not in FIELDS:
            raise MappingError(f"{source}: columns.{name} is not one of Vigil's fields")
        if not isinstance(column, str) or not column.strip():
            raise MappingError(f"{source}: columns.{name} must name a source column")
    for name, spec in FIELDS.items():
        if spec.required and name not in columns:
            raise MappingError(f"{source}: columns.{name} is required")
    repeated = _repeated([c.casefold() for c in columns.values()])
    if repeated:
        raise MappingError(f"{source}: the column {repeated!r} is mapped to two fields")
    formats = data.get("date_formats", [ISO])
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise MappingError(f"{source}: date_formats must be a list of strptime formats")
    for f in formats:
        try:
            datetime.strptime(datetime(2001, 2, 3).strftime(f), f)
        except ValueError:
            raise MappingError(f"{source}: date_formats: {f!r} is not a date format") from None
    values: dict[str, dict[str, str]] = {}
    spelled: dict[str, dict[str, str]] = {}
    for name, spellings in (data.get("values") or {}).items():
        chosen = FIELDS.get(name)
        if chosen is None or chosen.kind != "choice":
            raise MappingError(f"{source}: values.{name} is not a field with set values")
        if not isinstance(spellings, dict):
            raise MappingError(f"{source}: values.{name} must map spellings to values")
        for spelling, value in spellings.items():
            if value not in chosen.choices:
                raise MappingError(
                    f"{source}: values.{name}.{spelling!r}: {value!r} is not one of "
                    f"{', '.join(chosen.choices)}"
                )
        values[name] = {str(k).strip().casefold(): v for k, v in spellings.items()}
        spelled[name] = {}
        for spelling, value in spellings.items():
            spelled[name].setdefault(value, str(spelling).strip())
    return Mapping(
        name=str(data.get("name") or source),
        columns={k: v.strip() for k, v in columns.items()},
        date_formats=tuple(dict.fromkeys([*formats, ISO])),
        values=values,
        spelled=spelled,
    )


def example(name: str) -> Mapping:
    """One of the example mappings kept in vigil/register/mappings/ ("visor", "mapps")."""
    path = EXAMPLES / f"{name}.toml"
    return load_mapping(path.read_text(encoding="utf-8"), path.name)


def _repeated(items: list[str]) -> str | None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None
