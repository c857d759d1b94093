"""Instrument packs: loading and checking a file (errors naming the file and the item, section
or band at fault), the shipped packs, scoring at the band boundaries, overrides, and a
force's directory replacing a shipped pack."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vigil.instruments.packs import (
    OCSEA_BANDS,
    OCSEA_KIND,
    SHIPPED_DIR,
    AnswerError,
    PackError,
    UnknownPackError,
    available_packs,
    get_pack,
    load_directories,
    load_pack,
    packs_for,
)
from vigil.instruments.tests.packdata import ACCESS, small_pack, to_toml, write_pack
from vigil.policy.pack import active as active_policy

ROOT = Path(__file__).resolve().parents[3]


def _load(tmp_path: Path, pack: dict[str, Any]) -> Any:
    return load_pack(write_pack(tmp_path, pack))


# --- the shipped packs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "code", "group"),
    [
        ("kirat-illustrative.toml", "kirat", "adult"),
        ("prioritisation-illustrative.toml", "prioritisation-tool", "child"),
    ],
)
def test_the_shipped_packs_load_and_are_illustrative(filename: str, code: str, group: str) -> None:
    pack = load_pack(SHIPPED_DIR / filename)
    assert pack.code == code
    assert pack.kind == OCSEA_KIND
    assert pack.illustrative
    assert "illustrative" in pack.name.lower()
    assert group in pack.applies_to
    assert tuple(b.code for b in pack.bands) == OCSEA_BANDS
    assert pack.bands[0].min_score == 0 == pack.min_score
    assert pack.bands[-1].min_score <= pack.max_score  # every band can be scored
    assert pack.overrides
    assert pack.digest == hashlib.sha256((SHIPPED_DIR / filename).read_bytes()).hexdigest()
    assert pack.shipped


def test_kirat_has_four_steps_of_about_fourteen_questions() -> None:
    pack = get_pack("kirat")
    assert [s.id for s in pack.sections] == [
        "previous_behaviours",
        "access_to_children",
        "behavioural_facilitators",
        "other_factors",
    ]
    assert 12 <= len(pack.items) <= 16
    # current access to children forces at least high; evidence of contact offending very high
    answers = {i.id: i.options[0].id for i in pack.items}
    assert pack.score({**answers, "current_access": "lives_with"}).band == "high"
    assert pack.score({**answers, "contact_offending": "evidence"}).band == "very_high"


def test_every_shipped_band_takes_its_timescale_from_the_policy() -> None:
    policy = active_policy()
    for pack in available_packs():
        for band in pack.bands:
            assert band.timescale == f"ocsea.action_days_by_band.{band.code}"
            assert policy["ocsea.action_days_by_band"][band.code] >= 1


def test_packs_for_an_adult_and_a_child_suspect() -> None:
    assert [p.code for p in packs_for(OCSEA_KIND, "adult")] == ["kirat"]
    assert [p.code for p in packs_for(OCSEA_KIND, "child")] == ["prioritisation-tool"]
    assert packs_for("another_kind", "adult") == []
    with pytest.raises(ValueError, match="age_group"):
        packs_for(OCSEA_KIND, "elderly")


def test_an_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(UnknownPackError) as excinfo:
        get_pack("nope")
    assert str(excinfo.value) == (
        "No instrument pack 'nope' is loaded (loaded: kirat, prioritisation-tool)"
    )
    assert isinstance(excinfo.value, KeyError)


# --- checking a pack -----------------------------------------------------------------------


def test_the_small_pack_loads(tmp_path: Path) -> None:
    pack = _load(tmp_path, small_pack())
    assert [i.id for i in pack.items] == ["access", "images", "contact"]
    assert pack.item("access").hint == "Children in the household"
    assert pack.item("images").option("many").flags == ("volume",)
    assert (pack.min_score, pack.max_score) == (0, 9)
    assert not pack.shipped


def _item(p: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(i for s in p["sections"] for i in s["items"] if i["id"] == item_id)


def _option(p: dict[str, Any], item_id: str, option_id: str) -> dict[str, Any]:
    return next(o for o in _item(p, item_id)["options"] if o["id"] == option_id)


Change = Callable[[dict[str, Any]], Any]

BAD: list[tuple[str, Change, list[str]]] = [
    ("unknown key", lambda p: p.update(colour="red"), ["unknown key colour"]),
    ("missing key", lambda p: p.pop("bands"), ["lacks bands"]),
    ("unknown item key", lambda p: _item(p, "images").update(weight=2), ["'images'", "weight"]),
    ("missing item key", lambda p: _item(p, "images").pop("text"), ["'images'", "lacks text"]),
    ("missing option key", lambda p: _option(p, "images", "some").pop("points"), ["'some'"]),
    (
        "unknown section key",
        lambda p: p["sections"][1].update(colour="red"),
        ["section 'two'", "colour"],
    ),
    (
        "repeated item id",
        lambda p: _item(p, "contact").update(id="access"),
        ["item 'access' appears more than once"],
    ),
    (
        "repeated section id",
        lambda p: p["sections"][1].update(id="one"),
        ["section 'one' appears more than once"],
    ),
    (
        "repeated option id",
        lambda p: _option(p, "images", "some").update(id="none"),
        ["item 'images'", "option 'none' appears more than once"],
    ),
    (
        "points as text",
        lambda p: _option(p, "images", "some").update(points="2"),
        ["item 'images'", "option 'some'", "points must be a whole number"],
    ),
    (
        "points as a fraction",
        lambda p: _option(p, "images", "some").update(points=2.5),
        ["item 'images'", "option 'some'", "points must be a whole number"],
    ),
    (
        "points as true",
        lambda p: _option(p, "images", "some").update(points=True),
        ["option 'some'", "points must be a whole number"],
    ),
    ("no options", lambda p: _item(p, "images").update(options=[]), ["'images'", "options"]),
    ("an item id not a name", lambda p: _item(p, "images").update(id="Images 2"), ["'Images 2'"]),
    ("a bad flag", lambda p: _option(p, "images", "many").update(flags=["Big one"]), ["flag"]),
    (
        "override of an unknown item",
        lambda p: p["overrides"][0].update(item="nope"),
        ["override 1", "item 'nope'"],
    ),
    (
        "override of an unknown option",
        lambda p: p["overrides"][1].update(options=["maybe"]),
        ["override 2", "option 'maybe'", "'contact'"],
    ),
    (
        "override to an unknown band",
        lambda p: p["overrides"][0].update(band="extreme"),
        ["override 1", "band 'extreme'"],
    ),
    (
        "bands out of order",
        lambda p: p["bands"][1].update(min_score=6),
        ["band 'high'", "must be above band 'medium'"],
    ),
    (
        "two bands from one score",
        lambda p: p["bands"][2].update(min_score=3),
        ["band 'high'", "must be above band 'medium'"],
    ),
    (
        "first band above the lowest score",
        lambda p: p["bands"][0].update(min_score=1),
        ["band 'low'", "lowest possible score"],
    ),
    (
        "repeated band",
        lambda p: p["bands"][1].update(code="low"),
        ["band 'low' appears more than once"],
    ),
    (
        "OCSEA bands not the four",
        lambda p: p["bands"].pop(),
        ["bands", "low, medium, high, very_high"],
    ),
    (
        "OCSEA bands renamed",
        lambda p: p["bands"][3].update(code="critical"),
        ["low, medium, high, very_high", "critical"],
    ),
    (
        "OCSEA band without a timescale",
        lambda p: p["bands"][2].pop("timescale"),
        ["band 'high'", "lacks timescale"],
    ),
    ("applies to no one known", lambda p: p.update(applies_to=["elderly"]), ["applies_to"]),
    ("applies to no one", lambda p: p.update(applies_to=[]), ["applies_to must not be empty"]),
    ("illustrative as text", lambda p: p.update(illustrative="yes"), ["illustrative"]),
    ("version as a number", lambda p: p.update(version=2), ["version must be text"]),
    ("code not a slug", lambda p: p.update(code="Test Tool"), ["code 'Test Tool'"]),
    ("code too long", lambda p: p.update(code="x" * 61), ["code must be at most 60"]),
    ("empty name", lambda p: p.update(name=" "), ["name must not be empty"]),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(c, e) for _, c, e in BAD], ids=[n for n, *_ in BAD]
)
def test_a_bad_pack_is_refused_naming_the_file_and_what_is_wrong(
    tmp_path: Path, change: Change, expected: list[str]
) -> None:
    pack = small_pack()
    change(pack)
    with pytest.raises(PackError) as excinfo:
        _load(tmp_path, pack)
    message = str(excinfo.value)
    assert message.startswith("pack.toml: ")
    for part in expected:
        assert part in message, (part, message)


def test_a_pack_of_another_kind_may_have_its_own_bands(tmp_path: Path) -> None:
    pack = small_pack(kind="welfare_check")
    pack["bands"] = [
        {"code": "routine", "label": "Routine", "min_score": 0},
        {"code": "urgent", "label": "Urgent", "min_score": 4},
    ]
    pack["overrides"] = [{"item": "access", "options": ["yes"], "band": "urgent", "reason": "R"}]
    loaded = _load(tmp_path, pack)
    assert loaded.score({"access": "yes", "images": "none", "contact": "no"}).band == "urgent"
    assert loaded.band("urgent").timescale == ""


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('code = "x"\nname = \n')
    with pytest.raises(PackError, match=r"^broken.toml: cannot be read"):
        load_pack(path)


def test_a_timescale_that_is_not_a_policy_key_is_refused(tmp_path: Path) -> None:
    pack = small_pack()
    pack["bands"][3]["timescale"] = "ocsea.action_days_by_band.extreme"
    write_pack(tmp_path, pack)
    _load(tmp_path, pack)  # the file itself is sound: the policy is another matter
    with pytest.raises(PackError) as excinfo:
        load_directories([tmp_path], active_policy())
    assert "band 'very_high'" in str(excinfo.value)
    assert "ocsea.action_days_by_band.extreme" in str(excinfo.value)


# --- scoring -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "score", "scored", "band", "override"),
    [
        ({"access": "no", "images": "none", "contact": "no"}, 0, "low", "low", ""),
        # 3 is medium's first score, 5 high's, 7 very high's
        ({"access": "no", "images": "some", "contact": "no"}, 3, "medium", "medium", ""),
        ({"access": "no", "images": "many", "contact": "no"}, 5, "high", "high", ""),
        ({"access": "yes", "images": "many", "contact": "no"}, 8, "very_high", "very_high", ""),
        # current access: 3 points (medium) forced to at least high
        ({"access": "yes", "images": "none", "contact": "no"}, 3, "medium", "high", "access"),
        # high by score already: the access override raises nothing and is not recorded
        ({"access": "yes", "images": "some", "contact": "no"}, 6, "high", "high", ""),
        # contact: 1 point (low) forced to very high
        ({"access": "no", "images": "none", "contact": "yes"}, 1, "low", "very_high", "contact"),
        ({"access": "no", "images": "many", "contact": "yes"}, 6, "high", "very_high", "contact"),
        # both: the higher override is the one recorded
        (
            {"access": "yes", "images": "none", "contact": "yes"},
            4,
            "medium",
            "very_high",
            "contact",
        ),
        # very high by score: no override raises it, none is recorded
        ({"access": "yes", "images": "many", "contact": "yes"}, 9, "very_high", "very_high", ""),
    ],
)
def test_scoring_at_the_band_boundaries_and_overrides(
    tmp_path: Path,
    answers: dict[str, str],
    score: int,
    scored: str,
    band: str,
    override: str,
) -> None:
    pack = _load(tmp_path, small_pack())
    result = pack.score(answers)
    assert (result.score, result.scored_band, result.band) == (score, scored, band)
    assert result.override_item == override
    assert result.override_reason == (
        {"access": "Current access", "contact": "Contact"}[override] if override else ""
    )
    assert result.band_label == pack.band(band).label
    assert result.timescale_key == f"ocsea.action_days_by_band.{band}"
    assert sum(result.item_points.values()) == score


def test_a_score_exactly_on_each_band_minimum(tmp_path: Path) -> None:
    pack = small_pack()
    pack["sections"][0]["items"][1]["options"] = [
        {"id": f"p{n}", "label": str(n), "points": n} for n in range(10)
    ]
    loaded = _load(tmp_path, pack)
    bands = {
        n: loaded.score({"access": "no", "images": f"p{n}", "contact": "no"}).band
        for n in range(10)
    }
    assert bands == {
        0: "low",
        1: "low",
        2: "low",
        3: "medium",
        4: "medium",
        5: "high",
        6: "high",
        7: "very_high",
        8: "very_high",
        9: "very_high",
    }


def test_flags_are_collected_once_each_in_question_order(tmp_path: Path) -> None:
    pack = _load(tmp_path, small_pack())
    result = pack.score({"access": "yes", "images": "many", "contact": "yes"})
    assert result.flags == ["access", "volume", "contact"]
    assert result.item_points == {"access": 3, "images": 5, "contact": 1}


def test_unanswered_unknown_and_stray_answers_are_named(tmp_path: Path) -> None:
    pack = _load(tmp_path, small_pack())
    with pytest.raises(AnswerError) as excinfo:
        pack.score({"images": "lots", "contact": "", "colour": "red"})
    assert excinfo.value.problems == {
        "access": f"Answer '{ACCESS}'",
        "images": "'lots' is not an answer to 'How many images?'",
        "contact": "Answer 'Is there evidence of contact offending?'",
        "colour": "'colour' is not a question of Test tool",
    }


# --- where packs come from -----------------------------------------------------------------


def _force_kirat(directory: Path) -> Path:
    """The force's licensed KIRAT: here, the shipped file with another name and version."""
    text = (SHIPPED_DIR / "kirat-illustrative.toml").read_text()
    text = text.replace('name = "KIRAT (illustrative)"', 'name = "KIRAT"')
    text = text.replace('version = "2026.1-illustrative"', 'version = "3.2"')
    text = text.replace("illustrative = true", "illustrative = false")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "kirat-licensed.toml"
    path.write_text(text)
    return path


