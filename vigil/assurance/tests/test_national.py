"""The national view (issue 15): the deployment's forces compared on the same metrics from
their monthly snapshots, best first; small counts suppressed for every force."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from vigil.assurance.models import MetricSnapshot
from vigil.assurance.national import compared, spread

pytestmark = pytest.mark.django_db
NOVEMBER = date(2026, 11, 1)


def _kept(force: Any, metric: str, numerator: float, denominator: int | None, rag: str) -> None:
    MetricSnapshot.objects.create(
        force=force,
        unit="force",
        metric=metric,
        month=NOVEMBER,
        numerator=numerator,
        denominator=denominator,
        value=None
        if denominator == 0
        else (100 * numerator / denominator if denominator else numerator),
        rag=rag,
        policy_version="test",
        taken_at="2026-12-01T01:30:00Z",
    )


def _forces(world: Any) -> tuple[Any, Any]:
    return world.nominal.force, world.other_force_nominal.force


def test_forces_are_ranked_best_first_and_small_counts_hidden(world: Any) -> None:
    alpha, beta = _forces(world)
    _kept(alpha, "r13.reviews_in_time", 40, 50, "red")  # 80%
    _kept(beta, "r13.reviews_in_time", 3, 3, "green")  # 100% of three: too few to show
    lines = compared(
        month=NOVEMBER, metric_id="r13.reviews_in_time", own_force=alpha.pk, smallest=5
    )
    assert [(line.force, line.figure.text, line.rag, line.own) for line in lines] == [
        (alpha.name, "80%", "red", True),
        (beta.name, "Fewer than 5 due", "", False),  # unranked, its RAG not shown
    ]
    _kept(alpha, "r2.reviews_overdue", 12, None, "red")
    _kept(beta, "r2.reviews_overdue", 7, None, "amber")
    lower_first = compared(
        month=NOVEMBER, metric_id="r2.reviews_overdue", own_force=beta.pk, smallest=5
    )
    assert [line.figure.text for line in lower_first] == ["7", "12"]
    rows = {s.metric.id: s for s in spread(month=NOVEMBER, own_force=alpha.pk, smallest=5)}
    r13 = rows["r13.reviews_in_time"]
    assert (r13.green, r13.red, r13.not_judged, r13.own_rag) == (0, 1, 1, "red")
    assert (rows["r2.reviews_overdue"].amber, rows["r2.reviews_overdue"].red) == (1, 1)


def test_the_page_and_the_api_compare_and_name_a_wrong_choice(world: Any, client_for: Any) -> None:
    alpha, beta = _forces(world)
    _kept(alpha, "r14.visits_compliant", 45, 50, "green")
    _kept(beta, "r14.visits_compliant", 30, 50, "red")
    pcc = client_for("pcc_assurance")
    page = pcc.get(reverse("assurance:national"), {"metric": "r14.visits_compliant"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "November 2026" in html
    assert html.index(alpha.name) < html.index(beta.name)  # 90% before 60%
    assert "Your force" in html
    wrong = pcc.get(reverse("assurance:national"), {"month": "2019-01"})
    assert "Choose a month whose figures are kept" in wrong.content.decode()
    body = pcc.get(reverse("api:assurance-national"), {"metric": "r14.visits_compliant"}).json()
    assert body["month"] == "2026-11-01"
    assert [f["figure"]["text"] for f in body["forces"]] == ["90%", "60%"]
    refused = pcc.get(reverse("api:assurance-national"), {"metric": "r99.nothing"})
    assert refused.status_code == 400
    assert "metric" in refused.json()


def test_nothing_kept_yet_says_so(world: Any, client_for: Any) -> None:
    page = client_for("head_of_pp").get(reverse("assurance:national"))
    assert "No month's figures have been kept yet" in page.content.decode()
    body = client_for("head_of_pp").get(reverse("api:assurance-national")).json()
    assert body["month"] is None
    assert body["forces"] == []
