"""The audit entry each OCSEA write appends, declared once per event: the kind of processing
it is (DPA 2018 s.62: a collection, or an alteration) and the fields of its record it
records. The services append them through `_audit` (services/_common.py); the demo's bulk path
builds the same entries (vigil/demo/ocsea.py), giving a record's values as they were on the
day where its row holds today's (a referral allocated twice, a bail later extended)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import models

from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, field_changes, snapshot

COLLECTION, ALTERATION = AuditAction.COLLECTION, AuditAction.ALTERATION

RECORDED: dict[str, tuple[AuditAction, tuple[str, ...]]] = {
    # receipt, triage and review
    "ocsea.referral_received": (
        COLLECTION,
        (
            "reference",
            "source",
            "source_reference",
            "received_at",
            "category_a",
            "category_b",
            "category_c",
            "linked_to_id",
        ),
    ),
    "ocsea.suspect_added": (COLLECTION, ("age_group", "online_identifiers")),
    "ocsea.referral_triaged": (COLLECTION, ("kind", "band")),
    "ocsea.risk_reviewed": (COLLECTION, ("kind", "reviewed_on", "band", "previous_band")),
    "ocsea.intelligence_recorded": (COLLECTION, ("received_on",)),
    # the investigation
    "ocsea.investigation_allocated": (ALTERATION, ("team_id", "officer_id", "status")),
    "ocsea.action_recorded": (ALTERATION, ("actioned_on", "action_taken")),
    "ocsea.enforcement_planned": (ALTERATION, ("planned_enforcement_on",)),
    "ocsea.oversight_reviewed": (COLLECTION, ("reviewed_on",)),
    "ocsea.enforcement_recorded": (
        COLLECTION,
        (
            "enforced_on",
            "warrant",
            "warrant_reference",
            "outcome",
            "devices_seized",
            "children_safeguarded",
            "family_present",
        ),
    ),
    "ocsea.arrest_decided": (
        ALTERATION,
        ("arrest_decision", "arrest_decided_on", "arrest_rationale"),
    ),
    "ocsea.non_arrest_ratified": (ALTERATION, ("ratified_on", "ratification_note")),
    "ocsea.outcome_recorded": (ALTERATION, ("outcome", "outcome_on", "outcome_detail")),
    "ocsea.referral_closed": (ALTERATION, ("status", "closed_on", "closure_note")),
    "ocsea.child_safeguarded": (ALTERATION, ("safeguarded_on",)),
    # the family
    "ocsea.family_member_recorded": (
        COLLECTION,
        ("relationship", "age_band", "lives_with_suspect", "vulnerability_identified_on"),
    ),
    "ocsea.family_vulnerability_recorded": (
        ALTERATION,
        ("vulnerability", "vulnerability_identified_on"),
    ),
    "ocsea.family_support_recorded": (
        ALTERATION,
        (
            "support_signposted_on",
            "support_organisation_id",
            "leaflet_given_on",
            "leaflet_id",
            "welfare_pack_on",
        ),
    ),
    "ocsea.marf_submitted": (ALTERATION, ("marf_submitted_on", "marf_reference")),
    # bail and release under investigation
    "ocsea.bail_started": (
        COLLECTION,
        (
            "kind",
            "arrested_on",
            "start_date",
            "designated",
            "area_id",
            "continues_id",
            "rebailed_on",
            "rearrested_on",
        ),
    ),
    "ocsea.bail_condition_imposed": (
        COLLECTION,
        ("kind", "text", "protects", "victims_views", "imposed_on"),
    ),
    "ocsea.bail_condition_removed": (ALTERATION, ("removed_on",)),
    "ocsea.bail_conditions_checked": (COLLECTION, ("checked_on", "method", "result")),
    "ocsea.bail_breach_actioned": (ALTERATION, ("breach_actioned_on", "breach_action")),
    "ocsea.bail_extended": (
        COLLECTION,
        (
            "stage",
            "authorised_on",
            "authoriser_name",
            "authoriser_rank",
            "grounds_to_suspect",  # PACE s.47ZC conditions A to D
            "further_time_needed",
            "diligent_and_expeditious",
            "bail_necessary_and_proportionate",
            "court_order_reference",
            "court_end_date",
        ),
    ),
    "ocsea.bail_court_decided": (
        ALTERATION,
        ("court_decided_on", "court_end_date", "court_refused"),
    ),
    "ocsea.bail_ended": (ALTERATION, ("ended_on", "end_reason", "end_note")),
    "ocsea.rui_reviewed": (COLLECTION, ("reviewed_on",)),
}


def recorded_before(obj: models.Model, event: str) -> dict[str, Any]:
    """The record's fields an event records, before the write changes them."""
    return snapshot(obj, RECORDED[event][1])


def recorded_entries(
    actor: Any,
    obj: models.Model,
    event: str,
    people: Any,  # one person, or a list (one entry each)
    *,
    at: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
    justification: str = "",
) -> list[Entry]:
    """The event's entries: the fields it records (`at`: their values on the day, where the
    record holds later ones; only fields the event records), changed from `before`, and
    anything the write adds (`extra`)."""
    action, fields = RECORDED[event]
    after = snapshot(obj, fields) if at is None else dict(at)
    if unknown := set(after) - set(fields):
        raise ValueError(f"{event} does not record {sorted(unknown)}")
    changes = field_changes(before or {}, {**after, **(extra or {})})
    return [
        Entry(
            actor=actor,
            action=action,
            event=event,
            obj=obj,
            person_id=person,
            changes=changes,
            justification=justification,
        )
        for person in (people if isinstance(people, list) else [people])
    ]
