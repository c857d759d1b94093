"""The force performance dashboard (issue 15): each theme's work read by the obligation
engine's own status for the force, an area or a team; month-on-month from the snapshots of
each unit; small counts suppressed for a viewer of aggregates only."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from vigil.accounts.services import area_create, team_create
from vigil.assurance.dashboard import THEMES, dashboard
from vigil.assurance.metrics import Unit
from vigil.assurance.models import MetricSnapshot
from vigil.core.models import TeamKind
from vigil.obligations.models import Obligation
from vigil.obligations.tests.helpers import work_like
from vigil.ocsea.tests.helpers import freeze
from vigil.policy.pack import active as active_policy

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)


def _work(world: Any, team: Any, rule: str, due_late: list[tuple[int, int | None]]) -> None:
    """Obligations of a rule owned by `team`: each (days before today it fell due, days
    after that it was met, or None if still open)."""
    for ago, late in due_late:
        due = TODAY - timedelta(days=ago)
        work_like(
            world,
            rule_id=rule,
            due_date=due,
            met_date=None if late is None else due + timedelta(days=late),
            owner_team=team,
            risk_level="high",
        )


def _teams(world: Any) -> tuple[Any, Any]:
    """The world's MOSOVO team, and a MOSOVO team in a second area of the force."""
    from vigil.core.models import Team

    mosovo = Team.objects.get(force_id=world.nominal.force_id, kind=TeamKind.MOSOVO)
    area = area_create(actor=None, force=mosovo.force, name="Alpha Hills")
    other = team_create(actor=None, area=area, name="Alpha Hills MOSOVO", kind=TeamKind.MOSOVO)
    return mosovo, other


def _theme(board: Any, theme_id: str) -> Any:
    return next(t for t in board.themes if t.theme.id == theme_id)


def test_each_unit_reads_its_own_work_by_the_engines_status(world: Any, monkeypatch: Any) -> None:
    freeze(monkeypatch, TODAY)
    mosovo, other = _teams(world)
    # this month: due on the 2nd met in time, on the 3rd met late, on the 4th open (overdue)
    _work(world, other, "rso.review.visit", [(8, 0), (7, 2), (6, None), (5, 0), (4, 0)])
    _work(world, mosovo, "rso.review.visit", [(3, 0), (2, None)])
    force_id = world.nominal.force_id
    pack = active_policy()
    whole = _theme(dashboard(unit=Unit(force_id), today=TODAY, smallest=0, pack=pack), "reviews")
    area = _theme(
        dashboard(unit=Unit(force_id, other.area_id), today=TODAY, smallest=0, pack=pack),
        "reviews",
    )
    team = _theme(
        dashboard(unit=Unit(force_id, other.area_id, other.pk), today=TODAY, smallest=0, pack=pack),
        "reviews",
    )
    home = _theme(
        dashboard(unit=Unit(force_id, mosovo.area_id), today=TODAY, smallest=0, pack=pack),
        "reviews",
    )
    # the new area's one team holds only this work; the world's own area holds the rest
    assert (team.work.due, team.work.in_time, team.work.overdue) == (5, 3, 1)
    assert (area.work.due, area.work.in_time, area.work.overdue) == (5, 3, 1)
    assert team.shown["in_time"].text == "60%"
    assert whole.work.due == area.work.due + home.work.due
    assert whole.work.overdue == area.work.overdue + home.work.overdue
    assert {line.team for line in whole.teams} >= {mosovo.name, other.name}
    assert [line.team for line in area.teams] == [other.name]


def test_a_viewer_of_aggregates_sees_fewer_than_the_policys_smallest(
    world: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, TODAY)
    _, other = _teams(world)
    _work(world, other, "rso.arms.review", [(20, None), (30, None)])
    smallest = active_policy()["workforce.smallest_count"]
    board = dashboard(
        unit=Unit(world.nominal.force_id, other.area_id, other.pk),
        today=TODAY,
        smallest=smallest,
        pack=active_policy(),
    )
    rso = _theme(board, "rso")
    assert rso.shown["overdue"].text == f"Fewer than {smallest}"
    assert rso.shown["overdue"].suppressed
    assert rso.shown["overdue"].value is None
    # an area's or a team's R12 table and trend are for those who see every count; there,
    # the table holds the same work, by risk level and band
    assert board.band_totals is None
    assert rso.trend == []
    whole = dashboard(
        unit=Unit(world.nominal.force_id, other.area_id, other.pk),
        today=TODAY,
        smallest=0,
        pack=active_policy(),
    )
    high = next(r for r in whole.band_rows if r.risk == "high")
    assert high.total == _theme(whole, "rso").work.overdue == 2


