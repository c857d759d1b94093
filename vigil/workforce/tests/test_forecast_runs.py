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
