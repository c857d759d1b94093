"""Deterministic synthetic data: two forces, their areas and teams, one login per role, and
nominals. Everything is written through the services, so the audit chain starts from the
first record. (The `force` and `national` scales are scaled.py's: bulk paths, the same
events.) Names, identifiers and postcodes are made to be plainly synthetic: surnames built
from invented syllables, ZZ99 postcodes (never issued), SYN- register references."""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from vigil.accounts.models import User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import team_create
from vigil.core import clock
from vigil.core.models import Area, Force, TeamKind
from vigil.demo.assurance import make_assurance
from vigil.demo.mappa import make_mappa
from vigil.demo.names import (
    GIVEN,
    STREETS,
    date_between,
    synthetic_postcode,
    synthetic_surname,
)
from vigil.demo.ocsea import generate_small
from vigil.demo.ocsea_plan import Staff
from vigil.demo.org import MAIN_LOGINS, DemoResult, login, make_force
from vigil.demo.probation import make_partnership
from vigil.demo.register import make_register
from vigil.demo.rso import generate_rsos
from vigil.demo.scaled import generate_scaled
from vigil.demo.workforce import make_workforce
from vigil.people import services as people
from vigil.people.models import AddressKind, AliasKind, IdentifierKind, Nominal, Sex
from vigil.policy.pack import active as active_policy
from vigil.workforce.forecast import NoHistory, run_forecast
from vigil.workforce.models import ForecastKind

SCALES = {"small": {"nominals": 200, "second_force_nominals": 15}}
SCALE_NAMES = ("small", "force", "national")  # force and national: scales.py, scaled.py


def _nominals(rng: random.Random, actor: User, count: int, town: str) -> list[Nominal]:
    today = clock.today()
    made = []
    for i in range(count):
        sex = rng.choice([Sex.MALE] * 9 + [Sex.FEMALE])
        dob = date_between(rng, date(1950, 1, 1), today.replace(year=today.year - 15))
        nominal = people.nominal_create(
            actor=actor,
            family_name=synthetic_surname(rng),
            given_names=" ".join(rng.sample(GIVEN[sex], rng.choice([1, 1, 2]))),
            date_of_birth=dob,
            sex=sex,
            identifiers=[
                (
                    IdentifierKind.PNC,
                    f"{dob.year % 100 + 10:02d}/{rng.randint(0, 9999999):07d}"
                    f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}",
                ),
                (IdentifierKind.VISOR, f"SYN-{actor.force.code.upper()}-{i + 1:05d}"),  # type: ignore[union-attr]
            ],
        )
        moved_in = date_between(rng, today - timedelta(days=3650), today - timedelta(days=400))
        people.address_add(
            actor=actor,
            nominal=nominal,
            kind=AddressKind.HOME,
            line_1=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            town=town,
            postcode=synthetic_postcode(rng),
            valid_from=moved_in,
        )
        if rng.random() < 0.3:
            people.address_add(
                actor=actor,
                nominal=nominal,
                kind=AddressKind.HOME,
                line_1=f"Flat {rng.randint(1, 30)}, {rng.randint(1, 80)} {rng.choice(STREETS)}",
                town=town,
                postcode=synthetic_postcode(rng),
                valid_from=date_between(rng, moved_in + timedelta(days=30), today),
            )
        if rng.random() < 0.2:
            people.alias_add(
                actor=actor,
                nominal=nominal,
                kind=rng.choice(AliasKind.values),
                family_name=synthetic_surname(rng),
                given_names=rng.choice(GIVEN[sex]),
            )
        made.append(nominal)
    return made


def generate(
    *, scale: str = "small", seed: int = 1, progress: Callable[[str], None] = print
) -> DemoResult:
    """The demo organisation at a scale: `small` here, in one transaction through the
    services; `force` and `national` by scaled.py's bulk paths, a transaction per force."""
    if scale not in SCALE_NAMES:
        raise ValueError(f"Unknown demo scale {scale!r}")
    if scale != "small":
        return generate_scaled(scale_name=scale, seed=seed, progress=progress)
    return _generate_small(seed=seed, progress=progress)


