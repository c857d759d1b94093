"""The adapter between the database and the `forecasting` package: the force's records read
into plain series, the forecast run, and what it gives kept as a `ForecastRun` (R10, R4;
ADR 23). With two years or more of monthly registrations (referrals) the record-level
model runs; with less, the aggregate series of counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from forecasting.models import Band, Forecast, forecast
from forecasting.national import RSO_ENGLAND_AND_WALES, TITLES, national_series
from forecasting.series import Point, anniversary
from forecasting.snapshots import forecast_snapshots
from forecasting.stock import Person, Rates, Workload, forecast_population, yearly_totals
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record
from vigil.core.dates import add_months
from vigil.core.models import Force
from vigil.policy.pack import PolicyPack
from vigil.workforce.models import Abstraction, ForecastKind, ForecastRun, StaffRecord

MINIMUM_MONTHS = 24  # two years of monthly history for the record-level model
NATIONAL_WHEN_FEWER = 3  # judged on fewer of the force's own years: judged nationally too


def _months(dates: list[date], today: date) -> list[float]:
    """Counts by calendar month from the first date's month to the last complete month."""
    if not dates:
        return []
    first = min(dates).replace(day=1)
    end = today.replace(day=1)  # this month is not complete
    counts = Counter((d.year, d.month) for d in dates)
    out = []
    month = first
    while month < end:
        out.append(float(counts[(month.year, month.month)]))
        month = add_months(month, 1)
    return out


def _band(b: Band) -> dict[str, float]:
    return {k: round(v, 1) for k, v in asdict(b).items()}


def rso_hours_a_year(pack: PolicyPack) -> dict[str, float]:
    """An RSO's hours a year of an offender manager's time by risk level, from the policy's
    own frequencies (home visits by risk level, ARMS, plan and PND check cycles) and the hours
    each piece of work takes; a reactively managed RSO at its own yearly hours."""
    hours = pack["workforce.rso_work_hours"]
    cycles = (
        hours["arms"] * 12 / pack["rso.arms_review_months"]
        + hours["rmp"] * 12 / pack["rso.rmp_review_months"]
        + hours["pnd_check"] * 12 / pack["rso.pnd_check_months"]
    )
    out = {
        level: round(hours["visit"] * 12 / months + cycles, 1)
        for level, months in pack["rso.home_visit_months"].items()
    }
    out["reactive"] = float(hours["reactive_year"])
    return out


def establishment(force: Force, verb: str, today: date, pack: PolicyPack) -> float:
    """Full-time equivalents doing the casework today (holding the verb, supervisors apart:
    they are counted against the supervisors needed), net of the share of their hours
    abstracted over the last year (the hours that fell in it)."""
    from vigil.workforce.selectors import SUPERVISOR_VERBS, _overlap

    users = (
        User.objects.filter(force=force, is_active=True, memberships__role__verbs=verb)
        .exclude(memberships__role__verbs__in=SUPERVISOR_VERBS)
        .distinct()
    )
    full_time = Decimal(pack["workforce.full_time_hours"])
    year_ago = anniversary(today, -1)
    fte = Decimal(0)
    records = list(StaffRecord.objects.filter(user__in=users))
    away_by: dict[Any, Decimal] = {}
    for a in Abstraction.objects.filter(
        person_id__in=[r.user_id for r in records], ends_on__gte=year_ago, starts_on__lte=today
    ):
        away_by[a.person_id] = away_by.get(a.person_id, Decimal(0)) + _overlap(a, year_ago, today)
    for record in records:
        away = away_by.get(record.user_id, Decimal(0))
        share = min(away / (record.contracted_hours * 52), Decimal(1))
        fte += record.contracted_hours / full_time * (1 - share)
    return round(float(fte), 2)


class NoHistory(ValueError):
    """Too little history to forecast from: nothing is kept."""


@atomic
def run_forecast(
    *, force: Force, kind: str, years: int, today: date, pack: PolicyPack, actor: Any = None
) -> ForecastRun:
    """Runs one kind of the force's forecast and keeps it."""
    made = (
        _mosovo(force, years, today, pack)
        if kind == ForecastKind.MOSOVO
        else _ocsea(force, years, today, pack)
    )
    run = ForecastRun.objects.create(
        force=force,
        kind=kind,
        made_on=today,
        requested_by=actor,
        horizon_years=years,
        policy_version=pack.version,
        **made,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="workforce.forecast_made",
        obj=run,
        force_id=force.pk,
        detail={"kind": kind, "method": run.method, "source": run.source, "years": years},
    )
    return run


