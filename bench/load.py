"""The load step of `make bench`: Vigil served as in production (gunicorn, 4 workers,
PostgreSQL) and driven over loopback by signed-in users, as bench/run.py's last step before
the audit chain is verified (or on its own, against a database a run kept):

    python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/vigil_bench

1. One user at a time: each page in turn, sequentially (median and 95th percentile).
2. Saturation: 10 users, no pause between requests, for --seconds: the requests a second
   the machine serves with its cores busy, and the latencies while it does.
3. Fifty signed-in users, each pausing 2 to 10 s between pages as people do (the target:
   p95 at most 300 ms, no errors).
4. Writers: home visits recorded through the API by 1 client, then by 8 at once, while
   `pg_stat_activity` is sampled every 20 ms for backends waiting on a lock (the target: a
   backend waiting on an audit lock in under 5% of the samples).

The pages are the MOSOVO supervisor's team worklist and risk x band table, the offender
manager's My work, and the obligations API (the supervisor's first page). The load comes
from this process's threads on the same two cores the server uses: the figures are what a
small server shows with its clients beside it, not a network's. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "vigil-demo-2026"  # noqa: S105 - the demo's shared password (config/settings.py)
PAGES = {  # name: (user, path)
    "team_worklist": ("mosovo.supervisor", "/work/team/"),
    "my_work": ("offender.manager", "/"),
    "risk_bands": ("mosovo.supervisor", "/work/risk-bands/"),
    "obligations_api": ("mosovo.supervisor", "/api/v1/obligations/"),
}
TARGETS = {
    "team_worklist_one_user_ms": 75,
    "my_work_one_user_ms": 50,
    "fifty_users_p95_ms": 300,
    "audit_lock_wait_share": 0.05,
}


def _ms(samples: list[float]) -> dict[str, Any]:
    if not samples:
        return {"runs": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "runs": len(ordered),
    }


class Server:
    """gunicorn serving config.wsgi on a free loopback port, stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [
                *(str(gunicorn), "config.wsgi", "--bind", f"127.0.0.1:{self.port}"),
                *("--workers", str(workers), "--log-level", "warning"),
            ],
            env=env,
            cwd=ROOT,
        )

    def __enter__(self) -> Server:
        # stopped however this process ends (a SIGTERM included), never left serving
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=5).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.process.kill()
        raise SystemExit("gunicorn did not answer /healthz in 60 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def signed_in(base: str, username: str) -> requests.Session:
    """A browser-like session signed in through the login form (its CSRF token included)."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the login page has a CSRF token"
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "username": username,
            "password": PASSWORD,
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert answer.status_code == 302, f"{username} could not sign in ({answer.status_code})"
    return session


class Tally:
    """Latencies by page and errors, shared by the threads of one scenario."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def timed(self, name: str, call: Callable[[], requests.Response], expect: int) -> None:
        started = time.perf_counter()
        try:
            response = call()
            ok = response.status_code == expect
            failure = f"{name}: {response.status_code}"
        except requests.RequestException as error:
            ok, failure = False, f"{name}: {type(error).__name__}"
        spent = time.perf_counter() - started
        with self.lock:
            if ok:
                self.samples.setdefault(name, []).append(spent)
            else:
                self.errors.append(failure)

    def summary(self, seconds: float | None = None) -> dict[str, Any]:
        every = [s for samples in self.samples.values() for s in samples]
        result: dict[str, Any] = {
            "all": _ms(every),
            "errors": len(self.errors),
            "error_examples": sorted(set(self.errors))[:5],
        }
        result.update({name: _ms(samples) for name, samples in sorted(self.samples.items())})
        if seconds:
            result["requests_per_second"] = round((len(every) + len(self.errors)) / seconds, 1)
        return result


def _get(session: requests.Session, url: str) -> Callable[[], requests.Response]:
    return lambda: session.get(url, timeout=60)


def one_user(base: str, runs: int) -> dict[str, Any]:
    """Each page alone, one request at a time (after two to warm the workers)."""
    sessions = {user: signed_in(base, user) for user, _ in PAGES.values()}
    result = {}
    for name, (user, path) in PAGES.items():
        tally = Tally()
        for _ in range(2 + runs):
            tally.timed(name, _get(sessions[user], base + path), 200)
        samples = tally.samples.get(name, [])[2:]
        result[name] = {**_ms(samples), "errors": len(tally.errors)}
    return result


def users(base: str, count: int, seconds: float, pause: tuple[float, float]) -> dict[str, Any]:
    """`count` users, each signed in on their own session, visiting the pages in a random
    order for `seconds`, pausing between pages for a time drawn from `pause`."""
    tally = Tally()
    rng = random.Random(1)
    people = [(rng.random(), signed_in(base, user)) for user in _people(count)]
    stop = time.monotonic() + seconds  # from when all are signed in

    def person(seed: float, session: requests.Session, user: str) -> None:
        mine = random.Random(seed)
        pages = [(n, p) for n, (u, p) in PAGES.items() if u == user]
        time.sleep(mine.uniform(*pause) if pause[1] else 0)  # not all at once
        while time.monotonic() < stop:
            name, path = mine.choice(pages)
            tally.timed(name, _get(session, base + path), 200)
            if pause[1]:
                time.sleep(mine.uniform(*pause))

    threads = [
        threading.Thread(target=person, args=(seed, session, user))
        for (seed, session), user in zip(people, _people(count), strict=True)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"users": count, **tally.summary(time.monotonic() - started)}


def _people(count: int) -> list[str]:
    """Half supervisors, half offender managers, alternating."""
    return ["mosovo.supervisor" if i % 2 == 0 else "offender.manager" for i in range(count)]


class LockSampler(threading.Thread):
    """Samples `pg_stat_activity` every `every` seconds: how many samples found a backend of
    this database waiting on a lock, and how many found one waiting in an audit statement
    (the chain head, the events, the person index)."""

    def __init__(self, url: str, every: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.url, self.every = url, every
        self.samples = self.waiting = self.audit = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        query = """
            SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),
                   count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE '%%audit_%%')
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
        """
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stopping.is_set():
                waiting, audit = conn.execute(query).fetchone() or (0, 0)
                self.samples += 1
                self.waiting += bool(waiting)
                self.audit += bool(audit)
                time.sleep(self.every)

    def summary(self) -> dict[str, Any]:
        return {
            "samples": self.samples,
            "with_a_lock_wait": self.waiting,
            "with_an_audit_lock_wait": self.audit,
            "audit_lock_wait_share": round(self.audit / self.samples, 3) if self.samples else None,
        }


def writers(
    base: str, database_url: str, token: str, caseload: list[str], count: int, seconds: float
) -> dict[str, Any]:
    """`count` API clients recording home visits as fast as they are answered, each on RSOs
    of its own (no two writing to one record), with `pg_stat_activity` sampled meanwhile."""
    tally = Tally()
    stop = time.monotonic() + seconds
    shares = [caseload[i::count] for i in range(count)]
    sampler = LockSampler(database_url)

    def client(mine: list[str]) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
        n = 0
        while time.monotonic() < stop:
            rso = mine[n % len(mine)]
            n += 1
            body = {
                "visited_at": (datetime.now(UTC) - timedelta(minutes=n)).isoformat(),
                "announced": False,
                "officers": ["offender.manager"],
                "access_gained": True,
                "outcome": "Load benchmark visit (synthetic).",
            }
            url = f"{base}/api/v1/rsos/{rso}/visits/"

            def post(url: str = url, body: dict[str, Any] = body) -> requests.Response:
                return session.post(url, json=body, timeout=60)

            tally.timed("visit", post, 201)

    threads = [threading.Thread(target=client, args=(share,)) for share in shares if share]
    sampler.start()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spent = time.monotonic() - started
    sampler.stopping.set()
    sampler.join()
    return {"clients": count, **tally.summary(spent), "pg_stat_activity": sampler.summary()}


def _token_and_caseload(env: dict[str, str]) -> tuple[str, list[str]]:
    """The offender manager's API token (issued afresh) and active caseload's RSO ids."""
    script = (
        "import json, django; django.setup()\n"
        "from vigil.accounts.models import User\n"
        "from vigil.accounts.services import api_token_create\n"
        "from vigil.offenders.models import Registration\n"
        "om = User.objects.get(username='offender.manager')\n"
        "ids = Registration.objects.filter(offender_manager=om, management_mode='active',"
        " ended_on__isnull=True).order_by('pk').values_list('pk', flat=True)\n"
        "print(json.dumps([api_token_create(actor=None, user=om).key,"
        " [str(i) for i in ids]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    token, caseload = json.loads(done.stdout.strip().splitlines()[-1])
    return token, caseload


def load(env: dict[str, str], *, workers: int, seconds: float, runs: int) -> dict[str, Any]:
    url = env["DATABASE_URL"]
    token, caseload = _token_and_caseload(env)
    with Server(env, workers) as server:
        base = server.url
        result: dict[str, Any] = {"gunicorn_workers": workers, "seconds_per_scenario": seconds}
        result["load_before"] = os.getloadavg()[0]
        for name, scenario in (
            ("one_user", lambda: one_user(base, runs)),
            ("saturation", lambda: users(base, 10, seconds, (0, 0))),
            ("fifty_users", lambda: users(base, 50, max(seconds, 60), (2, 10))),
            ("writers_1", lambda: writers(base, url, token, caseload, 1, seconds)),
            ("writers_8", lambda: writers(base, url, token, caseload, 8, seconds)),
        ):
            started = time.monotonic()
            result[name] = scenario()
            print(f"    load: {name}: {time.monotonic() - started:.0f} s", file=sys.stderr)
        result["load_after"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--seconds", type=float, default=30, help="per scenario (30)")
    parser.add_argument("--runs", type=int, default=30, help="one user's requests per page")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_TEST")}
    env.update(
        DATABASE_URL=args.database_url,
        VIGIL_ENV="development",
        VIGIL_VAR_DIR=env.get("VIGIL_VAR_DIR", str(ROOT / "bench" / "scratch")),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = load(env, workers=args.workers, seconds=args.seconds, runs=args.runs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
