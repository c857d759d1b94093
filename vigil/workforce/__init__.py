"""Workforce: staff and their capacity, abstractions, wellbeing, and the demand forecast
(issue 13). The forecast's arithmetic is the `forecasting` package, which knows nothing of
Django; this app feeds it and keeps what it returns."""