def test_each_unit_is_kept_each_month_and_makes_its_trend(world: Any, monkeypatch: Any) -> None:
    mosovo, other = _teams(world)
    _work(world, other, "rso.review.visit", [(20, 0), (19, 0), (18, 5)])  # due in November
    _work(world, mosovo, "rso.review.visit", [(17, 0)])
    freeze(monkeypatch, TODAY)
    call_command("snapshot", "--month", "2026-11", stdout=io.StringIO())
    kept = {
        s.unit: (s.numerator, s.denominator)
        for s in MetricSnapshot.objects.filter(
            metric="r13.reviews_in_time", month="2026-11-01", force_id=world.nominal.force_id
        )
    }
    assert kept[f"team:{other.pk}"] == (2, 3)
    assert kept[f"area:{other.area_id}"] == (2, 3)  # an area is the sum of its teams
    home_team, home_area = kept[f"team:{mosovo.pk}"], kept[f"area:{mosovo.area_id}"]
    assert home_team[1] >= 1
    assert kept["force"][1] == home_area[1] + 3
    board = dashboard(
        unit=Unit(world.nominal.force_id, other.area_id, other.pk),
        today=TODAY,
        smallest=0,
        pack=active_policy(),
    )
    reviews = _theme(board, "reviews")
    assert [(m, s.text) for m, s in reviews.trend] == [
        (date(2026, 11, 1), "66.7%"),
        (date(2026, 12, 1), "None due"),  # this month so far
    ]


def test_every_theme_has_a_metric_for_its_trend_and_rules_of_the_engine() -> None:
    from vigil.assurance.metrics import _metrics

    for theme in THEMES:
        assert theme.trend in _metrics, theme.id
        assert theme.prefixes


def test_the_page_filters_by_area_and_team_and_says_what_is_wrong(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    mosovo, other = _teams(world)
    url = reverse("assurance:performance")
    head = client_for("head_of_pp")
    page = head.get(url, {"team": str(mosovo.pk)})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"{mosovo.name}, as of" in html
    assert f"team={mosovo.pk}" in html  # its drill-down keeps the team
    # a team of another area than the one chosen: the field is named, the force shown
    wrong = head.get(url, {"area": str(mosovo.area_id), "team": str(other.pk)})
    assert wrong.status_code == 200
    assert "Choose a team of the area chosen, or every team" in wrong.content.decode()
    assert 'href="#id_team"' in wrong.content.decode()  # the error summary links to the field
    bad = head.get(url, {"team": "not-a-team"})
    assert "Choose one of the force&#x27;s teams" in bad.content.decode()
    pcc = client_for("pcc_assurance").get(url).content.decode()
    assert reverse("obligations:team-worklist") not in pcc  # numbers only
    for name in ("QUENBY", "Quenby", "VARLOWICK", "SYN-QUENBY", "90/1234567A"):
        assert name not in pcc


def test_the_api_gives_the_same_figures_and_names_a_wrong_field(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, TODAY)
    mosovo, other = _teams(world)
    _work(world, other, "rso.review.visit", [(3, 0)] * 6)  # six due this month, all in time
    client = client_for("performance_analyst")
    url = reverse("api:assurance-dashboard")
    body = client.get(url, {"area": str(other.area_id)}).json()
    reviews = next(t for t in body["themes"] if t["id"] == "reviews")
    assert body["unit"] == "Alpha Hills area"
    assert reviews["figures"]["due"] == {"text": "6", "value": 6.0, "suppressed": False}
    assert reviews["figures"]["in_time"]["text"] == "100%"
    wrong = client.get(url, {"area": str(mosovo.area_id), "team": str(other.pk)})
    assert wrong.status_code == 400
    assert "team" in wrong.json()


def test_a_month_gone_reads_the_work_overdue_at_its_close(world: Any, monkeypatch: Any) -> None:
    """A snapshot of November taken in December counts what was overdue on 30 November,
    though it has been done or withdrawn since, so the month reads the same whenever it is
    taken."""
    from django.utils import timezone

    freeze(monkeypatch, TODAY)
    _, other = _teams(world)
    _work(world, other, "rso.arms.review", [(20, 12), (19, None), (18, None), (25, 0)])
    rows = list(Obligation.objects.filter(owner_team=other).order_by("key"))
    # (20, 12): due 20 Nov, met 2 Dec; (19, None): withdrawn 1 Dec; (18, None): still open;
    # (25, 0): met on its day in November
    by_due = {o.due_date: o for o in rows}
    withdrawn = by_due[TODAY - timedelta(days=19)]
    Obligation.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 0))
    )
    call_command("snapshot", "--month", "2026-11", stdout=io.StringIO())
    kept = MetricSnapshot.objects.get(
        metric="r12.rso_work_overdue", month="2026-11-01", unit=f"team:{other.pk}"
    )
    assert kept.numerator == 3  # overdue at the close of 30 November
    now = dashboard(
        unit=Unit(world.nominal.force_id, other.area_id, other.pk),
        today=TODAY,
        smallest=0,
        pack=active_policy(),
    )
    assert _theme(now, "rso").work.overdue == 1  # today: only the one still open


