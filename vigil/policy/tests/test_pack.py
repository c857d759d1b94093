"""The policy pack: defaults, overrides, validation naming the key, versions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from vigil.policy.pack import DEFAULT_PATH, PolicyError, load

ROOT = Path(__file__).resolve().parents[3]


def test_the_default_pack_loads_and_every_rule_has_a_source() -> None:
    pack = load()
    assert pack["rso.home_visit_months"] == {"very_high": 1, "high": 3, "medium": 6, "low": 12}
    assert pack["bail.initial_period_months"] == 3
    for rule in pack.rules.values():
        assert rule.source
        assert rule.description
        assert rule.confidence
    assert len(pack.version) == 64


def _override(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "force.toml"
    path.write_text(text)
    return path


def test_an_override_changes_the_value_and_the_version(tmp_path: Path) -> None:
    base = load()
    pack = load(
        DEFAULT_PATH,
        _override(
            tmp_path,
            """
[pack]
label = "Northmoor 2026"
[rso.home_visit_months]
value = { high = 2 }
source = "Northmoor MOSOVO policy 2026"
[obligations]
due_soon_days = 10
""",
        ),
    )
    assert pack.label == "Northmoor 2026"
    assert pack["rso.home_visit_months"] == {"very_high": 1, "high": 2, "medium": 6, "low": 12}
    assert pack.rule("rso.home_visit_months").source == "Northmoor MOSOVO policy 2026"
    assert pack.rule("rso.home_visit_months").overridden
    assert pack["obligations.due_soon_days"] == 10
    assert pack.version != base.version


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[rso.visit_every_days]\nvalue = 3", "rso.visit_every_days"),
        ("[rso.home_visit_months]\nvalue = { extreme = 1 }", "rso.home_visit_months.extreme"),
        ('[rso.arms_initial_days]\nvalue = "soon"', "rso.arms_initial_days"),
        ("[rso.arms_initial_days]\nvalue = -1", "rso.arms_initial_days"),
        ("[rso.home_visit_months]\nvalue = { low = -12 }", "rso.home_visit_months"),
        ('[ocsea.action_clock_starts]\nvalue = "referral"', "ocsea.action_clock_starts"),
        (
            "[obligations.overdue_band_upper_days]\nvalue = [28, 7, 90]",
            "obligations.overdue_band_upper_days",
        ),
        ('[rso.arms_initial_days]\nvalue = 3\nunit = "weeks"', "rso.arms_initial_days"),
        ('[escalation.rise_to_level]\nvalue = { high = "chief" }', "escalation.rise_to_level"),
    ],
)
def test_a_bad_override_is_refused_naming_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as excinfo:
        load(DEFAULT_PATH, _override(tmp_path, text))
    assert excinfo.value.key == key


def test_a_bad_policy_file_stops_the_start_naming_the_key(tmp_path: Path) -> None:
    path = _override(tmp_path, "[rso.arms_review_months]\nvalue = -6\n")
    env: dict[str, Any] = {
        "PATH": "/usr/bin:/bin",
        "VIGIL_POLICY": str(path),
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
    assert "VIGIL_POLICY" in result.stderr
    assert "rso.arms_review_months" in result.stderr


def test_an_override_changes_one_rung_of_one_ladder(tmp_path: Path) -> None:
    pack = load(
        DEFAULT_PATH,
        _override(tmp_path, "[escalation.overdue_days_to_level]\nvalue.rso = { supervisor = 5 }"),
    )
    ladders = pack["escalation.overdue_days_to_level"]
    assert ladders["rso"] == {"supervisor": 5, "head_of_unit": 29}
    assert ladders["ocsea"] == load()["escalation.overdue_days_to_level"]["ocsea"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("value.rso = { chief = 40 }", "escalation.overdue_days_to_level.rso.chief"),
        ("value.bail = { supervisor = 9 }", "escalation.overdue_days_to_level.bail"),
        ("value.gardening = { supervisor = 9 }", "escalation.overdue_days_to_level.gardening"),
        ("value.rso = { supervisor = -1 }", "escalation.overdue_days_to_level"),
    ],
)
def test_a_bad_ladder_is_refused_naming_it(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(PolicyError) as excinfo:
        load(DEFAULT_PATH, _override(tmp_path, f"[escalation.overdue_days_to_level]\n{text}"))
    assert excinfo.value.key == key


def test_the_policy_page_speaks_in_words(client: Any, world: Any) -> None:
    """Sections, roles, levels and rungs as people say them; no Python lists, no snake case;
    the page's title once."""
    client.force_login(world.users["offender_manager"])
    page = client.get("/policy/").content.decode()
    assert "<title>Policy \u2013 Vigil</title>" in page  # an en dash, once
    assert "OCSEA referrals and investigations</h2>" in page
    assert "Ocsea" not in page
    assert "RSO work: MOSOVO supervisor, Head of public protection" in page
    assert "['" not in page
    words = re.sub(r"<code[^>]*>.*?</code>", "", page, flags=re.S)  # the keys are code
    assert "head_of_pp" not in words
    assert "mosovo_supervisor" not in words
    assert "very high: head of unit" in page
