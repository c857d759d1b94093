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
   selectors and as pages through Django's test client;
5. the OCSEA triage officer's triage queue (count and first page) and the OCSEA
   supervisor's bail dashboard (every open bail in the force), likewise;
5a. assurance: the monthly snapshot of every force, area and team (time, figures kept, peak
   memory), and the head of public protection's scorecard, performance dashboard (this month,
   and last month as it closed) and the forces compared, as selectors and pages (targets:
   300 ms at force scale, 2 s national);
6. PostgreSQL at force scale only: the load step (bench/load.py), the app served by gunicorn
   with 4 workers to signed-in users and API writers over loopback;
7. `vigil audit-verify`: the audit chain the bulk paths and the writers appended to is whole.

Each step runs in a process of its own (bench/probe.py), so its peak memory is its own.
Results: bench/results/<backend>-<scale>.json, and bench/results/latest.md, a table of
every result file there (`--results DIR` writes them elsewhere, for a run of part of the
bench that should not sit beside results measured on other code).

    .venv/bin/python bench/run.py                      # force on both, national on PostgreSQL
    .venv/bin/python bench/run.py --backends sqlite --scales force
    .venv/bin/python bench/run.py --backends sqlite,postgres --scales force,national
    .venv/bin/python bench/run.py --backends sqlite --scales force --results /tmp/bench
    .venv/bin/python bench/run.py --backends postgres --scales force --only assurance
    .venv/bin/python bench/run.py --backends postgres --scales national --only assurance --keep
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
TARGETS: dict[str, Any] = {
    "incremental_sync_ms": 20,
    "reads_ms": {"small": 150, "force": 150, "national": 1000},
    "national_sync_s": 60,
    "national_sync_mib": 1536,
    "assurance_ms": {"small": 300, "force": 300, "national": 2000},
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


def _run(env: dict[str, str], *args: str, script: str = "probe.py") -> Any:
    """A step in a process of its own (bench/probe.py, or bench/load.py): its JSON."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    print(f"    {script} {' '.join(args)}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load(env: dict[str, str]) -> Any:
    """bench/load.py: gunicorn with 4 workers, signed-in users and API writers on loopback."""
    return _run(env, "--database-url", env["DATABASE_URL"], script="load.py")


STEPS = ("sync", "sync_shared", "incremental", "reads", "ocsea", "assurance", "load", "audit")


def bench(
    backend: str,
    scale: str,
    seed: int,
    runs: int,
    results: Path,
    only: set[str] | None = None,
    keep: bool = False,
) -> dict[str, Any]:
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
        }
        few = str(max(5, runs // 3))
        steps = {
            "sync": lambda: _run(env, "sync"),
            "sync_shared": lambda: _run(env, "sync", str(os.cpu_count() or 2)),
            "incremental": lambda: _run(env, "incremental", str(runs)),
            "reads": lambda: _run(env, "reads", few),
            "ocsea": lambda: _run(env, "ocsea", few),
            "assurance": lambda: _run(env, "assurance", few),
            # served as in production
            "load": lambda: _load(env) if backend == "postgres" and scale == "force" else None,
            "audit": lambda: _run(env, "verify"),  # after the load step's concurrent writes
        }
        for name, step in steps.items():
            if (only is None or name in only) and (measured := step()) is not None:
                result[name] = measured
    finally:
        if keep:
            print(f"    kept for more measurement: {url}", file=sys.stderr)
        else:
            _drop_database(backend, scale)
    results.mkdir(parents=True, exist_ok=True)
    (results / f"{backend}-{scale}.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def _mark(value: Any, target: float | None) -> str:
    if not isinstance(value, int | float):
        return str(value)
    text = f"{value:,}"
    return text if target is None or value <= target else f"**{text}** (missed)"


# (label, how to read the figure from a result, its target by scale or None)
METRICS: list[tuple[str, Any, Any]] = [
    ("RSOs", lambda r: r["demo"]["rsos"], None),
    ("OCSEA referrals", lambda r: r["demo"].get("referrals", "not run"), None),
    ("obligations", lambda r: r["demo"]["obligations"], None),
    ("demo generation (s)", lambda r: r["demo"]["seconds"], None),
    ("demo peak RSS (MiB)", lambda r: r["demo"]["peak_rss_mib"], None),
    ("full sync-obligations, one process (s)", lambda r: r["sync"]["seconds"], None),
    ("obligations synced per second", lambda r: r["sync"]["obligations_per_second"], None),
    ("full sync peak RSS (MiB)", lambda r: r["sync"]["peak_rss_mib"], {"national": 1536}),
    (
        "full sync shared by the cores' processes (s)",
        lambda r: r.get("sync_shared", {}).get("seconds", "not run"),
        {"national": 60},
    ),
    ("visit_record: its sync (ms)", lambda r: r["incremental"]["sync"]["median_ms"], 20),
    ("visit_record: whole service (ms)", lambda r: r["incremental"]["service"]["median_ms"], None),
    ("supervisor's open worklist items", lambda r: r["reads"]["worklist_items"], None),
    (
        "worklist selector: count + page (ms)",
        lambda r: r["reads"]["worklist_selector"]["median_ms"],
        "reads",
    ),
    ("worklist page, rendered (ms)", lambda r: r["reads"]["worklist_page"]["median_ms"], "reads"),
    (
        "risk x band selector (ms)",
        lambda r: r["reads"]["risk_bands_selector"]["median_ms"],
        "reads",
    ),
    (
        "risk x band in DuckDB, same rows (ms)",
        lambda r: r["reads"].get("risk_bands_duckdb", {}).get("median_ms", "not run"),
        None,
    ),
    (
        "risk x band: its grouped query alone (ms)",
        lambda r: r["reads"].get("risk_bands_query", {}).get("median_ms", "not run"),
        None,
    ),
    (
        "risk x band: grouped query / DuckDB",
        lambda r: r["reads"].get("risk_bands_duckdb", {}).get("query_ratio", "not run"),
        None,
    ),
    (
        "risk x band selector / DuckDB",
        lambda r: r["reads"].get("risk_bands_duckdb", {}).get("selector_ratio", "not run"),
        None,
    ),
    (
        "risk x band page, rendered (ms)",
        lambda r: r["reads"]["risk_bands_page"]["median_ms"],
        "reads",
    ),
    ("OCSEA triage queue items", lambda r: _ocsea(r, "triage_queue_items"), None),
    (
        "triage queue selector: count + page (ms)",
        lambda r: _ocsea(r, "triage_queue_selector"),
        "reads",
    ),
    ("triage queue page, rendered (ms)", lambda r: _ocsea(r, "triage_queue_page"), "reads"),
    ("open bails and RUIs on the dashboard", lambda r: _ocsea(r, "open_bails"), None),
    ("bail dashboard selector (ms)", lambda r: _ocsea(r, "bail_dashboard_selector"), "reads"),
    ("bail dashboard page, rendered (ms)", lambda r: _ocsea(r, "bail_dashboard_page"), "reads"),
    (
        "served by gunicorn (4 workers), one user: team worklist (ms)",
        lambda r: _served(r, "one_user", "team_worklist"),
        75,
    ),
    ("one user: My work (ms)", lambda r: _served(r, "one_user", "my_work"), 50),
    ("one user: risk x band table (ms)", lambda r: _served(r, "one_user", "risk_bands"), None),
    ("one user: obligations API (ms)", lambda r: _served(r, "one_user", "obligations_api"), None),
    (
        "10 users, no pause: requests a second (saturation)",
        lambda r: _served(r, "saturation", "requests_per_second"),
        None,
    ),
    ("10 users, no pause: p95 (ms)", lambda r: _served(r, "saturation", "all", "p95_ms"), None),
    (
        "50 users pausing 2-10 s: p95 (ms)",
        lambda r: _served(r, "fifty_users", "all", "p95_ms"),
        300,
    ),
    ("50 users pausing 2-10 s: errors", lambda r: _served(r, "fifty_users", "errors"), 0),
    (
        "visits recorded by 1 API client: a second",
        lambda r: _served(r, "writers_1", "requests_per_second"),
        None,
    ),
    (
        "visits recorded by 8 API clients: a second",
        lambda r: _served(r, "writers_8", "requests_per_second"),
        None,
    ),
    ("8 API clients: a visit's p95 (ms)", lambda r: _served(r, "writers_8", "all", "p95_ms"), None),
    ("8 writers: samples with a backend waiting on an audit lock (%)", lambda r: _lock_share(r), 5),
    ("audit events, chain verified", lambda r: r.get("audit", {}).get("events", "not run"), None),
    (
        "monthly snapshot of every force, area and team (s)",
        lambda r: r.get("assurance", {}).get("snapshot_seconds", "not run"),
        None,
    ),
    (
        "snapshot figures kept",
        lambda r: r.get("assurance", {}).get("snapshot_figures", "not run"),
        None,
    ),
    ("scorecard selector (ms)", lambda r: _assurance(r, "scorecard_selector"), "assurance"),
    ("scorecard page (ms)", lambda r: _assurance(r, "scorecard_page"), "assurance"),
    (
        "performance dashboard selector (ms)",
        lambda r: _assurance(r, "dashboard_selector"),
        "assurance",
    ),
    (
        "performance dashboard of last month, as it closed: selector (ms)",
        lambda r: _assurance(r, "dashboard_month_gone_selector"),
        "assurance",
    ),
    ("performance dashboard page (ms)", lambda r: _assurance(r, "dashboard_page"), "assurance"),
    ("forces compared page (ms)", lambda r: _assurance(r, "national_page"), "assurance"),
]


def _served(result: dict[str, Any], scenario: str, name: str, figure: str = "median_ms") -> Any:
    """A figure of the load step (bench/load.py), or "not run"."""
    found = result.get("load", {}).get(scenario, {}).get(name, "not run")
    return found.get(figure, "not run") if isinstance(found, dict) else found


def _lock_share(result: dict[str, Any]) -> Any:
    sampled = result.get("load", {}).get("writers_8", {}).get("pg_stat_activity")
    if not sampled or sampled.get("audit_lock_wait_share") is None:
        return "not run"
    return round(100 * sampled["audit_lock_wait_share"], 1)


def _ocsea(result: dict[str, Any], name: str) -> Any:
    """An OCSEA figure (a count, or a timing's median), or "not run" in results that
    predate the OCSEA probes."""
    found = result.get("ocsea", {}).get(name, "not run")
    return found["median_ms"] if isinstance(found, dict) else found


def _assurance(result: dict[str, Any], name: str) -> Any:
    found = result.get("assurance", {}).get(name, "not run")
    return found["median_ms"] if isinstance(found, dict) else found


def _target(target: Any, scale: str) -> float | None:
    if target == "reads":
        return float(TARGETS["reads_ms"][scale])
    if target == "assurance":
        return float(TARGETS["assurance_ms"][scale])
    if isinstance(target, dict):
        return target.get(scale)
    return target


def _target_text(target: Any) -> str:
    if target is None:
        return ""
    if target == 0:
        return "0"
    if target == "reads":
        return "< 150 (force), < 1,000 (national)"
    if target == "assurance":
        return "< 300 (force), < 2,000 (national)"
    if isinstance(target, dict):
        return ", ".join(f"< {v:,} ({k})" for k, v in target.items())
    return f"< {target:,}"


def _read(read: Any, result: dict[str, Any]) -> Any:
    """A figure of a result, or "not run" for a step a partial run (`--only`) left out."""
    try:
        return read(result)
    except (KeyError, TypeError):
        return "not run"


def table(where: Path = RESULTS) -> str:
    """bench/results/latest.md: every result file, a column each, with the targets."""
    order = {"force": 0, "national": 1, "small": 2}
    results = sorted(
        # each backend and scale's results (register.json is bench/register.py's, apart)
        (r for p in where.glob("*.json") if "scale" in (r := json.loads(p.read_text()))),
        key=lambda r: (order.get(r["scale"], 9), r["backend"]),
    )
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    head = "| | " + " | ".join(f"{names[r['backend']]}, {r['scale']}" for r in results)
    lines = [head + " | target |", "|---|" + "--:|" * len(results) + "---|"]
    for label, read, target in METRICS:
        cells = [_mark(_read(read, r), _target(target, r["scale"])) for r in results]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {_target_text(target)} |")
    dates = sorted({r["measured_at"][:10] for r in results})
    machines = sorted({r["machine"] for r in results})
    note = (
        f"\nMedians (p95s in the JSON files beside this one); **bold (missed)** marks a figure "
        f"over its target. Measured {', '.join(dates)} on {'; '.join(machines)}, seed 1, by "
        "`make bench` (bench/run.py). Peak RSS is the measuring process's peak resident set "
        "size (getrusage ru_maxrss, Django included). The worklist and risk x band table are "
        "the MOSOVO supervisor's (one team of about 750 RSOs); the triage queue the OCSEA "
        "triage officer's (count and first page); the bail dashboard the OCSEA supervisor's "
        "(every open bail and RUI in the force); pages are rendered through Django's test "
        "client, their audit events written. DuckDB is asked the risk x band question over "
        "the supervisor's obligations exported to it (the scoping done before, untimed): a "
        "yardstick, not a like-for-like query; the grouped query alone is the selector's last "
        "query run as SQL, without the scoping reads before it. The load step (bench/load.py) "
        "serves the force demo by gunicorn with 4 workers over loopback, its clients' threads "
        "on the same two cores; the 8 writers record visits through the API while "
        "`pg_stat_activity` is sampled every 20 ms. The national column was measured on a "
        "national demo kept for it, step by step (its JSON says how); a step measured alone "
        "(`--only`, on a demo of its own) carries its own date in the JSON.\n"
    )
    return "# Benchmark results\n\n" + "\n".join(lines) + "\n" + note


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
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where the results go (bench/results)"
    )
    parser.add_argument(
        "--only",
        help=f"measure only these steps after the demo (of {', '.join(STEPS)}); the result "
        "file then holds only them: give --results elsewhere to keep the full ones",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the scratch database after the run (one backend and scale), to measure a "
        "step again on it: bench/probe.py STEP with DATABASE_URL set to it",
    )
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    if only and only - set(STEPS):
        parser.error(f"--only: no step {', '.join(sorted(only - set(STEPS)))}")
    national_on = set(args.national_backends.split(","))
    for scale in args.scales.split(","):
        for backend in args.backends.split(","):
            if scale == "national" and backend not in national_on:
                continue
            bench(backend, scale, args.seed, args.runs, args.results, only, args.keep)
            (args.results / "latest.md").write_text(table(args.results))
    print((args.results / "latest.md").read_text())


if __name__ == "__main__":
    main()
