"""The `force` and `national` demos: thousands of synthetic RSOs with five years of history.

The small demo writes its people through the services; at these scales that would take hours
(a password hash per login, a transaction, a row lock and an audit append per field), so the
bulk of the data is inserted in batches instead:

- The organisation (forces, areas, teams) and the one login per role in Northmoor go through
  the services, as in the small demo.
- The other staff (offender managers, supervisors, each force's head of public protection)
  are inserted in bulk with one password hash made once and shared (every demo login has
  the same password anyway), each with the `user.created` and `user.membership_added` audit
  events the services write.
- Nominals, their identifiers, addresses and aliases are inserted in bulk, each with the
  audit events the people services write for them (`nominal.created`,
  `nominal.identifier_added`, `nominal.address_added`, `nominal.address_ended`,
  `nominal.alias_added`), with the same field-level changes.
- The RSO history is rso.py's, called team by team, with an audit event per record.
- Each force's OCSEA work (about 2,000 referrals a year for five years in Northmoor, other
  forces in proportion) is ocsea.py's bulk path: referrals planned as the small demo plans
  them, inserted a thousand at a time, each record with its service's audit event. Every
  force has an OCSEA team and a child abuse investigation team, with their staff.
- The obligations are never written here: the engine's `sync_all` derives them all at the
  end, as `vigil sync-obligations` would.

So every record created has its audit event, in one valid hash chain (`vigil audit-verify`).
Each force is one transaction; the final sync is a transaction per chunk of subjects (an
interrupted run leaves whole forces, and `vigil sync-obligations` completes the sync).

Deterministic per seed: each force draws from its own generator seeded by the seed and the
force's code, so Northmoor is the same at the force and national scales.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from vigil.accounts.models import Membership, Role, User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import team_create
from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, audit_record_many, field_changes, snapshot
from vigil.core import clock
from vigil.core.models import Force, Team, TeamKind
from vigil.demo.names import GIVEN, STREETS, date_between, synthetic_postcode, synthetic_surname
from vigil.demo.ocsea import generate_bulk as generate_referrals
from vigil.demo.ocsea_plan import Staff as OcseaStaff
from vigil.demo.org import MAIN_LOGINS, DemoResult, login, make_force
from vigil.demo.progress import Progress
from vigil.demo.rso import generate_rsos
from vigil.demo.scales import OCSEA_YEARS, ForcePlan, Scale, scale
from vigil.obligations.registry import subjects
from vigil.obligations.sync import sync_all
from vigil.people import services as people
from vigil.people.entries import created_entry
from vigil.people.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    Identifier,
    IdentifierKind,
    Nominal,
    Sex,
)
from vigil.people.services import _review_date  # the services' own retention rule

AUDIT_BATCH = 20_000
ADDRESS_FIELDS = ("kind", "line_1", "line_2", "town", "postcode", "valid_from")

# Northmoor's teams beside MOSOVO, as in the small demo (the per-role logins need them);
# every other force has the OCSEA, child abuse and headquarters teams.
NORTHMOOR_OTHER_TEAMS = [
    ("ocsea", "OCSEA team", TeamKind.OCSEA),
    ("cait", "Child abuse investigation team", TeamKind.CHILD_ABUSE),
    ("probation", "Probation partnership", TeamKind.PROBATION_PARTNER),
    ("pcc", "Office of the PCC", TeamKind.PCC_OFFICE),
    ("wellbeing", "Wellbeing", TeamKind.WELLBEING),
    ("hq", "Public protection headquarters", TeamKind.HEADQUARTERS),
]


class _Staff:
    """Users inserted in bulk with one shared password hash, and their audit events."""

    def __init__(self) -> None:
        self.password = make_password(settings.VIGIL_DEMO_PASSWORD)
        self.roles = {r.pk: r for r in Role.objects.all()}

    def add(
        self, force: Force, rows: list[tuple[str, str, str, Team]], result: DemoResult
    ) -> dict[str, User]:
        """rows: (username, display name, role code, team)."""
        first = 2000 + User.objects.filter(force=force).count()  # collar numbers, after login()'s
        users = [
            User(
                username=u,
                display_name=d,
                force=force,
                password=self.password,
                collar_number=str(first + i),
            )
            for i, (u, d, _, _) in enumerate(rows)
        ]
        User.objects.bulk_create(users)
        memberships = [
            Membership(user=user, team=team, role=self.roles[role])
            for user, (_, _, role, team) in zip(users, rows, strict=True)
        ]
        Membership.objects.bulk_create(memberships)
        entries: list[Entry] = []
        for user, m in zip(users, memberships, strict=True):
            entries += [
                Entry(
                    actor=None,
                    action=AuditAction.COLLECTION,
                    event="user.created",
                    obj=user,
                    force_id=force.pk,
                    changes=field_changes(
                        {},
                        {
                            "username": user.username,
                            "display_name": user.display_name,
                            "force": str(force),
                        },
                    ),
                ),
                Entry(
                    actor=None,
                    action=AuditAction.ALTERATION,
                    event="user.membership_added",
                    obj=user,
                    force_id=force.pk,
                    changes={
                        "membership": {"before": None, "after": f"{m.role.name} · {m.team.name}"}
                    },
                ),
            ]
            result.logins.append((user.username, str(m.role.name), str(m.team)))
        audit_record_many(entries)
        return {u.username: u for u in users}


def _person_name(rng: random.Random) -> str:
    sex = rng.choice([Sex.MALE, Sex.FEMALE])
    return f"{rng.choice(GIVEN[sex])} {synthetic_surname(rng)}"


def _bulk_nominals(
    rng: random.Random, actor: User, count: int, town: str, first_number: int, pncs: set[str]
) -> list[Nominal]:
    """`count` nominals with identifiers, one or two home addresses and sometimes an alias,
    drawn as the small demo draws them, inserted in bulk with the people services' events."""
    today = clock.today()
    review_date = _review_date(today)
    assert actor.force is not None
    assert actor.force_id is not None
    force_id = actor.force_id
    code = actor.force.code.upper()
    nominals: list[Nominal] = []
    identifiers: list[Identifier] = []
    addresses: list[Address] = []
    aliases: list[Alias] = []
    entries: list[Entry] = []
    for i in range(count):
        sex = rng.choice([Sex.MALE] * 9 + [Sex.FEMALE])
        dob = date_between(rng, date(1950, 1, 1), today.replace(year=today.year - 15))
        data: dict[str, Any] = {
            "family_name": synthetic_surname(rng),
            "given_names": " ".join(rng.sample(GIVEN[sex], rng.choice([1, 1, 2]))),
            "date_of_birth": dob,
            "sex": sex,
        }
        nominal = Nominal(force_id=force_id, created_by=actor, review_date=review_date, **data)
        nominals.append(nominal)
        entries.append(created_entry(actor, nominal))
        pnc = ""
        while not pnc or pnc in pncs:  # unique in the force, as the service insists
            pnc = (
                f"{dob.year % 100 + 10:02d}/{rng.randint(0, 9999999):07d}"
                f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}"
            )
        pncs.add(pnc)
        for kind, value in (
            (IdentifierKind.PNC, pnc),
            (IdentifierKind.VISOR, f"SYN-{code}-{first_number + i:05d}"),
        ):
            identifier = Identifier(nominal=nominal, force_id=force_id, kind=kind, value=value)
            identifiers.append(identifier)
            entries.append(
                Entry(
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    event="nominal.identifier_added",
                    obj=identifier,
                    person_id=nominal.pk,
                    changes=field_changes({}, {"kind": kind, "value": value}),
                )
            )
        moved_in = date_between(rng, today - timedelta(days=3650), today - timedelta(days=400))
        home = Address(
            nominal=nominal,
            force_id=force_id,
            kind=AddressKind.HOME,
            line_1=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            town=town,
            postcode=synthetic_postcode(rng),
            valid_from=moved_in,
        )
        addresses.append(home)
        entries.append(_address_added(actor, home))
        if rng.random() < 0.3:
            moved = Address(
                nominal=nominal,
                force_id=force_id,
                kind=AddressKind.HOME,
                line_1=f"Flat {rng.randint(1, 30)}, {rng.randint(1, 80)} {rng.choice(STREETS)}",
                town=town,
                postcode=synthetic_postcode(rng),
                valid_from=date_between(rng, moved_in + timedelta(days=30), today),
            )
            home.valid_to = moved.valid_from - timedelta(days=1)
            home.version += 1
            addresses.append(moved)
            entries += [
                Entry(
                    actor=actor,
                    action=AuditAction.ALTERATION,
                    event="nominal.address_ended",
                    obj=home,
                    person_id=nominal.pk,
                    changes={"valid_to": {"before": None, "after": home.valid_to}},
                ),
                _address_added(actor, moved),
            ]
        if rng.random() < 0.2:
            alias = Alias(
                nominal=nominal,
                force_id=force_id,
                kind=rng.choice(AliasKind.values),
                family_name=synthetic_surname(rng),
                given_names=rng.choice(GIVEN[sex]),
            )
            aliases.append(alias)
            entries.append(
                Entry(
                    actor=actor,
                    action=AuditAction.COLLECTION,
                    event="nominal.alias_added",
                    obj=alias,
                    person_id=nominal.pk,
                    changes=field_changes(
                        {}, snapshot(alias, ("kind", "family_name", "given_names"))
                    ),
                )
            )
    Nominal.objects.bulk_create(nominals, batch_size=2000)
    Identifier.objects.bulk_create(identifiers, batch_size=2000)
    Address.objects.bulk_create(addresses, batch_size=2000)
    Alias.objects.bulk_create(aliases, batch_size=2000)
    for first in range(0, len(entries), AUDIT_BATCH):
        audit_record_many(entries[first : first + AUDIT_BATCH])
    return nominals


