"""Every write of RSO management writes its audit event (DPA 2018 s.62), and only that, and
leaves no obligation stale (after it, `sync_all` finds nothing to change); a new service
function fails here until it is listed."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from vigil.accounts.models import Role
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditEvent
from vigil.core import clock
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.testing import assert_nothing_stale
from vigil.offenders import services
from vigil.people import services as people

TODAY = date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 28, 12, tzinfo=UTC))


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _low_risk_rso(w: Any) -> Any:
    om = w.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Audley", given_names="Cyril")
    registration = services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2019, 1, 7),
        conviction_date=date(2018, 12, 3),
        disposal="custody_30_months_or_more",
        risk_level="low",
        offender_manager=om,
        in_community_since=date(2019, 1, 7),
    )
    services.arms_complete(  # assessed low since 2019: the dated history reactive reads
        actor=om, registration=registration, completed_on=date(2019, 2, 1), priority="low",
        summary="Synthetic",
    )  # fmt: skip
    return registration


def _indefinite(w: Any) -> Any:
    om = w.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Ormsby", given_names="Len")
    registration = services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=date(2010, 1, 4),
        conviction_date=date(2009, 2, 2),
        disposal="custody_30_months_or_more",
        risk_level="low",
        offender_manager=om,
        in_community_since=date(2010, 1, 4),
    )
    services.notification_record(
        actor=om, registration=registration, kind="initial", made_on=date(2010, 1, 5)
    )
    return registration


def _beta_sup() -> tuple[Any, Team]:
    beta = Force.objects.get(code="beta")
    team = Team.objects.get(force=beta, kind=TeamKind.MOSOVO)
    sup = user_create(actor=None, username="beta.sup.audit", password="x" * 16, force=beta)
    membership_add(
        actor=None, user=sup, team=team, role=Role.objects.get(pk=RoleCode.MOSOVO_SUPERVISOR)
    )
    return sup, team


def _second_team(w: Any) -> tuple[Team, Any]:
    sup = w.users["mosovo_supervisor"]
    team = team_create(
        actor=None, area=sup.memberships.get().team.area, name="Alpha North", kind="mosovo"
    )
    om = user_create(actor=None, username="om.audit", password="x" * 16, force=sup.force)
    membership_add(
        actor=None, user=om, team=team, role=Role.objects.get(pk=RoleCode.OFFENDER_MANAGER)
    )
    return team, om


Setup = Callable[[Any], dict[str, Any]]
Write = Callable[[Any, dict[str, Any]], Any]


def _cases() -> dict[str, tuple[Setup, Write, list[str]]]:
    def om(w: Any) -> Any:
        return w.users["offender_manager"]

    def sup(w: Any) -> Any:
        return w.users["mosovo_supervisor"]

    def reg(w: Any) -> Any:
        return w.registration(w.nominal)

    def nothing(w: Any) -> dict[str, Any]:
        return {}

    def failed_twice(w: Any) -> dict[str, Any]:
        visits = [
            services.visit_record(
                actor=om(w),
                registration=reg(w),
                visited_at=_at(day),
                announced=False,
                officers=[om(w), sup(w)],
                access_gained=False,
            )
            for day in (date(2026, 11, 2), date(2026, 11, 9))
        ]
        return {"visit": visits[-1]}

    def asked(w: Any) -> dict[str, Any]:
        beta_sup, team = _beta_sup()
        transfer = services.transfer_request(
            actor=om(w), registration=reg(w), to_force=team.force, reason="Moving"
        )
        return {"transfer": transfer, "beta_sup": beta_sup, "team": team}

    def authorised(w: Any) -> dict[str, Any]:
        visit = reg(w).visits.get()
        services.visit_authorise(actor=sup(w), visit=visit, rationale="Risk to a lone officer")
        return {"visit": visit}

    def breach(w: Any) -> dict[str, Any]:
        return {
            "breach": services.breach_record(
                actor=om(w),
                registration=reg(w),
                identified_at=_at(date(2026, 11, 26)),
                kind="other",
                details="Synthetic",
            )
        }

    return {
        "registration_create": (
            lambda w: {
                "person": people.nominal_create(actor=om(w), family_name="Bexley", given_names="Jo")
            },
            lambda w, c: services.registration_create(
                actor=om(w),
                nominal=c["person"],
                team=om(w).memberships.get().team,
                registration_date=date(2026, 1, 5),
                conviction_date=date(2025, 12, 1),
                disposal="caution",
                risk_level="low",
            ),
            ["rso.registered"],
        ),
        "registration_update": (
            nothing,
            lambda w, c: services.registration_update(
                actor=om(w), registration=reg(w), expected_version=reg(w).version, mappa_level=2
            ),
            ["rso.updated"],
        ),
        "registration_end": (
            nothing,
            lambda w, c: services.registration_end(
                actor=om(w), registration=reg(w), ended_on=date(2026, 11, 1), reason="Over"
            ),
            ["rso.registration_ended"],
        ),
        "visit_record": (
            nothing,
            lambda w, c: services.visit_record(
                actor=om(w),
                registration=reg(w),
                visited_at=_at(date(2026, 11, 20)),
                announced=False,
                officers=[om(w), sup(w)],
                access_gained=True,
            ),
            ["rso.visit_recorded"],
        ),
        "arms_complete": (
            nothing,
            lambda w, c: services.arms_complete(
                actor=om(w),
                registration=reg(w),
                completed_on=date(2026, 11, 20),
                priority="high",
                summary="x",
            ),
            ["rso.arms_completed"],
        ),
        "arms_draft_save": (
            nothing,
            lambda w, c: services.arms_draft_save(actor=om(w), registration=reg(w), summary="x"),
            ["rso.arms_drafted"],
        ),
        "rmp_draft_save": (
            nothing,
            lambda w, c: services.rmp_draft_save(actor=om(w), registration=reg(w), actions="x"),
            ["rso.rmp_drafted"],
        ),
        "rmp_complete": (
            nothing,
            lambda w, c: services.rmp_complete(
                actor=om(w), registration=reg(w), completed_on=date(2026, 11, 20), actions="x"
            ),
            ["rso.rmp_completed"],
        ),
        "work_review": (
            nothing,
            lambda w, c: services.work_review(actor=sup(w), work=reg(w).arms.get(), note="OK"),
            ["rso.work_reviewed"],
        ),
        "visit_authorise": (
            nothing,
            lambda w, c: services.visit_authorise(
                actor=sup(w), visit=reg(w).visits.get(), rationale="Lone-officer risk"
            ),
            ["rso.visit_authorised"],
        ),
        "visit_assess": (
            authorised,
            lambda w, c: services.visit_assess(
                actor=w.users["head_of_pp"], visit=c["visit"], assessment="Sound"
            ),
            ["rso.visit_assessed"],
        ),
        "visit_warrant_decide": (
            failed_twice,
            lambda w, c: services.visit_warrant_decide(
                actor=sup(w), visit=c["visit"], decision="Apply"
            ),
            ["rso.warrant_decided"],
        ),
        "notification_record": (
            nothing,
            lambda w, c: services.notification_record(
                actor=om(w), registration=reg(w), kind="periodic", made_on=date(2026, 11, 20)
            ),
            ["rso.notification_recorded"],
        ),
        "pnd_check_record": (
            nothing,
            lambda w, c: services.pnd_check_record(
                actor=om(w), registration=reg(w), checked_on=date(2026, 11, 20), result="x"
            ),
            ["rso.pnd_check_recorded"],
        ),
        "pnd_assess": (
            nothing,
            lambda w, c: services.pnd_assess(
                actor=om(w), check=reg(w).pnd_checks.get(), assessment="Nothing new"
            ),
            ["rso.pnd_assessed"],
        ),
        "intelligence_record": (
            nothing,
            lambda w, c: services.intelligence_record(
                actor=om(w),
                registration=reg(w),
                received_on=date(2026, 11, 20),
                source="Partner",
                grading="B2 4",
                summary="x",
            ),
            ["rso.intelligence_recorded"],
        ),
        "reactive_enter": (
            lambda w: {"rso": _low_risk_rso(w)},
            lambda w, c: services.reactive_enter(
                actor=sup(w), registration=c["rso"], rationale="Stable for years"
            ),
            ["rso.reactive_entered"],
        ),
        "breach_record": (nothing, lambda w, c: breach(w), ["rso.breach_recorded"]),
        "breach_recorded_nationally": (
            breach,
            lambda w, c: services.breach_recorded_nationally(
                actor=om(w), breach=c["breach"], recorded_at=_at(date(2026, 11, 27))
            ),
            ["rso.breach_recorded_nationally"],
        ),
        "mappa_meeting_record": (
            nothing,
            lambda w, c: services.mappa_meeting_record(
                actor=om(w), registration=reg(w), level=2, held_on=date(2026, 11, 2), chair="DI"
            ),
            ["rso.mappa_meeting_recorded", "rso.mappa_level_set"],
        ),
        "mappa_action_done": (
            lambda w: {
                "action": services.mappa_meeting_record(
                    actor=om(w),
                    registration=reg(w),
                    level=2,
                    held_on=date(2026, 11, 2),
                    chair="DI",
                    actions=[
                        {
                            "description": "Joint visit",
                            "agency": "Police",
                            "owner": None,
                            "due_on": date(2026, 11, 9),
                        }
                    ],
                ).actions.get()
            },
            lambda w, c: services.mappa_action_done(
                actor=om(w), action=c["action"], done_on=date(2026, 11, 9), outcome="Done"
            ),
            ["rso.mappa_action_done"],
        ),
        "indefinite_review_apply": (
            lambda w: {"rso": _indefinite(w)},
            lambda w, c: services.indefinite_review_apply(
                actor=om(w), registration=c["rso"], applied_on=date(2026, 11, 2)
            ),
            ["rso.indefinite_review_applied"],
        ),
        "indefinite_review_determine": (
            lambda w: {
                "review": services.indefinite_review_apply(
                    actor=om(w), registration=_indefinite(w), applied_on=date(2026, 11, 2)
                )
            },
            lambda w, c: services.indefinite_review_determine(
                actor=w.users["head_of_pp"],
                review=c["review"],
                outcome="continued",
                rationale="Risk remains",
            ),
            ["rso.indefinite_review_determined"],
        ),
        "registration_transfer": (
            lambda w: dict(zip(("team", "om"), _second_team(w), strict=True)),
            lambda w, c: services.registration_transfer(
                actor=sup(w),
                registration=reg(w),
                team=c["team"],
                offender_manager=c["om"],
                reason="Moved",
            ),
            ["rso.transferred"],
        ),
        "transfer_request": (
            lambda w: {"team": _beta_sup()[1]},
            lambda w, c: services.transfer_request(
                actor=om(w), registration=reg(w), to_force=c["team"].force, reason="Moving"
            ),
            ["rso.transfer_requested"],
        ),
        "transfer_accept": (
            asked,
            lambda w, c: services.transfer_accept(
                actor=c["beta_sup"], transfer=c["transfer"], team=c["team"], offender_manager=None
            ),
            ["rso.transfer_accepted"],
        ),
        "concern_record": (
            lambda w: {"rso": _low_risk_rso(w)},
            lambda w, c: services.concern_record(
                actor=om(w), registration=c["rso"], raised_on=date(2026, 11, 20), details="x"
            ),
            ["rso.concern_recorded"],
        ),
        "transfer_decline": (
            asked,
            lambda w, c: services.transfer_decline(
                actor=c["beta_sup"], transfer=c["transfer"], note="Not ours"
            ),
            ["rso.transfer_declined"],
        ),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_rso_write_is_audited(name: str, world: Any) -> None:
    setup, write, events = _cases()[name]
    context = setup(world)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    write(world, context)
    new = AuditEvent.objects.filter(seq__gt=before).order_by("seq")
    assert [e.event for e in new] == events
    assert all(e.person_id for e in new)
    assert verify_chain().ok
    assert_nothing_stale()


def test_every_rso_service_write_is_listed() -> None:
    found = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__.startswith(f"{services.__name__}.") and not name.startswith("_")
    }
    assert found == set(_cases())
