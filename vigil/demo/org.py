"""The demo's organisation: its forces and areas, and one login per role (every scale)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from vigil.accounts.models import Role, User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import area_create, force_create, membership_add, user_create
from vigil.core.models import Area, Force


@dataclass
class DemoResult:
    forces: list[Force] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, team
    nominals: int = 0
    registrations: int = 0
    referrals: int = 0  # OCSEA referrals


# (username, role, team key) for the main force: one login per role, and two personas that
# make access visible (an officer excluded from a limited-access record).
MAIN_LOGINS = [
    ("triage", RoleCode.OCSEA_TRIAGE, "ocsea"),
    ("investigator", RoleCode.INVESTIGATOR, "ocsea"),
    ("ocsea.supervisor", RoleCode.OCSEA_SUPERVISOR, "ocsea"),
    ("cait.investigator", RoleCode.INVESTIGATOR, "cait"),
    ("offender.manager", RoleCode.OFFENDER_MANAGER, "mosovo_city"),
    ("mosovo.supervisor", RoleCode.MOSOVO_SUPERVISOR, "mosovo_city"),
    ("head.pp", RoleCode.HEAD_OF_PP, "hq"),
    ("analyst", RoleCode.PERFORMANCE_ANALYST, "hq"),
    ("wellbeing", RoleCode.WELLBEING_LEAD, "wellbeing"),
    ("probation", RoleCode.PROBATION_PARTNER, "probation"),
    ("pcc", RoleCode.PCC_ASSURANCE, "pcc"),
    ("dpo", RoleCode.DPO, "hq"),
    ("sysadmin", RoleCode.SYSADMIN, "hq"),
    ("excluded.om", RoleCode.OFFENDER_MANAGER, "mosovo_east"),
]


def make_force(
    actor: User | None, code: str, name: str, areas: list[str]
) -> tuple[Force, dict[str, Area]]:
    force = force_create(actor=actor, code=code, name=name)
    return force, {a: area_create(actor=actor, force=force, name=a) for a in areas}


def login(
    actor: User | None, username: str, force: Force, role: str, team_obj: object, result: DemoResult
) -> User:
    user = user_create(
        actor=actor,
        username=username,
        password=settings.VIGIL_DEMO_PASSWORD,
        force=force,
        display_name=f"{Role.objects.get(pk=role).name} (demo)",
        email=f"{username}@{force.code}.vigil.example",  # a reserved domain: never delivered
        collar_number=str(1000 + User.objects.filter(force=force).count()),  # tells namesakes apart
    )
    membership_add(actor=actor, user=user, team=team_obj, role=Role.objects.get(pk=role))  # type: ignore[arg-type]
    result.logins.append((username, str(Role.objects.get(pk=role).name), str(team_obj)))
    return user