def _address_added(actor: User, address: Address) -> Entry:
    # Snapshot before the address is ended: the service logs it as it was when added.
    return Entry(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="nominal.address_added",
        obj=address,
        person_id=address.nominal.pk,
        changes=field_changes({}, snapshot(address, ADDRESS_FIELDS)),
    )


def _force(
    plan: ForcePlan, seed: int, staff: _Staff, result: DemoResult, bar: Progress
) -> tuple[int, int]:
    """One force, in one transaction: returns (nominals, registrations)."""
    rng = random.Random(f"vigil-demo:{seed}:{plan.code}")
    northmoor = plan.code == "northmoor"
    with transaction.atomic():
        force, areas = make_force(None, plan.code, plan.name, [*plan.areas, "Force headquarters"])
        hq_area = areas["Force headquarters"]
        mosovo = [
            team_create(actor=None, area=areas[a], name=f"MOSOVO {a}", kind=TeamKind.MOSOVO)
            for a in plan.areas
        ]
        others = [t for t in NORTHMOOR_OTHER_TEAMS if northmoor or t[0] in ("ocsea", "cait", "hq")]
        teams: dict[str, Team] = {
            key: team_create(actor=None, area=hq_area, name=name, kind=kind)
            for key, name, kind in others
        }
        if northmoor:
            teams["lpa_city"] = team_create(
                actor=None,
                area=areas[plan.areas[0]],
                name=f"{plan.areas[0]} local policing",
                kind=TeamKind.LOCAL_POLICING,
            )
        teams["mosovo_city"], teams["mosovo_east"] = mosovo[0], mosovo[1]
        result.forces.append(force)

        # the one login per role, through the services (Northmoor only)
        named: dict[str, User] = {}
        if northmoor:
            named = {u: login(None, u, force, role, teams[t], result) for u, role, t in MAIN_LOGINS}
        rows: list[tuple[str, str, str, Team]] = []
        if "head.pp" not in named:
            rows.append((f"head.{plan.code}", _person_name(rng), RoleCode.HEAD_OF_PP, teams["hq"]))
        for t, team in enumerate(mosovo):
            if not (northmoor and t == 0):
                rows.append(
                    (
                        f"sup.{plan.code}.{t + 1}",
                        _person_name(rng),
                        RoleCode.MOSOVO_SUPERVISOR,
                        team,
                    )
                )
            already = 1 if northmoor and t in (0, 1) else 0  # offender.manager, excluded.om
            rows += [
                (
                    f"om.{plan.code}.{t + 1}.{n + 1:02d}",
                    _person_name(rng),
                    RoleCode.OFFENDER_MANAGER,
                    team,
                )
                for n in range(plan.team_managers[t] - already)
            ]
        rows += _ocsea_rows(plan, teams, rng, named)
        bulk = staff.add(force, rows, result)
        head = named.get("head.pp") or bulk[f"head.{plan.code}"]

        nominals = registrations = 0
        pncs: set[str] = set()
        known: list[Nominal] = []  # RSOs who may turn up as OCSEA suspects
        for t, team in enumerate(mosovo):
            supervisor = (
                named["mosovo.supervisor"]
                if northmoor and t == 0
                else bulk[f"sup.{plan.code}.{t + 1}"]
            )
            managers = [
                u for u in bulk.values() if u.username.startswith(f"om.{plan.code}.{t + 1}.")
            ]
            if northmoor and t in (0, 1):
                managers.append(named["offender.manager" if t == 0 else "excluded.om"])
            made = _bulk_nominals(
                rng, managers[0], plan.team_rsos[t], plan.areas[t], nominals + 1, pncs
            )
            if northmoor and t == 0:
                people.nominal_set_limited_access(
                    actor=supervisor,
                    nominal=made[0],
                    limited=True,
                    reason="Subject is a relative of a serving officer (synthetic example)",
                    restricted_to=[named["offender.manager"], supervisor, named["head.pp"]],
                    excluded_from=[named["excluded.om"]],
                    expected_version=made[0].version,
                )
            nominals += len(made)
            known += made[1:] if northmoor and t == 0 else made  # not the limited-access one
            registrations += generate_rsos(
                rng=rng,
                nominals=made,
                team_managers=[(team, managers)],
                supervisor=supervisor,
                head_of_unit=head,
                sync=False,
            )
            bar.advance(len(made))
            gc.collect()  # the team's garbage: the automatic collector is paused

        ocsea = _ocsea_staff(plan, teams, [areas[a] for a in plan.areas], named, bulk)
        referrals = generate_referrals(
            rng=random.Random(f"vigil-demo-ocsea:{seed}:{plan.code}"),
            force=force,
            staff=ocsea,
            per_year=plan.referrals_per_year,
            years=OCSEA_YEARS,
            administrator=named.get("sysadmin"),
            known_people=known,
            advance=bar.advance,
        )
        nominals += referrals.nominals
        result.referrals += referrals.referrals
    return nominals, registrations


