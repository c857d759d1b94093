"""One measurement in a process of its own (so its peak memory is its own), run by
bench/run.py against the database DATABASE_URL names. Prints one JSON object.

    python bench/probe.py demo SCALE SEED   the demo generation (`vigil demo`)
    python bench/probe.py sync              `vigil sync-obligations`, a full run
    python bench/probe.py incremental N     visit_record on N RSOs, one visit each
    python bench/probe.py reads N           worklist and risk x band table, N runs each
    python bench/probe.py ocsea N           OCSEA triage queue and bail dashboard, N runs each
    python bench/probe.py assurance N       the monthly snapshot of every force, area and team;
                                            the scorecard, the performance dashboard (this
                                            month, and last month as it closed) and the forces
                                            compared, N runs each
    python bench/probe.py verify            `vigil audit-verify` over the whole chain

Peak memory is the process's peak resident set size (getrusage ru_maxrss), Django and the
app included: what the machine has to give the command. Times are wall-clock.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from vigil.accounts.models import User  # noqa: E402
from vigil.core import clock  # noqa: E402
from vigil.obligations import selectors  # noqa: E402
from vigil.obligations import sync as sync_module  # noqa: E402
from vigil.obligations.models import Obligation  # noqa: E402
from vigil.ocsea import selectors as ocsea_selectors  # noqa: E402
from vigil.ocsea.models import Referral  # noqa: E402
from vigil.offenders import services as offender_services  # noqa: E402
from vigil.offenders.models import Registration  # noqa: E402
from vigil.policy.pack import active as active_policy  # noqa: E402


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "min_ms": round(ordered[0] * 1000, 1),
        "runs": len(ordered),
    }


def demo(scale: str, seed: str) -> dict[str, Any]:
    started = time.perf_counter()
    call_command("demo", "--scale", scale, "--seed", seed, stdout=StringIO())
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 1),
        "peak_rss_mib": round(_peak_mib()),
        "rsos": Registration.objects.count(),
        "referrals": Referral.objects.count(),
        "obligations": Obligation.objects.count(),
    }


def sync(workers: str = "1") -> dict[str, Any]:
    """A full `sync-obligations`, on one process or shared among `workers` (the peak memory
    is then the largest of the processes')."""
    out = StringIO()
    started = time.perf_counter()
    call_command("sync_obligations", "--workers", workers, stdout=out)
    seconds = time.perf_counter() - started
    obligations = Obligation.objects.count()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 1),
        "workers": int(workers),
        "obligations": obligations,
        "obligations_per_second": round(obligations / seconds),
        "peak_rss_mib": round(max(_peak_mib(), children)),
        "report": out.getvalue().strip(),
    }


