"""`vigil forecast-series`: an aggregate series forecast from a CSV, bad input named by line."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

H = "date,value\n"
GOOD = (
    "date,value\n2016-03-31,3100\n2017-03-31,3250\n2019-03-31,3400\n2020-03-31,3520\n"
    "2021-03-31,3650\n2023-03-31,3820\n2024-03-31,3900\n2025-03-31,3990\n"
)


def _run(tmp_path: Path, text: str | bytes, *args: str) -> dict:
    source = tmp_path / "series.csv"
    source.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = StringIO()
    call_command("forecast_series", "--input", str(source), *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_forecast_for_each_of_the_next_anniversaries(tmp_path: Path) -> None:
    made = _run(tmp_path, GOOD, "--horizon-years", "5", "--format", "json")
    assert set(made) == {"method", "forecast", "backtest"}
    judged = made["backtest"]
    # 2018 and 2022 are missing: filled in, not judged; the rest judged from the years before
    assert 1 <= judged["years"] <= 7
    assert judged["mape"] < judged["naive_mape"]  # a rising series: no change does worse
    assert judged["band_judged"] == judged["years"] - 1
    assert made["method"] in {
        "naive",
        "drift",
        "exponential smoothing (damped trend)",
        "ARIMA(0,1,1) with drift",
    }
    assert [f["date"] for f in made["forecast"]] == [
        "2026-03-31",
        "2027-03-31",
        "2028-03-31",
        "2029-03-31",
        "2030-03-31",
    ]
    for step in made["forecast"]:
        assert set(step) == {"date", "p10", "p50", "p90"}
        assert 0 <= step["p10"] <= step["p50"] <= step["p90"]
    assert made["forecast"][0]["p50"] > 3990  # the register has grown every year


def test_a_leap_day_series_and_three_snapshots_close_together(tmp_path: Path) -> None:
    made = _run(
        tmp_path,
        "date,value\n2024-01-31,10\n2024-02-15,11\n2024-02-29,12\n",
        "--horizon-years",
        "2",
    )
    assert [f["date"] for f in made["forecast"]] == ["2025-02-28", "2026-02-28"]
    assert made["method"] == "linear trend"  # too close together for a yearly grid


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-03-31,1\n2021-03-31,2\n2022-03-31,3\n", "line 1: the first line must be the header"),
        (
            "date,value\n2020-03-31,1\n2021-03-31,two\n2022-03-31,3\n",
            "line 3: 'two' is not a number",
        ),
        (
            "date,value\n2020-03-31,1\n2020-03-31,2\n2022-03-31,3\n",
            "line 3: the date 2020-03-31 repeats line 2",
        ),
        (
            "date,value\n2021-03-31,1\n2020-03-31,2\n2022-03-31,3\n",
            "line 3: the dates must increase",
        ),
        ("date,value\n2020-03-31,1\n2021-03-31,2\n", "at least 3 rows"),
        (b"date,value\n2020-03-31,1\n\xff\xfe,2\n", "not UTF-8"),
        ("", "line 1: the first line must be the header"),
    ],
)
def test_bad_input_stops_naming_the_line(tmp_path: Path, text: str | bytes, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        _run(tmp_path, text)


def test_a_missing_file_and_a_bad_horizon(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("forecast_series", "--input", str(tmp_path / "none.csv"))
    with pytest.raises(CommandError, match="between 1 and 50"):
        _run(tmp_path, GOOD, "--horizon-years", "0")


def test_the_command_line_exits_non_zero_on_bad_input(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("date,value\n2020-03-31,1\n2021-03-31,x\n2022-03-31,3\n")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "vigil"), "forecast-series", "--input", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "line 3" in done.stderr