def _ocsea_rows(
    plan: ForcePlan, teams: dict[str, Team], rng: random.Random, named: dict[str, User]
) -> list[tuple[str, str, str, Team]]:
    """The force's OCSEA and child abuse investigation staff beyond the per-role logins."""
    rows: list[tuple[str, str, str, Team]] = []
    for prefix, role, team, count, username in (
        ("ocsea", RoleCode.INVESTIGATOR, "ocsea", plan.ocsea_investigators, "investigator"),
        ("triage", RoleCode.OCSEA_TRIAGE, "ocsea", plan.ocsea_triage, "triage"),
        (
            "ocsea.sup",
            RoleCode.OCSEA_SUPERVISOR,
            "ocsea",
            plan.ocsea_supervisors,
            "ocsea.supervisor",
        ),
        ("cait", RoleCode.INVESTIGATOR, "cait", plan.cait_investigators, "cait.investigator"),
    ):
        already = 1 if username in named else 0
        rows += [
            (f"{prefix}.{plan.code}.{n + 1:02d}", _person_name(rng), role, teams[team])
            for n in range(count - already)
        ]
    return rows


def _ocsea_staff(
    plan: ForcePlan,
    teams: dict[str, Team],
    areas: list[Any],
    named: dict[str, User],
    bulk: dict[str, User],
) -> OcseaStaff:
    def people(prefix: str, login: str) -> list[User]:
        found = [u for name, u in bulk.items() if name.startswith(f"{prefix}.{plan.code}.")]
        return [named[login], *found] if login in named else found

    chosen = {"ocsea": teams["ocsea"], "cait": teams["cait"]}
    if "lpa_city" in teams:
        chosen["lpa"] = teams["lpa_city"]
    return OcseaStaff(
        teams=chosen,
        triage=people("triage", "triage"),
        supervisors=people("ocsea.sup", "ocsea.supervisor"),
        investigators={
            "ocsea": people("ocsea", "investigator"),
            "cait": people("cait", "cait.investigator"),
            "lpa": [],
        },
        areas=areas,
    )


