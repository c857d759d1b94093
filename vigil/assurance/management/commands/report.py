"""`vigil report pcc|monthly-pack --format pdf|html|csv --out FILE [--force CODE] [--days N]
[--month YYYY-MM]`: makes and keeps a report of a force (as the page's "Make a report" does,
by the scheduled run rather than a person) and writes it out: the PCC's report as of today,
the monthly pack of the month just gone as it closed (or `--month`). The copy is recorded as
a disclosure to the report's usual recipient. For cron: see docs/operations.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

KINDS = {"pcc": "pcc", "monthly-pack": "monthly_pack"}


class Command(BaseCommand):
    help = "Make the PCC's assurance report or the monthly performance pack, and write it out."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--format", choices=["pdf", "html", "csv"], default="pdf")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument(
            "--force", help="the force's code (needed when the deployment serves several)"
        )
        parser.add_argument("--days", type=int, default=90, help="the scorecard's period")
        parser.add_argument(
            "--month",
            help="the monthly pack's month, as 2026-11: this month or one of the last 12 "
            "(default: the month just gone)",
        )
        parser.add_argument(
            "--recipients",
            help="who receives the copy, comma-separated (default: the report's usual "
            "recipient, the PCC's office or the performance meeting)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from vigil.assurance.reports import rendered
        from vigil.assurance.services import default_recipient, report_exported, report_make
        from vigil.core.models import Force

        forces = Force.objects.all()
        if options["force"]:
            forces = forces.filter(code=options["force"])
            if not forces.exists():
                raise CommandError(f"No force has the code {options['force']!r}")
        elif forces.count() != 1:
            codes = ", ".join(forces.values_list("code", flat=True))
            raise CommandError(f"Name the force with --force (one of: {codes})")
        if options["month"] and options["kind"] != "monthly-pack":
            raise CommandError("--month is the monthly pack's: the PCC's report is as of today")
        force = forces.get()
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: the folder {out.parent} does not exist")
        try:
            # made, written and recorded together: a failure keeps no report behind
            with transaction.atomic():
                report = report_make(
                    actor=None,
                    kind=KINDS[options["kind"]],
                    days=options["days"],
                    force=force,
                    month=options["month"],
                )
                content = rendered(report, options["format"])
                recipients = options["recipients"] or default_recipient(report)
                report_exported(
                    actor=None,
                    report=report,
                    fmt=options["format"],
                    recipients=[r.strip() for r in recipients.split(",") if r.strip()],
                    justification="The scheduled report (vigil report)",
                )
                out.write_bytes(content)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Wrote {report.title} to {out} ({len(content):,} bytes).")
