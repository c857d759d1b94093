"""Shared fixtures: one organisation built once per test session through the services, and
named personas (one per role, an officer of another force, an officer excluded from a
limited-access record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from vigil.accounts.models import Role, User
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import (
    area_create,
    force_create,
    membership_add,
    team_create,
    user_create,
)
from vigil.core.models import TeamKind
from vigil.people import services as people
from vigil.people.models import AddressKind, IdentifierKind, Nominal

PASSWORD = "correct-horse-battery-staple"
ROLE_PERSONAS = [r.value for r in RoleCode]
OTHER_PERSONAS = ["anonymous", "other_force", "excluded"]
PERSONAS = ["anonymous", *ROLE_PERSONAS, "other_force", "excluded"]


@dataclass
class World:
    users: dict[str, User]
    nominal: Nominal  # an ordinary record of force A
    limited: Nominal  # limited-access: "excluded" persona is excluded from it
    other_force_nominal: Nominal

    def obligation(self, nominal: Nominal) -> Any:
        from vigil.obligations.models import Obligation

        return Obligation.objects.get(person_id=nominal.pk, key="1")

    def registration(self, nominal: Nominal) -> Any:
        return nominal.registration

    def escalation(self) -> Any:
        from vigil.obligations.models import Escalation

        return Escalation.objects.get(obligation__person_id=self.nominal.pk)


def _build_world() -> None:
    with transaction.atomic():
        force = force_create(actor=None, code="alpha", name="Alpha Police (test)")
        area = area_create(actor=None, force=force, name="Alpha City")
        teams = {
            kind: team_create(actor=None, area=area, name=f"Alpha {kind}", kind=kind)
            for kind in (
                TeamKind.OCSEA,
                TeamKind.MOSOVO,
                TeamKind.HEADQUARTERS,
                TeamKind.PROBATION_PARTNER,
            )
        }
        for code in ROLE_PERSONAS:
            user = user_create(actor=None, username=code, password=PASSWORD, force=force)
            team = teams[
                TeamKind.PROBATION_PARTNER
                if code == "probation_partner"
                else TeamKind.MOSOVO
                if "offender" in code or "mosovo" in code
                else TeamKind.OCSEA
                if "ocsea" in code or code == "investigator"
                else TeamKind.HEADQUARTERS
            ]
            membership_add(actor=None, user=user, team=team, role=Role.objects.get(pk=code))
        excluded = user_create(actor=None, username="excluded", password=PASSWORD, force=force)
        membership_add(
            actor=None,
            user=excluded,
            team=teams[TeamKind.MOSOVO],
            role=Role.objects.get(pk=RoleCode.OFFENDER_MANAGER),
        )
        om = User.objects.get(username=RoleCode.OFFENDER_MANAGER)
        sup = User.objects.get(username=RoleCode.MOSOVO_SUPERVISOR)
        nominal = people.nominal_create(
            actor=om,
            family_name="Quenby",
            given_names="Adrian",
            identifiers=[(IdentifierKind.PNC, "90/1234567A")],
        )
        people.address_add(
            actor=om,
            nominal=nominal,
            kind=AddressKind.HOME,
            line_1="1 Example Street",
            town="Alpha",
            postcode="ZZ99 1AA",
            valid_from=nominal.created_at.date().replace(year=2020),
        )
        limited = people.nominal_create(actor=om, family_name="Varlowick", given_names="Maud")
        people.nominal_set_limited_access(
            actor=sup,
            nominal=limited,
            limited=True,
            reason="test",
            excluded_from=[excluded],
            expected_version=limited.version,
        )

        beta = force_create(actor=None, code="beta", name="Beta Police (test)")
        beta_area = area_create(actor=None, force=beta, name="Beta Town")
        beta_team = team_create(
            actor=None, area=beta_area, name="Beta MOSOVO", kind=TeamKind.MOSOVO
        )
        other = user_create(actor=None, username="other_force", password=PASSWORD, force=beta)
        membership_add(
            actor=None,
            user=other,
            team=beta_team,
            role=Role.objects.get(pk=RoleCode.OFFENDER_MANAGER),
        )
        people.nominal_create(actor=other, family_name="Zethudsey", given_names="Ivor")
        _work(om, nominal, limited)
        _register(om, nominal, limited)


def _register(om: User, nominal: Nominal, limited: Nominal) -> None:
    """Both force-A people on the register, each with an ARMS and an announced,
    single-officer visit (so a review, an authorisation and an assessment are due)."""
    from datetime import date, datetime, time

    from django.utils import timezone

    from vigil.offenders import services as rso

    for person in (nominal, limited):
        registration = rso.registration_create(
            actor=om,
            nominal=person,
            team=om.memberships.get().team,
            registration_date=date(2024, 1, 10),
            conviction_date=date(2023, 11, 1),
            disposal="custody_6_to_30_months",
            risk_level="high",
            offender_manager=om,
            register_reference=f"SYN-{person.family_name.upper()}",
            in_community_since=date(2024, 1, 10),
        )
        rso.arms_complete(
            actor=om,
            registration=registration,
            completed_on=date(2024, 2, 1),
            priority="high",
            summary="Synthetic",
        )
        rso.visit_record(
            actor=om,
            registration=registration,
            visited_at=timezone.make_aware(datetime.combine(date(2024, 4, 2), time(19, 30))),
            announced=True,
            officers=[om],
            access_gained=True,
        )
        rso.pnd_check_record(
            actor=om,
            registration=registration,
            checked_on=date(2024, 2, 3),
            result="No trace (synthetic)",
        )


def _work(om: User, nominal: Nominal, limited: Nominal) -> None:
    """An overdue visit on each force-A record, owned by the offender manager, and an
    escalation of the first to the supervisor (made directly: no domain rule is needed)."""
    from datetime import timedelta

    from vigil.core import clock
    from vigil.obligations.models import Escalation, Obligation
    from vigil.policy.services import policy_version_recorded

    version = policy_version_recorded()
    team = om.memberships.get().team
    made = [
        Obligation.objects.create(
            force_id=om.force_id,
            subject_type="test.world",
            subject_id=n.pk,
            subject_label=str(n),
            person_id=n.pk,
            kind="rso.visit",
            label="Home visit",
            rule_id="test.visit",
            key="1",
            due_date=clock.today() - timedelta(days=10),
            owner_team=team,
            owner_user=om,
            risk_level="high",
            policy_version=version,
            policy_keys=["rso.home_visit_months"],
        )
        for n in (nominal, limited)
    ]
    Escalation.objects.create(
        force_id=om.force_id,
        obligation=made[0],
        rung="supervisor",
        reason="overdue",
        raised_on=clock.today(),
        detail="8 or more days overdue",
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        _build_world()
        _sign_in_personas()


# Each persona's session, made with the world: a walk of thousands of pages signs in once a
# persona, not once a page (`signed_in`), so it writes no sign-in event and no session a page.
PERSONA_SESSIONS: dict[str, str] = {}


def _sign_in_personas() -> None:
    """A session for each user of the world, as `Client.force_login` makes one, without its
    sign-in event (the sign-in itself is tested in test_audit and test_security)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    engine = import_module(settings.SESSION_ENGINE)
    # as force_login chooses: the first backend that reads a user back from a session
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    with transaction.atomic():
        for user in User.objects.all():
            store = engine.SessionStore()
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = backend
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            # a day, not the 15 minutes of idleness a real session has: a test's request
            # renews it only inside its own transaction, which ends rolled back
            store.set_expiry(24 * 60 * 60)
            store.save()
            PERSONA_SESSIONS[user.username] = str(store.session_key)


@pytest.fixture
def world(db: Any) -> World:
    users = {u.username: u for u in User.objects.all()}
    return World(
        users=users,
        nominal=Nominal.objects.get(family_name="Quenby"),
        limited=Nominal.objects.get(family_name="Varlowick"),
        other_force_nominal=Nominal.objects.get(family_name="Zethudsey"),
    )


@pytest.fixture
def signed_in(world: World) -> Any:
    """A client signed in as a persona by the session made with the world: for the walks
    that ask every page as every persona. A test's changes to the session (a purpose
    given) end with its transaction."""
    from django.conf import settings

    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = PERSONA_SESSIONS[persona]
        return client

    return make


@pytest.fixture
def client_for(world: World) -> Any:
    def make(persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        return client

    return make
