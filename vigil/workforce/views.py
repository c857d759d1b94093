"""Staff and capacity, and abstractions: the pages (R4, R11)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.core import clock
from vigil.core.csv_export import csv_response, xlsx_response
from vigil.core.dates import add_years
from vigil.jobs.selectors import job_in_progress
from vigil.policy.pack import active as active_policy
from vigil.workforce import selectors, services
from vigil.workforce.forecast import actual_demand
from vigil.workforce.forms import CapacityFilterForm
from vigil.workforce.models import Abstraction, ExposureEntry, ForecastKind, ForecastRun
from vigil.workforce.services import FORECAST_JOB


@login_required
@verb_required("view_workforce")
def capacity(request: HttpRequest) -> HttpResponse:
    """Each team's staff: caseload points against capacity, abstractions in the rolling
    quarter against the threshold, and the span of control."""
    user: Any = request.user
    form = CapacityFilterForm(request.GET or None, user=user)
    team = form.cleaned_data.get("team") if form.is_valid() else None
    pack = active_policy()
    today = clock.today()
    start, _ = selectors.quarter_before(today)
    return render(
        request,
        "workforce/capacity.html",
        {
            "form": form,
            "teams": selectors.capacity(user=user, today=today, pack=pack, team=team),
            "quarter_start": start,
            "threshold": pack["workforce.abstraction_threshold_percent"],
            "per_fte": pack["workforce.points_per_fte"],
            "full_time": pack["workforce.full_time_hours"],
        },
    )


@login_required
@verb_required("view_workforce")
def abstraction_list(request: HttpRequest) -> HttpResponse:
    """Abstractions of the user's teams, newest first; those waiting for review on their
    own; hours away by month and team; and whether abstraction harms work done in time."""
    user: Any = request.user
    today = clock.today()
    waiting = request.GET.get("show") == "waiting"
    found = selectors.abstractions(user=user, waiting=waiting)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    months = selectors.hours_by_month(user=user, months=selectors.MONTHS_SHOWN, today=today)
    teams = sorted({team for _, by_team in months for team in by_team})
    effect = selectors.completion_effect(user=user, since=add_years(today, -1), today=today)
    return render(
        request,
        "workforce/abstraction_list.html",
        {
            "page": page,
            "waiting": waiting,
            "waiting_count": selectors.abstractions(user=user, waiting=True).count(),
            "months": [
                (first, [(t, by_team.get(t, 0)) for t in teams]) for first, by_team in months
            ],
            "month_teams": teams,
            "effect": effect,
            "late_away": effect.rate(effect.late_while_away, effect.while_away),
            "late_else": effect.rate(effect.late_otherwise, effect.otherwise),
            "can_record": has_verb(user, "manage_abstractions"),
        },
    )


@login_required
@verb_required("view_workforce")
def abstraction_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    abstraction = get_visible_or_404(Abstraction, request.user, pk)
    user: Any = request.user
    return render(
        request,
        "workforce/abstraction_detail.html",
        {
            "abstraction": abstraction,
            "can_review": has_verb(user, "manage_abstractions")
            and abstraction.reviewed_on is None
            and abstraction.person_id != user.pk,
        },
    )


@login_required
@verb_required("view_workforce")
def forecast(request: HttpRequest) -> HttpResponse:
    """The latest five-year forecast of each kind (or an earlier run chosen), its method and
    backtest, its years with P10, P50 and P90 against today's establishment, and for the
    years already past, what happened."""
    user: Any = request.user
    runs = ForecastRun.objects.visible_to(user)
    today = clock.today()
    shown = []
    for kind, label in ForecastKind.choices:
        of_kind = runs.filter(kind=kind)
        chosen = None
        if (asked := request.GET.get(kind)) and _is_uuid(asked):
            chosen = of_kind.filter(pk=asked).first()
        run = chosen or of_kind.first()
        if run is None:
            continue
        years = [
            {
                **y,
                "happened": actual_demand(run.force, kind, date.fromisoformat(y["ends_on"]))
                if date.fromisoformat(y["ends_on"]) <= today
                else None,
            }
            for y in run.years
        ]
        shown.append(
            {
                "kind": kind,
                "label": label,
                "run": run,
                "judged": judged_in_words(run),
                "years": years,
                "earlier": of_kind.exclude(pk=run.pk)[:10],
            }
        )
    can_run = has_verb(user, "run_forecast")
    return render(
        request,
        "workforce/forecast.html",
        {
            "shown": shown,
            "can_run": can_run,
            "making": job_in_progress(kind=FORECAST_JOB, force_id=user.force_id)
            if can_run
            else None,
        },
    )


# the series a run's method was chosen on and judged by, by kind and source
JUDGED_SERIES = {
    ("mosovo", "records"): "new registrations a year",
    ("mosovo", "aggregate"): "the number on the register",
    ("ocsea", "records"): "referrals a year",
    ("ocsea", "aggregate"): "referrals in the last twelve months",
}


def _percent(share: float | None) -> str:
    return "not known" if share is None else f"{100 * share:.1f}%"


def judged_in_words(run: ForecastRun) -> list[tuple[str, str]]:
    """The run's backtest as the forecast page states it: its error on the force's own
    history beside the naive and drift baselines' on the same years, how often its band held
    what happened, and (for a short history) how the methods did on the national series."""
    if run.backtest_mae is None:
        rows = [("Backtest on this force's history", "Too little history to judge")]
    else:
        said = run.backtest or {}
        years = run.backtest_origins
        words = (
            f"Forecasting {JUDGED_SERIES.get((run.kind, run.source), 'the series')}: mean"
            f" absolute error {run.backtest_mae:.1f} a year"
            + (f" ({_percent(run.backtest_mape)} of the actual)" if run.backtest_mape else "")
            + f" over {years} past year{'s' if years != 1 else ''},"
            " each forecast from the years before it."
        )
        if "naive_mape" in said:
            words += (
                f" On the same years no change (naive) was {_percent(said['naive_mape'])} out"
                f" and the average yearly change (drift) {_percent(said['drift_mape'])}."
            )
        if said.get("band_judged"):
            held = round(said["band_coverage"] * said["band_judged"])
            words += (
                f" The P10 to P90 band held what happened in {held} of"
                f" {said['band_judged']} (8 in 10 expected)."
            )
        rows = [("Backtest on this force's history", words)]
    national = (run.backtest or {}).get("national")
    if national:
        counts = [on[:4] for on in national.get("counts", [])]
        rows.append(
            (
                "Backtest on the national series",
                f"{national['series']}"
                + (f", published for {', '.join(counts)}" if counts else "")
                + f": {national['method']} chosen, {_percent(national['mape'])} out over"
                f" {national['origins']} past year{'s' if national['origins'] != 1 else ''}"
                f" (naive {_percent(national['naive_mape'])}, drift"
                f" {_percent(national['drift_mape'])}). The force's own history is too short"
                " to judge the method on, and so few published counts are little evidence"
                " either: read the band as a guide.",
            )
        )
    return rows


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@verb_required("manage_wellbeing", "view_workforce")
def wellbeing(request: HttpRequest) -> HttpResponse:
    """Screening and trauma-informed training (R16). The wellbeing lead sees each person;
    everyone else, each team's counts, not shown for fewer than five people."""
    user: Any = request.user
    lead = has_verb(user, "manage_wellbeing")
    today = clock.today()
    pack = active_policy()
    return render(
        request,
        "workforce/wellbeing.html",
        {
            "lead": lead,
            "rows": selectors.wellbeing_individuals(user=user) if lead else [],
            "counts": [] if lead else selectors.wellbeing_counts(user=user, today=today, pack=pack),
            "smallest": pack["workforce.smallest_count"],
            "screening_months": pack["workforce.screening_months"],
            "training_months": pack["workforce.trauma_training_months"],
            "today": today,
        },
    )


