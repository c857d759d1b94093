"""Synthetic RSO history for the demo: register records with years of visits, ARMS
assessments and plans, with the realistic untidiness a backlog has (late and missing visits,
unreviewed work, announced or single-officer visits, some reactive management).

This is a bulk path: records are inserted in batches, each with its audit event, and the
engine then syncs every registration once, rather than re-syncing on every record as the
services do. The scaled demos (scaled.py) call it team by team with `sync=False` and run the
engine's `sync_all` once at the end."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, audit_record_many, field_changes, snapshot
from vigil.core import clock
from vigil.core.dates import add_months
from vigil.obligations.sync import sync_all
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    BreachKind,
    ChangeKind,
    Disposal,
    HomeVisit,
    Intelligence,
    ManagementMode,
    Notification,
    PndCheck,
    Registration,
    RiskLevelEntry,
    RiskManagementPlan,
    RiskSource,
)
from vigil.offenders.services.entries import recorded_entry
from vigil.people.models import Address, AddressKind, Nominal
from vigil.policy.pack import active as active_policy

AUDIT_BATCH = 20_000
RISK_MIX = [("very_high", 2), ("high", 18), ("medium", 30), ("low", 50)]
DISPOSAL_MIX = [
    (Disposal.CUSTODY_30_PLUS, 29),
    (Disposal.HOSPITAL_RESTRICTION, 2),
    (Disposal.CUSTODY_6_TO_30, 33),
    (Disposal.CUSTODY_6_OR_LESS, 10),
    (Disposal.HOSPITAL_ORDER, 2),
    (Disposal.CAUTION, 10),
    (Disposal.CONDITIONAL_DISCHARGE, 2),
    (Disposal.OTHER, 12),
]


def _pick(rng: random.Random, mix: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in mix], weights=[w for _, w in mix])[0]


def _when(day: date, rng: random.Random) -> datetime:
    hour = rng.choice([9, 10, 11, 14, 15, 16, 18, 19, 20])
    return timezone.make_aware(datetime.combine(day, time(hour, rng.choice([0, 15, 30, 45]))))


def generate_rsos(
    *,
    rng: random.Random,
    nominals: list[Any],
    team_managers: list[tuple[Any, list[Any]]],
    supervisor: Any,
    head_of_unit: Any,
    sync: bool = True,
) -> int:
    """Registers each nominal with history; returns the number of registrations. With
    `sync=False` the caller runs `sync_all` itself (once, after many calls)."""
    pack = active_policy()
    today = clock.today()
    registrations: list[Registration] = []
    limited = set(
        Nominal.objects.filter(pk__in=[n.pk for n in nominals], limited_access=True).values_list(
            "pk", flat=True
        )
    )
    for i, nominal in enumerate(nominals):
        team, managers = team_managers[i % len(team_managers)]
        if nominal.pk in limited:  # managed by an officer who may see the record
            managers = [
                m for m in managers if Nominal.objects.visible_to(m).filter(pk=nominal.pk).exists()
            ]
        start = today - timedelta(days=rng.randint(60, 5 * 365))
        disposal = _pick(rng, DISPOSAL_MIX)
        registrations.append(
            Registration(
                force_id=nominal.force_id,
                nominal=nominal,
                team=team,
                offender_manager=rng.choice(managers) if managers and rng.random() > 0.03 else None,
                register_reference=""
                if rng.random() < 0.02
                else f"SYN-R{rng.randint(100000, 999999)}",
                registration_date=start,
                conviction_date=start - timedelta(days=rng.randint(30, 400)),
                disposal=disposal,
                discharge_months=rng.choice([12, 18, 24, 36])
                if disposal == Disposal.CONDITIONAL_DISCHARGE
                else None,
                under_18_at_conviction=rng.random() < 0.05,
                in_community_since=start,
                risk_level=_pick(rng, RISK_MIX),
                mappa_category=1,
                mappa_level=rng.choices([1, 2, 3], weights=[85, 13, 2])[0],
            )
        )
    # The law ends a fixed period on its last day (s.82): nothing is recorded after it, and
    # the unit ends the registration within days; one whose period ended in the last fortnight
    # may still await it (its task is on the worklist).
    horizon: dict[Any, date] = {}
    for r in registrations:
        ends = r.notification_ends(pack)
        horizon[r.pk] = min(today, ends) if ends else today
        if ends is not None and ends < today:
            ended = ends + timedelta(days=rng.choice([1, 1, 2, 3, 5, 8, 13]))
            if ended <= today and (today - ends).days > 14:
                r.ended_on = ended
    for r in registrations:
        eligible_from = add_months(r.registration_date, 12 * pack["rso.reactive_low_risk_years"])
        if r.ended_on is not None:
            continue
        if r.risk_level == "low" and eligible_from <= today and rng.random() < 0.4:
            r.management_mode = ManagementMode.REACTIVE
            r.reactive_since = min(today, eligible_from + timedelta(days=rng.randint(0, 60)))
            r.reactive_decided_by = supervisor
            r.reactive_rationale = "Synthetic: low risk, stable, no intelligence or concerns."
    Registration.objects.bulk_create(registrations)

    visits: list[HomeVisit] = []
    arms: list[ArmsAssessment] = []
    plans: list[RiskManagementPlan] = []
    backlog = {r.pk for r in rng.sample(registrations, k=max(1, len(registrations) // 6))}
    for r in registrations:
        assert r.in_community_since is not None
        officer = r.offender_manager or supervisor
        behind = r.pk in backlog
        # ARMS: initial around the 28-day mark, then roughly yearly
        day = r.in_community_since + timedelta(days=rng.randint(10, 45))
        while day <= today - timedelta(days=30 if behind else 0):
            arms.append(
                ArmsAssessment(
                    force_id=r.force_id,
                    registration=r,
                    completed_on=day,
                    completed_by=officer,
                    priority=r.risk_level,
                    summary="Synthetic ARMS summary.",
                )
            )
            # a plan after each ARMS, and its six-monthly review (usually on time)
            frequency = None if rng.random() < 0.8 else rng.choice([1, 2, 3])
            plan_day = day + timedelta(days=rng.randint(3, 20))
            review_day = add_months(plan_day, pack["rso.rmp_review_months"]) + timedelta(
                days=rng.randint(-30, 30 if behind else 5)
            )
            for when in (plan_day, review_day):
                if when <= today:
                    plans.append(
                        RiskManagementPlan(
                            force_id=r.force_id,
                            registration=r,
                            completed_on=when,
                            completed_by=officer,
                            actions="Synthetic plan actions.",
                            visit_frequency_months=frequency,
                        )
                    )
            day = add_months(day, pack["rso.arms_review_months"]) + timedelta(
                days=rng.randint(-20, 40)
            )
        if r.management_mode == ManagementMode.REACTIVE:
            continue
        months = pack["rso.home_visit_months"][r.risk_level]
        day = add_months(r.in_community_since, months) + timedelta(days=rng.randint(-25, 10))
        stop = today - timedelta(days=rng.randint(30, 200) if behind else 0)
        while day <= stop:
            announced = rng.random() < 0.06
            single = rng.random() < 0.06
            visits.append(
                HomeVisit(
                    force_id=r.force_id,
                    registration=r,
                    visited_at=_when(day, rng),
                    completed_on=day,
                    completed_by=officer,
                    announced=announced,
                    officer_count=1 if single else 2,
                    access_gained=rng.random() > 0.05,
                    outcome="Synthetic visit outcome.",
                )
            )
            day = add_months(day, months) + timedelta(days=rng.randint(-20, 25))

    notifications: list[Notification] = []
    checks: list[PndCheck] = []
    for r in registrations:
        officer = r.offender_manager or supervisor
        day = r.registration_date + timedelta(days=rng.choice([0, 1, 2, 2, 3, 5]))
        kind = "initial"
        while day <= today:
            notifications.append(
                Notification(
                    force_id=r.force_id,
                    registration=r,
                    kind=kind,
                    made_on=day,
                    recorded_by=officer,
                    details="Synthetic notification.",
                )
            )
            kind = "periodic"
            day = add_months(day, pack["rso.periodic_notification_months"]) - timedelta(
                days=rng.randint(-10, 40)
            )
    for assessment in arms:
        assert assessment.completed_on is not None
        if rng.random() < 0.9:
            day = assessment.completed_on + timedelta(days=rng.randint(-7, 7))
            if day <= today:
                checks.append(
                    PndCheck(
                        force_id=assessment.force_id,
                        registration=assessment.registration,
                        checked_on=day,
                        result="No new trace (synthetic).",
                        checked_by=assessment.completed_by,
                    )
                )
    for check in checks:
        assessed = check.checked_on + timedelta(days=rng.randint(0, 10))
        if assessed <= today and rng.random() < 0.95:
            check.assessed_on, check.assessed_by = assessed, check.checked_by
            check.assessment = "Nothing affecting the risk (synthetic)."
    intelligence = [
        Intelligence(
            force_id=r.force_id,
            registration=r,
            received_on=today - timedelta(days=rng.randint(1, 300)),
            source=rng.choice(["Partner agency", "Force intelligence", "Member of the public"]),
            grading=rng.choice(["B2 4", "C3 1", "B3 4"]),
            summary="Synthetic intelligence entry.",
            recorded_by=r.offender_manager or supervisor,
        )
        for r in registrations
        if r.management_mode == ManagementMode.ACTIVE and rng.random() < 0.08
    ]
    notifications += _changes(rng, registrations, supervisor, today)
    breaches = _breaches(rng, registrations, supervisor, today)
    notifications = [n for n in notifications if n.made_on <= horizon[n.registration.pk]]
    checks = [c for c in checks if c.checked_on <= horizon[c.registration.pk]]
    intelligence = [i for i in intelligence if i.received_on <= horizon[i.registration.pk]]
    breaches = [
        b for b in breaches if clock.localdate(b.identified_at) <= horizon[b.registration.pk]
    ]
    moves = _moves(rng, notifications)
    Intelligence.objects.bulk_create(intelligence)
    Breach.objects.bulk_create(breaches, batch_size=1000)
    Notification.objects.bulk_create(notifications, batch_size=1000)
    PndCheck.objects.bulk_create(checks, batch_size=1000)

    visits += _failed_entries(rng, registrations, visits, supervisor, today)
    _cluster(rng, registrations, visits, today)
    arms = [a for a in arms if a.completed_on <= horizon[a.registration.pk]]  # type: ignore[operator]
    plans = [p for p in plans if p.completed_on <= horizon[p.registration.pk]]  # type: ignore[operator]
    visits = [v for v in visits if v.completed_on <= horizon[v.registration.pk]]
    works: list[ArmsAssessment | RiskManagementPlan | HomeVisit] = [*arms, *plans, *visits]
    # Supervisors review most work, mostly within the month; the newest often not yet.
    for work in works:
        assert work.completed_on is not None  # the demo writes complete work only
        age = (today - work.completed_on).days
        if rng.random() < (0.995 if age > 365 else 0.93 if age > 60 else 0.5):
            reviewed = work.completed_on + timedelta(days=rng.randint(2, 45))
            if reviewed <= today:
                work.reviewed_on, work.reviewed_by = reviewed, supervisor
    for visit in visits:
        if not visit.compliant and rng.random() < 0.85:
            visit.authorised_on = visit.completed_on
            visit.authorised_by = supervisor
            visit.authorisation_rationale = "Synthetic rationale: risk to a lone officer assessed."
            if (today - visit.completed_on).days > 40 and rng.random() < 0.95:
                visit.assessed_on = visit.completed_on + timedelta(days=rng.randint(5, 35))
                visit.assessed_by = head_of_unit
                visit.assessment = "Synthetic assessment: the decision was reasonable."
    ArmsAssessment.objects.bulk_create(arms, batch_size=1000)
    # The dated risk history: the level given on registration, and each ARMS's priority.
    RiskLevelEntry.objects.bulk_create(
        [
            RiskLevelEntry(
                force_id=r.force_id,
                registration=r,
                effective_on=r.registration_date,
                level=r.risk_level,
                source=RiskSource.REGISTERED,
            )
            for r in registrations
        ]
        + [
            RiskLevelEntry(
                force_id=a.force_id,
                registration=a.registration,
                effective_on=a.completed_on,  # type: ignore[misc]
                level=a.priority,
                source=RiskSource.ARMS,
                arms=a,
                recorded_by=a.completed_by,
            )
            for a in arms
        ],
        batch_size=2000,
    )
    RiskManagementPlan.objects.bulk_create(plans, batch_size=1000)
    HomeVisit.objects.bulk_create(visits, batch_size=1000)
    through = HomeVisit.officers.through
    through.objects.bulk_create(
        [through(homevisit_id=v.pk, user_id=v.completed_by_id) for v in visits], batch_size=2000
    )

    # The audit events the services write, one per record collected, built by the services'
    # own `recorded_entry` (marked as the demo's).
    recorded: list[Any] = [*works, *notifications, *checks, *intelligence, *breaches]
    entries = (
        [replace(recorded_entry(None, r), detail={"source": "demo"}) for r in registrations]
        + [
            Entry(
                actor=supervisor,
                action=AuditAction.ALTERATION,
                event="rso.registration_ended",
                obj=r,
                person_id=r.nominal_id,
                changes={"ended_on": {"before": None, "after": r.ended_on}},
                justification="The notification period ended",
            )
            for r in registrations
            if r.ended_on is not None
        ]
        + moves
        + [
            replace(recorded_entry(_author(record), record), detail={"source": "demo"})
            for record in recorded
        ]
    )
    # In slices, so that a large team's events are never all held as rows at once.
    for first in range(0, len(entries), AUDIT_BATCH):
        audit_record_many(entries[first : first + AUDIT_BATCH])
    if sync:
        sync_all()
    return len(registrations)


def _author(record: Any) -> Any:
    for name in ("completed_by", "recorded_by", "checked_by"):
        if hasattr(record, name):
            return getattr(record, name)
    return None


def _changes(
    rng: random.Random, registrations: list[Registration], supervisor: Any, today: date
) -> list[Notification]:
    """Notified changes in the last two years, most within the 3 days, some late; most are
    moves of home (each brings an ARMS review forward)."""
    made = []
    for r in registrations:
        if rng.random() >= 0.15:
            continue
        changed = today - timedelta(days=rng.randint(5, 730))
        if changed < r.registration_date:
            continue
        made_on = min(today, changed + timedelta(days=rng.choice([0, 1, 1, 2, 3, 3, 5, 9])))
        made.append(
            Notification(
                force_id=r.force_id,
                registration=r,
                kind="change",
                made_on=made_on,
                change_kind=rng.choices(
                    [ChangeKind.HOME_ADDRESS, ChangeKind.NAME, ChangeKind.OTHER],
                    weights=[80, 5, 15],
                )[0],
                changed_on=changed,
                recorded_by=r.offender_manager or supervisor,
                details="Synthetic notification of a change.",
            )
        )
    return made


def _moves(rng: random.Random, notifications: list[Notification]) -> list[Entry]:
    """A notified change of home address reaches the person's address history, as the
    service does: the home address ends the day before the change and the new one starts
    on it, each audited. A change dated before the current address began is recorded as
    another kind of change instead. Returns the audit entries."""
    moving = [n for n in notifications if n.change_kind == ChangeKind.HOME_ADDRESS]
    current = {
        a.nominal_id: a
        for a in Address.objects.filter(
            nominal_id__in=[n.registration.nominal_id for n in moving],
            kind__in=(AddressKind.HOME, AddressKind.NO_FIXED_ABODE),
            valid_to__isnull=True,
        )
    }
    ended: list[Address] = []
    added: list[Address] = []
    entries: list[Entry] = []
    for n in moving:
        assert n.changed_on is not None
        previous = current.get(n.registration.nominal_id)
        if previous is None or previous.valid_from >= n.changed_on:
            n.change_kind = ChangeKind.OTHER
            continue
        previous.valid_to = n.changed_on - timedelta(days=1)
        previous.version += 1
        ended.append(previous)
        home = Address(
            nominal_id=previous.nominal_id,
            force_id=previous.force_id,
            kind=AddressKind.HOME,
            line_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            town=previous.town,
            postcode=previous.postcode,  # synthetic (ZZ99), in the same town
            valid_from=n.changed_on,
        )
        added.append(home)
        current[previous.nominal_id] = home
        entries += [
            Entry(
                actor=n.recorded_by,
                action=AuditAction.ALTERATION,
                event="nominal.address_ended",
                obj=previous,
                person_id=previous.nominal_id,
                changes={"valid_to": {"before": None, "after": previous.valid_to}},
            ),
            Entry(
                actor=n.recorded_by,
                action=AuditAction.COLLECTION,
                event="nominal.address_added",
                obj=home,
                person_id=home.nominal_id,
                changes=field_changes({}, snapshot(home, ADDRESS_FIELDS)),
            ),
        ]
    Address.objects.bulk_update(ended, ["valid_to", "version"], batch_size=1000)
    Address.objects.bulk_create(added, batch_size=1000)
    return entries


STREETS = ("Ropewalk", "Tanners Row", "Quarry Lane", "Mill Street", "Chapel Yard", "Weir Road")
ADDRESS_FIELDS = ("kind", "line_1", "line_2", "town", "postcode", "valid_from")


def _breaches(
    rng: random.Random, registrations: list[Registration], supervisor: Any, today: date
) -> list[Breach]:
    """A few breaches in the last two years: most on ViSOR within the 24 hours, some a day or
    more late, the newest sometimes not yet."""
    now = clock.now()
    found = []
    for r in registrations:
        if rng.random() >= 0.04:
            continue
        day = today - timedelta(days=rng.randint(1, 700))
        if day < r.registration_date:
            continue
        identified = _when(day, rng)
        recorded_at = identified + timedelta(hours=rng.choice([1, 3, 6, 20, 23, 26, 50, 98]))
        recorded = clock.localdate(recorded_at)
        found.append(
            Breach(
                force_id=r.force_id,
                registration=r,
                identified_at=identified,
                kind=rng.choice(BreachKind.values),
                details="Synthetic breach of the notification requirements.",
                action_taken=rng.choice(["Words of advice", "Arrested and charged", "Summons"]),
                recorded_by=r.offender_manager or supervisor,
                recorded_nationally_on=recorded if recorded_at <= now else None,
                recorded_nationally_at=recorded_at if recorded_at <= now else None,
                recorded_nationally_by=(r.offender_manager or supervisor)
                if recorded_at <= now
                else None,
            )
        )
    return found


def _failed_entries(
    rng: random.Random,
    registrations: list[Registration],
    visits: list[HomeVisit],
    supervisor: Any,
    today: date,
) -> list[HomeVisit]:
    """For a few active RSOs, the last two attempts to visit found no one in: the s.96B
    warrant path is open for a supervisor's decision."""
    latest: dict[Any, date] = {}
    for visit in visits:
        latest[visit.registration_id] = max(
            latest.get(visit.registration_id, visit.completed_on), visit.completed_on
        )
    added = []
    for r in registrations:
        if r.management_mode != ManagementMode.ACTIVE or rng.random() >= 0.02:
            continue
        first = today - timedelta(days=rng.randint(10, 40))
        if latest.get(r.pk, r.registration_date) >= first:
            continue
        for day in (first, first + timedelta(days=rng.randint(3, 9))):
            if day <= today:
                added.append(
                    HomeVisit(
                        force_id=r.force_id,
                        registration=r,
                        visited_at=_when(day, rng),
                        completed_on=day,
                        completed_by=r.offender_manager or supervisor,
                        announced=False,
                        officer_count=2,
                        access_gained=False,
                        outcome="Synthetic: no answer at the door.",
                    )
                )
    return added


def _cluster(
    rng: random.Random, registrations: list[Registration], visits: list[HomeVisit], today: date
) -> None:
    """For a few RSOs every visit falls on a Tuesday morning: predictable, and flagged."""
    chosen = {r.pk for r in registrations if rng.random() < 0.05}
    for visit in visits:
        if visit.registration_id not in chosen:
            continue
        day = visit.completed_on - timedelta(days=(visit.completed_on.weekday() - 1) % 7)
        visit.completed_on = day
        visit.visited_at = timezone.make_aware(datetime.combine(day, time(10, 15)))
