"""The methods, their choice by backtest, and the bands."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.models import METHODS, Backtest, _coverage, backtest, choose, forecast


def test_a_straight_line_is_forecast_by_drift_exactly() -> None:
    made = forecast([10, 20, 30, 40, 50, 60, 70, 80], 3)
    assert made.method == "drift"
    assert [s.p50 for s in made.steps] == pytest.approx([90, 100, 110])
    assert made.backtest_mae == pytest.approx(0.0, abs=1e-9)
    assert all(s.p10 == s.p50 == s.p90 for s in made.steps)  # no error, no spread


def test_a_flat_series_with_noise_is_forecast_by_the_naive_method() -> None:
    values = [100, 104, 98, 101, 99, 103, 100, 97, 102, 100]
    made = forecast(values, 2)
    assert made.method in {"naive", "exponential smoothing (damped trend)"}
    assert made.steps[0].p10 < made.steps[0].p50 < made.steps[0].p90
    # the band widens with the horizon
    assert made.steps[1].p90 - made.steps[1].p10 > made.steps[0].p90 - made.steps[0].p10


def test_the_choice_is_the_smallest_backtest_error_over_shared_origins() -> None:
    rng = np.random.default_rng(7)
    values = np.cumsum(rng.normal(5, 1, 14)) + 100
    method, tested = choose(values)
    start = max(m.min_history for m in METHODS)
    maes = {m.name: float(np.mean(np.abs(backtest(values, m, start).errors))) for m in METHODS}
    assert maes[method.name] == min(maes.values())
    assert len(tested.errors) == len(values) - method.min_history
    assert set(tested.horizons) == {1.0}  # every year observed: each forecast a year ahead


def test_a_short_series_uses_only_the_methods_it_can_fit() -> None:
    made = forecast([5, 7], 2)
    assert made.method == "naive"  # drift needs a year to be judged on
    assert made.backtest_origins == 1
    # one error is little evidence, but the band is its size, not nothing
    assert made.steps[0].p10 < made.steps[0].p50 < made.steps[0].p90


def test_counts_never_fall_below_zero() -> None:
    made = forecast([50, 40, 30, 20, 10, 5], 5)
    assert all(s.p10 >= 0 and s.p50 >= 0 for s in made.steps)


def test_years_filled_in_between_snapshots_are_not_scored() -> None:
    """Three snapshots (2010, 2018, 2020, rising faster at the end) make eleven yearly
    values, nine of them filled in on straight lines: the backtest judges the methods on the
    observed years alone."""
    from datetime import date

    from forecasting.series import Point, annual, observed

    points = [
        Point(date(2010, 3, 31), 100.0),
        Point(date(2018, 3, 31), 260.0),
        Point(date(2020, 3, 31), 320.0),
    ]
    values, scored = annual(points), observed(points)
    assert len(values) == 11
    assert scored == [True] + [False] * 7 + [True, False, True]
    made = forecast(values, 2, scored=scored)
    assert made.backtest_origins <= 2  # not nine
    assert made.steps[0].p10 < made.steps[0].p90


def test_a_year_is_forecast_from_the_observed_years_before_it_not_from_its_own_line() -> None:
    """Snapshots in 2010 (100) and 2020 (300) make eleven yearly values, 2011 to 2019 read
    on the line to 2020's. Forecasting 2020 from those would know 2020 already (drift would
    hit it exactly); the backtest forecasts it from 2010, ten years ahead."""
    from datetime import date

    from forecasting.series import Point, annual, observed

    points = [Point(date(2010, 3, 31), 100.0), Point(date(2020, 3, 31), 300.0)]
    values, scored = np.array(annual(points)), observed(points)
    naive = next(m for m in METHODS if m.name == "naive")
    tested = backtest(values, naive, 1, scored)
    assert tested.years == [10]
    assert list(tested.horizons) == [10.0]
    assert list(tested.errors) == [200.0]  # not 20, as from 2019's filled-in 280
    assert list(tested.normalised()) == pytest.approx([200 / np.sqrt(10)])


def test_the_band_is_judged_by_how_often_it_held_what_happened() -> None:
    """Each year after the first, the band the method would have drawn then (from the
    errors before it) either held the actual value or not."""
    tested = Backtest(
        years=[5, 6, 7],
        actual=np.array([10.0, 10.0, 10.0]),
        errors=np.array([1.0, -1.0, 5.0]),
        horizons=np.array([1.0, 1.0, 1.0]),
    )
    # 6: forecast 11, spread 1 (from 5's error): 9.7 to 12.3 holds 10; 7: forecast 5,
    # spread 1: 3.7 to 6.3 does not
    assert _coverage(tested) == (1, 2)


def test_the_backtest_is_reported_beside_the_baselines() -> None:
    rng = np.random.default_rng(3)
    made = forecast(list(100 + 10 * np.arange(12) + rng.normal(0, 2, 12)), 3)
    assert made.naive_mape is not None
    assert made.drift_mape is not None
    assert made.naive_mape > 2 * made.drift_mape  # a rising series: no change is far off
    assert made.band_judged == made.backtest_origins - 1
    assert made.band_coverage is not None
    assert 0.5 <= made.band_coverage <= 1.0


def test_the_baselines_are_judged_on_the_chosen_methods_years() -> None:
    """A short series: naive chosen, judged on years 1 to 4; naive's own baseline on the
    same four, drift's on the three of them it can be judged on (it needs two years)."""
    values = [10.0, 12.0, 11.0, 13.0, 12.0]
    made = forecast(values, 1)
    assert made.method == "naive"
    assert made.backtest_origins == 4
    assert made.naive_mape == pytest.approx(made.backtest_mape)
    drift = next(m for m in METHODS if m.name == "drift")
    tested = backtest(np.array(values), drift, 2)
    assert tested.years == [2, 3, 4]
    expected = float(np.mean(np.abs(tested.errors) / tested.actual))
    assert made.drift_mape == pytest.approx(expected)
