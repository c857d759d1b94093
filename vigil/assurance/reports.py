"""A kept report in each of its formats: HTML (a document of its own, for e-mail or the
PCC's website), PDF (the same document by WeasyPrint) and CSV (its figures, one a row). Each
is made from the figures the report keeps, so a copy made today or next year is the same
(ADR 30)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from vigil.assurance.models import AssuranceReport, ReportKind
from vigil.core.csv_export import neutralise

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def filename(report: AssuranceReport, fmt: str) -> str:
    return f"{slugify(report.get_kind_display())}-{report.made_at:%Y-%m-%d}.{fmt}"


def attachment(report: AssuranceReport, fmt: str, content: bytes) -> HttpResponse:
    """A copy made (`rendered`) as the file a browser or an API client saves."""
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response


def document(report: AssuranceReport) -> str:
    """The report as a standalone HTML document (its print styles inside it)."""
    return render_to_string("assurance/report_document.html", {"report": report})


def rendered(report: AssuranceReport, fmt: str) -> bytes:
    if fmt == "html":
        return document(report).encode()
    if fmt == "pdf":
        from weasyprint import HTML  # type: ignore[import-untyped]

        return bytes(HTML(string=document(report)).write_pdf())
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in csv_rows(report):
            writer.writerow([neutralise(v) for v in row])
        return buffer.getvalue().encode()
    raise ValueError(f"No report format {fmt!r}")


def csv_rows(report: AssuranceReport) -> Iterator[list[Any]]:
    """The figures one a row: the scorecard's, then (in the monthly pack) each unit's
    dashboard themes. A suppressed figure's value is empty, and its words say why."""
    yield ["Section", "Recommendation", "Item or unit", "Evidence", "Figure", "Value", "Status"]
    for row in report.figures["scorecard"]:
        for f in row["figures"]:
            yield [
                "Scorecard",
                row["recommendation"],
                row["item"],
                f["metric_label"],
                f["shown"],
                "" if f["value"] is None else f["value"],
                f["rag"] or "not judged",
            ]
    if report.kind != ReportKind.MONTHLY_PACK:
        return
    for board in report.figures["dashboards"]:
        on = f"on {board['as_of']}"  # the day open work is read as of
        names = {
            "due": "Fell due in the month" if board.get("closed") else "Fell due this month",
            "in_time": "Done in time (per cent)",
            "overdue": f"Overdue {on}",
            "due_soon": f"Due soon {on}",
            "escalated": f"Escalated, open {on}",
        }
        for theme in board["themes"]:
            for key, label in names.items():
                shown = theme["figures"][key]
                yield [
                    "Performance",
                    theme["recommendations"],
                    board["unit"],
                    f"{theme['title']}: {label}",
                    shown["text"],
                    "" if shown["value"] is None else shown["value"],
                    "",
                ]
