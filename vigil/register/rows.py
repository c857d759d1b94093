"""Every row of a register extract validated against the mapping, before anything is
staged: each fault named by its row, Vigil's field and the source column, so the person can
find it in the file, and the rows that failed downloadable (issue 14).

A row is good or it is not: a row with any fault is reported whole and staged not at all.
Cells are text (`vigil/register/extract.py`); a formula, a cell longer than its field takes,
a date in none of the mapping's formats, a date after the import's day where only the past
is possible, a value the mapping does not spell, a register reference given twice: each is
a fault of its cell."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from vigil.register.mapping import FIELDS, Mapping

MAX_CELL = 1_000  # characters: more than any field takes, less than a pasted document
PROGRESS_EVERY = 5_000  # rows between reports of progress


@dataclass(frozen=True)
class Fault:
    row: int  # as the person numbers it in the file (the header is row 1)
    field: str  # Vigil's field ("" for the row as a whole)
    column: str  # the source column
    message: str


@dataclass
class Checked:
    good: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row, values)
    faults: list[Fault] = field(default_factory=list)
    bad_rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row, its cells)
    read: int = 0


def check_rows(
    rows: Iterable[tuple[int, list[str]]],
    header: list[str],
    mapping: Mapping,
    today: date,
    progress: Callable[[int], None] | None = None,
) -> Checked:
    """Validates every row; `progress(n)` is told of each `PROGRESS_EVERY` rows read."""
    checked = Checked()
    positions = mapping.positions(header)
    plan = [(name, FIELDS[name], positions[name], mapping.columns[name]) for name in positions]
    parsers = {name: _parser(FIELDS[name], name, mapping, today) for name in positions}
    first_seen: dict[str, int] = {}
    for number, cells in rows:
        checked.read += 1
        values: dict[str, Any] = {}
        faults: list[Fault] = []
        for name, spec, at, column in plan:
            raw = cells[at].strip() if at < len(cells) else ""
            problem = None
            if len(raw) > MAX_CELL:
                problem = f"{len(raw):,} characters: longer than any field takes"
            elif raw.startswith("="):
                problem = "a formula, not a value: the extract must hold the values themselves"
            elif not raw:
                if spec.required:
                    problem = f"{spec.label} is missing"
                else:
                    values[name] = None
                    continue
            else:
                try:
                    values[name] = parsers[name](raw)
                except ValueError as exc:
                    problem = str(exc)
            if problem:
                faults.append(Fault(number, name, column, problem))
        reference = values.get("register_reference")
        if reference:
            key = reference.casefold()
            if key in first_seen:
                faults.append(
                    Fault(
                        number,
                        "register_reference",
                        mapping.columns["register_reference"],
                        f"the register reference {reference} is given again (first in row "
                        f"{first_seen[key]})",
                    )
                )
            else:
                first_seen[key] = number
        if values.get("address_line_1") or values.get("town") or values.get("postcode"):
            for part in ("address_line_1", "town"):
                if part in positions and not values.get(part):
                    faults.append(
                        Fault(
                            number,
                            part,
                            mapping.columns[part],
                            f"{FIELDS[part].label} is missing from an address",
                        )
                    )
        if faults:
            checked.faults.extend(faults)
            checked.bad_rows.append((number, cells))
        else:
            checked.good.append((number, values))
        if progress and checked.read % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
    if progress and checked.read % PROGRESS_EVERY:
        progress(checked.read % PROGRESS_EVERY)
    return checked


def _parser(spec: Any, name: str, mapping: Mapping, today: date) -> Callable[[str], Any]:
    if spec.kind == "date":
        formats = mapping.date_formats

        def as_date(raw: str) -> date:
            for f in formats:
                try:
                    value = datetime.strptime(raw, f).date()
                except ValueError:
                    continue
                if spec.past and value > today and "%y" in f:
                    value = _century_back(value)  # "01/02/55" born in 1955, not 2055
                if spec.past and value > today:
                    raise ValueError(f"{raw} is after today: a {spec.label.lower()} is past")
                if value.year < 1900:
                    raise ValueError(f"{raw} is before 1900")
                return value
            shown = " or ".join(_example(f) for f in formats)
            raise ValueError(f"“{_clip(raw)}” is not a date (written as {shown})")

        return as_date
    if spec.kind == "choice":
        spellings = {**{c.casefold(): c for c in spec.choices}, **mapping.values.get(name, {})}

        def as_choice(raw: str) -> str:
            try:
                return spellings[raw.casefold()]
            except KeyError:
                raise ValueError(
                    f"“{_clip(raw)}” is not a {spec.label.lower()} the mapping knows "
                    f"(add it under [values.{name}])"
                ) from None

        return as_choice
    if spec.kind == "level":

        def as_level(raw: str) -> int:
            if raw not in ("1", "2", "3"):
                raise ValueError(f"“{_clip(raw)}” is not 1, 2 or 3")
            return int(raw)

        return as_level

    def as_text(raw: str) -> str:
        if len(raw) > spec.max_length:
            raise ValueError(f"{len(raw)} characters: {spec.label} takes {spec.max_length}")
        return raw

    return as_text


def _century_back(value: date) -> date:
    """A two-digit year read into this century that lands in the future, for a date that
    can only be past: the last century's (29 February 2000 has no 1900)."""
    try:
        return value.replace(year=value.year - 100)
    except ValueError:
        return value.replace(year=value.year - 100, day=28)


def _example(fmt: str) -> str:
    return date(2026, 3, 31).strftime(fmt)


def _clip(raw: str) -> str:
    return raw if len(raw) <= 40 else raw[:37] + "..."


def failed_rows_csv(header: list[str], checked: Checked) -> Iterator[list[str]]:
    """The rows that failed, as the file had them, each with its faults in a last column,
    for the person to correct and upload again."""
    by_row: dict[int, list[str]] = {}
    for fault in checked.faults:
        by_row.setdefault(fault.row, []).append(
            f"{fault.column}: {fault.message}" if fault.column else fault.message
        )
    yield ["Row", *header, "What is wrong"]
    for number, cells in checked.bad_rows:
        yield [str(number), *cells, "; ".join(by_row.get(number, []))]
