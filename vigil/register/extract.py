"""Reading a register extract (ViSOR or MAPPS, CSV or XLSX) safely, before anything in it is
trusted (R8, R9; issue 14).

A whole-file fault stops the read with an `ExtractError` that says what is wrong in words a
person can act on: an empty file, one that is not a spreadsheet (a PDF, an old .xls, a zip
that is not a workbook), text that is not UTF-8, a workbook larger unpacked than any extract
(a zip bomb) or carrying XML entity declarations (the "billion laughs"; refused by
defusedxml, which openpyxl uses when it is installed), more rows than an extract holds, a
header with a blank or repeated column. An XLSX is checked from its zip directory before a
byte of XML is parsed, and read in openpyxl's read-only mode, row by row.

What is wrong in one cell (a formula, a huge cell, a date that is not a date) is the row
validation's business (`vigil/register/rows.py`): the reader hands every cell on as text,
a formula as its text ("=..."), a spreadsheet date as ISO 8601."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

MAX_BYTES = 100 * 1024 * 1024  # an upload: an extract of 100,000 RSOs is about 30 MB as CSV
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # an XLSX unpacked
MAX_RATIO = 100  # unpacked over packed, for a part above 1 MB (sheet XML packs about 10:1)
MAX_PARTS = 1_000  # the files inside an XLSX
MAX_ROWS = 200_000  # data rows: twice the largest force's register, with its history
MAX_COLUMNS = 500  # a register report has a few dozen
MAX_SHARED_STRINGS = 64 * 1024 * 1024  # unpacked: read whole before the first row
CSV_FIELD_LIMIT = 131_072  # Python's csv default: a longer cell stops the read at its line


class ExtractError(ValueError):
    """The file cannot be read as an extract; the message says why, for the person."""


@dataclass
class Sheet:
    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (the row's number in the file, its cells as text)
    expected: int | None = None  # about how many rows (for a progress bar), if it can be told


def open_extract(data: bytes, filename: str = "") -> Sheet:
    """The extract's header and an iterator of its rows, numbered as the person sees them
    (the header is row 1); blank rows are skipped. Raises ExtractError."""
    if not data:
        raise ExtractError("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ExtractError(
            f"The file is {len(data) / 2**20:.0f} MB: larger than any register extract "
            f"({MAX_BYTES // 2**20} MB at most)."
        )
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data)
    _not_a_spreadsheet(data, filename)
    return _csv(data)


# --- what the file is ------------------------------------------------------------------------

SIGNATURES = {
    b"%PDF": "a PDF",
    b"\xd0\xcf\x11\xe0": (
        "an old Excel (.xls) or Word file, or a workbook protected by a password: save it "
        "as .xlsx without a password, or as CSV UTF-8"
    ),
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"{\\rtf": "an RTF document",
}


def _not_a_spreadsheet(data: bytes, filename: str) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError(
            "The file is UTF-16 text (Excel's “Unicode Text”): in Excel, save it as “CSV "
            "UTF-8 (comma delimited)”, or upload the XLSX."
        )
    for signature, what in SIGNATURES.items():
        if data.startswith(signature):
            raise ExtractError(f"The file is {what}, not a CSV or XLSX register extract.")
    if b"\x00" in data[:65536]:
        raise ExtractError(
            "The file is not text (it holds NUL bytes): upload the extract as CSV UTF-8 or XLSX."
        )


# --- CSV -------------------------------------------------------------------------------------


def _csv(data: bytes) -> Sheet:
    text = _decoded(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:8192]))
    try:
        header = next(reader)
    except StopIteration:
        raise ExtractError("The file has no header row.") from None
    except csv.Error as exc:
        raise ExtractError(f"Row 1 cannot be read as CSV: {exc}.") from None
    _columns(len(header), 1)
    # at most one row a line after the header (a cell may hold a line break)
    lines = text.count("\n") + (not text.endswith("\n"))
    return Sheet("csv", _header(header), _csv_rows(reader), max(0, lines - 1))


def _dialect(sample: str) -> type[csv.Dialect]:
    """Excel's CSV with the delimiter the sample uses: only the delimiter is taken from
    csv's Sniffer, whose guesses at quoting (doubled quotes off, when the sample has none)
    would split a later cell silently."""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","

    class Excel(csv.excel):
        pass

    Excel.delimiter = delimiter
    return Excel


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractError(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): in "
            "Excel, save it as “CSV UTF-8 (comma delimited)”, or upload the XLSX."
        ) from None


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered by record, as a spreadsheet shows them (a cell with a line break in it,
    such as an address, is still one row); blank rows counted but not handed on."""
    number = 1  # the header
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExtractError(
                f"Row {number + 1} cannot be read as CSV ({exc}): a cell longer than "
                f"{CSV_FIELD_LIMIT:,} characters, or a quote left open."
            ) from None
        number += 1
        if number > MAX_ROWS + 1:
            raise ExtractError(f"The file has more than {MAX_ROWS:,} rows: not a register extract.")
        _columns(len(cells), number)
        if not any(c.strip() for c in cells):
            continue
        yield number, cells


