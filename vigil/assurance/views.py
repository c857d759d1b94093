"""The scorecard of the inspectorate's recommendations: aggregates only, never a name or an
identifier; a link to the records behind a number for a viewer who may see records. Read
through each domain's models and selectors; no domain imports this app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.assurance.dashboard import band_rows_shown, dashboard
from vigil.assurance.disclosure import smallest_shown, withheld
from vigil.assurance.forms import NationalForm, UnitForm
from vigil.assurance.metrics import _metrics
from vigil.assurance.models import AssuranceReport
from vigil.assurance.national import compared, spread
from vigil.assurance.reports import FORMATS, attachment, rendered
from vigil.assurance.selectors import PERIODS, scorecard
from vigil.assurance.services import default_recipient, report_exported
from vigil.core import clock
from vigil.core.forms import DisclosureForm
from vigil.people.selectors import nominal_figures
from vigil.policy.pack import active as active_policy


def _days(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        return 90
    return days if days in PERIODS else 90


@login_required
@verb_required("view_aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    days = _days(request)
    today = clock.today()
    pack = active_policy()
    return render(
        request,
        "assurance/figures.html",
        {
            "rows": scorecard(user=request.user, today=today, days=days, pack=pack),
            "smallest": pack["workforce.smallest_count"],
            "days": days,
            "periods": PERIODS,
            "today": today,
            "drills": has_verb(request.user, "view_nominal"),
            **nominal_figures(user=request.user),
        },
    )


@login_required
@verb_required("view_aggregates")
def performance(request: HttpRequest) -> HttpResponse:
    """The force performance dashboard, for the monthly performance meeting."""
    form = UnitForm(request.GET or None, user=request.user)
    unit = form.unit()
    pack = active_policy()
    figures = dashboard(
        unit=unit,
        today=clock.today(),
        smallest=smallest_shown(request.user, pack),
        pack=pack,
        withheld=withheld(request.user),
        month=form.chosen_month(),
    )
    # the worklist behind a figure: the unit's (an area's every team, not the viewer's own)
    drill = f"team={unit.team_id}" if unit.team_id else "team=all"
    if unit.area_id and not unit.team_id:
        drill += f"&area={unit.area_id}"
    return render(
        request,
        "assurance/performance.html",
        {
            "form": form,
            "figures": figures,
            "bands_shown": band_rows_shown(figures),
            "unit_name": form.describe(),
            # a month gone is read as it closed; the worklists show the work as it is today
            "worklists": (worklists := has_verb(request.user, "view_team_work")),
            "drills": worklists and not figures.closed,
            "drill_query": drill,
            # the same unit, this month so far
            "unit_query": urlencode(
                {"team": unit.team_id}
                if unit.team_id
                else ({"area": unit.area_id} if unit.area_id else {})
            ),
        },
    )


@login_required
@verb_required("view_aggregates")
def reports(request: HttpRequest) -> HttpResponse:
    """The force's reports, newest first."""
    made = AssuranceReport.objects.visible_to(request.user).defer("figures")
    page = Paginator(made, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "assurance/reports.html",
        {"page": page, "may_make": has_verb(request.user, "make_assurance_report")},
    )


@login_required
@verb_required("view_aggregates")
def report_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    report = get_visible_or_404(AssuranceReport, request.user, pk)
    return render(
        request,
        "assurance/report_detail.html",
        {
            "report": report,
            "formats": FORMATS,
            "may_edit": has_verb(request.user, "make_assurance_report"),
        },
    )


@login_required
@verb_required("view_aggregates")
def report_download(request: HttpRequest, pk: Any, fmt: str) -> HttpResponse:
    """A copy of the report in a format: a disclosure of the force's figures to the
    recipients given, recorded in the audit (GET asks who to; POST gives the file)."""
    report = get_visible_or_404(AssuranceReport, request.user, pk)
    if fmt not in FORMATS:
        raise Http404("No such format")
    form = DisclosureForm(
        request.POST if request.method == "POST" else None,
        initial={"recipients": default_recipient(report)},
    )
    if request.method == "POST" and form.is_valid():
        content = rendered(report, fmt)
        report_exported(
            actor=request.user,
            report=report,
            fmt=fmt,
            recipients=form.recipient_list(),
            justification=form.cleaned_data["justification"],
        )
        return attachment(report, fmt, content)
    return render(
        request,
        "assurance/report_download.html",
        {"form": form, "report": report, "fmt": fmt},
    )


@login_required
@verb_required("compare_forces")
def national(request: HttpRequest) -> HttpResponse:
    """The forces of the deployment compared on the scorecard's metrics, month by month."""
    form = NationalForm(request.GET or None)
    month, metric_id = form.chosen()
    own = request.user.force_id  # type: ignore[union-attr]
    smallest = active_policy()["workforce.smallest_count"]
    return render(
        request,
        "assurance/national.html",
        {
            "form": form,
            "month": month,
            "metric": _metrics[metric_id],
            "spread": spread(month=month, own_force=own, smallest=smallest) if month else [],
            "lines": compared(month=month, metric_id=metric_id, own_force=own, smallest=smallest)
            if month
            else [],
            "smallest": smallest,
        },
    )
