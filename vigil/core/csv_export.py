"""CSV (and XLSX) exports: every cell safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return, which some spreadsheets skip
before a formula) is prefixed with an apostrophe so it is shown as text, never evaluated
(CSV injection, OWASP). So is one that starts with their full-width forms (U+FF1D and kin, which
some spreadsheets read as the ASCII ones), and one whose formula is hidden behind leading
zero-width characters or a byte order mark."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"  # BOM, zero-width space/joiners, word joiner


def neutralise(value: Any) -> str:
    text = "" if value is None else str(value)
    if text.lstrip(_INVISIBLE).startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """The same table as an Excel workbook (openpyxl): numbers stay numbers; every text cell
    is neutralised as in the CSV and stored as text, so nothing in it is ever a formula."""
    from decimal import Decimal

    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    out = book.create_sheet(title=sheet[:31])
    out.append([neutralise(h) for h in header])
    for row in rows:
        out.append(
            [
                v
                if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)
                else neutralise(v)
                for v in row
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
