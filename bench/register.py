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
            "Sentence Type": "CUSTODY 30M+",
            "Community Date": registered.strftime("%d/%m/%Y"),
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


def probe_pipeline(path: Path, commit_rows: int) -> dict[str, Any]:
    """The import as it runs, in a scratch SQLite database of its own: a force holding nine
    in ten of the extract's people (each with a home address), the extract uploaded and
    checked as the job does (every row validated, set beside the force's registrations,
    planned and staged), then a smaller extract imported through the services (its new
    people added and its changed records updated, all in one transaction)."""
    database = SCRATCH / "register-pipeline.sqlite3"
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from vigil.accounts.models import Role
    from vigil.accounts.services import (
        area_create,
        force_create,
        membership_add,
        team_create,
        user_create,
    )
    from vigil.core.models import TeamKind
    from vigil.offenders.models import Registration
    from vigil.people.models import Address, AddressKind, Nominal
    from vigil.register import services
    from vigil.register.extract import open_extract
    from vigil.register.mapping import example
    from vigil.register.rows import check_rows

    force = force_create(actor=None, code="northmoor", name="Northmoor (bench)")
    area = area_create(actor=None, force=force, name="Northmoor")
    team = team_create(actor=None, area=area, name="Northmoor MOSOVO", kind=TeamKind.MOSOVO)
    supervisor = user_create(actor=None, username="supervisor", password="x" * 16, force=force)
    membership_add(
        actor=None, user=supervisor, team=team, role=Role.objects.get(pk="mosovo_supervisor")
    )
    mapping = example("visor")
    data = path.read_bytes()
    sheet = open_extract(data, path.name)
    good = check_rows(sheet.rows, sheet.header, mapping, date.today()).good
    held = [values for i, (_, values) in enumerate(good) if i % 10]  # nine in ten held
    today = date.today()
    people = [
        Nominal(
            force=force,
            family_name=v["family_name"],
            given_names=v["given_names"],
            date_of_birth=v.get("date_of_birth"),
            sex="male",
            review_date=today,
            created_by=supervisor,
        )
        for v in held
    ]
    Nominal.objects.bulk_create(people, batch_size=5000)
    Address.objects.bulk_create(
        [
            Address(
                nominal=p,
                force=force,
                kind=AddressKind.HOME,
                line_1=v["address_line_1"],
                town=v["town"],
                postcode=v["postcode"],
                valid_from=date(2000, 1, 1),
            )
            for p, v in zip(people, held, strict=True)
        ],
        batch_size=5000,
    )
    Registration.objects.bulk_create(
        [
            Registration(
                force=force,
                nominal=p,
                team=team,
                register_reference=v["register_reference"],
                registration_date=v["registration_date"],
                conviction_date=v["conviction_date"],
                disposal="custody_30_months_or_more",
                in_community_since=v["registration_date"],
                risk_level=v["risk_level"],
                mappa_level=v.get("mappa_level") or 1,
            )
            for p, v in zip(people, held, strict=True)
        ],
        batch_size=5000,
    )
    before = _peak_mib()
    started = time.perf_counter()
    found = services.import_upload(
        actor=supervisor,
        file=SimpleUploadedFile(path.name, data),
        mapping="visor",
        extract_date=today,
        default_team=team,
    )
    services.import_check(found, lambda n: None)
    checked_seconds = time.perf_counter() - started
    found.refresh_from_db()
    checked_peak = _peak_mib()

    # the import itself: a smaller extract's new people and changed records, in one go
    small = path.read_text(encoding="utf-8").splitlines()[: commit_rows + 1]
    part = services.import_upload(
        actor=supervisor,
        file=SimpleUploadedFile("part.csv", ("\n".join(small) + "\n").encode()),
        mapping="visor",
        extract_date=today,
        default_team=team,
    )
    services.import_check(part, lambda n: None)
    part.refresh_from_db()
    started = time.perf_counter()
    # queued, and run at once by the test settings' task backend, as a worker would
    services.import_commit(actor=supervisor, register_import=part)
    applied_seconds = time.perf_counter() - started
    part.refresh_from_db()
    for leftover in SCRATCH.glob("register-pipeline.sqlite3*"):
        leftover.unlink()
    report = part.report
    changed = report.get("created", 0) + report.get("updated", 0)
    return {
        "held": len(held),
        "rows": found.rows_read,
        "counts": found.counts,
        "check_seconds": round(checked_seconds, 2),
        "check_rows_per_second": round(found.rows_read / checked_seconds),
        "check_peak_rss_mib": checked_peak,
        "peak_before_check_mib": before,
        "import_rows": part.rows_read,
        "import_report": report,
        "import_problem": part.problem,
        "import_seconds": round(applied_seconds, 2),
        "import_changed_per_second": round(changed / applied_seconds, 1) if changed else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--commit-rows", type=int, default=2_000)
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pipeline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.probe)))
        return
    if args.pipeline:
        print(json.dumps(probe_pipeline(args.pipeline, args.commit_rows)))
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
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--pipeline",
                str(paths["csv"]),
                "--commit-rows",
                str(args.commit_rows),
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "VIGIL_ENV": "test", "VIGIL_VAR_DIR": str(SCRATCH / "var")},
        )
        results["pipeline"] = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        for path in paths.values():
            path.unlink(missing_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "register.json").write_text(json.dumps(results, indent=2) + "\n")
    p = results["pipeline"]
    print(
        f"register import, CSV: {p['rows']:,} rows checked against {p['held']:,} held "
        f"(validated, compared, planned, staged) in {p['check_seconds']} s: "
        f"{p['check_rows_per_second']:,} rows/s, peak memory {p['check_peak_rss_mib']} MiB; "
        f"then {p['import_rows']:,} rows imported ({p['import_report']}) in "
        f"{p['import_seconds']} s: {p['import_changed_per_second']} records changed a second"
    )
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
