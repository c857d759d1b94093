"""The candidate methods, their choice by backtest, and the forecast with its bands.

Each method forecasts a yearly series `h` steps ahead from its history. A series' method is
the one with the smallest mean absolute error over a rolling-origin backtest on the series'
own history (fit on the first t years, forecast year t+1, for every t the methods can all be
fitted at): the simple baselines (naive: no change; drift: the average yearly change) win
unless a model beats them. The bands come from the chosen method's own one-step errors
(their root mean square), widened by the square root of the horizon, as a random walk's:
P10 and P90 are 1.2816 of those from P50 (the normal's 10% and 90% points)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

Z90 = 1.2815515655446004  # the standard normal's 90th percentile


@dataclass(frozen=True)
class Method:
    name: str
    min_history: int  # the fewest years it is fitted on
    predict: Callable[[np.ndarray, int], np.ndarray]  # (history, horizon) -> the next values


def _naive(history: np.ndarray, horizon: int) -> np.ndarray:
    return np.repeat(history[-1], horizon)


def _drift(history: np.ndarray, horizon: int) -> np.ndarray:
    slope = (history[-1] - history[0]) / (len(history) - 1)
    return history[-1] + slope * np.arange(1, horizon + 1)


def _holt(history: np.ndarray, horizon: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence notes on short series
        fit = ExponentialSmoothing(history, trend="add", damped_trend=True).fit()
    return np.asarray(fit.forecast(horizon), dtype=float)


def _arima(history: np.ndarray, horizon: int) -> np.ndarray:
    from statsmodels.tsa.arima.model import ARIMA  # type: ignore[import-untyped]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ARIMA(history, order=(0, 1, 1), trend="t").fit()
    return np.asarray(fit.forecast(horizon), dtype=float)


METHODS: tuple[Method, ...] = (  # simplest first: a tie goes to the simpler
    Method("naive", 1, _naive),
    Method("drift", 2, _drift),
    Method("exponential smoothing (damped trend)", 6, _holt),
    Method("ARIMA(0,1,1) with drift", 7, _arima),
)


@dataclass(frozen=True)
class Band:
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Forecast:
    method: str
    backtest_mae: float | None  # mean absolute one-step error on the series' own history
    backtest_mape: float | None  # the same as a share of the actual values (0.05 = 5%)
    backtest_origins: int  # how many one-step forecasts it was judged on
    steps: list[Band]


def _origins(n: int, start: int, scored: Sequence[bool] | None) -> list[int]:
    """The years forecast one step ahead in a backtest: from `start`, those observed (a
    year filled in between two snapshots is not evidence, and is not scored)."""
    return [t for t in range(start, n) if scored is None or scored[t]]


def one_step_errors(
    values: np.ndarray, method: Method, start: int, scored: Sequence[bool] | None = None
) -> np.ndarray:
    """Actual minus forecast, for each scored year from `start`, forecast from the years
    before it."""
    return np.array(
        [values[t] - method.predict(values[:t], 1)[0] for t in _origins(len(values), start, scored)]
    )


def choose(
    values: Sequence[float] | np.ndarray, scored: Sequence[bool] | None = None
) -> tuple[Method, np.ndarray]:
    """The method with the smallest backtest error over the origins every eligible method
    shares (only observed years scored); with its one-step errors over every scored origin
    it can be judged on. With nothing observed to judge by, drift (or naive)."""
    series = np.asarray(values, dtype=float)
    eligible = [m for m in METHODS if len(series) - m.min_history >= 1]
    start = max(m.min_history for m in eligible)
    scores = []
    for m in eligible:
        try:
            errors = one_step_errors(series, m, start, scored)
        except (ValueError, np.linalg.LinAlgError):  # a model that cannot be fitted here
            continue
        if len(errors):
            scores.append((float(np.mean(np.abs(errors))), m))
    # min keeps the first (simplest) of a tie; nothing to judge by: drift, else naive
    best = min(scores, key=lambda s: s[0])[1] if scores else eligible[min(1, len(eligible) - 1)]
    return best, one_step_errors(series, best, best.min_history, scored)


def forecast(
    values: Sequence[float], horizon: int, scored: Sequence[bool] | None = None
) -> Forecast:
    """The next `horizon` yearly values of a series of at least two years, by the method its
    backtest chooses (`scored`: which years were observed rather than filled in), with P10,
    P50 and P90 (never below zero: these are counts)."""
    series = np.asarray(values, dtype=float)
    if len(series) < 2:
        raise ValueError("a yearly series needs at least two years")
    method, errors = choose(series, scored)
    if len(errors) >= 1:  # one error is little evidence, but a spread, not none
        sigma = float(np.sqrt(np.mean(errors**2)))
    else:  # too short to judge: the spread of its yearly changes
        sigma = float(np.std(np.diff(series), ddof=1)) if len(series) > 2 else 0.0
    points = method.predict(series, horizon)
    origins = _origins(len(series), method.min_history, scored)
    actual = series[origins] if origins else np.array([])
    return Forecast(
        method=method.name,
        backtest_mae=float(np.mean(np.abs(errors))) if len(errors) else None,
        backtest_mape=_mape(actual, errors),
        backtest_origins=len(errors),
        steps=_bands(points, sigma),
    )


def linear_trend(
    years: Sequence[float], values: Sequence[float], ahead: Sequence[float]
) -> Forecast:
    """For snapshots too close together to make two yearly values: a straight line by least
    squares through them (time in years), read at `ahead`; the bands from its residuals."""
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (slope * x + intercept)
    sigma = float(np.sqrt(np.sum(residuals**2) / max(len(x) - 2, 1)))
    points = slope * np.asarray(ahead, dtype=float) + intercept
    steps = [
        _band(p, sigma * math.sqrt(max(a - x[-1], 0.0) or 1.0))
        for p, a in zip(points, ahead, strict=True)
    ]
    return Forecast("linear trend", None, None, 0, steps)


def _bands(points: np.ndarray, sigma: float) -> list[Band]:
    return [_band(p, sigma * math.sqrt(h)) for h, p in enumerate(points, start=1)]


def _band(point: float, spread: float) -> Band:
    p50 = max(float(point), 0.0)
    return Band(max(p50 - Z90 * spread, 0.0), p50, p50 + Z90 * spread)


def _mape(actual: np.ndarray, errors: np.ndarray) -> float | None:
    mask = actual > 0
    if not len(errors) or not mask.any():
        return None
    return float(np.mean(np.abs(errors[mask]) / actual[mask]))
