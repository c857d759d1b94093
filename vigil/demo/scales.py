"""How big each demo scale is: the forces, and for each its RSOs, MOSOVO teams, offender
managers and supervisors. Pure arithmetic, no database: the scale table is tested without
generating anything.

- `small`: two forces, 200 RSOs (generator.py's own path, written through the services).
- `force`: one force of 4,500 RSOs in six MOSOVO teams of about 750, sixty offender managers
  (a caseload of about 75 each) and a supervisor per team: a supervisor's team has about
  5,000 open obligations, the load the worklist targets are set for.
- `national`: 43 forces, 70,000 RSOs. The first force is the `force` scale's Northmoor,
  exactly (same size, teams and logins), so a figure measured on it at both scales shows
  what the other 42 forces cost; the rest share the remainder by a Zipf-like curve, so a
  few forces are large (6,700 RSOs) and most small (600 to 2,000), as in England and Wales.

OCSEA work is sized with the force: Northmoor receives about 2,000 referrals a year (five
years of them in the demo), the other forces in proportion to their RSOs (about 31,000 a
year nationally); each force's OCSEA team has an investigator for about 100 referrals a year,
a triage officer and a supervisor for about 700, and its child abuse investigation team an
investigator for about 400.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CASELOAD = 75  # RSOs per offender manager
TEAM_SIZE = 750  # RSOs per MOSOVO team (ten offender managers and a supervisor)
FORCE_RSOS = 4_500
NATIONAL_RSOS = 70_000
NATIONAL_FORCES = 43
# The curve the 42 other forces are sized by: weight 1 / (rank + OFFSET) ** EXPONENT.
ZIPF_EXPONENT = 0.9
ZIPF_OFFSET = 3
OCSEA_REFERRALS_PER_YEAR = 2_000  # in a force of FORCE_RSOS; others in proportion
OCSEA_YEARS = 5

# Synthetic force names: no real force is named, and none of these is a real county.
_PLACE_A = ["North", "South", "East", "West", "High", "Nether", "Upper", "Far", "Mid", "Low"]
_PLACE_B = ["moor", "vale", "dale", "fell", "combe", "marsh", "wick", "ford", "mere", "holt"]
AREA_SUFFIXES = [
    "City",
    "North",
    "South",
    "East",
    "West",
    "Central",
    "Coast",
    "Valley",
    "Borders",
    "Uplands",
    "Harbour",
    "Rural",
]
# Northmoor keeps the areas the small demo has, then more.
NORTHMOOR_AREAS = [
    "Northmoor City",
    "Eastdale",
    "Westfell",
    "Southmarsh",
    "Highcombe",
    "Rivermouth",
    "Ashwick",
    "Fenholt",
    "Greywater",
]


@dataclass(frozen=True)
class ForcePlan:
    """One force of a scaled demo: its RSOs split over MOSOVO teams (one area each)."""

    code: str
    name: str
    rsos: int
    team_rsos: tuple[int, ...]  # RSOs per MOSOVO team
    team_managers: tuple[int, ...]  # offender managers per MOSOVO team
    areas: tuple[str, ...]  # one per MOSOVO team
    referrals_per_year: int = 0  # OCSEA referrals

    @property
    def referrals(self) -> int:
        return self.referrals_per_year * OCSEA_YEARS

    @property
    def ocsea_investigators(self) -> int:
        return max(2, math.ceil(self.referrals_per_year / 100))

    @property
    def ocsea_triage(self) -> int:
        return max(1, math.ceil(self.referrals_per_year / 700))

    @property
    def ocsea_supervisors(self) -> int:
        return max(1, math.ceil(self.referrals_per_year / 700))

    @property
    def cait_investigators(self) -> int:
        return max(1, math.ceil(self.referrals_per_year / 400))

    @property
    def teams(self) -> int:
        return len(self.team_rsos)

    @property
    def managers(self) -> int:
        return sum(self.team_managers)

    @property
    def supervisors(self) -> int:
        return self.teams  # one MOSOVO supervisor per team


@dataclass(frozen=True)
class Scale:
    name: str
    description: str
    forces: tuple[ForcePlan, ...]

    @property
    def rsos(self) -> int:
        return sum(f.rsos for f in self.forces)

    @property
    def referrals(self) -> int:
        return sum(f.referrals for f in self.forces)


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` whole shares differing by at most one, larger first."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def apportion(total: int, weights: list[float]) -> list[int]:
    """`total` in whole shares proportional to `weights` (largest remainder), summing exactly
    to `total`."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def plan_force(
    code: str, name: str, rsos: int, areas: list[str], referrals_per_year: int | None = None
) -> ForcePlan:
    """A force's MOSOVO teams of about TEAM_SIZE RSOs (at least two), each with managers
    for a caseload of about CASELOAD (at least two), and its OCSEA referrals a year (by
    default in proportion to its RSOs)."""
    teams = max(2, round(rsos / TEAM_SIZE))
    team_rsos = split(rsos, teams)
    return ForcePlan(
        code=code,
        name=name,
        rsos=rsos,
        team_rsos=tuple(team_rsos),
        team_managers=tuple(max(2, math.ceil(n / CASELOAD)) for n in team_rsos),
        areas=tuple(areas[:teams]),
        referrals_per_year=referrals_per_year
        if referrals_per_year is not None
        else round(OCSEA_REFERRALS_PER_YEAR * rsos / FORCE_RSOS),
    )


def force_names() -> list[tuple[str, str]]:
    """(code, place) for the national forces in a fixed order, Northmoor first."""
    places = ["Northmoor"] + [
        f"{a}{b}" for b in _PLACE_B for a in _PLACE_A if f"{a}{b}" not in ("Northmoor",)
    ]
    return [(p.lower(), p) for p in places[:NATIONAL_FORCES]]


def national_sizes() -> list[int]:
    """RSOs per force, Northmoor first at the force scale's size, the other 42 by the curve
    (largest first)."""
    others = NATIONAL_FORCES - 1
    weights = [1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(others)]
    return [FORCE_RSOS, *apportion(NATIONAL_RSOS - FORCE_RSOS, weights)]


def _areas(place: str, teams: int) -> list[str]:
    if place == "Northmoor":
        return NORTHMOOR_AREAS
    return [f"{place} {suffix}" for suffix in AREA_SUFFIXES][: max(teams, 2)]


def _northmoor() -> ForcePlan:
    return plan_force("northmoor", "Northmoor Police (synthetic)", FORCE_RSOS, NORTHMOOR_AREAS)


def scale(name: str) -> Scale:
    if name == "force":
        return Scale(
            "force", "one force: 4,500 RSOs, 6 MOSOVO teams, 60 offender managers", (_northmoor(),)
        )
    if name == "national":
        plans = [_northmoor()]
        for (code, place), rsos in list(zip(force_names(), national_sizes(), strict=True))[1:]:
            teams = max(2, round(rsos / TEAM_SIZE))
            plans.append(
                plan_force(code, f"{place} Police (synthetic)", rsos, _areas(place, teams))
            )
        return Scale("national", "43 forces, 70,000 RSOs", tuple(plans))
    raise KeyError(name)


SCALED = ("force", "national")