def test_a_colleagues_screening_is_counted_small_unless_one_holds_its_verb(
    world: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, TODAY)
    _, other = _teams(world)
    _work(world, other, "workforce.screening", [(20, None), (30, None)])
    pack = active_policy()
    force = Unit(world.nominal.force_id)
    head = dashboard(
        unit=force, today=TODAY, smallest=0, pack=pack, withheld=frozenset({"manage_wellbeing"})
    )
    lead = dashboard(unit=force, today=TODAY, smallest=0, pack=pack)
    assert _theme(head, "screening").shown["overdue"].suppressed
    assert _theme(lead, "screening").shown["overdue"].text == "2"
    assert not _theme(head, "rso").shown["overdue"].suppressed  # the rest as before


def test_a_figures_worklist_holds_its_rules_and_can_be_widened(world: Any, client_for: Any) -> None:
    _, other = _teams(world)
    _work(world, other, "rso.arms.review", [(30, None)])
    _work(world, other, "rso.pnd.cadence", [(30, None)])
    page = client_for("head_of_pp").get(
        reverse("obligations:team-worklist"),
        {"rules": "rso.arms.", "status": "overdue", "team": str(other.pk)},
    )
    html = page.content.decode()
    assert "the work a figure of the performance dashboard counts" in html
    assert "1 obligations" in html  # the ARMS review, not the PND check
    assert f'?status=overdue&amp;team={other.pk}">Show all the work' in html