def _columns(count: int, row: int) -> None:
    if count > MAX_COLUMNS:
        raise ExtractError(
            f"Row {row} has {count:,} columns: more than a register extract "
            f"({MAX_COLUMNS} at most)."
        )


# --- XLSX ------------------------------------------------------------------------------------

WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def _xlsx(data: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(f"The file looks like an XLSX but is damaged ({exc}).") from None
    names = {p.filename for p in parts}
    if not all(part in names for part in WORKBOOK_PARTS):
        raise ExtractError("The file is a zip archive, not an XLSX workbook.")
    _safe_size(parts)
    if any(p.flag_bits & 0x1 for p in parts):
        raise ExtractError("The workbook is password-protected: save it without a password.")
    return _workbook(data)


def _safe_size(parts: list[zipfile.ZipInfo]) -> None:
    """Refuses a workbook that would unpack to more than any extract, from its directory,
    before any of it is unpacked."""
    if len(parts) > MAX_PARTS:
        raise ExtractError(f"The workbook holds {len(parts):,} files: not a register extract.")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNCOMPRESSED:
        raise ExtractError(
            f"The workbook unpacks to {unpacked / 2**20:,.0f} MB: larger than any register "
            f"extract ({MAX_UNCOMPRESSED // 2**20} MB at most). It may be a zip bomb."
        )
    for p in parts:
        if p.filename == "xl/sharedStrings.xml" and p.file_size > MAX_SHARED_STRINGS:
            raise ExtractError(
                f"The workbook's table of text unpacks to {p.file_size / 2**20:,.0f} MB: more "
                f"than any register extract holds ({MAX_SHARED_STRINGS // 2**20} MB at most)."
            )
        if p.file_size > 2**20 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
            ratio = p.file_size // max(p.compress_size, 1)
            raise ExtractError(
                f"A part of the workbook ({p.filename}) unpacks {ratio:,} times larger than it "
                "is packed: it may be a zip bomb, and is not read."
            )


def _workbook(data: bytes) -> Sheet:
    import openpyxl  # type: ignore[import-untyped]
    from openpyxl import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl parses with the standard library's XML unless it is there
        raise ExtractError("XLSX files cannot be read safely here (defusedxml is not installed).")
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
        sheet = book.worksheets[0]
        header_row = next(sheet.iter_rows(max_row=1, values_only=True), None)
    except ExtractError:
        raise
    except Exception as exc:  # defusedxml's refusals, a damaged part, not a workbook
        raise ExtractError(_why_not_read(exc)) from None
    if header_row is None:
        raise ExtractError("The workbook's first sheet is empty.")
    declared = sheet.max_row  # from the sheet's own dimension, when it gives one
    if declared is not None and declared - 1 > MAX_ROWS:
        raise ExtractError(
            f"The sheet declares {declared - 1:,} rows: more than a register extract "
            f"({MAX_ROWS:,} at most)."
        )
    header = _header([_text(c) for c in header_row])
    _columns(len(header), 1)
    # only the header's columns are read (openpyxl pads each row out to the width the sheet
    # declares, which a formatted row makes 16,384): cells beyond them are no column's
    rows = sheet.iter_rows(min_row=2, max_col=len(header), values_only=True)
    expected = declared - 1 if declared is not None else None
    return Sheet("xlsx", header, _xlsx_rows(book, rows), expected)


def _why_not_read(exc: Exception) -> str:
    name = exc.__class__.__name__
    chain: BaseException | None = exc  # openpyxl wraps the parser's refusal in its own error
    causes: set[str] = set()
    while chain is not None and len(causes) < 10:
        causes.add(chain.__class__.__name__)
        chain = chain.__cause__ or chain.__context__
    if causes & {"EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden"}:
        return (
            "The workbook carries XML entity declarations, which no spreadsheet needs (an "
            "XML bomb, perhaps): it is not read."
        )
    return f"The XLSX cannot be read ({name}: {exc})."


def _xlsx_rows(book: Any, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, values in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:  # by number: a blank row counts (openpyxl makes them)
                raise ExtractError(
                    f"The sheet has more than {MAX_ROWS:,} rows: not a register extract."
                )
            if all(v is None for v in values):
                continue
            cells = [_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            yield number, cells
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(_why_not_read(exc)) from None
    finally:
        book.close()


def _text(value: Any) -> str:
    """A cell as text: a date as ISO 8601 (a time of midnight dropped), a whole number
    without its ".0", nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- the header ------------------------------------------------------------------------------


def _header(cells: list[str]) -> list[str]:
    names = [c.strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise ExtractError("The first row is blank: it should name the columns.")
    for i, name in enumerate(names, start=1):
        if not name:
            raise ExtractError(f"Column {i} of the header row has no name.")
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name.casefold() in seen:
            raise ExtractError(
                f"The header names “{name}” twice (columns {seen[name.casefold()]} and {i})."
            )
        seen[name.casefold()] = i
    return names
