"""The audit entry of a person record created, built once for the service (services.py
`nominal_create`) and the demo's bulk paths (vigil/demo/ocsea.py, vigil/demo/scaled.py)."""

from __future__ import annotations

from typing import Any

from vigil.audit.models import AuditAction
from vigil.audit.services import Entry, field_changes, snapshot
from vigil.people.models import Nominal

CREATED_FIELDS = ("family_name", "given_names", "date_of_birth", "sex", "review_date")


def created_entry(actor: Any, nominal: Nominal) -> Entry:
    """`nominal.created`: the details the record was created with, and its review date."""
    return Entry(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="nominal.created",
        obj=nominal,
        person_id=nominal.pk,
        changes=field_changes({}, snapshot(nominal, CREATED_FIELDS)),
    )
