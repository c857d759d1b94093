"""The scorecard of the inspectorate's recommendations: aggregates only, never a name or an
identifier; a link to the records behind a number for a viewer who may see records. Read
through each domain's models and selectors; no domain imports this app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import has_verb, verb_required
from vigil.assurance.selectors import PERIODS, scorecard
from vigil.core import clock
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
