"""The recommendations scorecard (issue 15): every item's metrics read from the records with
the engine's own status, judged by the policy's thresholds, and small counts suppressed for
a viewer who sees aggregates only."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from vigil.assurance.evidence import RECOMMENDATIONS
from vigil.assurance.metrics import Period, Unit, metrics
from vigil.assurance.selectors import scorecard
from vigil.obligations.tests.helpers import work_like
from vigil.policy.pack import active as active_policy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


def test_every_recommendation_item_has_evidence_with_thresholds() -> None:
    pack = active_policy()
    ids = {m.recommendation for m in metrics()}
    assert ids == {r.id for r in RECOMMENDATIONS}  # R1 to R17
    for metric in metrics():
        table = "assurance.rag_percent" if metric.unit == "percent" else "assurance.rag_count"
        assert metric.id in pack[table], metric.id


def _reviews(world: Any, met: list[int | None]) -> None:
    """Supervisor reviews due in the period, each met that many days after its due date (or
    not at all)."""
    for n, late in enumerate(met):
        due = TODAY - timedelta(days=10 + n)
        work_like(
            world,
            rule_id="rso.review.visit",
            kind="rso.review",
            label="Supervisor review",
            due_date=due,
            met_date=None if late is None else due + timedelta(days=late),
        )


def test_a_share_met_in_time_is_the_engines_and_judged_by_the_policy(world: Any) -> None:
    from vigil.assurance.evidence import register  # noqa: F401  (the registry is loaded)
    from vigil.assurance.metrics import _metrics

    _reviews(world, [0, -2, 3, None, 1])  # two in time, two late, one still open
    metric = _metrics["r13.reviews_in_time"]
    reading = metric.read(Unit(world.nominal.force_id), Period.days_to(TODAY, 30), TODAY)
    assert (reading.numerator, reading.denominator, reading.value) == (2, 5, 40.0)
    assert metric.rag(reading.value, active_policy()) == "red"  # below the amber 85
    assert metric.rag(96.0, active_policy()) == "green"
    assert metric.rag(90.0, active_policy()) == "amber"


def test_a_viewer_of_aggregates_sees_no_count_under_five(world: Any) -> None:
    _reviews(world, [0, 0, 0])
    pack = active_policy()
    for persona, shown in (("pcc_assurance", "Fewer than 5 due"), ("head_of_pp", "100%")):
        rows = scorecard(user=world.users[persona], today=TODAY, days=30, pack=pack)
        (r13,) = [r for r in rows if r.recommendation.id == "R13"]
        assert r13.figures[0].shown == shown, persona


def test_the_scorecard_page_names_no_one(world: Any, client_for: Any) -> None:
    _reviews(world, [0, 1, None, 0, 0, 2])
    page = client_for("pcc_assurance").get(reverse("assurance:figures"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "R17" in html
    assert "Probation exchanges answered within the agreement" in html
    for name in ("QUENBY", "Quenby", "VARLOWICK", "SYN-QUENBY", "90/1234567A"):
        assert name not in html
    assert reverse("obligations:team-worklist") not in html  # no drill-down to records
    head = client_for("head_of_pp").get(reverse("assurance:figures") + "?days=30")
    drill = f"{reverse('obligations:team-worklist')}?rules=rso.review.&amp;status=all&amp;team=all"
    assert drill in head.content.decode()


def test_a_month_is_kept_once_and_makes_the_trend(world: Any, client_for: Any) -> None:
    from django.core.management import call_command

    from vigil.assurance.models import MetricSnapshot

    _reviews(world, [0, 0, 0, 0, 0, 9])
    call_command("snapshot", "--month", "2026-11", stdout=io.StringIO())
    call_command("snapshot", "--month", "2026-11", stdout=io.StringIO())
    kept = MetricSnapshot.objects.filter(
        metric="r13.reviews_in_time", force=world.nominal.force, unit="force"
    )
    (november,) = kept  # taken twice, kept once
    assert (november.month, november.numerator, november.denominator) == (date(2026, 11, 1), 5, 6)
    assert november.rag == "red"
    rows = scorecard(user=world.users["head_of_pp"], today=TODAY, days=30, pack=active_policy())
    (r13,) = [r for r in rows if r.recommendation.id == "R13"]
    assert r13.figures[0].trend == ((date(2026, 11, 1), "83.3%"),)
