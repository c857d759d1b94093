"""`make bench`, the register part: reading and validating a register extract of 100,000 RSOs
(issue 14; target: at least 5,000 rows a second validated on the 2-core machine), as CSV and
as XLSX (its text in place, as openpyxl writes it, and in a shared strings table, as Excel
saves it), each in a process of its own so that its peak memory is its own.

The extract is synthetic (the example ViSOR mapping's columns, names from the demo's lists,
postcodes in ZZ99), written to bench/scratch/ and removed after.

    .venv/bin/python bench/register.py                 # 100,000 rows
    .venv/bin/python bench/register.py --rows 20000
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "bench" / "scratch"
RESULTS = ROOT / "bench" / "results"
TARGET_ROWS_PER_SECOND = 5_000


def _extract(rows: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """A synthetic ViSOR-shaped extract: every tenth row with a fault of some kind."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from vigil.demo.names import GIVEN, SYLLABLES_A, SYLLABLES_B
    from vigil.register.mapping import example

    mapping = example("visor")
    header = list(mapping.columns.values())
    rng = random.Random(seed)
    given = sorted({n for names in GIVEN.values() for n in names})
    risks = ["LOW"] * 50 + ["MEDIUM"] * 30 + ["HIGH"] * 18 + ["VERY HIGH"] * 2
    out = []
    for i in range(rows):
        registered = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 5800))
        row = {
            "ViSOR Ref": f"SYN/{i:07d}",
            "Surname": rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B),
            "Forenames": rng.choice(given),
            "DOB": (registered - timedelta(days=rng.randrange(6600, 25000))).strftime("%d/%m/%Y"),
            "Gender": "M",
            "Address 1": f"{rng.randrange(1, 300)} Example Street",
            "Address 2": "",
            "Town": "Northmoor",
            "Postcode": f"ZZ99 {rng.randrange(1, 9)}{rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}",
            "RoSH": rng.choice(risks),
            "Management Type": "ACTIVE" if rng.random() < 0.9 else "REACTIVE",
            "Lead Officer": f"officer.{rng.randrange(1, 60)}",
            "Owning Unit": "Northmoor MOSOVO",
            "Registration Date": registered.strftime("%d/%m/%Y"),
            "Conviction Date": (registered - timedelta(days=30)).strftime("%d/%m/%Y"),
            "Notification End Date": (registered + timedelta(days=3652)).strftime("%d/%m/%Y"),
            "MAPPA Category": "1",
            "MAPPA Level": rng.choice("1112"),
        }
        if i % 10 == 9:  # a fault of some kind
            row[rng.choice(["RoSH", "Registration Date", "MAPPA Level"])] = "??"
        out.append([row[h] for h in header])
    return header, out


def write(rows: int, seed: int) -> dict[str, Path]:
    header, data = _extract(rows, seed)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    paths = {"csv": SCRATCH / "register.csv", "xlsx": SCRATCH / "register.xlsx"}
    with paths["csv"].open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(data)
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in data:
        sheet.append(row)
    written = io.BytesIO()
    book.save(written)
    paths["xlsx"].write_bytes(written.getvalue())
    # and as Excel saves it: its text in the shared strings table (openpyxl writes each
    # cell's text in place, which openpyxl reads far slower than a real extract)
    paths["xlsx-shared"] = SCRATCH / "register-shared.xlsx"
    paths["xlsx-shared"].write_bytes(_shared_strings(written.getvalue()))
    return paths


INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: [^>]*)?>([^<]*)</t></is></c>')


def _shared_strings(workbook: bytes) -> bytes:
    """The workbook with its inline strings moved to a shared strings table, as Excel
    writes it."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    table: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = table.setdefault(match.group(2), len(table))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), index)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = INLINE.sub(shared, body)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(info.filename, body)
        strings = b"".join(b"<si><t>%s</t></si>" % text for text in table)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
            % (len(table), len(table), strings),
        )
    return out.getvalue()


def _peak_mib() -> int:
    """This process's peak resident memory (VmHWM: its own, where getrusage's would carry
    the parent's peak across the exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def probe(path: Path) -> dict[str, Any]:
    """Reads and validates one extract: the figures of this process alone."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from vigil.register.extract import open_extract
    from vigil.register.mapping import example
    from vigil.register.rows import check_rows

    mapping = example("visor")
    before = _peak_mib()
    started = time.perf_counter()
    data = path.read_bytes()
    sheet = open_extract(data, path.name)
    checked = check_rows(sheet.rows, sheet.header, mapping, date.today())
    seconds = time.perf_counter() - started
    return {
        "file_mib": round(len(data) / 2**20, 1),
        "rows": checked.read,
        "good": len(checked.good),
        "faults": len(checked.faults),
        "seconds": round(seconds, 2),
        "rows_per_second": round(checked.read / seconds),
        "peak_rss_mib": _peak_mib(),
        "peak_before_reading_mib": before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    paths = write(args.rows, args.seed)
    results: dict[str, Any] = {"rows": args.rows, "target_rows_per_second": TARGET_ROWS_PER_SECOND}
    try:
        for kind, path in paths.items():
            done = subprocess.run(
                [sys.executable, __file__, "--probe", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "VIGIL_ENV": "test"},
            )
            results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        for path in paths.values():
            path.unlink(missing_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "register.json").write_text(json.dumps(results, indent=2) + "\n")
    for kind in paths:
        r = results[kind]
        mark = "ok" if r["rows_per_second"] >= TARGET_ROWS_PER_SECOND else "BELOW TARGET"
        print(
            f"register extract, {kind}: {r['rows']:,} rows ({r['file_mib']} MB) read and "
            f"validated in {r['seconds']} s: {r['rows_per_second']:,} rows/s ({mark}; target "
            f"{TARGET_ROWS_PER_SECOND:,}), peak memory {r['peak_rss_mib']} MiB"
        )


if __name__ == "__main__":
    main()