def test_a_month_gone_is_read_as_it_closed_on_its_last_day(world: Any, monkeypatch: Any) -> None:
    """November looked at on 10 December: the work that fell due in November and how much of
    it was done in time; overdue, due soon and escalated as at the close of 30 November,
    though done, withdrawn or resolved since; the R12 table's bands counted on 30 November;
    the trend ending with November, not marked "so far". Its overdue figure is November's
    snapshot's."""
    from django.utils import timezone

    from vigil.obligations.models import Escalation

    def at(day: int, month: int = 12) -> Any:
        return timezone.make_aware(timezone.datetime(2026, month, day, 9, 0))

    freeze(monkeypatch, TODAY)
    _, other = _teams(world)
    # due 20 Nov, met 2 Dec (overdue at the close: 10 days, band 8-28); due 18 Nov, still
    # open; due 15 Nov, met on its day; due 25 Nov, withdrawn on 1 Dec
    _work(world, other, "rso.arms.review", [(20, 12), (22, None), (25, 0), (15, None)])
    # due 3 Dec: due soon at the close of 30 November (within the policy's window), met since
    _work(world, other, "rso.visit.frequency", [(7, 0)])
    # due 9 Dec: not due soon on 30 November (outside the window)
    _work(world, other, "rso.rmp.review", [(1, None)])
    # due 28 Nov, met late on 30 Nov: due and done late, not open at the close
    _work(world, other, "rso.arms.initial", [(12, 2)])
    # a supervisor review due 10 Nov, waived on 3 Dec: due in November, and not done in time
    _work(world, other, "rso.review.arms", [(30, None)])
    rows = {o.due_date: o for o in Obligation.objects.filter(owner_team=other)}
    Obligation.objects.filter(pk=rows[date(2026, 11, 25)].pk).update(withdrawn_at=at(1))
    Obligation.objects.filter(pk=rows[date(2026, 11, 10)].pk).update(
        waived_at=at(3), waiver_rationale="Synthetic"
    )

    def escalate(due: date, raised_on: date, resolved_at: Any = None) -> None:
        work = rows[due]
        Escalation.objects.create(
            force_id=work.force_id,
            obligation=work,
            rung="supervisor",
            reason="overdue",
            raised_on=raised_on,
            resolved_at=resolved_at,
        )

    escalate(date(2026, 11, 20), date(2026, 11, 27), resolved_at=at(2))  # open at the close
    # its work done on 30 Nov, resolved by the next night's run: not open at the close
    escalate(date(2026, 11, 28), date(2026, 11, 29), resolved_at=at(1))
    escalate(date(2026, 11, 18), date(2026, 12, 1))  # raised after the month closed
    pack = active_policy()
    assert pack["obligations.due_soon_days"] < 9  # the 9 December work is outside it
    unit = Unit(world.nominal.force_id, other.area_id, other.pk)
    november = dashboard(unit=unit, today=TODAY, smallest=0, pack=pack, month=date(2026, 11, 1))
    rso = _theme(november, "rso")
    assert november.closed
    assert (november.month.start, november.month.end) == (date(2026, 11, 1), date(2026, 11, 30))
    # due in November: 15, 18, 20, 25 (withdrawn only later) and 28 Nov; in time: 15 Nov
    assert (rso.work.due, rso.work.in_time) == (5, 1)
    assert rso.work.overdue == 3  # 20 and 18 Nov open then; 25 Nov withdrawn only later
    assert rso.work.due_soon == 1  # 3 Dec
    assert rso.work.escalated == 1  # raised 27 Nov, resolved 2 Dec; not the 28 Nov work's
    reviews = _theme(november, "reviews")
    assert (reviews.work.due, reviews.work.in_time, reviews.work.overdue) == (1, 0, 1)
    assert rso.trend[-1][0] == date(2026, 11, 1)
    high = next(r for r in november.band_rows if r.risk == "high")
    counts = {c.status: c.count for c in high.cells}
    assert counts == {"overdue_1": 1, "overdue_2": 2, "overdue_3": 0, "overdue_4": 0}
    call_command("snapshot", "--month", "2026-11", stdout=io.StringIO())
    kept = MetricSnapshot.objects.get(
        metric="r12.rso_work_overdue", month="2026-11-01", unit=f"team:{other.pk}"
    )
    assert kept.numerator == rso.work.overdue
    in_time = MetricSnapshot.objects.get(
        metric="r13.reviews_in_time", month="2026-11-01", unit=f"team:{other.pk}"
    )
    assert (in_time.numerator, in_time.denominator) == (0, 1)  # the waiver came later
    # this month so far, the same records: open today, due this month
    today = dashboard(unit=unit, today=TODAY, smallest=0, pack=pack)
    now = _theme(today, "rso")
    assert (now.work.due, now.work.overdue, now.work.escalated) == (2, 2, 1)
    assert _theme(today, "reviews").work.overdue == 0  # waived
    assert not dashboard(
        unit=unit, today=TODAY, smallest=0, pack=pack, month=date(2026, 12, 1)
    ).closed


