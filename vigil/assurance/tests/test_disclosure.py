"""Small counts (issue 15): hidden from a viewer of aggregates, and from a viewer kept out of
any record; and no hidden count found by subtraction from a total shown beside it."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.assurance.disclosure import protect_tree, smallest_shown, withheld
from vigil.policy.pack import active as active_policy

pytestmark = pytest.mark.django_db

FORCE, A, B, NONE = "force", "area A", "area B", "no team"
TREE = {FORCE: [A, B, NONE], A: ["a1", "a2"], B: ["b1"]}


def test_hidden_parts_never_sum_to_less_than_the_smallest() -> None:
    # 12 shown beside 10: were only the two 1s hidden, 12 - 10 would say each is 1
    values = {FORCE: 12, A: 12, B: 0, NONE: 0, "a1": 10, "a2": 1, "b1": 0}
    tree = {FORCE: [A, B, NONE], A: ["a1", "a2", "a3"], B: ["b1"]}
    values["a3"] = 1
    values["a1"] = 10
    assert protect_tree(values, tree, 5) == {"a1", "a2", "a3"}


def test_a_lone_hidden_part_takes_the_smallest_other_with_it() -> None:
    values = {FORCE: 20, A: 12, B: 8, NONE: 0, "a1": 2, "a2": 10, "b1": 8}
    hide = protect_tree(values, TREE, 5)
    # a1 (2) is small; its area's total is shown, so a2 is hidden too: 12 - a2 is not a1
    assert hide == {"a1", "a2"}


def test_a_hidden_area_hides_one_of_its_teams_and_another_area() -> None:
    values = {FORCE: 16, A: 3, B: 13, NONE: 0, "a1": 3, "a2": 0, "b1": 13}
    hide = protect_tree(values, TREE, 5)
    # area A (3) is small, and so its one team; the force is shown, so B goes too (16 - B
    # would be A), and B's one team with it (B's teams would sum to it)
    assert hide == {A, "a1", B, "b1"}


def test_nothing_is_hidden_from_one_who_sees_every_count() -> None:
    assert protect_tree({FORCE: 3, A: 3, "a1": 3}, TREE, 0) == set()


def test_work_of_no_team_is_a_part_like_any_other() -> None:
    values = {FORCE: 30, A: 15, B: 12, NONE: 3, "a1": 15, "a2": 0, "b1": 12}
    assert protect_tree(values, TREE, 5) == {NONE, B, "b1"}


@pytest.mark.parametrize(
    ("persona", "sees_every_count"),
    [
        ("head_of_pp", True),
        ("pcc_assurance", False),
        ("performance_analyst", False),
        ("excluded", False),  # may see records, but is kept out of one: its count could tell
    ],
)
def test_who_sees_every_count(world: Any, persona: str, sees_every_count: bool) -> None:
    pack = active_policy()
    expected = 0 if sees_every_count else pack["workforce.smallest_count"]
    assert smallest_shown(world.users[persona], pack) == expected


def test_a_colleagues_screening_is_counted_small_for_all_but_the_wellbeing_lead(
    world: Any,
) -> None:
    assert withheld(world.users["head_of_pp"]) == {"manage_wellbeing"}
    assert withheld(world.users["wellbeing_lead"]) == frozenset()