def _part_rng(part: str, seed: int) -> random.Random:
    """A part of the demo's own generator: leaving a part out leaves the others the same."""
    return random.Random(f"vigil-demo-{part}:{seed}")


@transaction.atomic
def _generate_small(*, seed: int, progress: Callable[[str], None]) -> DemoResult:
    sizes = SCALES["small"]
    rng = random.Random(seed)
    result = DemoResult()

    progress("Creating the synthetic forces, areas and teams")
    force, areas = make_force(
        None,
        "northmoor",
        "Northmoor Police (synthetic)",
        ["Northmoor City", "Eastdale", "Westfell", "Force headquarters"],
    )
    hq = areas["Force headquarters"]
    teams = {
        "ocsea": team_create(actor=None, area=hq, name="OCSEA team", kind=TeamKind.OCSEA),
        "cait": team_create(
            actor=None, area=hq, name="Child abuse investigation team", kind=TeamKind.CHILD_ABUSE
        ),
        "mosovo_city": team_create(
            actor=None,
            area=areas["Northmoor City"],
            name="MOSOVO Northmoor City",
            kind=TeamKind.MOSOVO,
        ),
        "mosovo_east": team_create(
            actor=None, area=areas["Eastdale"], name="MOSOVO Eastdale", kind=TeamKind.MOSOVO
        ),
        "mosovo_west": team_create(
            actor=None, area=areas["Westfell"], name="MOSOVO Westfell", kind=TeamKind.MOSOVO
        ),
        "lpa_city": team_create(
            actor=None,
            area=areas["Northmoor City"],
            name="Northmoor City local policing",
            kind=TeamKind.LOCAL_POLICING,
        ),
        "probation": team_create(
            actor=None, area=hq, name="Probation partnership", kind=TeamKind.PROBATION_PARTNER
        ),
        "pcc": team_create(actor=None, area=hq, name="Office of the PCC", kind=TeamKind.PCC_OFFICE),
        "wellbeing": team_create(actor=None, area=hq, name="Wellbeing", kind=TeamKind.WELLBEING),
        "hq": team_create(
            actor=None, area=hq, name="Public protection headquarters", kind=TeamKind.HEADQUARTERS
        ),
    }
    result.forces.append(force)

    progress("Creating one login per role")
    users = {u: login(None, u, force, role, teams[t], result) for u, role, t in MAIN_LOGINS}

    progress(f"Creating {sizes['nominals']} synthetic nominals")
    made = _nominals(rng, users["offender.manager"], sizes["nominals"], "Northmoor")
    result.nominals += len(made)
    people.nominal_set_limited_access(
        actor=users["mosovo.supervisor"],
        nominal=made[0],
        limited=True,
        reason="Subject is a relative of a serving officer (synthetic example)",
        restricted_to=[users["offender.manager"], users["mosovo.supervisor"], users["head.pp"]],
        excluded_from=[users["excluded.om"]],
        expected_version=made[0].version,
    )

    progress("Creating offender managers and the register, with five years of history")
    managers: dict[str, list[User]] = {}
    for key, team_key in (
        ("city", "mosovo_city"),
        ("east", "mosovo_east"),
        ("west", "mosovo_west"),
    ):
        managers[team_key] = [
            login(None, f"om.{key}{n}", force, RoleCode.OFFENDER_MANAGER, teams[team_key], result)
            for n in (1, 2)
        ]
    managers["mosovo_city"].append(users["offender.manager"])
    managers["mosovo_east"].append(users["excluded.om"])
    result.registrations = generate_rsos(
        rng=rng,
        nominals=made,
        team_managers=[(teams[k], v) for k, v in managers.items()],
        supervisor=users["mosovo.supervisor"],
        head_of_unit=users["head.pp"],
    )

    progress("Importing the national register's extracts, and reconciling the latest")
    # each part with a generator of its own, so a part left out leaves the rest the same
    added = make_register(
        _part_rng("register", seed),
        force,
        users["mosovo.supervisor"],
        users["offender.manager"],
        clock.today(),
    )
    result.registrations += added
    result.nominals += added

    progress("Recording the last MAPPA meeting of each level 2 and 3 case")
    make_mappa(_part_rng("mappa", seed), force, "DI, public protection (chair)", clock.today())

    progress("Recording the agreement with probation and a quarter of exchanges")
    make_partnership(
        _part_rng("probation", seed),
        force,
        head=users["head.pp"],
        partner=users["probation"],
        officers=[m for team in managers.values() for m in team],
        probation_team=teams["probation"],
        police_team=teams["hq"],
        today=clock.today(),
    )

    progress("Creating OCSEA referrals, investigations and bail over eighteen months")
    _ocsea(seed, force, areas, teams, users, made, result)

    progress("Creating staff records and a year of abstractions")
    make_workforce(
        _part_rng("workforce", seed), force, users["head.pp"], clock.today(), users["wellbeing"]
    )
    progress("Making the five-year demand forecast")
    for kind in ForecastKind.values:  # the small demo has years of RSOs, months of referrals
        with suppress(NoHistory):
            run_forecast(force=force, kind=kind, years=5, today=clock.today(), pack=active_policy())

    progress("Creating the second synthetic force")
    other, other_areas = make_force(
        None, "southvale", "Southvale Constabulary (synthetic)", ["Southvale"]
    )
    other_team = team_create(
        actor=None, area=other_areas["Southvale"], name="MOSOVO Southvale", kind=TeamKind.MOSOVO
    )
    other_om = login(None, "southvale.om", other, RoleCode.OFFENDER_MANAGER, other_team, result)
    southvale = _nominals(rng, other_om, sizes["second_force_nominals"], "Southvale")
    result.nominals += len(southvale)
    result.forces.append(other)
    _transfer_asked(other_om, other_team, southvale[0], force)
    result.registrations += 1

    progress("Keeping six months of figures, and making the PCC's report and the monthly pack")
    make_assurance(result.forces, users["head.pp"], clock.today())
    return result


