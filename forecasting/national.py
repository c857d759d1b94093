"""Public national series, kept beside the code in the `forecast-series` input's form
(`date,value`), on which a method is judged when a force's own history is too short to
judge it on.

`rso_england_wales.csv`: registered sex offenders in the community in England and Wales at
31 March, as the MAPPA annual reports give them, rounded (2010/11 about 37,000; 2019/20
about 62,400; 2023/24 about 70,000: ../shared/design/DOMAIN.md, section 7). Public,
aggregate figures; a force that holds the full yearly series may replace the file."""

from __future__ import annotations

from importlib import resources

from forecasting.series import Point, read_csv

RSO_ENGLAND_AND_WALES = "rso_england_wales.csv"
TITLES = {RSO_ENGLAND_AND_WALES: "RSOs in the community, England and Wales, at 31 March"}


def national_series(name: str) -> list[Point]:
    """The snapshots of a national series kept in forecasting/data/."""
    return read_csv((resources.files("forecasting") / "data" / name).read_text(encoding="utf-8"))
