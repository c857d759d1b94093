"""The PCC's assurance report and the monthly pack (issue 15): made and kept with their
figures, so every copy (HTML, PDF, CSV) is the same whenever it is made; the narrative the
force's to change; every copy a disclosure in the audit; no person anywhere in them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from vigil.assurance.models import AssuranceReport
from vigil.assurance.reports import rendered
from vigil.assurance.services import report_make, report_narrative
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditAction, AuditEvent
from vigil.core.exceptions import ConflictError
from vigil.obligations.models import Obligation

pytestmark = pytest.mark.django_db
SECRETS = ("QUENBY", "Quenby", "VARLOWICK", "Varlowick", "SYN-QUENBY", "90/1234567A", "ZZ99 1AA")


def _disclosures(report: AssuranceReport) -> Any:
    return AuditEvent.objects.filter(
        object_id=str(report.pk), action=AuditAction.DISCLOSURE, event="assurance.report_exported"
    )


def test_a_report_keeps_its_figures_as_made(world: Any) -> None:
    head = world.users["head_of_pp"]
    report = report_make(actor=head, kind="pcc", days=90, narrative="  Good progress.  ")
    assert [row["recommendation"] for row in report.figures["scorecard"]] == [
        f"R{n}" for n in range(1, 18)
    ]
    assert report.narrative == "Good progress."
    before = {fmt: rendered(report, fmt) for fmt in ("html", "csv")}
    # the records change after it was made: its copies do not
    Obligation.objects.filter(force_id=head.force_id).update(met_date=None)
    again = AssuranceReport.objects.get(pk=report.pk)
    assert {fmt: rendered(again, fmt) for fmt in ("html", "csv")} == before
    assert AuditEvent.objects.filter(object_id=str(report.pk), event="assurance.report_made")


def test_a_report_suppresses_small_counts_whoever_makes_it(world: Any) -> None:
    report = report_make(actor=world.users["head_of_pp"], kind="pcc", days=90)
    smallest = report.figures["smallest"]
    for row in report.figures["scorecard"]:
        for f in row["figures"]:
            for n in (f["numerator"], f["denominator"]):
                assert (
                    n is None
                    or not 0 < n < smallest
                    or f["metric"].endswith(("staff_short", "extract_age_days"))
                ), f


def test_the_monthly_pack_holds_the_force_and_each_area(world: Any) -> None:
    report = report_make(actor=world.users["performance_analyst"], kind="monthly_pack", days=30)
    units = [board["unit"] for board in report.figures["dashboards"]]
    assert units == ["The whole force", "Alpha City area"]
    pdf = rendered(report, "pdf")
    assert pdf.startswith(b"%PDF")
    csv = rendered(report, "csv").decode()
    as_of = report.figures["dashboards"][0]["as_of"]
    assert f"Performance,R13,The whole force,Supervisor reviews: Overdue on {as_of}" in csv


def test_the_monthly_pack_is_of_the_month_just_gone_unless_another_is_chosen(
    world: Any, monkeypatch: Any
) -> None:
    """Made on 4 December for the monthly meeting, the pack is November's as it closed: its
    scorecard and dashboards as of 30 November. This month so far, or one of the last 12
    months, may be chosen; another is refused, naming the field."""
    from datetime import UTC, date, datetime

    from vigil.ocsea.tests.helpers import freeze

    freeze(monkeypatch, date(2026, 12, 4), datetime(2026, 12, 4, 10, tzinfo=UTC))
    analyst = world.users["performance_analyst"]
    november = report_make(actor=analyst, kind="monthly_pack", days=30)
    assert november.title.endswith("monthly performance pack, November 2026")
    assert (november.period_start, november.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    board = november.figures["dashboards"][0]
    assert (board["month"], board["closed"], board["as_of"]) == ("2026-11-01", True, "2026-11-30")
    html = rendered(november, "html").decode()
    assert "due in November 2026, and open as it closed on 30 November" in html
    assert "as they stood on the day the report was made" in html  # the records' own figures
    so_far = report_make(actor=analyst, kind="monthly_pack", month="2026-12")
    assert so_far.title.endswith("December 2026 (so far, as of 4 December)")
    assert so_far.figures["dashboards"][0]["closed"] is False
    assert so_far.period_end == date(2026, 12, 4)
    assert "on the day the report was made" not in rendered(so_far, "html").decode()
    older = report_make(actor=analyst, kind="monthly_pack", month=date(2025, 12, 1))
    assert older.figures["dashboards"][0]["as_of"] == "2025-12-31"
    for wrong in ("2025-11", "2027-01", "November"):
        with pytest.raises(ValidationError) as refused:
            report_make(actor=analyst, kind="monthly_pack", month=wrong)
        assert set(refused.value.message_dict) == {"month"}, wrong
    assert AssuranceReport.objects.count() == 3
    made = AuditEvent.objects.filter(event="assurance.report_made", object_id=str(november.pk))
    assert made.get().detail["month"] == "2026-11"


def test_no_copy_of_a_report_names_anyone(world: Any) -> None:
    report = report_make(actor=world.users["head_of_pp"], kind="monthly_pack", days=365)
    for fmt in ("html", "csv"):
        body = rendered(report, fmt).decode()
        assert not [s for s in SECRETS if s in body], fmt


def test_refusals_name_the_field(world: Any) -> None:
    head = world.users["head_of_pp"]
    with pytest.raises(ValidationError) as refused:
        report_make(actor=head, kind="weekly", days=45)
    assert set(refused.value.message_dict) == {"kind", "days"}
    assert not AssuranceReport.objects.exists()  # nothing half-saved


def test_the_narrative_changes_and_a_stale_one_is_refused(world: Any) -> None:
    head = world.users["head_of_pp"]
    report = report_make(actor=head, kind="pcc")
    changed = report_narrative(
        actor=head, report=report, narrative="Bail checks improved.", expected_version=1
    )
    assert (changed.narrative, changed.version, changed.narrative_by) == (
        "Bail checks improved.",
        2,
        head,
    )
    with pytest.raises(ConflictError):
        report_narrative(actor=head, report=report, narrative="Lost", expected_version=1)
    assert AssuranceReport.objects.get(pk=report.pk).narrative == "Bail checks improved."
    event = AuditEvent.objects.get(object_id=str(report.pk), event="assurance.narrative_changed")
    assert event.changes["narrative"] == ["", "Bail checks improved."]
    assert verify_chain().ok


def test_each_download_is_a_disclosure_to_whom_the_user_names(world: Any, client_for: Any) -> None:
    report = report_make(actor=world.users["head_of_pp"], kind="pcc")
    pcc = client_for("pcc_assurance")
    asked = pcc.get(reverse("assurance:report-download", kwargs={"pk": report.pk, "fmt": "pdf"}))
    assert "The office of the police and crime commissioner" in asked.content.decode()
    assert not _disclosures(report).exists()  # asking is not a copy
    sent = {"recipients": "The PCC's office (synthetic)", "justification": "The quarter's report"}
    for fmt, starts in (("html", b"<!DOCTYPE html>"), ("csv", b"Section,"), ("pdf", b"%PDF")):
        url = reverse("assurance:report-download", kwargs={"pk": report.pk, "fmt": fmt})
        response = pcc.post(url, sent)
        assert response.status_code == 200, fmt
        assert response.content.startswith(starts), fmt
        assert "attachment" in response["Content-Disposition"]
    assert _disclosures(report).count() == 3
    event = _disclosures(report).first()
    assert event is not None
    assert (event.actor_id, event.recipients, event.justification) == (
        world.users["pcc_assurance"].pk,
        ["The PCC's office (synthetic)"],
        "The quarter's report",
    )
    refused = pcc.post(
        reverse("assurance:report-download", kwargs={"pk": report.pk, "fmt": "csv"}), {}
    )
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()  # the fields named, no file
    bad = reverse("assurance:report-download", kwargs={"pk": report.pk, "fmt": "docx"})
    assert pcc.get(bad).status_code == 404
    api = reverse("api:assurance-report-download", kwargs={"pk": report.pk})
    wrong = pcc.get(api, {"as": "docx"})
    assert wrong.status_code == 400
    assert "as" in wrong.json()
    assert _disclosures(report).count() == 3  # a refused copy is no disclosure
    copy = pcc.get(api, {"as": "csv", "recipients": "The PCC's office (synthetic)"})
    assert copy.status_code == 200
    assert copy.content == rendered(report, "csv")
    assert _disclosures(report).count() == 4
    by_api = pcc.get(api, {"as": "html"})
    assert by_api.status_code == 200
    event = _disclosures(report).order_by("-seq").first()
    assert event is not None
    assert event.recipients == ["API caller pcc_assurance"]


def test_pages_make_a_report_and_change_its_narrative(world: Any, client_for: Any) -> None:
    analyst = client_for("performance_analyst")
    made = analyst.post(
        reverse("assurance:report-create"),
        {"kind": "monthly_pack", "days": "30", "narrative": "First pack (synthetic)."},
    )
    report = AssuranceReport.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("assurance:report-detail", kwargs={"pk": report.pk})
    page = analyst.get(made["Location"]).content.decode()
    assert "First pack (synthetic)." in page
    assert "Performance: Alpha City area" in page
    refused = analyst.post(reverse("assurance:report-create"), {"days": "45"})
    assert "Choose the PCC report or the monthly pack" in refused.content.decode()
    form = analyst.get(reverse("assurance:report-create")).content.decode()
    assert "The pack&#x27;s month" in form
    assert "so far</option>" in form
    api = reverse("api:assurance-report-list")
    wrong = analyst.post(
        api, {"kind": "monthly_pack", "month": "2001-01"}, content_type="application/json"
    )
    assert wrong.status_code == 400
    assert "month" in wrong.json()
    assert AssuranceReport.objects.count() == 1
    edit = reverse("assurance:report-narrative", kwargs={"pk": report.pk})
    analyst.post(edit, {"version": "1", "narrative": "Changed (synthetic)."})
    assert AssuranceReport.objects.get().narrative == "Changed (synthetic)."
    # the PCC reads it, and may not change it
    pcc = client_for("pcc_assurance")
    assert pcc.get(reverse("assurance:reports")).status_code == 200
    assert pcc.get(edit).status_code == 403


def test_the_command_makes_writes_and_records_a_copy(world: Any, tmp_path: Path) -> None:
    out = tmp_path / "pcc.csv"
    with pytest.raises(CommandError, match="--force"):  # the world has two forces
        call_command("report", "pcc", "--format", "csv", "--out", str(out), stdout=io.StringIO())
    call_command(
        "report",
        "pcc",
        "--format",
        "csv",
        "--out",
        str(out),
        "--force",
        "alpha",
        stdout=io.StringIO(),
    )
    report = AssuranceReport.objects.get()
    assert report.made_by is None
    assert out.read_bytes() == rendered(report, "csv")
    assert _disclosures(report).count() == 1
    month = report.period_end.replace(day=1).isoformat()[:7]  # this month, so far
    pack = tmp_path / "pack.csv"
    call_command(
        "report",
        "monthly-pack",
        *("--format", "csv", "--out", str(pack), "--force", "alpha", "--month", month),
        stdout=io.StringIO(),
    )
    made = AssuranceReport.objects.get(kind="monthly_pack")
    assert made.figures["dashboards"][0]["month"] == f"{month}-01"
    with pytest.raises(CommandError, match="--month is the monthly pack's"):
        call_command(
            "report",
            "pcc",
            *("--out", str(pack), "--force", "alpha", "--month", month),
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="one of the last 12 months"):
        call_command(
            "report",
            "monthly-pack",
            *("--out", str(pack), "--force", "alpha", "--month", "2001-01"),
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "report",
            "monthly-pack",
            "--out",
            str(tmp_path / "missing" / "pack.pdf"),
            "--force",
            "alpha",
            stdout=io.StringIO(),
        )