def run_every_forecast(
    *, years: int, actor: Any = None, force: Any = None, progress: Any = None
) -> tuple[list[ForecastRun], list[str]]:
    """Every kind of forecast for every force (or one): the runs kept, and what could not be
    made for too little history. The command and the background task both run this; the
    task is told of each force done (`progress(1)`), so a long run is not taken for a
    stalled one."""
    from vigil.core import clock
    from vigil.policy.pack import active as active_policy

    runs, skipped = [], []
    forces = Force.objects.filter(pk=force.pk) if force is not None else Force.objects.all()
    for each in forces:
        for kind in ForecastKind.values:
            try:
                runs.append(
                    run_forecast(
                        force=each,
                        kind=kind,
                        years=years,
                        today=clock.today(),
                        pack=active_policy(),
                        actor=actor,
                    )
                )
            except NoHistory as why:
                skipped.append(f"{each}, {kind}: {why}")
        if progress is not None:
            progress(1)
    return runs, skipped


def _fit(f: Forecast, national: str = "") -> dict[str, Any]:
    """The method and its backtest as a run keeps them; with `national`, when the force's
    own history judged the method on fewer than `NATIONAL_WHEN_FEWER` years, how the
    methods do on that public national series too."""
    backtest = _judged(f)
    if national and f.backtest_origins < NATIONAL_WHEN_FEWER:
        points = national_series(national)
        on_national, _ = forecast_snapshots(points, 1)
        backtest["national"] = {
            "series": TITLES[national],
            "counts": [p.on.isoformat() for p in points],
            "method": on_national.method,
            "mape": on_national.backtest_mape,
            "origins": on_national.backtest_origins,
            **_judged(on_national),
        }
    return {
        "method": f.method,
        "backtest_mae": f.backtest_mae,
        "backtest_mape": f.backtest_mape,
        "backtest_origins": f.backtest_origins,
        "backtest": backtest,
    }


def _judged(f: Forecast) -> dict[str, Any]:
    return {
        "naive_mape": f.naive_mape,
        "drift_mape": f.drift_mape,
        "band_coverage": f.band_coverage,
        "band_judged": f.band_judged,
    }


def _mosovo(force: Force, years: int, today: date, pack: PolicyPack) -> dict[str, Any]:
    from vigil.offenders.models import ManagementMode, Registration

    registrations = list(Registration.objects.filter(force=force))
    started = [r.registration_date for r in registrations]
    monthly = _months(started, today)
    staff = establishment(force, "manage_rso", today, pack)
    workload = Workload(
        hours_by_risk=rso_hours_a_year(pack),
        manager_hours=float(pack["workforce.manager_case_hours_a_year"]),
        span_of_control=float(pack["workforce.span_of_control"]),
    )
    open_now = [r for r in registrations if r.ended_on is None]
    inputs: dict[str, Any] = {"monthly_registrations": monthly, "on_register": len(open_now)}
    if len(monthly) >= MINIMUM_MONTHS:
        people = []
        for r in open_now:
            ends = r.notification_ends(pack)
            eligible = r.indefinite_review_eligibility(pack) if ends is None else None
            level = "reactive" if r.management_mode == ManagementMode.REACTIVE else r.risk_level
            people.append(Person(level, ends, eligible.on if eligible else None))
        recent = Counter(
            r.risk_level for r in registrations if r.registration_date >= anniversary(today, -2)
        ) or Counter(r.risk_level for r in open_now)
        rates = Rates(
            mortality=pack["workforce.rso_mortality_percent"] / 100,
            indefinite_review_success=pack["workforce.indefinite_review_success_percent"] / 100,
        )
        result = forecast_population(
            today=today,
            people=people,
            monthly_registrations=monthly,
            recent_risk_mix=dict(recent),
            rates=rates,
            workload=workload,
            years=years,
        )
        inputs |= {"recent_risk_mix": dict(recent), "rates": asdict(rates)}
        return {
            "source": "records",
            **_fit(result.registrations, national=RSO_ENGLAND_AND_WALES),
            "inputs": inputs,
            "establishment": staff,
            "years": [
                {
                    "ends_on": y.ends_on.isoformat(),
                    "demand": _band(y.population),
                    "by_risk": y.by_risk,
                    "leaving": y.leaving,
                    "joining": _band(y.joining),
                    "staff": _band(y.managers),
                    "supervisors": _band(y.supervisors),
                }
                for y in result.years
            ],
        }
    # Too little history for the model: the register's size at each month's end so far.
    month_ends = [_month_end(today, back) for back in range(len(monthly), 0, -1)]
    snapshots = [
        Point(
            on,
            float(
                sum(
                    1
                    for r in registrations
                    if r.registration_date <= on and (r.ended_on is None or r.ended_on > on)
                )
            ),
        )
        for on in month_ends
    ]
    snapshots = [p for p in snapshots if p.value > 0]
    if len(snapshots) < 3:
        raise NoHistory("fewer than three months with anyone on the register")
    made, dated = forecast_snapshots(snapshots, years)
    mean_hours = (
        sum(workload.hours_by_risk.get(r.risk_level, 0) for r in open_now) / len(open_now)
        if open_now
        else 0.0
    )
    inputs["register_at_month_ends"] = [[p.on.isoformat(), p.value] for p in snapshots]
    return {
        "source": "aggregate",
        **_fit(made, national=RSO_ENGLAND_AND_WALES),
        "inputs": inputs,
        "establishment": staff,
        "years": [
            {
                "ends_on": d.on.isoformat(),
                "demand": _band(d.band),
                "staff": _band(_scaled(d.band, mean_hours / workload.manager_hours)),
                "supervisors": _band(
                    _scaled(d.band, mean_hours / workload.manager_hours / workload.span_of_control)
                ),
            }
            for d in dated
        ],
    }


