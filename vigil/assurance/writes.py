"""The assurance reports' writes declared once (vigil/writes.py): a report made, and its
narrative changed; each serving its page (vigil/assurance/urls.py) and its API action
(vigil/assurance/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.assurance import services
from vigil.assurance.api.serializers import (
    NarrativeInputSerializer,
    ReportInputSerializer,
    ReportSerializer,
)
from vigil.assurance.forms import NarrativeForm, ReportForm
from vigil.assurance.models import AssuranceReport
from vigil.writes import Write, declare


def _report_page(report: Any) -> str:
    return reverse("assurance:report-detail", kwargs={"pk": report.pk})


REPORT = declare(
    Write(
        name="assurance.report",
        title="Make a report",
        help="Makes the PCC's assurance report (the recommendations scorecard for the period "
        "chosen, as of today) or the monthly performance pack (the scorecard and the "
        "performance dashboard of the force and each area, for the month chosen: by default "
        "the month just gone, as it closed) of the user's force, and keeps its figures: "
        "every copy of it, in any format, is the same. Counts under the policy's smallest "
        "are suppressed, whoever makes it.",
        verbs=("make_assurance_report",),
        subject=None,
        subject_arg="",
        service=services.report_make,
        form=ReportForm,
        serializer=ReportInputSerializer,
        response=ReportSerializer,
        success="The report was made.",
        button="Make the report",
        people=lambda nothing: [],
        back=lambda nothing: reverse("assurance:reports"),
        then=_report_page,
        page="assurance:report-create",
        api="api:assurance-report-list",
    )
)

NARRATIVE = declare(
    Write(
        name="assurance.narrative",
        title="Change the narrative",
        help="The force's narrative of a report; its figures stay as made.",
        verbs=("make_assurance_report",),
        subject=AssuranceReport,
        subject_arg="report",
        action="change",
        service=services.report_narrative,
        versioned=True,
        form=NarrativeForm,
        serializer=NarrativeInputSerializer,
        response=ReportSerializer,
        creates=False,
        initial=lambda report: {"version": report.version, "narrative": report.narrative},
        heading=lambda report: f"The narrative: {report.title}",
        success="The narrative was saved.",
        button="Save the narrative",
        people=lambda report: [],
        back=_report_page,
        page="assurance:report-narrative",
        api="api:assurance-report-detail",
        api_method="PATCH",
    )
)