def test_a_force_pack_replaces_the_shipped_pack_of_its_code(tmp_path: Path, settings: Any) -> None:
    force_dir = tmp_path / "force"
    _force_kirat(force_dir)
    write_pack(force_dir, small_pack(), "test-tool.toml")
    packs = load_directories([SHIPPED_DIR, force_dir])
    assert sorted(packs) == ["kirat", "prioritisation-tool", "test-tool"]
    assert (packs["kirat"].name, packs["kirat"].version) == ("KIRAT", "3.2")
    assert not packs["kirat"].illustrative
    assert not packs["kirat"].shipped
    assert packs["prioritisation-tool"].shipped

    # and through the setting (VIGIL_INSTRUMENTS adds the force's directory to it)
    settings.VIGIL_INSTRUMENT_DIRS = [SHIPPED_DIR, force_dir]
    assert get_pack("kirat").version == "3.2"
    assert [p.code for p in packs_for(OCSEA_KIND, "adult")] == ["kirat", "test-tool"]
    assert [p.name for p in available_packs()].count("KIRAT") == 1


def test_two_packs_of_one_code_in_one_directory_are_refused(tmp_path: Path) -> None:
    write_pack(tmp_path, small_pack(), "a.toml")
    write_pack(tmp_path, small_pack(version="2"), "b.toml")
    with pytest.raises(PackError, match=r"^b.toml: code 'test-tool' is also the code of a.toml"):
        load_directories([tmp_path])


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="is not a directory"):
        load_directories([tmp_path / "nowhere"])


def test_a_bad_force_pack_stops_the_start_naming_the_file_and_item(tmp_path: Path) -> None:
    pack = small_pack()
    _option(pack, "images", "some")["points"] = "two"
    (tmp_path / "force").mkdir()
    (tmp_path / "force" / "our-kirat.toml").write_text(to_toml(pack))
    env: dict[str, Any] = {
        "PATH": "/usr/bin:/bin",
        "VIGIL_INSTRUMENTS": str(tmp_path / "force"),
        "VIGIL_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0
    assert "our-kirat.toml" in result.stderr
    assert "item 'images'" in result.stderr
    assert "points must be a whole number" in result.stderr


def test_the_shipped_directory_holds_only_the_illustrative_packs() -> None:
    # a licensed pack must never be committed to Vigil's own directory
    for path in SHIPPED_DIR.glob("*.toml"):
        assert load_pack(path).illustrative, path.name
