"""`make bench`: Vigil's benchmark. Not part of `make test`: it builds demo databases of
thousands of RSOs, which takes minutes (national: most of an hour).

For each backend and scale asked for, on a scratch database made for the run and dropped
after it (SQLite: a file under bench/scratch/; PostgreSQL: the database `vigil_bench`, never
`test` or `test_*`, which the test suite uses):

1. `vigil migrate`, then `vigil demo --scale SCALE` (timed);
2. `vigil sync-obligations`, a full run over every subject (time, obligations per second,
   peak memory);
3. `visit_record` on N RSOs, one visit each: the incremental sync inside the service, and
   the whole service call (median and 95th percentile);
4. the MOSOVO supervisor's team worklist (count and first page) and risk x band table, as
   selectors and as pages through Django's test client.

Each step runs in a process of its own (bench/probe.py), so its peak memory is its own.
Results: bench/results/<backend>-<scale>.json, and bench/results/latest.md, a table of
every result file there.

    .venv/bin/python bench/run.py                      # force on both, national on PostgreSQL
    .venv/bin/python bench/run.py --backends sqlite --scales force
    .venv/bin/python bench/run.py --backends sqlite,postgres --scales force,national
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SCRATCH = ROOT / "bench" / "scratch"
PG_SERVER = os.environ.get("VIGIL_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "vigil_bench"

# Targets (ms unless named): what the figures are held to.
TARGETS = {
    "incremental_sync_ms": 20,
    "reads_ms": {"small": 150, "force": 150, "national": 1000},
    "national_sync_s": 60,
    "national_sync_mib": 1536,
}


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _fresh_database(backend: str, scale: str) -> str:
    if backend == "sqlite":
        SCRATCH.mkdir(parents=True, exist_ok=True)
        path = SCRATCH / f"{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if PG_DATABASE == "test" or PG_DATABASE.startswith("test_"):  # the test suite's
        raise SystemExit(f"Refusing to drop {PG_DATABASE}: the test suite uses it.")
    _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    _pg(f"CREATE DATABASE {PG_DATABASE}")
    return f"{PG_SERVER}/{PG_DATABASE}"


def _drop_database(backend: str, scale: str) -> None:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SCRATCH / scale}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        _pg(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_TEST")}
    env.update(
        DATABASE_URL=url,
        VIGIL_ENV="development",
        VIGIL_VAR_DIR=str(SCRATCH),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _run(env: dict[str, str], *args: str) -> Any:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "probe.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    print(f"    {' '.join(args)}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(backend: str, scale: str, seed: int, runs: int) -> dict[str, Any]:
    print(f"== {backend}, {scale} scale", file=sys.stderr)
    url = _fresh_database(backend, scale)
    env = _env(url)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        result = {
            "backend": backend,
            "scale": scale,
            "seed": seed,
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}",
            "demo": _run(env, "demo", scale, str(seed)),
            "sync": _run(env, "sync"),
            "incremental": _run(env, "incremental", str(runs)),
            "reads": _run(env, "reads", str(max(5, runs // 3))),
        }
    finally:
        _drop_database(backend, scale)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{backend}-{scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def _mark(value: float, target: float) -> str:
    return f"{value:,}" + ("" if value <= target else " (missed)")


def table() -> str:
    """bench/results/latest.md: every result file, with the targets."""
    rows = []
    for path in sorted(RESULTS.glob("*.json")):
        r = json.loads(path.read_text())
        scale, reads, inc = r["scale"], r["reads"], r["incremental"]
        read_target = TARGETS["reads_ms"][scale]
        sync_s = r["sync"]["seconds"]
        sync_mib = r["sync"]["peak_rss_mib"]
        if scale == "national":
            sync_s_text = _mark(sync_s, TARGETS["national_sync_s"])
            sync_mib_text = _mark(sync_mib, TARGETS["national_sync_mib"])
        else:
            sync_s_text, sync_mib_text = f"{sync_s:,}", f"{sync_mib:,}"
        rows.append(
            f"| {r['backend']} | {scale} | {r['demo']['rsos']:,} | {r['demo']['obligations']:,} "
            f"| {r['demo']['seconds']:,} | {sync_s_text} | {r['sync']['obligations_per_second']:,} "
            f"| {sync_mib_text} "
            f"| {_mark(inc['sync']['median_ms'], TARGETS['incremental_sync_ms'])} "
            f"| {inc['service']['median_ms']} | {reads['worklist_items']:,} "
            f"| {_mark(reads['worklist_selector']['median_ms'], read_target)} "
            f"| {_mark(reads['worklist_page']['median_ms'], read_target)} "
            f"| {_mark(reads['risk_bands_selector']['median_ms'], read_target)} "
            f"| {_mark(reads['risk_bands_page']['median_ms'], read_target)} "
            f"| {r['measured_at'][:10]} |"
        )
    head = (
        "| backend | scale | RSOs | obligations | demo (s) | full sync (s) | obligations/s "
        "| sync peak RSS (MiB) | incremental sync (ms) | visit_record (ms) | worklist items "
        "| worklist selector (ms) | worklist page (ms) | risk x band selector (ms) "
        "| risk x band page (ms) | measured |\n"
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n"
    )
    note = (
        "\nMedians; `(missed)` marks a figure over its target: incremental sync < "
        f"{TARGETS['incremental_sync_ms']} ms; worklist and risk x band < 150 ms (force), "
        "< 1,000 ms (national); national full sync < 60 s and < 1.5 GiB. Peak RSS is the "
        "measuring process's (getrusage ru_maxrss, Django included). Produced by "
        "`make bench` (bench/run.py); the JSON beside this file has p95s and more.\n"
    )
    return "# Benchmark results\n\n" + head + "\n".join(rows) + "\n" + note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--scales", default="force,national")
    parser.add_argument(
        "--national-backends",
        default="postgres",
        help="backends the national scale runs on (it takes most of an hour on each)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=25, help="visit_record runs")
    args = parser.parse_args()
    national_on = set(args.national_backends.split(","))
    for scale in args.scales.split(","):
        for backend in args.backends.split(","):
            if scale == "national" and backend not in national_on:
                continue
            bench(backend, scale, args.seed, args.runs)
            (RESULTS / "latest.md").write_text(table())
    print((RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    main()