def incremental(runs: str) -> dict[str, Any]:
    """A home visit recorded through the service on each of N RSOs of the offender
    manager's caseload: the whole service call, and the engine's sync inside it."""
    om = User.objects.get(username="offender.manager")
    colleague = (
        User.objects.filter(memberships__team__in=om.memberships.values("team"))
        .exclude(pk=om.pk)
        .first()
    )
    assert colleague is not None, "the demo gives the offender manager a colleague"
    caseload = list(
        Registration.objects.filter(
            offender_manager=om, management_mode="active", ended_on__isnull=True
        ).order_by("pk")[: int(runs)]
    )
    sync_times: list[float] = []
    original = sync_module.sync

    def timed_sync(obj: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(obj, **kwargs)
        finally:
            sync_times.append(time.perf_counter() - started)

    service_times = []
    from vigil.offenders.services import visits as visit_services  # where the service lives

    visit_services.sync = timed_sync  # type: ignore[assignment]
    try:
        for registration in caseload:
            started = time.perf_counter()
            with transaction.atomic():
                offender_services.visit_record(
                    actor=om,
                    registration=registration,
                    visited_at=clock.now() - timedelta(hours=1),
                    announced=False,
                    officers=[om, colleague],
                    access_gained=True,
                    outcome="Benchmark visit (synthetic).",
                )
            service_times.append(time.perf_counter() - started)
    finally:
        visit_services.sync = original  # type: ignore[assignment]
    return {"sync": _ms(sync_times), "service": _ms(service_times)}


def reads(runs: str) -> dict[str, Any]:
    """The MOSOVO supervisor's team worklist (count and first page) and risk x band table:
    the selectors alone, then the pages through Django's test client (rendered, audited)."""
    supervisor = User.objects.get(username="mosovo.supervisor")
    today = clock.today()
    filters = selectors.WorklistFilters()
    n = int(runs)

    def worklist() -> int:
        work = selectors.team_worklist(user=supervisor, filters=filters, today=today)
        count = work.count()
        list(work[:50])
        return count

    def bands() -> None:
        selectors.risk_band_table(user=supervisor, filters=filters, today=today)

    items = worklist()  # warm: first query plans, caches
    bands()
    client = Client()
    client.force_login(supervisor)
    pages = {
        "worklist_page": reverse("obligations:team-worklist"),
        "risk_bands_page": reverse("obligations:risk-bands"),
    }
    for url in pages.values():
        assert client.get(url).status_code == 200
    result: dict[str, Any] = {"worklist_items": items}
    for name, fn in (("worklist_selector", worklist), ("risk_bands_selector", bands)):
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
        result[name] = _ms(samples)
    for name, url in pages.items():
        samples = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        result[name] = _ms(samples)
    result["risk_bands_query"] = _grouped_query_alone(bands, n)
    result["risk_bands_duckdb"] = _duckdb_bands(supervisor, today, n)
    if result["risk_bands_duckdb"]:
        duck = result["risk_bands_duckdb"]["median_ms"]
        ratio = result["risk_bands_selector"]["median_ms"] / duck
        result["risk_bands_duckdb"]["selector_ratio"] = round(ratio, 2)
        ratio = result["risk_bands_query"]["median_ms"] / duck
        result["risk_bands_duckdb"]["query_ratio"] = round(ratio, 2)
    return result


def _grouped_query_alone(selector: Callable[[], None], n: int) -> dict[str, Any]:
    """The risk x band selector's grouped query (its last), run as SQL on its own: the
    database's part of the selector, without the scoping reads before it (the user's teams,
    the people hidden from them) and Django's building of the query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        selector()
    sql = queries.captured_queries[-1]["sql"]

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    run()
    return _timed(run, n)


def _duckdb_bands(user: Any, today: Any, n: int) -> dict[str, Any]:
    """The risk x band question asked of DuckDB over the same rows (the user's visible
    obligations in their teams, exported once, untimed): the yardstick the selector is held
    to (within 2x, issue 11). Empty when DuckDB is not installed."""
    try:
        import duckdb
    except ImportError:
        return {}
    import csv
    import tempfile

    from vigil.obligations import status as st

    rows = selectors.team_worklist(
        user=user, filters=selectors.WorklistFilters(status="all"), today=today
    ).values_list("risk_level", "due_date", "due_at", "met_date", "waived_at")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", delete=False) as f:
        csv.writer(f).writerows(
            (risk, due, due_at.isoformat() if due_at else "", met or "", waived or "")
            for risk, due, due_at, met, waived in rows.iterator()
        )
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE o AS SELECT * FROM read_csv(?, header=false, nullstr='', columns="
        "{'risk_level': 'VARCHAR', 'due_date': 'DATE', 'due_at': 'TIMESTAMPTZ', "
        "'met_date': 'DATE', 'waived_at': 'TIMESTAMPTZ'})",
        [f.name],
    )
    os.unlink(f.name)
    now = clock.now()
    late_today = "(due_date = ?::DATE AND due_at < ?::TIMESTAMPTZ)"
    cases, params = [], []
    for band in st.overdue_bands(active_policy()):
        test, values = "due_date <= ?::DATE", [today - timedelta(days=band.first)]
        if band.last is not None:
            test += " AND due_date >= ?::DATE"
            values.append(today - timedelta(days=band.last))
        if band.first <= 1 <= (band.last or 1):
            test = f"({test}) OR {late_today}"
            values += [today, now]
        cases.append(f"WHEN {test} THEN ?")
        params += [*values, band.status]
    # built of constant fragments; every value is a parameter
    select = "SELECT risk_level, CASE " + " ".join(cases) + " ELSE '' END AS band, count(*)"
    where = "WHERE met_date IS NULL AND waived_at IS NULL AND (due_date < ?::DATE OR "
    query = f"{select} FROM o {where}{late_today}) GROUP BY 1, 2"
    params += [today, today, now]
    db.execute(query, params).fetchall()  # warm
    timed = _timed(lambda: db.execute(query, params).fetchall(), n)
    counted = db.execute("SELECT count(*) FROM o").fetchone()
    return {**timed, "rows": counted[0] if counted else 0}


def _timed(fn: Any, n: int) -> dict[str, float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _ms(samples)


def ocsea(runs: str) -> dict[str, Any]:
    """The OCSEA triage officer's triage queue (count and first page, as the page shows it)
    and the OCSEA supervisor's bail dashboard (every open bail and release under
    investigation in the force: the page's default, all areas): the selectors alone, then
    the pages through Django's test client (rendered, each person listed audited)."""
    triage = User.objects.get(username="triage")
    supervisor = User.objects.get(username="ocsea.supervisor")
    today, pack, n = clock.today(), active_policy(), int(runs)

    def queue() -> int:
        found = ocsea_selectors.triage_queue(user=triage)
        count = found.count()
        list(found[:50])
        return count

    def bails() -> int:
        return len(ocsea_selectors.bail_dashboard(user=supervisor, today=today, pack=pack))

    result: dict[str, Any] = {"triage_queue_items": queue(), "open_bails": bails()}  # warm
    result["triage_queue_selector"] = _timed(queue, n)
    result["bail_dashboard_selector"] = _timed(bails, n)
    for name, user, url in (
        ("triage_queue_page", triage, reverse("ocsea:triage-queue")),
        ("bail_dashboard_page", supervisor, reverse("ocsea:bail-dashboard")),
    ):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm

        def page(client: Client = client, url: str = url) -> None:
            assert client.get(url).status_code == 200

        result[name] = _timed(page, n)
    return result


def assurance(runs: str) -> dict[str, Any]:
    """The monthly snapshot run over every force (once: it writes), then the head of public
    protection's scorecard (90 days) and performance dashboard (the whole force; this month
    so far, and last month as it closed) as selectors, and the scorecard, dashboard and
    forces-compared pages through Django's test client, N runs each."""
    from vigil.assurance.dashboard import dashboard
    from vigil.assurance.metrics import Unit
    from vigil.assurance.models import MetricSnapshot
    from vigil.assurance.selectors import scorecard
    from vigil.assurance.services import snapshot_month
    from vigil.core.dates import add_months

    head = User.objects.get(username="head.pp")
    today, pack, n = clock.today(), active_policy(), int(runs)
    last_month = add_months(today.replace(day=1), -1)
    started = time.perf_counter()
    kept = snapshot_month(last_month)
    result: dict[str, Any] = {
        "snapshot_seconds": round(time.perf_counter() - started, 1),
        "snapshot_figures": kept,
        "snapshot_forces": MetricSnapshot.objects.filter(month=last_month, unit="force")
        .values("force")
        .distinct()
        .count(),
        "snapshot_peak_mib": round(_peak_mib()),
    }

    def card() -> None:
        scorecard(user=head, today=today, days=90, pack=pack)

    def board() -> None:
        dashboard(unit=Unit(head.force_id), today=today, smallest=0, pack=pack)

    def board_gone() -> None:  # last month, as it closed (the monthly pack's)
        dashboard(unit=Unit(head.force_id), today=today, smallest=0, pack=pack, month=last_month)

    card(), board(), board_gone()  # warm
    result["scorecard_selector"] = _timed(card, n)
    result["dashboard_selector"] = _timed(board, n)
    result["dashboard_month_gone_selector"] = _timed(board_gone, n)
    client = Client()
    client.force_login(head)
    for name, url in (
        ("scorecard_page", reverse("assurance:figures")),
        ("dashboard_page", reverse("assurance:performance")),
        ("national_page", reverse("assurance:national")),
    ):
        assert client.get(url).status_code == 200  # warm

        def page(url: str = url) -> None:
            assert client.get(url).status_code == 200

        result[name] = _timed(page, n)
    return result


def verify() -> dict[str, Any]:
    """The audit chain the bulk paths appended to is whole (exits non-zero if not)."""
    from vigil.audit.models import AuditEvent

    out = StringIO()
    started = time.perf_counter()
    call_command("audit_verify", stdout=out)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "events": AuditEvent.objects.count(),
        "report": out.getvalue().strip(),
    }


if __name__ == "__main__":
    step, *args = sys.argv[1:]
    steps: dict[str, Callable[..., dict[str, Any]]] = {
        "demo": demo,
        "sync": sync,
        "incremental": incremental,
        "reads": reads,
        "ocsea": ocsea,
        "assurance": assurance,
        "verify": verify,
    }
    print(json.dumps(steps[step](*args)))
