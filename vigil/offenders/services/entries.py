"""How each kind of RSO record's collection is logged (DPA 2018 s.62): the services log
through `recorded_entry`, and so does the demo's bulk path (vigil/demo/rso.py), so the two
cannot drift apart."""

from __future__ import annotations

from typing import Any

from django.db import models

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, field_changes, snapshot
from vigil.offenders.models import (
    ArmsAssessment,
    Breach,
    Concern,
    HomeVisit,
    IndefiniteReview,
    Intelligence,
    Notification,
    PndCheck,
    Registration,
    RiskManagementPlan,
)

# Each kind of record collected: its event and the fields it records.
RECORDED: dict[type[models.Model], tuple[str, tuple[str, ...]]] = {
    Registration: (
        "rso.registered",
        (
            "register_reference",
            "registration_date",
            "conviction_date",
            "disposal",
            "discharge_months",
            "risk_level",
            "in_community_since",
            "mappa_category",
            "mappa_level",
        ),
    ),
    HomeVisit: (
        "rso.visit_recorded",
        ("visited_at", "announced", "officer_count", "access_gained", "outcome"),
    ),
    ArmsAssessment: ("rso.arms_completed", ("completed_on", "priority", "summary")),
    RiskManagementPlan: (
        "rso.rmp_completed",
        ("completed_on", "actions", "visit_frequency_months"),
    ),
    Notification: (
        "rso.notification_recorded",
        ("kind", "made_on", "change_kind", "changed_on", "details"),
    ),
    PndCheck: ("rso.pnd_check_recorded", ("requested_on", "checked_on", "result")),
    Intelligence: ("rso.intelligence_recorded", ("received_on", "source", "grading", "summary")),
    Breach: ("rso.breach_recorded", ("identified_at", "kind", "details", "action_taken")),
    Concern: ("rso.concern_recorded", ("raised_on", "details")),
    IndefiniteReview: ("rso.indefinite_review_applied", ("applied_on",)),
}


def recorded_entry(
    actor: User | None, obj: models.Model, *, event: str = "", fields: tuple[str, ...] = ()
) -> Entry:
    """The audit entry for a record collected on an RSO's record (`RECORDED`; a draft names
    its own event and fields)."""
    default_event, default_fields = RECORDED[type(obj)]
    record: Any = obj
    registration = record if isinstance(record, Registration) else record.registration
    return Entry(
        actor=actor,
        action=AuditAction.COLLECTION,
        event=event or default_event,
        obj=obj,
        person_id=registration.nominal_id,
        changes=field_changes({}, snapshot(obj, fields or default_fields)),
    )
