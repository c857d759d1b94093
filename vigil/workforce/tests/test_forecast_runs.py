"""The force's forecast run from its records and kept (R10, R4)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.policy.pack import active as active_policy
from vigil.workforce.forecast import NoHistory, _months, actual_demand, run_forecast
from vigil.workforce.models import ForecastKind, ForecastRun


def test_monthly_counts_run_to_the_last_complete_month() -> None:
    dates = [date(2026, 1, 5), date(2026, 1, 20), date(2026, 3, 2), date(2026, 4, 9)]
    assert _months(dates, date(2026, 4, 15)) == [2.0, 0.0, 1.0]  # April not yet complete


def _young_register(world: Any, months: int) -> Any:
    """The test world's register, every registration made `months` ago, and more people
    registered a month apart before it."""
    from vigil.offenders.models import Registration
    from vigil.people.models import Nominal

    force = world.users["offender_manager"].force
    today = clock.today()
    template = Registration.objects.filter(force=force).first()
    assert template is not None
    Registration.objects.filter(force=force).update(
        registration_date=today - timedelta(days=30 * months)
    )
    for back in range(1, months):
        person = Nominal.objects.create(
            force=force,
            family_name=f"Syn{back}",
            given_names="Test",
            review_date=today,
            created_by=world.users["offender_manager"],
        )
        clone = Registration.objects.get(pk=template.pk)
        clone.pk, clone.id = None, None
        clone.nominal = person
        clone.registration_date = today - timedelta(days=30 * back)
        clone.save()
    return force


def _mosovo(force: Any, years: int) -> ForecastRun:
    return run_forecast(
        force=force,
        kind=ForecastKind.MOSOVO,
        years=years,
        today=clock.today(),
        pack=active_policy(),
    )


def test_a_short_history_falls_back_to_the_aggregate_series(world: Any) -> None:
    force = _young_register(world, 40)
    from vigil.offenders.models import Registration

    Registration.objects.filter(force=force).update(  # every one in the last two months
        registration_date=clock.today() - timedelta(days=40)
    )
    with pytest.raises(NoHistory):  # on the register at fewer than three months' ends
        run_forecast(
            force=force,
            kind=ForecastKind.MOSOVO,
            years=3,
            today=clock.today(),
            pack=active_policy(),
        )
    assert not ForecastRun.objects.exists()  # nothing half-kept
    Registration.objects.filter(force=force).update(  # fifteen months of history
        registration_date=clock.today() - timedelta(days=460)
    )
    run = _mosovo(force, 3)
    assert run.source == "aggregate"  # under two years of monthly registrations
    assert run.method in {"naive", "drift", "linear trend"}  # a short series: the baselines
    assert len(run.inputs["register_at_month_ends"]) >= 14
    # judged on too few of its own years: the methods judged on the national series too
    # (three snapshots, 2011, 2020 and 2024: 2024 forecast from 2020 by each method, and
    # 2020 from 2011 by naive, which alone can forecast from a single year)
    national = run.backtest["national"]
    assert national["series"].startswith("RSOs in the community, England and Wales")
    assert national["origins"] >= 1
    assert 0 < national["mape"] < 0.5
    assert national["drift_mape"] is not None
    assert national["counts"] == ["2011-03-31", "2020-03-31", "2024-03-31"]
    client = Client()
    client.force_login(world.users["head_of_pp"])
    page = client.get(reverse("workforce:forecast")).content.decode()
    assert "Backtest on the national series" in page
    assert "England and Wales, at 31 March, published for 2011, 2020, 2024" in page


def test_the_page_states_the_backtest_beside_the_baselines() -> None:
    from vigil.workforce.views import judged_in_words

    run = ForecastRun(
        kind="mosovo",
        source="records",
        backtest_mae=12.5,
        backtest_mape=0.031,
        backtest_origins=6,
        backtest={
            "naive_mape": 0.09,
            "drift_mape": 0.04,
            "band_coverage": 0.8,
            "band_judged": 5,
        },
    )
    [(key, words)] = judged_in_words(run)
    assert key == "Backtest on this force's history"
    assert words == (
        "Forecasting new registrations a year: mean absolute error 12.5 a year (3.1% of the "
        "actual) over 6 past years, each forecast from the years before it. On the same years "
        "no change (naive) was 9.0% out and the average yearly change (drift) 4.0%. The P10 "
        "to P90 band held what happened in 4 of 5 (8 in 10 expected)."
    )
    assert judged_in_words(ForecastRun(backtest_mae=None)) == [
        ("Backtest on this force's history", "Too little history to judge")
    ]


def test_two_years_of_registrations_run_the_stock_and_flow_model(world: Any) -> None:
    force = _young_register(world, 30)
    run = run_forecast(
        force=force, kind=ForecastKind.MOSOVO, years=3, today=clock.today(), pack=active_policy()
    )
    assert run.source == "records"
    assert len(run.years) == 3
    assert {"demand", "staff", "supervisors", "by_risk", "leaving", "joining"} <= set(run.years[0])
    for year in run.years:
        assert 0 <= year["demand"]["p10"] <= year["demand"]["p50"] <= year["demand"]["p90"]
    made = AuditEvent.objects.filter(event="workforce.forecast_made", object_id=str(run.pk))
    assert made.exists()
    assert actual_demand(force, ForecastKind.MOSOVO, clock.today()) >= 30


def test_the_command_queues_the_forecast_as_a_task(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _young_register(world, 30)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("forecast", "--years", "2", stdout=out)
    assert "Queued" in out.getvalue()
    # the tests' task backend runs it at once: the MOSOVO run (the world has no referrals)
    assert ForecastRun.objects.filter(kind=ForecastKind.MOSOVO).exists()
    assert not ForecastRun.objects.filter(kind=ForecastKind.OCSEA).exists()


def test_a_manager_makes_a_forecast_from_the_page_and_watches_it(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from vigil.jobs.models import Job, JobStatus

    _young_register(world, 30)
    client = Client()
    client.force_login(world.users["head_of_pp"])
    page = client.get(reverse("workforce:forecast")).content.decode()
    assert reverse("workforce:forecast-request") in page  # "Make a new forecast"
    form = client.get(reverse("workforce:forecast-request"))
    assert form.context["form"]["years"].value() == 5
    refused = client.post(reverse("workforce:forecast-request"), {"years": "0"})
    assert "Ensure this value is greater than or equal to 1" in refused.content.decode()
    assert not Job.objects.filter(kind="workforce.forecast").exists()  # nothing half-done
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(reverse("workforce:forecast-request"), {"years": "3"})
    job = Job.objects.get(kind="workforce.forecast")
    assert made.url == reverse("jobs:job-detail", kwargs={"pk": job.pk})
    assert job.title == "The demand forecast, 3 years ahead"
    assert (job.arguments, job.force_id, job.requested_by) == (
        {"years": 3},
        world.users["head_of_pp"].force_id,
        world.users["head_of_pp"],
    )
    # the tests' task backend ran it: the job page links to what it made
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    run = ForecastRun.objects.get(kind=ForecastKind.MOSOVO)
    assert run.horizon_years == 3
    watched = client.get(made.url).content.decode()
    assert f'href="{reverse("workforce:forecast")}"' in watched
    assert AuditEvent.objects.filter(event="job.queued", object_id=str(job.pk)).exists()


def test_a_second_forecast_is_refused_while_one_is_being_made(world: Any) -> None:
    from datetime import timedelta as td

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from vigil.jobs.models import Job
    from vigil.workforce.services import forecast_request

    head = world.users["head_of_pp"]
    first = forecast_request(actor=head, years=5)  # waiting for a worker
    with pytest.raises(ValidationError, match=f"already being made.*{first.pk}"):
        forecast_request(actor=head, years=5)
    client = Client()
    client.force_login(head)
    page = client.get(reverse("workforce:forecast")).content.decode()
    assert reverse("jobs:job-detail", kwargs={"pk": first.pk}) in page  # watch it, not another
    assert reverse("workforce:forecast-request") not in page
    api = client.post(
        reverse("api:workforce-forecast-list"), {"years": 5}, content_type="application/json"
    )
    assert api.status_code == 400
    assert "already being made" in str(api.json())
    # waiting long for a busy worker, it is still the one to watch
    long_ago = timezone.now() - td(minutes=11)
    Job.objects.filter(pk=first.pk).update(updated_at=long_ago, created_at=long_ago)
    with pytest.raises(ValidationError, match="already being made"):
        forecast_request(actor=head, years=5)
    # running and not heard from for too long, it has stalled (its worker gone): it no
    # longer stands in the way
    Job.objects.filter(pk=first.pk).update(status="running")
    assert forecast_request(actor=head, years=5).pk != first.pk
    # nor does another force's
    other = world.users["other_force"]
    Job.objects.filter(kind="workforce.forecast").update(force_id=other.force_id)
    assert forecast_request(actor=head, years=5).force_id == head.force_id


@pytest.mark.parametrize("years", [0, 21, -1])
def test_a_forecast_is_one_to_twenty_years_ahead(world: Any, years: int) -> None:
    client = Client()
    client.force_login(world.users["head_of_pp"])
    response = client.post(
        reverse("api:workforce-forecast-list"), {"years": years}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "years" in response.json()


def test_the_api_queues_a_forecast_and_answers_the_job(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _young_register(world, 30)
    client = Client()
    client.force_login(world.users["head_of_pp"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:workforce-forecast-list"), {}, content_type="application/json"
        )
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "workforce.forecast"
    watched = client.get(reverse("api:job-detail", kwargs={"pk": body["id"]})).json()
    assert watched["status"] == "done"
    runs = client.get(reverse("api:workforce-forecast-list")).json()["results"]
    assert [r["horizon_years"] for r in runs] == [5]


def test_the_page_shows_the_latest_and_an_earlier_run(world: Any) -> None:
    force = _young_register(world, 30)
    first = run_forecast(
        force=force, kind=ForecastKind.MOSOVO, years=2, today=clock.today(), pack=active_policy()
    )
    run_forecast(
        force=force, kind=ForecastKind.MOSOVO, years=3, today=clock.today(), pack=active_policy()
    )
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    page = client.get(reverse("workforce:forecast")).content.decode()
    assert "3 years ahead" in page
    assert 'data-vigil-chart-kind="band"' in page
    earlier = client.get(reverse("workforce:forecast"), {"mosovo": str(first.pk)}).content.decode()
    assert "2 years ahead" in earlier
    assert client.get(reverse("workforce:forecast"), {"mosovo": "nonsense"}).status_code == 200


def test_the_staffing_table_downloads_as_csv_and_xlsx(world: Any) -> None:
    import io

    from openpyxl import load_workbook

    run = _mosovo(_young_register(world, 30), 2)
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    url = reverse("workforce:forecast-staffing", kwargs={"pk": run.pk, "extension": "csv"})
    csv_text = client.get(url).content.decode()
    assert csv_text.startswith("Year to,Demand P10,Demand P50")
    assert len(csv_text.strip().splitlines()) == 3  # the header and two years
    xlsx = client.get(url.replace(".csv", ".xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Year to"
    assert isinstance(rows[1][2], float)  # numbers stay numbers
    assert AuditEvent.objects.filter(event="workforce.forecast_exported").count() == 2
    assert client.get(url.replace(".csv", ".pdf")).status_code == 404


def test_an_rsos_hours_come_from_the_policys_frequencies() -> None:
    """Visits by risk level (very high: monthly), ARMS yearly, plans half-yearly, PND checks
    yearly: 3 x 12 + 6 + 3 x 2 + 1 = 49 hours a year for a very high risk RSO."""
    from vigil.workforce.forecast import rso_hours_a_year

    hours = rso_hours_a_year(active_policy())
    assert hours["very_high"] == 49
    assert hours["low"] == 3 + 6 + 6 + 1
    assert hours["reactive"] == 4
