"""A forecast of snapshots of a count at the next anniversaries of the last snapshot: the
yearly grid when the snapshots make at least two years of it, a straight line through them
when they do not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from forecasting.models import Band, Forecast, forecast, linear_trend
from forecasting.series import Point, anniversary, annual, observed


@dataclass(frozen=True)
class Dated:
    on: date
    band: Band


def forecast_snapshots(points: list[Point], years: int) -> tuple[Forecast, list[Dated]]:
    """The forecast at each of the next `years` anniversaries of the last snapshot."""
    if years < 1:
        raise ValueError("the horizon is at least one year")
    last = points[-1].on
    dates = [anniversary(last, k) for k in range(1, years + 1)]
    yearly = annual(points)
    if len(yearly) >= 2:  # the backtest scores only the years a snapshot observed
        made = forecast(yearly, years, scored=observed(points))
    else:
        first = points[0].on

        def in_years(on: date) -> float:
            return (on - first).days / 365.25

        made = linear_trend(
            [in_years(p.on) for p in points],
            [p.value for p in points],
            [in_years(d) for d in dates],
        )
    return made, [Dated(on, band) for on, band in zip(dates, made.steps, strict=True)]
