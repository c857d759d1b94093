"""Stated purposes for consulting a nominal's record (DPA 2018 s.62(3): the justification).

Before a user's first view of a record in a session they choose a purpose and may add
detail; it is kept in the session for that record and written on every consultation event.
The API takes the same purpose in the X-Vigil-Purpose and X-Vigil-Purpose-Detail headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


class Purpose(models.TextChoices):
    INVESTIGATION = "investigation", "An investigation I am working on"
    OFFENDER_MANAGEMENT = "offender_management", "Managing this person as an offender"
    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk"
    SUPERVISION = "supervision", "Supervision or quality assurance"
    DISCLOSURE = "disclosure", "A disclosure or information-sharing request"
    DATA_QUALITY = "data_quality", "Data quality or register reconciliation"
    OTHER = "other", "Another policing purpose (explain below)"


SESSION_KEY = "vigil_purposes"


@dataclass(frozen=True)
class StatedPurpose:
    purpose: str
    detail: str

    @property
    def label(self) -> str:
        return str(Purpose(self.purpose).label)


def validate(purpose: str, detail: str) -> dict[str, str]:
    """Errors by field name; empty when the purpose is acceptable."""
    errors = {}
    if purpose not in Purpose.values:
        errors["purpose"] = "Select why you need to see this record"
    elif purpose == Purpose.OTHER and not detail.strip():
        errors["detail"] = "Explain the policing purpose"
    if len(detail) > 500:
        errors["detail"] = "Explanation must be 500 characters or fewer"
    return errors


def stated_purpose(session: Any, record_id: Any) -> StatedPurpose | None:
    stored = session.get(SESSION_KEY, {}).get(str(record_id))
    if not stored:
        return None
    return StatedPurpose(stored["purpose"], stored.get("detail", ""))


def remember_purpose(session: Any, record_id: Any, purpose: str, detail: str) -> None:
    purposes = dict(session.get(SESSION_KEY, {}))
    purposes[str(record_id)] = {"purpose": purpose, "detail": detail.strip()}
    session[SESSION_KEY] = purposes