def generate_scaled(
    *,
    scale_name: str,
    seed: int,
    progress: Callable[[str], None] = print,
    plan: Scale | None = None,
) -> DemoResult:
    """The scale named, or the `plan` given (a tiny one, in the tests)."""
    plan = plan or scale(scale_name)
    result = DemoResult()
    staff = _Staff()
    progress(
        f"Creating {len(plan.forces)} synthetic force(s) with {plan.rsos:,} RSOs and "
        f"{plan.referrals:,} OCSEA referrals, their teams, staff and five years of history "
        "(a transaction per force)"
    )
    bar = Progress("RSOs and OCSEA referrals created", plan.rsos + plan.referrals)
    # As in sync_all: the automatic cyclic collector, set off by millions of allocations,
    # would walk every new record over and over; it is paused (what exists frozen out of
    # its sight) and each team's garbage collected after the team.
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        for force_plan in plan.forces:
            nominals, registrations = _force(force_plan, seed, staff, result, bar)
            result.nominals += nominals
            result.registrations += registrations
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
    progress(f"Forces created in {bar.close():.0f} s")

    total = sum(s.model._default_manager.count() for s in subjects().values())
    progress(f"Syncing the obligations of {total:,} subjects (the engine's sync_all)")
    sync_bar = Progress("Subjects synced", total)
    synced = sync_all(progress=sync_bar.advance)
    progress(f"{synced.created:,} obligations created in {sync_bar.close():.0f} s")
    # Fresh statistics for the query planner: without them PostgreSQL plans the first
    # queries over millions of new rows as if the tables were empty.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return result