def _scaled(b: Band, by: float) -> Band:
    return Band(b.p10 * by, b.p50 * by, b.p90 * by)


def _ocsea(force: Force, years: int, today: date, pack: PolicyPack) -> dict[str, Any]:
    from vigil.core import clock
    from vigil.ocsea.models import Referral

    received = [
        clock.localdate(at)
        for at in Referral.objects.filter(force=force).values_list("received_at", flat=True)
    ]
    monthly = _months(received, today)
    hours = float(pack["workforce.ocsea_hours_per_referral"])
    per_investigator = float(pack["workforce.manager_case_hours_a_year"])
    span = float(pack["workforce.span_of_control"])
    inputs: dict[str, Any] = {"monthly_referrals": monthly}
    if len(monthly) >= MINIMUM_MONTHS:
        made = forecast(yearly_totals(monthly), years)
        source = "records"
        dated = [(anniversary(today, k), b) for k, b in enumerate(made.steps, start=1)]
    else:  # rolling twelve-month totals at each month end, a yearly line through them
        rolling = [
            Point(_month_end(today, len(monthly) - i), float(sum(monthly[i - 12 : i])))
            for i in range(12, len(monthly) + 1)
        ]
        if len(rolling) < 3:
            if len(monthly) < 3 or not any(monthly):
                raise NoHistory("fewer than three months of referrals")
            rolling = [  # under fourteen months: the yearly rate so far, month by month
                Point(_month_end(today, len(monthly) - i), float(sum(monthly[:i])) * 12 / i)
                for i in range(len(monthly) - 2, len(monthly) + 1)
            ]
        made, points = forecast_snapshots(rolling, years)
        source = "aggregate"
        dated = [(p.on, p.band) for p in points]
        inputs["rolling_yearly_referrals"] = [[p.on.isoformat(), p.value] for p in rolling]
    return {
        "source": source,
        **_fit(made),
        "inputs": inputs,
        "establishment": establishment(force, "investigate", today, pack),
        "years": [
            {
                "ends_on": on.isoformat(),
                "demand": _band(b),
                "staff": _band(_scaled(b, hours / per_investigator)),
                "supervisors": _band(_scaled(b, hours / per_investigator / span)),
            }
            for on, b in dated
        ],
    }


def _month_end(today: date, back: int) -> date:
    """The last day of the month `back` months before this one (1: last month)."""
    return add_months(today.replace(day=1), 1 - back) - timedelta(days=1)


def actual_demand(force: Force, kind: str, on: date) -> float:
    """What happened, to set beside an earlier forecast: the register's size on the day
    (MOSOVO), or the referrals received in the year to it (OCSEA)."""
    if kind == ForecastKind.MOSOVO:
        from vigil.offenders.models import Registration

        return float(
            Registration.objects.filter(force=force, registration_date__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
            .count()
        )
    from vigil.ocsea.models import Referral

    start = anniversary(on, -1)
    return float(
        Referral.objects.filter(
            force=force, received_at__date__gt=start, received_at__date__lte=on
        ).count()
    )
