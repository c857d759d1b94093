"""`vigil forecast-series --input FILE.csv --horizon-years 5 --format json`: a forecast of
an aggregate series (snapshots of a count, `date,value`) at the next anniversaries of its
last date, by the method its own backtest chooses, with P10, P50 and P90. Bad input stops
with a message naming the line, and a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from forecasting.series import SeriesError, read_csv
from forecasting.snapshots import forecast_snapshots

MAX_BYTES = 10 * 1024 * 1024  # a series of snapshots is small; anything bigger is a mistake


class Command(BaseCommand):
    help = (
        "Forecast an aggregate series (date,value) for the next N anniversaries of its last date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="a CSV file with the header date,value")
        parser.add_argument(
            "--horizon-years", type=int, default=5, help="how many years ahead (default 5)"
        )
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        years = options["horizon_years"]
        if not 1 <= years <= 50:
            raise CommandError("--horizon-years must be between 1 and 50")
        path = Path(options["input"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: larger than {MAX_BYTES // 1024 // 1024} MB")
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{path}: a directory, not a file") from None
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path}: not UTF-8 text ({exc.reason})") from None
        try:
            points = read_csv(text)
        except SeriesError as exc:
            raise CommandError(f"{path}: {exc}") from None
        made, dated = forecast_snapshots(points, years)
        out = {
            "method": made.method,
            "forecast": [
                {
                    "date": d.on.isoformat(),
                    "p10": round(d.band.p10, 2),
                    "p50": round(d.band.p50, 2),
                    "p90": round(d.band.p90, 2),
                }
                for d in dated
            ],
            # how the method did forecasting the observed past years from the years before
            # each, beside the baselines, and how often its band held (None: not judged)
            "backtest": {
                "years": made.backtest_origins,
                "mae": made.backtest_mae,
                "mape": made.backtest_mape,
                "naive_mape": made.naive_mape,
                "drift_mape": made.drift_mape,
                "band_coverage": made.band_coverage,
                "band_judged": made.band_judged,
            },
        }
        self.stdout.write(json.dumps(out, indent=2))
