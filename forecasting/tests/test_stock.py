"""The register as stock and flow, and the staff it needs."""

from __future__ import annotations

from datetime import date

import pytest

from forecasting.stock import Person, Rates, Workload, forecast_population, yearly_totals

TODAY = date(2026, 3, 31)
WORK = Workload(
    hours_by_risk={"high": 40.0, "low": 10.0}, manager_hours=1000.0, span_of_control=5.0
)


def test_yearly_totals_drop_a_part_year_at_the_start() -> None:
    assert yearly_totals([1] * 30) == [12.0, 12.0]


def test_people_leave_at_the_end_of_their_period_and_the_rest_stay() -> None:
    people = [
        Person("high", date(2026, 9, 1)),  # leaves in year 1
        Person("low", date(2028, 6, 1)),  # leaves in year 3
        Person("low", None),  # indefinite, never reviewed
    ]
    made = forecast_population(
        today=TODAY,
        people=people,
        monthly_registrations=[0.0] * 36,  # no one joins
        recent_risk_mix={"low": 1},
        rates=Rates(mortality=0.0, indefinite_review_success=0.0),
        workload=WORK,
        years=3,
    )
    assert [y.population.p50 for y in made.years] == pytest.approx([2, 2, 1])
    assert [y.leaving for y in made.years] == [1, 0, 1]
    assert made.years[0].ends_on == date(2027, 3, 31)
    # two low-risk RSOs at 10 hours each, of a manager's 1,000; a fifth of that supervising
    assert made.years[0].managers.p50 == pytest.approx(0.02)
    assert made.years[0].supervisors.p50 == pytest.approx(0.004)


def test_new_registrations_join_with_the_recent_risk_mix_and_their_bands() -> None:
    monthly = [10.0] * 12 + [11.0] * 12 + [12.0] * 12  # 120, 132, 144 a year
    made = forecast_population(
        today=TODAY,
        people=[],
        monthly_registrations=monthly,
        recent_risk_mix={"high": 1, "low": 3},
        rates=Rates(mortality=0.0, indefinite_review_success=0.0),
        workload=WORK,
        years=2,
    )
    assert made.registrations.method == "naive" or made.registrations.method == "drift"
    first = made.years[0]
    assert first.population.p50 == pytest.approx(first.joining.p50)
    assert first.by_risk["high"] == pytest.approx(first.joining.p50 / 4)
    assert made.years[1].population.p50 == pytest.approx(
        made.years[0].joining.p50 + made.years[1].joining.p50
    )


def test_deaths_and_indefinite_reviews_take_their_shares() -> None:
    people = [Person("low", None, review_from=date(2026, 1, 1)) for _ in range(100)]
    made = forecast_population(
        today=TODAY,
        people=people,
        monthly_registrations=[0.0] * 24,
        recent_risk_mix={"low": 1},
        rates=Rates(mortality=0.01, indefinite_review_success=0.1),
        workload=WORK,
        years=1,
    )
    # 1% die; of the rest, a tenth come off on review
    assert made.years[0].population.p50 == pytest.approx(100 * 0.99 * 0.9)
