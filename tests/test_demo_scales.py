"""The force and national demo scales are sized sensibly: checked on the scale table and the
sizing functions alone, without generating anything (a force takes minutes, the nation most
of an hour: those belong to `make bench`, never to the suite)."""

from __future__ import annotations

import pytest

from vigil.demo import scales
from vigil.demo.generator import SCALE_NAMES
from vigil.demo.rso import RISK_MIX


def test_the_command_offers_every_scale() -> None:
    assert SCALE_NAMES == ("small", "force", "national")


def test_force_scale_is_one_force_of_about_4500_rsos_and_60_managers() -> None:
    force = scales.scale("force")
    assert len(force.forces) == 1
    (northmoor,) = force.forces
    assert northmoor.code == "northmoor"
    assert force.rsos == 4_500
    assert 55 <= northmoor.managers <= 65
    assert northmoor.teams >= 4  # several MOSOVO teams, each in its own area
    assert northmoor.supervisors == northmoor.teams
    assert len(set(northmoor.areas)) == northmoor.teams
    # the supervisor's team holds about 5,000 open obligations: ~750 RSOs at ~6.5 each
    assert all(700 <= n <= 800 for n in northmoor.team_rsos)
    assert sum(northmoor.team_rsos) == northmoor.rsos
    # a caseload an offender manager could carry
    for rsos, managers in zip(northmoor.team_rsos, northmoor.team_managers, strict=True):
        assert 50 <= rsos / managers <= 100


def test_national_scale_is_43_forces_of_70000_rsos_with_a_few_large_ones() -> None:
    national = scales.scale("national")
    sizes = [f.rsos for f in national.forces]
    assert len(sizes) == 43
    assert national.rsos == sum(scales.national_sizes()) == 70_000
    assert national.forces[0] == scales.scale("force").forces[0]  # Northmoor, exactly
    assert len({f.code for f in national.forces}) == 43
    assert len({f.name for f in national.forces}) == 43
    assert all("(synthetic)" in f.name for f in national.forces)
    assert max(sizes) < 8_000
    assert sum(1 for n in sizes if n >= 4_000) in range(2, 8)  # a few large forces
    assert min(sizes) >= 500
    for force in national.forces:
        assert force.teams >= 2
        assert sum(force.team_rsos) == force.rsos
        assert len(set(force.areas)) == force.teams
        assert all(m >= 2 for m in force.team_managers)
    assert 900 <= sum(f.managers for f in national.forces) <= 1_100


@pytest.mark.parametrize(("total", "weights"), [(10, [1.0, 1.0, 1.0]), (70_000, [3.0, 2.0, 0.5])])
def test_apportion_sums_exactly(total: int, weights: list[float]) -> None:
    shares = scales.apportion(total, weights)
    assert sum(shares) == total
    assert shares == sorted(shares, reverse=True)


def test_risk_mix_is_the_realistic_one() -> None:
    assert dict(RISK_MIX) == {"very_high": 2, "high": 18, "medium": 30, "low": 50}


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(KeyError):
        scales.scale("galactic")
