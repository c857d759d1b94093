"""Reactive management (NPCC 2017, DOMAIN.md section 3): "assessed low risk *throughout* at
least 3 years in the community, with no new intelligence, breach or concern in that time";
"new intelligence, a breach, a rise in risk or a recorded concern returns the RSO to active
management with a risk review within 7 days"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from vigil.audit.models import AuditEvent
from vigil.audit.purpose import SESSION_KEY
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.offenders import services
from vigil.offenders.models import Disposal, ManagementMode, Registration, RiskLevelEntry
from vigil.offenders.reactive import reactive_eligibility
from vigil.people import services as people
from vigil.policy.pack import load

PACK = load()
TODAY = date(2026, 11, 28)  # the window looks back to 28 November 2023


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 28, 12, tzinfo=UTC))


def _rso(world: Any, level: str = "low", since: date = date(2021, 6, 1)) -> Registration:
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Grendaxton", given_names="Ivor")
    return services.registration_create(
        actor=om,
        nominal=person,
        team=om.memberships.get().team,
        registration_date=since,
        conviction_date=since,
        disposal=Disposal.CUSTODY_30_PLUS,
        risk_level=level,
        offender_manager=om,
        in_community_since=since,
    )


def _arms(world: Any, r: Registration, on: date, priority: str) -> None:
    services.arms_complete(
        actor=world.users["offender_manager"],
        registration=r,
        completed_on=on,
        priority=priority,
        summary="Synthetic",
    )


def _fresh(r: Registration) -> Registration:
    return Registration.objects.get(pk=r.pk)


def _reactive(world: Any) -> Registration:
    r = _rso(world)
    _arms(world, r, date(2021, 7, 1), "low")
    _arms(world, r, date(2024, 7, 1), "low")
    services.reactive_enter(
        actor=world.users["mosovo_supervisor"], registration=r, rationale="Low and stable"
    )
    return _fresh(r)


def test_low_today_is_not_low_throughout(world: Any) -> None:
    """The fault the review found: an RSO changed from medium to low today was eligible at
    once. The history now shows medium until today."""
    om, sup = world.users["offender_manager"], world.users["mosovo_supervisor"]
    r = _rso(world, level="medium")
    _arms(world, r, date(2021, 7, 1), "medium")
    r = services.registration_update(
        actor=om, registration=_fresh(r), expected_version=_fresh(r).version, risk_level="low"
    )
    assert [(e.level, e.source) for e in r.risk_history.order_by("effective_on", "created_at")] == [
        ("medium", "arms"),
        ("medium", "registered"),
        ("low", "changed"),
    ]
    eligibility = reactive_eligibility(_fresh(r), PACK, TODAY)
    assert not eligibility.eligible
    assert any(
        s.startswith("Not low throughout: medium from 28 Nov 2023") for s in eligibility.shortfalls
    )
    with pytest.raises(PermissionDenied):
        services.reactive_enter(actor=om, registration=r, rationale="x")
    with pytest.raises(ValidationError, match="Not low throughout"):
        services.reactive_enter(actor=sup, registration=r, rationale="Stable")


@pytest.mark.parametrize(
    ("arms", "eligible", "why"),
    [
        ([(date(2021, 7, 1), "low")], True, "Assessed low throughout since 28 Nov 2023"),
        # the ARMS in force on the first day of the window was high
        ([(date(2021, 7, 1), "high"), (date(2023, 11, 29), "low")], False, "high from 28 Nov"),
        # a rise within the window, since lowered again
        ([(date(2021, 7, 1), "low"), (date(2025, 2, 28), "medium"), (date(2025, 9, 1), "low")],
         False, "medium from 28 Feb 2025"),
        # low assessed exactly on the first day of the window counts for it
        ([(date(2023, 11, 28), "low")], True, "Assessed low throughout"),
        # the history starts the day after the window begins: it cannot show three years
        ([(date(2023, 11, 29), "low")], False, "No risk level is recorded for 28 Nov 2023"),
    ],
)  # fmt: skip
def test_low_throughout_the_window(world: Any, arms: Any, eligible: bool, why: str) -> None:
    r = _rso(world, since=date(2020, 1, 6))
    RiskLevelEntry.objects.filter(registration=r).delete()  # only the ARMS below
    for on, priority in arms:
        _arms(world, r, on, priority)
    eligibility = reactive_eligibility(_fresh(r), PACK, TODAY)
    assert eligibility.eligible is eligible
    assert any(why in line for line in [*eligibility.met, *eligibility.shortfalls])


@pytest.mark.parametrize(
    ("community", "eligible"),
    [(date(2023, 11, 28), True), (date(2023, 11, 29), False)],  # three calendar years
)
def test_three_years_in_the_community(world: Any, community: date, eligible: bool) -> None:
    r = _rso(world, since=community)
    RiskLevelEntry.objects.filter(registration=r).update(effective_on=community)
    assert reactive_eligibility(_fresh(r), PACK, TODAY).eligible is eligible


def test_a_concern_in_the_window_bars_it(world: Any) -> None:
    r = _rso(world)
    _arms(world, r, date(2021, 7, 1), "low")
    services.concern_record(
        actor=world.users["offender_manager"],
        registration=r,
        raised_on=date(2024, 1, 5),
        details="A neighbour reports children visiting (synthetic)",
    )
    eligibility = reactive_eligibility(_fresh(r), PACK, TODAY)
    assert eligibility.shortfalls == ["A concern raised on 5 Jan 2024, within the last 3 years"]


def _return_review(r: Registration, rule_id: str) -> list[tuple[date, list[str]]]:
    return [
        (o.due_date, o.policy_keys)
        for o in Obligation.objects.open().filter(subject_id=r.pk, rule_id=rule_id)
    ]


def test_intelligence_returns_to_active_with_a_review_in_7_days(world: Any) -> None:
    r = _reactive(world)
    assert not Obligation.objects.open().filter(subject_id=r.pk, kind="rso.visit").exists()
    services.intelligence_record(
        actor=world.users["offender_manager"],
        registration=r,
        received_on=date(2026, 11, 27),
        source="Partner agency",
        grading="B2 4",
        summary="Synthetic",
    )
    assert _fresh(r).management_mode == ManagementMode.ACTIVE
    assert _return_review(r, "rso.arms.intelligence") == [
        (date(2026, 12, 4), ["rso.reactive_return_review_days"])
    ]
    assert Obligation.objects.open().filter(subject_id=r.pk, kind="rso.visit").exists()


def test_a_breach_returns_to_active(world: Any) -> None:
    r = _reactive(world)
    breach = services.breach_record(
        actor=world.users["offender_manager"],
        registration=r,
        identified_at=datetime(2026, 11, 26, 10, tzinfo=UTC),
        kind="failed_to_notify",
        details="Synthetic",
    )
    assert breach.returned_to_active
    assert _fresh(r).management_mode == ManagementMode.ACTIVE
    assert _return_review(r, "rso.arms.breach") == [
        (date(2026, 12, 3), ["rso.reactive_return_review_days"])
    ]


def test_a_rise_in_risk_returns_to_active(world: Any) -> None:
    r = _reactive(world)
    services.registration_update(
        actor=world.users["offender_manager"],
        registration=r,
        expected_version=r.version,
        risk_level="medium",
    )
    assert _fresh(r).management_mode == ManagementMode.ACTIVE
    assert _return_review(r, "rso.arms.risk_rise") == [
        (date(2026, 12, 5), ["rso.reactive_return_review_days"])
    ]


def test_an_arms_above_low_returns_to_active_and_is_the_review(world: Any) -> None:
    r = _reactive(world)
    _arms(world, r, TODAY, "high")
    assert _fresh(r).management_mode == ManagementMode.ACTIVE
    (review,) = Obligation.objects.filter(subject_id=r.pk, rule_id="rso.arms.risk_rise")
    assert review.met_date == TODAY


def test_a_concern_returns_to_active(world: Any) -> None:
    r = _reactive(world)
    concern = services.concern_record(
        actor=world.users["offender_manager"],
        registration=r,
        raised_on=date(2026, 11, 28),
        details="Synthetic",
    )
    assert concern.returned_to_active
    assert _fresh(r).management_mode == ManagementMode.ACTIVE
    assert _return_review(r, "rso.arms.concern") == [
        (date(2026, 12, 5), ["rso.reactive_return_review_days"])
    ]
    with pytest.raises(ValidationError) as refused:
        services.concern_record(
            actor=world.users["offender_manager"], registration=r, raised_on=TODAY, details=" "
        )
    assert set(refused.value.message_dict) == {"details"}


def test_the_supervisor_sees_why(world: Any) -> None:
    r = _rso(world, level="medium")
    client = Client()
    client.force_login(world.users["mosovo_supervisor"])
    session = client.session
    session[SESSION_KEY] = {str(r.nominal_id): {"purpose": "supervision", "detail": ""}}
    session.save()
    html = client.get(reverse("offenders:reactive-enter", kwargs={"pk": r.pk})).content.decode()
    assert "Not eligible under the policy" in html
    assert "Risk of serious harm is medium" in html
    assert "No intelligence since 28 Nov 2023" in html  # what is met is said too
    url = reverse("api:rso-reactive-eligibility", kwargs={"pk": r.pk})
    assert client.get(url).status_code == 400  # a read of the record states its purpose
    api = client.get(url, headers={"X-Vigil-Purpose": "supervision"})
    assert api.status_code == 200
    assert AuditEvent.objects.filter(
        person_id=r.nominal_id, detail__via="api rso reactive eligibility"
    ).exists()
    assert api.json()["eligible"] is False
    assert "Risk of serious harm is medium" in api.json()["shortfalls"]


def test_the_upgrade_begins_the_history_from_the_audit_log(world: Any) -> None:
    """Records made before the history was kept: the migration reads each registration's
    level and every change of it from the audit log, and each ARMS, so a rise and fall
    before the upgrade is not lost."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("vigil.offenders.migrations.0012_reactive_history")
    r = _rso(world, level="high")
    _arms(world, r, date(2021, 7, 1), "low")
    r = services.registration_update(
        actor=world.users["offender_manager"],
        registration=_fresh(r),
        expected_version=_fresh(r).version,
        risk_level="low",
    )
    newer = _rso(world, level="low")  # registered today: its level is known from today
    RiskLevelEntry.objects.all().delete()
    migration.begin_the_history(apps, None)
    history = [
        (e.level, e.source)
        for e in RiskLevelEntry.objects.filter(registration=r).order_by(
            "effective_on", "created_at"
        )
    ]
    assert history == [("low", "arms"), ("high", "registered"), ("low", "changed")]
    assert not reactive_eligibility(_fresh(r), PACK, TODAY).eligible
    assert [(e.level, e.effective_on) for e in _fresh(newer).risk_history.all()] == [("low", TODAY)]
