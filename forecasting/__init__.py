"""Demand forecasting: pure Python (numpy, statsmodels), no Django and nothing of Vigil.

Vigil's adapter (`vigil.workforce.forecast`) reads the database into plain series and
stores what comes back; the command `vigil forecast-series` feeds a CSV. Everything here is
a function of its inputs, so a forecast can be rerun and compared (issue 13, ADR 23).

- `series`: snapshots of a count read from CSV (with errors naming the line) and put on an
  annual grid at the anniversaries of the last snapshot.
- `models`: the candidate methods (naive, drift, exponential smoothing, ARIMA), chosen for
  a series by their rolling-origin backtest on its own history, and the forecast with P10,
  P50 and P90 bands.
- `stock`: the stock-and-flow model of the RSO population and the staff its work needs.
"""