@login_required
@verb_required("record_exposure")
def exposure(request: HttpRequest) -> HttpResponse:
    """An OCSEA officer's own weeks of image review (the wellbeing lead sees everyone's on
    the wellbeing page)."""
    user: Any = request.user
    return render(
        request,
        "workforce/exposure.html",
        {"entries": ExposureEntry.objects.visible_to(user).filter(person=user)[:26]},
    )


STAFFING_HEADER = [
    "Year to",
    "Demand P10",
    "Demand P50",
    "Demand P90",
    "Staff needed P10",
    "Staff needed P50",
    "Staff needed P90",
    "Supervisors needed P10",
    "Supervisors needed P50",
    "Supervisors needed P90",
    "Establishment today",
]


@login_required
@verb_required("view_workforce")
def forecast_staffing(request: HttpRequest, pk: Any, extension: str) -> HttpResponse:
    """A forecast run's staffing table to download (CSV or XLSX): no one's personal data,
    logged as any export is."""
    if extension not in ("csv", "xlsx"):
        raise Http404
    run = get_visible_or_404(ForecastRun, request.user, pk)
    rows = [
        [
            y["ends_on"],
            *(y["demand"][q] for q in ("p10", "p50", "p90")),
            *(y["staff"][q] for q in ("p10", "p50", "p90")),
            *(y["supervisors"][q] for q in ("p10", "p50", "p90")),
            run.establishment,
        ]
        for y in run.years
    ]
    services.forecast_exported(actor=request.user, run=run, file_format=extension)  # type: ignore[arg-type]
    name = f"staffing-{run.kind}-{run.made_on:%Y-%m-%d}.{extension}"
    if extension == "xlsx":
        return xlsx_response(name, "Staffing", STAFFING_HEADER, rows)
    return csv_response(name, STAFFING_HEADER, rows)
