"""The candidate methods, their choice by backtest, and the forecast with its bands.

Each method forecasts a yearly series `h` steps ahead from its history. A series' method is
the one with the smallest mean absolute error over a rolling-origin backtest on the series'
own history (each observed year t forecast from the observed years before it, for every t
the methods can all be fitted at): the simple baselines (naive: no change; drift: the
average yearly change) win unless a model beats them. The bands come from the chosen
method's own backtest errors (their root mean square, as one year ahead's), widened by the
square root of the horizon, as a random walk's: P10 and P90 are 1.2816 of those from P50
(the normal's 10% and 90% points). The forecast reports its backtest honestly: its error
beside the baselines', and how often its band, drawn each time from the errors before it,
held what happened."""

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
    backtest_mae: float | None  # mean absolute error of its forecasts of the scored years
    backtest_mape: float | None  # the same as a share of the actual values (0.05 = 5%)
    backtest_origins: int  # how many forecasts of past years it was judged on
    steps: list[Band]
    # the baselines' mean absolute percentage errors on the same years, for comparison
    naive_mape: float | None = None
    drift_mape: float | None = None
    # how often the P10 to P90 band, made each time from the errors before it, held what
    # happened (0.8 expected), over `band_judged` years
    band_coverage: float | None = None
    band_judged: int = 0


@dataclass(frozen=True)
class Backtest:
    """A method's forecasts of past years, each made from the years observed before it:
    `errors` actual minus forecast, `horizons` how many years ahead each was (one, unless
    the years just before were filled in between two snapshots)."""

    years: list[int]
    actual: np.ndarray
    errors: np.ndarray
    horizons: np.ndarray

    def normalised(self) -> np.ndarray:
        """The errors as one year ahead's (a random walk's spread grows with √h)."""
        return self.errors / np.sqrt(self.horizons)


def _judged(n: int, scored: Sequence[bool] | None, min_length: int) -> list[tuple[int, int]]:
    """Each year judged, with the last observed year before it: a year is judged if a
    snapshot observed it (a year filled in between two is not evidence) and the history up
    to the observed year before it is at least `min_length` long. Forecasting from that
    year, never from a year filled in with the judged year's own value, keeps the future out
    of the history."""
    pairs = []
    last = None
    for t in range(n):
        if scored is not None and not scored[t]:
            continue
        if last is not None and last + 1 >= min_length:
            pairs.append((t, last))
        last = t
    return pairs


def backtest(
    values: np.ndarray, method: Method, min_length: int, scored: Sequence[bool] | None = None
) -> Backtest:
    """The method's rolling-origin backtest over the years `_judged` allows."""
    pairs = _judged(len(values), scored, min_length)
    errors, horizons = [], []
    for t, last in pairs:
        ahead = t - last
        errors.append(values[t] - method.predict(values[: last + 1], ahead)[-1])
        horizons.append(ahead)
    return Backtest(
        years=[t for t, _ in pairs],
        actual=np.array([values[t] for t, _ in pairs], dtype=float),
        errors=np.array(errors, dtype=float),
        horizons=np.array(horizons, dtype=float),
    )


def choose(
    values: Sequence[float] | np.ndarray, scored: Sequence[bool] | None = None
) -> tuple[Method, Backtest]:
    """The method with the smallest mean absolute error over the years every eligible method
    can be judged on (only observed years scored; a tie goes to the simpler, so a model that
    does not beat the baselines is not chosen); with its backtest over every year it can be
    judged on. With nothing observed to judge by, drift (or naive)."""
    series = np.asarray(values, dtype=float)
    eligible = [m for m in METHODS if len(series) - m.min_history >= 1]
    shared = max(m.min_history for m in eligible)
    scores = []
    for m in eligible:
        try:
            tested = backtest(series, m, shared, scored)
        except (ValueError, np.linalg.LinAlgError):  # a model that cannot be fitted here
            continue
        if len(tested.errors):
            scores.append((float(np.mean(np.abs(tested.errors))), m))
    # min keeps the first (simplest) of a tie; nothing to judge by: drift, else naive
    best = min(scores, key=lambda s: s[0])[1] if scores else eligible[min(1, len(eligible) - 1)]
    return best, backtest(series, best, best.min_history, scored)


def forecast(
    values: Sequence[float], horizon: int, scored: Sequence[bool] | None = None
) -> Forecast:
    """The next `horizon` yearly values of a series of at least two years, by the method its
    backtest chooses (`scored`: which years were observed rather than filled in), with P10,
    P50 and P90 (never below zero: these are counts), and the backtest reported honestly:
    its error and the naive and drift baselines' on the same years, and how often its band
    held the outcome."""
    series = np.asarray(values, dtype=float)
    if len(series) < 2:
        raise ValueError("a yearly series needs at least two years")
    method, tested = choose(series, scored)
    errors = tested.normalised()
    if len(errors) >= 1:  # one error is little evidence, but a spread, not none
        sigma = float(np.sqrt(np.mean(errors**2)))
    else:  # too short to judge: the spread of its yearly changes
        sigma = float(np.std(np.diff(series), ddof=1)) if len(series) > 2 else 0.0
    held, judged = _coverage(tested)
    return Forecast(
        method=method.name,
        backtest_mae=float(np.mean(np.abs(tested.errors))) if len(tested.errors) else None,
        backtest_mape=_mape(tested.actual, tested.errors),
        backtest_origins=len(tested.errors),
        steps=_bands(method.predict(series, horizon), sigma),
        naive_mape=_baseline(series, "naive", tested.years, scored),
        drift_mape=_baseline(series, "drift", tested.years, scored),
        band_coverage=held / judged if judged else None,
        band_judged=judged,
    )


def _baseline(
    series: np.ndarray, name: str, years: list[int], scored: Sequence[bool] | None
) -> float | None:
    """A baseline's mean absolute percentage error on the years the chosen method was
    judged on, of those it can be judged on itself (drift needs two years of history, so
    when naive is chosen it misses the first)."""
    baseline = next(m for m in METHODS if m.name == name)
    if len(series) - baseline.min_history < 1:
        return None
    tested = backtest(series, baseline, baseline.min_history, scored)
    keep = np.isin(tested.years, years)
    return _mape(tested.actual[keep], tested.errors[keep])


def _coverage(tested: Backtest) -> tuple[int, int]:
    """Of the years judged after the first, how many fell within the P10 to P90 band the
    method would have drawn then (from the errors of the years before), of how many."""
    normalised = tested.normalised()
    held = judged = 0
    for i in range(1, len(normalised)):
        sigma = float(np.sqrt(np.mean(normalised[:i] ** 2)))
        forecast_then = tested.actual[i] - tested.errors[i]
        band = _band(forecast_then, sigma * math.sqrt(tested.horizons[i]))
        held += int(band.p10 <= tested.actual[i] <= band.p90)
        judged += 1
    return held, judged


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
