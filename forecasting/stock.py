"""The RSO population as stock and flow, and the staff its work needs.

Each year every RSO on the register either stays or leaves: at the end of a fixed
notification period; on review of an indefinite requirement (a yearly share of those
eligible comes off); or by death (a yearly rate). New registrations join each year as
forecast from their own history, with the risk mix of recent registrations. The workload of
each risk level (visits, ARMS, plans, reviews: hours a year) gives the offender managers
needed, and the span of control the supervisors; P10, P50 and P90 follow the new
registrations' bands. All the rates and hours are the force's policy, passed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from forecasting.models import Band, Forecast, forecast
from forecasting.series import anniversary


@dataclass(frozen=True)
class Person:
    """One RSO now on the register: their risk level, and the day their notification
    period ends (None: indefinite), and the day they are first eligible for review of an
    indefinite requirement (None: not indefinite, or not known)."""

    risk: str
    ends_on: date | None
    review_from: date | None = None


@dataclass(frozen=True)
class Workload:
    """Hours a year an RSO of each risk level needs of an offender manager (visits, ARMS,
    plans and their reviews), the hours an offender manager has for cases in a year (net of
    leave, training and abstractions), and how many offender managers one supervisor leads."""

    hours_by_risk: dict[str, float]
    manager_hours: float
    span_of_control: float


@dataclass(frozen=True)
class Rates:
    mortality: float  # share of the register who die in a year
    indefinite_review_success: float  # share of those eligible whose requirement ends a year


@dataclass(frozen=True)
class Year:
    ends_on: date
    population: Band
    by_risk: dict[str, float]  # P50 population by risk level
    leaving: float  # P50 leavers in the year (end of period, review, death)
    joining: Band
    managers: Band
    supervisors: Band


@dataclass
class StockForecast:
    registrations: Forecast  # the method, and its backtest, for new registrations
    years: list[Year] = field(default_factory=list)


def yearly_totals(monthly: Sequence[float]) -> list[float]:
    """Twelve-month totals of a monthly series, the last ending with its last month; a part
    year at the start is dropped."""
    whole = len(monthly) // 12
    start = len(monthly) - whole * 12
    return [float(sum(monthly[start + 12 * i : start + 12 * (i + 1)])) for i in range(whole)]


QUANTILES = ("p10", "p50", "p90")


def forecast_population(
    *,
    today: date,
    people: Sequence[Person],
    monthly_registrations: Sequence[float],
    recent_risk_mix: dict[str, float],
    rates: Rates,
    workload: Workload,
    years: int,
) -> StockForecast:
    """The register and the staff it needs at each of the next `years` anniversaries of
    `today`. Needs at least two years of monthly registrations."""
    joining = forecast(yearly_totals(monthly_registrations), years)
    mix = _shares(recent_risk_mix)
    result = StockForecast(registrations=joining)
    on = [1.0] * len(people)  # each person's expected share still on the register
    cohorts: list[tuple[Band, float]] = []  # each year's entrants, and the share still on
    start = today
    for k in range(1, years + 1):
        end = anniversary(today, k)
        leaving = 0.0
        for i, person in enumerate(people):
            gone = on[i] * _leaves(person, start, end, rates)
            leaving += gone
            on[i] -= gone
        aged = []
        for band, share in cohorts:  # earlier entrants: deaths only
            leaving += band.p50 * share * rates.mortality
            aged.append((band, share * (1 - rates.mortality)))
        entrants = joining.steps[k - 1]
        leaving += entrants.p50 * rates.mortality / 2  # joined through the year
        cohorts = [*aged, (entrants, 1 - rates.mortality / 2)]
        kept: dict[str, float] = {}
        for person, share in zip(people, on, strict=True):
            kept[person.risk] = kept.get(person.risk, 0.0) + share
        new = {q: sum(getattr(band, q) * share for band, share in cohorts) for q in QUANTILES}
        by_risk = {q: _plus(kept, mix, new[q]) for q in QUANTILES}
        managers = {q: _managers(by_risk[q], workload) for q in QUANTILES}
        result.years.append(
            Year(
                ends_on=end,
                population=Band(*(sum(by_risk[q].values()) for q in QUANTILES)),
                by_risk={level: round(n, 1) for level, n in sorted(by_risk["p50"].items())},
                leaving=round(leaving, 1),
                joining=entrants,
                managers=Band(*(managers[q] for q in QUANTILES)),
                supervisors=Band(*(managers[q] / workload.span_of_control for q in QUANTILES)),
            )
        )
        start = end
    return result


def _plus(kept: dict[str, float], mix: dict[str, float], new: float) -> dict[str, float]:
    """Today's register still on, by risk level, and the entrants in the recent mix."""
    out = dict(kept)
    for level, share in mix.items():
        out[level] = out.get(level, 0.0) + share * new
    return out


def _leaves(person: Person, start: date, end: date, rates: Rates) -> float:
    """The chance the person leaves the register between `start` and `end` (a year)."""
    if person.ends_on is not None and person.ends_on < end:
        return 1.0
    chance = rates.mortality
    if person.ends_on is None and person.review_from is not None and person.review_from < end:
        chance += (1 - chance) * rates.indefinite_review_success
    return chance


def _managers(by_risk: dict[str, float], workload: Workload) -> float:
    """Offender managers (full-time equivalents) the register's yearly hours need."""
    hours = sum(n * workload.hours_by_risk.get(level, 0.0) for level, n in by_risk.items())
    return hours / workload.manager_hours


def _shares(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    if total <= 0:
        raise ValueError("the risk mix of recent registrations is empty")
    return {level: n / total for level, n in mix.items()}
