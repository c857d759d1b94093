"""Reading snapshots and putting them on the yearly grid."""

from __future__ import annotations

from datetime import date

import pytest

from forecasting.series import Point, SeriesError, anniversary, annual, read_csv


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "header"),
        ("2020-03-31,5\n2021-03-31,6\n2022-03-31,7\n", 1, "header"),
        ("date,value\n2020-03-31,5\n2021-03-31,abc\n2022-03-31,7\n", 3, "not a number"),
        ("date,value\n2020-03-31,5\n31/03/2021,6\n2022-03-31,7\n", 3, "not a date"),
        ("date,value\n2020-03-31,5\n2020-03-31,6\n2022-03-31,7\n", 3, "repeats line 2"),
        ("date,value\n2021-03-31,5\n2020-03-31,6\n2022-03-31,7\n", 3, "must increase"),
        ("date,value\n2020-03-31,5\n2021-03-31,6\n", 3, "at least 3"),
        ("date,value\n2020-03-31,5\n2021-03-31,nan\n2022-03-31,7\n", 3, "finite"),
        ("date,value\n2020-03-31,5\n2021-03-31,-1\n2022-03-31,7\n", 3, "negative"),
        ("date,value\n2020-03-31,5,9\n2021-03-31,6\n2022-03-31,7\n", 2, "2 columns"),
        ("date,value\n2020-03-31," + "9" * 200_000 + "\n", 2, "not readable as CSV"),
    ],
)
def test_bad_input_names_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(SeriesError) as refused:
        read_csv(text)
    assert refused.value.line == line
    assert words in str(refused.value)
    assert str(refused.value).startswith(f"line {line}: ")


def test_a_good_file_with_missing_years_and_a_blank_line() -> None:
    points = read_csv("Date,Value\n2016-03-31,100\n2019-03-31,130\n\n2020-03-31,150\n")
    assert points == [
        Point(date(2016, 3, 31), 100.0),
        Point(date(2019, 3, 31), 130.0),
        Point(date(2020, 3, 31), 150.0),
    ]
    # the missing years lie on the line between their neighbours
    assert annual(points) == pytest.approx([100.0, 110.0, 120.0, 130.0, 150.0], abs=0.05)


def test_the_grid_is_read_at_the_last_snapshots_anniversaries_never_before_the_first() -> None:
    points = [
        Point(date(2020, 1, 1), 0.0),
        Point(date(2021, 1, 1), 366.0),
        Point(date(2021, 7, 1), 547.0),
    ]
    # 1 July 2021 and 1 July 2020 (182 days into 2020: 182), not 1 July 2019
    assert annual(points) == pytest.approx([182.0, 547.0])


def test_anniversaries_of_29_february() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert anniversary(date(2024, 2, 29), -1) == date(2023, 2, 28)
