"""The methods, their choice by backtest, and the bands."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.models import METHODS, choose, forecast, one_step_errors


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
    method, errors = choose(values)
    start = max(m.min_history for m in METHODS)
    maes = {m.name: float(np.mean(np.abs(one_step_errors(values, m, start)))) for m in METHODS}
    assert maes[method.name] == min(maes.values())
    assert len(errors) == len(values) - method.min_history


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
    """Three snapshots (2010, 2018, 2020) make eleven yearly values, nine of them filled in
    on straight lines: the backtest judges the methods on the observed years alone."""
    from datetime import date

    from forecasting.series import Point, annual, observed

    points = [
        Point(date(2010, 3, 31), 100.0),
        Point(date(2018, 3, 31), 260.0),
        Point(date(2020, 3, 31), 300.0),
    ]
    values, scored = annual(points), observed(points)
    assert len(values) == 11
    assert scored == [True] + [False] * 7 + [True, False, True]
    made = forecast(values, 2, scored=scored)
    assert made.backtest_origins <= 2  # not nine
    assert made.steps[0].p10 < made.steps[0].p90