def test_the_page_and_the_api_show_a_month_gone(
    world: Any, client_for: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, TODAY)
    _mosovo, other = _teams(world)
    _work(world, other, "rso.arms.review", [(20, None)] * 6)  # enough to be shown to all
    url = reverse("assurance:performance")
    head = client_for("head_of_pp")
    html = head.get(url, {"team": str(other.pk), "month": "2026-11"}).content.decode()
    assert f"{other.name}, November 2026, as it closed" in html
    assert "Overdue on 30 November" in html
    assert f"{reverse('obligations:team-worklist')}?rules=" not in html  # not today's work
    assert f'href="?team={other.pk}">see this month so far' in html
    wrong = head.get(url, {"month": "2025-01"}).content.decode()
    assert "Choose this month or one of the last 12 months" in wrong
    assert 'href="#id_month"' in wrong
    api = reverse("api:assurance-dashboard")
    client = client_for("performance_analyst")
    body = client.get(api, {"team": str(other.pk), "month": "2026-11"}).json()
    assert (body["month"], body["closed"], body["as_of"]) == ("2026-11-01", True, "2026-11-30")
    rso = next(t for t in body["themes"] if t["id"] == "rso")
    assert rso["figures"]["overdue"]["value"] == 6
    now = client.get(api).json()
    assert (now["closed"], now["as_of"]) == (False, TODAY.isoformat())
    this_month = client.get(api, {"month": "2026-12"}).json()  # this month, named
    assert (this_month["closed"], this_month["as_of"]) == (False, TODAY.isoformat())
    assert client.get(api, {"month": "2025-01"}).status_code == 404  # not one of the last 12
    refused = client.get(api, {"month": "November"})
    assert refused.status_code == 400
    assert "month" in refused.json()


def test_a_month_gone_counts_the_bails_and_exchanges_open_as_it_closed(
    world: Any, monkeypatch: Any
) -> None:
    """A release under investigation from 30 November, ended on 2 December, was open when
    November closed; an exchange raised on 25 November and answered on 2 December was
    waiting then, one raised on 1 December was not."""
    from vigil.core.models import Area
    from vigil.ocsea import services as ocsea
    from vigil.ocsea.tests.helpers import receive, triage
    from vigil.probation.tests.helpers import exchange

    freeze(monkeypatch, date(2026, 11, 28))
    referral = receive(world)
    triage(world, referral, "high")
    freeze(monkeypatch, date(2026, 11, 30))
    investigator = world.users["investigator"]
    suspect = referral.suspects.get()
    ocsea.arrest_decision_record(
        actor=investigator, suspect=suspect, decision="arrested", decided_on=date(2026, 11, 30)
    )
    rui = ocsea.bail_begin(
        actor=investigator,
        suspect=suspect,
        kind="rui",
        area=Area.objects.get(force=referral.force),
        released_on=date(2026, 11, 30),
    )
    answered = exchange(world, raised_on=date(2026, 11, 25))
    freeze(monkeypatch, TODAY)
    exchange(world, raised_on=date(2026, 12, 1))
    answered.answered_on = date(2026, 12, 2)
    answered.save(update_fields=["answered_on"])
    ocsea.bail_end(actor=investigator, bail=rui, ended_on=date(2026, 12, 2), reason="nfa")
    pack = active_policy()
    force = Unit(world.nominal.force_id)

    def context(board: Any, theme: str) -> dict[str, str]:
        return {label: shown.text for label, shown in _theme(board, theme).context}

    november = dashboard(unit=force, today=TODAY, smallest=0, pack=pack, month=date(2026, 11, 1))
    now = dashboard(unit=force, today=TODAY, smallest=0, pack=pack)
    assert context(november, "bail")["Open: released under investigation"] == "1"
    assert context(now, "bail")["Open: released under investigation"] == "0"
    assert context(november, "probation")["Waiting on probation"] == "1"  # the 25 Nov one
    assert context(now, "probation")["Waiting on probation"] == "1"  # the 1 Dec one
    october = dashboard(unit=force, today=TODAY, smallest=0, pack=pack, month=date(2026, 10, 1))
    assert context(october, "bail")["Open: released under investigation"] == "0"
    assert context(october, "probation")["Waiting on probation"] == "0"
