"""Stated purposes for consulting a nominal's record (DPA 2018 s.62(3): the justification).

Before a user's first view of a record in a session they choose a purpose and may add
detail; it is kept in the session for that record and written on every consultation event.
A page showing several people asks once for all of them. The purposes offered are those that
fit the user's work (`fitting`): a triage officer is not asked to choose "offender
management". The API takes the same purpose in the X-Vigil-Purpose and
X-Vigil-Purpose-Detail headers, refused when it does not fit the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


class Purpose(models.TextChoices):
    TRIAGE = "triage", "Triaging a referral"
    INVESTIGATION = "investigation", "An investigation I am working on"
    OFFENDER_MANAGEMENT = "offender_management", "Managing this person as an offender"
    SAFEGUARDING = "safeguarding", "Safeguarding a child or an adult at risk"
    SUPERVISION = "supervision", "Supervision or quality assurance"
    DISCLOSURE = "disclosure", "A disclosure or information-sharing request"
    DATA_QUALITY = "data_quality", "Data quality or register reconciliation"
    AUDIT = "audit", "An audit, a complaint or a data protection request"
    # never offered: the purpose kept for a record the user has just created (ADR 21)
    CREATED = "created", "Recording a person I have just added"
    OTHER = "other", "Another policing purpose (explain below)"


# Which work each purpose belongs to: it is offered to a user holding any of these verbs.
# "Another policing purpose" is offered to everyone, with its explanation required.
FITS: dict[str, tuple[str, ...]] = {
    Purpose.TRIAGE: ("triage_referral",),
    Purpose.INVESTIGATION: ("investigate", "oversee_investigations"),
    Purpose.OFFENDER_MANAGEMENT: ("manage_rso", "review_rso_work"),
    Purpose.SAFEGUARDING: ("triage_referral", "investigate", "manage_rso"),
    Purpose.SUPERVISION: (
        "review_rso_work",
        "oversee_investigations",
        "act_on_escalations",
        "view_force_work",
    ),
    Purpose.DISCLOSURE: ("manage_rso", "investigate", "view_force_work"),
    Purpose.DATA_QUALITY: ("record_nominal", "manage_limited_access"),
    Purpose.AUDIT: ("view_audit", "view_force_work"),
}

SESSION_KEY = "vigil_purposes"


def fitting(verbs: frozenset[str] | set[str]) -> list[tuple[str, str]]:
    """The purposes that fit a user's work (by the verbs they hold), in the list's order,
    "another policing purpose" last."""
    return [
        (p.value, str(p.label))
        for p in Purpose
        if p == Purpose.OTHER or verbs.intersection(FITS.get(p, ()))
    ]  # `created` fits no verbs: never offered, nor accepted from the API


@dataclass(frozen=True)
class StatedPurpose:
    purpose: str
    detail: str

    @property
    def label(self) -> str:
        return str(Purpose(self.purpose).label)


def validate(purpose: str, detail: str, verbs: frozenset[str] | None = None) -> dict[str, str]:
    """Errors by field name; empty when the purpose is acceptable (and, given the user's
    verbs, fits their work)."""
    errors = {}
    offered = [code for code, _ in fitting(verbs)] if verbs is not None else Purpose.values
    if purpose not in offered:
        errors["purpose"] = (
            "Select why you need to see this record"
            if purpose not in Purpose.values
            else "Select a purpose that fits your role"
        )
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


def remember_purpose(session: Any, record_ids: Any, purpose: str, detail: str) -> None:
    """Keeps the purpose for one record or several (a page that shows several people)."""
    if isinstance(record_ids, (str, bytes)) or not hasattr(record_ids, "__iter__"):
        record_ids = [record_ids]
    purposes = dict(session.get(SESSION_KEY, {}))
    for record_id in record_ids:
        purposes[str(record_id)] = {"purpose": purpose, "detail": detail.strip()}
    session[SESSION_KEY] = purposes


def remember_created(session: Any, record_ids: Any) -> None:
    """A record the user has just created is not asked about: its views are logged as
    consultations for that reason, said as itself (not a guess at the user's purpose)."""
    remember_purpose(session, record_ids, Purpose.CREATED, "")