def _ocsea(
    seed: int,
    force: Force,
    areas: dict[str, Area],
    teams: dict[str, Any],
    users: dict[str, User],
    nominals: list[Nominal],
    result: DemoResult,
) -> None:
    """The OCSEA casebook through the services (ocsea.py), from a generator of its own so
    that the RSO part is the same with or without it."""

    staff = Staff(
        teams={"ocsea": teams["ocsea"], "cait": teams["cait"], "lpa": teams["lpa_city"]},
        triage=[users["triage"]],
        supervisors=[users["ocsea.supervisor"]],
        investigators={
            "ocsea": [users["investigator"]],
            "cait": [users["cait.investigator"]],
            "lpa": [],
        },
        areas=[areas["Northmoor City"], areas["Eastdale"], areas["Westfell"]],
    )
    made = generate_small(
        rng=random.Random(f"vigil-demo-ocsea:{seed}"),
        force=force,
        staff=staff,
        administrator=users["sysadmin"],
        rso_nominals=nominals[1:3],  # not the limited-access record
    )
    result.nominals += made.nominals
    result.referrals += made.referrals


def _transfer_asked(om: User, team: Any, nominal: Nominal, to_force: Any) -> None:
    """One RSO of the second force, moving to the first: the transfer waits in the first
    force's Transfers for its supervisor to accept or decline."""
    from vigil.offenders import services as rso

    today = clock.today()
    registration = rso.registration_create(
        actor=om,
        nominal=nominal,
        team=team,
        offender_manager=om,
        registration_date=today - timedelta(days=3 * 365),
        conviction_date=today - timedelta(days=3 * 365 + 60),
        disposal="custody_6_to_30_months",
        risk_level="medium",
        register_reference="SYN-SV-0001",
        in_community_since=today - timedelta(days=3 * 365),
    )
    rso.transfer_request(
        actor=om,
        registration=registration,
        to_force=to_force,
        reason="Synthetic: moving to Northmoor City at the end of the month.",
    )
