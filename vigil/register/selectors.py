"""Reads of the register's imports: a user's view of an import and its staged rows. What
Vigil holds of a record (its values beside the register's) is shown only to someone who may
open that record; its staged row otherwise says only what the extract said."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vigil.offenders.models import Registration
from vigil.register.models import RegisterImport, StagedRow


def import_list(*, user: Any) -> QuerySet[RegisterImport]:
    return RegisterImport.objects.visible_to(user).select_related("uploaded_by", "imported_by")


def import_rows(
    *, user: Any, register_import: RegisterImport, action: str = ""
) -> QuerySet[StagedRow]:
    """The import's staged rows, in the file's order (of one action, if given)."""
    rows = StagedRow.objects.filter(register_import=register_import).order_by("row")
    return rows.filter(action=action) if action else rows


def openable(*, user: Any, rows: list[StagedRow]) -> set[Any]:
    """The registrations of these rows the user may open."""
    ids = {r.registration_id for r in rows if r.registration_id}
    if not ids:
        return set()
    return set(
        Registration.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def shown_rows(*, user: Any, rows: list[StagedRow]) -> list[dict[str, Any]]:
    """Each row as the user may see it: a record they cannot open keeps the extract's own
    values and loses Vigil's (and its link)."""
    may = openable(user=user, rows=rows)
    shown = []
    for row in rows:
        mine = row.registration_id in may
        shown.append(
            {
                "row": row,
                "registration_id": row.registration_id if mine else None,
                "changes": row.changes if mine or not row.registration_id else _theirs(row.changes),
                "left": row.left if mine or not row.registration_id else _theirs(row.left),
            }
        )
    return shown


def _theirs(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    """A difference of a record the user cannot open: the register's value only (a note
    would say what Vigil holds)."""
    return [
        {
            "field": e["field"],
            "label": e["label"],
            "vigil": "(a record you cannot open)",
            "register": e["register"],
        }
        for e in entries
    ]
