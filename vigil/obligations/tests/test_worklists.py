"""My work, the team worklist and its export, the risk x band table, over pages and API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from vigil.audit.models import AuditAction, AuditEvent
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.obligations.selectors import WorklistFilters, my_work, risk_band_table


@pytest.fixture(autouse=True)
def _only_the_worlds_test_visits(world: Any) -> None:
    """These tests count the world's two hand-made visits; the RSO records' own obligations
    (their rules are tested in the offenders app) are set aside."""
    Obligation.objects.filter(subject_type="offenders.registration").delete()


def _add(world: Any, *, days_overdue: int, risk: str, key: str) -> Obligation:
    template = world.obligation(world.nominal)
    template.pk = None
    template.key = key
    template.risk_level = risk
    template.due_date = clock.today() - timedelta(days=days_overdue)
    template.save(force_insert=True)
    return template


def test_my_work_puts_overdue_first_by_risk_then_days(world: Any) -> None:
    low_old = _add(world, days_overdue=60, risk="low", key="a")
    very_high_new = _add(world, days_overdue=2, risk="very_high", key="b")
    soon = _add(world, days_overdue=-3, risk="medium", key="c")
    later = _add(world, days_overdue=-30, risk="high", key="d")
    work = my_work(user=world.users["offender_manager"], today=clock.today())
    overdue = [o.key for o in work["overdue"]]
    assert overdue.index(very_high_new.key) < overdue.index("1") < overdue.index(low_old.key)
    assert [o.key for o in work["due_soon"]] == [soon.key]
    assert later.key not in overdue


def test_the_risk_band_table_counts_by_band(world: Any) -> None:
    _add(world, days_overdue=3, risk="high", key="a")
    _add(world, days_overdue=100, risk="high", key="b")
    _add(world, days_overdue=30, risk="low", key="c")
    _bands, rows, totals = risk_band_table(
        user=world.users["mosovo_supervisor"], filters=WorklistFilters(), today=clock.today()
    )
    high = next(r for r in rows if r.risk == "high")
    # the world's two overdue visits (10 days, high) + a 3-day and a 100-day one
    assert [c.count for c in high.cells] == [1, 2, 0, 1]
    low = next(r for r in rows if r.risk == "low")
    assert [c.count for c in low.cells] == [0, 0, 1, 0]
    assert totals.total == 5


def test_the_table_hides_what_the_reader_is_kept_out_of(world: Any) -> None:
    _, _, totals = risk_band_table(
        user=world.users["excluded"], filters=WorklistFilters(team="all"), today=clock.today()
    )
    assert totals.total == 1  # the limited record's visit is not counted for them


def test_the_worklist_export_is_a_recorded_disclosure(world: Any, client_for: Any) -> None:
    client = client_for("mosovo_supervisor")
    response = client.post(
        reverse("obligations:team-worklist-export") + "?status=overdue",
        {"recipients": "Northmoor MAPPA coordinator", "justification": "Level 2 meeting"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "QUENBY, Adrian" in body
    assert "Home visit" in body
    export = AuditEvent.objects.get(event="obligations.exported")
    assert export.action == AuditAction.DISCLOSURE
    assert export.recipients == ["Northmoor MAPPA coordinator"]
    assert len(export.people) == 2  # each person in it, named by the one disclosure


def test_the_api_gives_the_same_statuses_and_scopes_non_supervisors(
    world: Any, client_for: Any
) -> None:
    _add(world, days_overdue=1, risk="low", key="x")
    Obligation.objects.filter(key="x").update(owner_user=world.users["investigator"])
    mine = client_for("investigator").get(reverse("api:obligation-list"), {"team": "all"}).json()
    assert [o["key"] if "key" in o else o["label"] for o in mine["results"]] == ["Home visit"]
    team = client_for("mosovo_supervisor").get(reverse("api:obligation-list")).json()
    statuses = {o["status"] for o in team["results"]}
    assert statuses <= {"overdue_1", "overdue_2"}
    assert all(o["days_overdue"] >= 1 for o in team["results"])
    table = client_for("mosovo_supervisor").get(reverse("api:obligation-risk-bands")).json()
    assert table["totals"]["total"] == 3  # the two visits and the investigator's
    assert next(b["label"] for b in table["bands"]) == "1 to 7 days overdue"


def test_listing_work_logs_each_person_shown(world: Any, client_for: Any) -> None:
    client_for("offender_manager").get(reverse("obligations:my-work"))
    (listed,) = AuditEvent.objects.filter(event="obligation.listed")
    assert set(listed.people) == {str(world.nominal.pk), str(world.limited.pk)}


def test_the_team_table_counts_each_teams_work(world: Any, client_for: Any) -> None:
    from vigil.obligations.selectors import team_table

    _add(world, days_overdue=100, risk="low", key="z")
    _bands, rows = team_table(user=world.users["head_of_pp"], kind="", today=clock.today())
    (mosovo,) = rows
    assert mosovo.open == 3
    assert [c.count for c in mosovo.cells] == [0, 2, 0, 1]
    assert client_for("head_of_pp").get(reverse("obligations:team-table")).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"), [({"status": "nonsense"}, "status"), ({"sort": "nonsense"}, "sort")]
)
def test_an_unknown_filter_is_a_400_naming_it(world: Any, query: Any, field: str) -> None:
    from django.test import Client

    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    response = client.get(reverse("api:obligation-list"), query)
    assert response.status_code == 400
    assert set(response.json()) == {field}


def test_the_head_of_public_protection_opens_on_the_whole_force(
    world: Any, client_for: Any
) -> None:
    """The head sits in a headquarters team that owns no work: "my teams" would show a table
    of zeros while the force has overdue work. A role that reads the whole force opens on it,
    and the heading says so; a supervisor opens on their own teams."""
    head, supervisor = world.users["head_of_pp"], world.users["mosovo_supervisor"]
    _add(world, days_overdue=3, risk="high", key="a")
    as_head = risk_band_table(user=head, filters=WorklistFilters(), today=clock.today())[2]
    as_supervisor = risk_band_table(
        user=supervisor, filters=WorklistFilters(), today=clock.today()
    )[2]
    assert as_head.total == as_supervisor.total == 3  # the world's two visits and this one
    mine = risk_band_table(user=head, filters=WorklistFilters(team="mine"), today=clock.today())
    assert mine[2].total == 0  # the headquarters team's own work: none
    for url in (reverse("obligations:risk-bands"), reverse("obligations:team-worklist")):
        page = client_for("head_of_pp").get(url).content.decode()
        assert "Alpha Police (test), all teams" in page
        assert '<option value="all" selected>' in page
        page = client_for("mosovo_supervisor").get(url).content.decode()
        assert "Your teams: Alpha mosovo" in page
        assert '<option value="mine" selected>' in page
    chosen = (
        client_for("head_of_pp")
        .get(reverse("obligations:team-worklist"), {"team": "mine"})
        .content.decode()
    )
    assert "Your teams: Alpha headquarters" in chosen
    answer = client_for("head_of_pp").get(reverse("api:obligation-risk-bands")).json()
    assert answer["totals"]["total"] == 3  # the API opens on the same default


def test_my_work_shows_what_waits_for_the_role_in_the_team(world: Any, client_for: Any) -> None:
    """Work a team owns and no one has taken (a supervisor's reviews) is shown to whoever in
    the team acts on it, labelled as the team's, and not to the rest of the team."""
    from vigil.obligations.sync import sync_all

    sync_all()  # the RSO records' own obligations, set aside by this module's fixture
    reviews = Obligation.objects.open().filter(rule_id__startswith="rso.review.")
    assert reviews.exists()
    assert not reviews.filter(owner_user__isnull=False).exists()
    supervisor = my_work(user=world.users["mosovo_supervisor"], today=clock.today())
    waiting = {o.pk for o in supervisor["waiting"]}
    overdue_reviews = [o for o in reviews if o.due_date < clock.today()]
    assert overdue_reviews
    assert {o.pk for o in overdue_reviews} <= waiting
    assert supervisor["waiting_count"] == len(waiting)
    assert all(o.owner_user_id is None for o in supervisor["waiting"])
    manager = my_work(user=world.users["offender_manager"], today=clock.today())
    assert manager["waiting"] == []  # an offender manager does not review
    page = client_for("mosovo_supervisor").get(reverse("obligations:my-work")).content.decode()
    assert "Waiting for your team" in page
    assert "Unallocated" in page
    page = client_for("offender_manager").get(reverse("obligations:my-work")).content.decode()
    assert "Waiting for your team" not in page


def test_overdue_tags_have_a_key_to_their_colours(world: Any, client_for: Any) -> None:
    """Each overdue band has its own tag colour, and every list with overdue tags carries the
    key: the policy's bands, in the colours the tags use (one scheme, presentation.py)."""
    from vigil.obligations.presentation import overdue_legend
    from vigil.obligations.status import overdue_bands

    legend = overdue_legend()
    assert [e.label for e in legend] == [b.label for b in overdue_bands()]
    assert len({e.tag_class for e in legend}) == len(legend)  # a colour each
    mine = client_for("offender_manager").get(reverse("obligations:my-work")).content.decode()
    team = client_for("mosovo_supervisor").get(reverse("obligations:team-worklist"))
    bands = client_for("mosovo_supervisor").get(reverse("obligations:risk-bands"))
    for page in (mine, team.content.decode(), bands.content.decode()):
        for entry in legend:
            assert f'<strong class="govuk-tag {entry.tag_class}">Overdue</strong>' in page
            assert entry.label in page


def test_the_heat_map_shades_in_four_even_steps() -> None:
    from vigil.obligations.templatetags.vigil_obligations import heat

    assert [heat(n, 100) for n in (0, 1, 25, 26, 50, 51, 75, 76, 100)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert heat(5, 0) == 0
