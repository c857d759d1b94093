"""Recording a completed instrument. The domain that asks for the assessment (an OCSEA
referral) checks the user's verbs before calling, and re-syncs its own obligations after:
this service scores the answers under the pack in force, keeps what the pack was, and audits
the assessment in the caller's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, atomic, audit_record_many, field_changes, snapshot
from vigil.core import clock
from vigil.instruments.models import Assessment
from vigil.instruments.packs import AnswerError, UnknownPackError, get_pack

# What the audit event records of a new assessment (its answers are in `changes` too: what
# the assessor found is the substance of the record).
_AUDITED = (
    "pack_code",
    "pack_version",
    "pack_digest",
    "subject_type",
    "subject_id",
    "answers",
    "score",
    "band",
    "override_item",
    "assessed_at",
)


def field_name(item_id: str) -> str:
    """The form field (and ValidationError key) for an item: `item_<item id>`."""
    return f"item_{item_id}"


@atomic
def assessment_create(
    *,
    actor: User,
    pack_code: str,
    answers: Mapping[str, str],
    force_id: uuid.UUID | str,
    subject_type: str,
    subject_id: uuid.UUID | str,
    person_id: uuid.UUID | str | None = None,
    notes: str = "",
    assessed_at: datetime | None = None,
) -> Assessment:
    """Scores `answers` (item id -> option id) with the pack `pack_code` and records it.

    Raises ValidationError keyed by form field (`item_<id>`) for each unanswered item, each
    answer that is not one of its item's options and each answer to no item; keyed `pack_code`
    for a pack that is not loaded, and `assessed_at` for a time in the future."""
    try:
        pack = get_pack(pack_code)
    except UnknownPackError as exc:
        raise ValidationError({"pack_code": str(exc)}) from None
    try:
        result = pack.score(answers)
    except AnswerError as exc:
        raise ValidationError(
            {field_name(item): message for item, message in exc.problems.items()}
        ) from None
    when = assessed_at or clock.now()
    if when > clock.now():
        raise ValidationError(
            {"assessed_at": "The time of the assessment must not be in the future"}
        )
    assessment = Assessment.objects.create(
        force_id=force_id,
        pack_code=pack.code,
        pack_name=pack.name,
        pack_version=pack.version,
        pack_digest=pack.digest,
        subject_type=subject_type,
        subject_id=subject_id,
        person_id=person_id,
        answers={item.id: str(answers[item.id]) for item in pack.items},
        item_points=result.item_points,
        flags=result.flags,
        score=result.score,
        band=result.band,
        band_label=result.band_label,
        timescale_key=result.timescale_key,
        override_item=result.override_item,
        override_reason=result.override_reason,
        assessed_by=actor,
        assessed_at=when,
        notes=notes,
    )
    audit_record_many([assessment_entry(actor, assessment, person_id)])
    return assessment


def assessment_entry(actor: Any, assessment: Assessment, person_id: Any) -> Entry:
    """`instrument.assessment_recorded`, for the service and the demo's bulk path."""
    return Entry(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="instrument.assessment_recorded",
        obj=assessment,
        person_id=person_id,
        changes=field_changes({}, snapshot(assessment, _AUDITED)),
    )
