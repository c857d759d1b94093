"""The reconciliation (R9; issue 14): the force's records beside the latest register extract,
field by field, as one list of mismatches by kind and by team, each with its record and
what can be done about it: accept the register's value (where a service can set it plainly,
`plan.APPLIED`), or mark the register for correction with a note (`Correction`).

A person sees the mismatches of the records they may open. The comparison matches the
extract against every registration of the force, so a row of a record the person cannot
open is not shown to them as "not in Vigil"; it is not shown at all."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigil.offenders.models import Registration
from vigil.offenders.models import reference_key as _key
from vigil.policy.pack import active as active_policy
from vigil.register.compare import Comparison, compare
from vigil.register.mapping import FIELDS, load_mapping
from vigil.register.models import (
    Correction,
    CorrectionStatus,
    ImportStatus,
    RegisterImport,
    RowAction,
    StagedRow,
)
from vigil.register.plan import ADDRESS, APPLIED, shown

NEW, ABSENT, UNREFERENCED = "new", "absent", "unreferenced"
ADDRESS_KIND = "address"
# the kinds in the order a person works through them, with what each is called
KINDS: dict[str, str] = {
    "family_name": "Family name",
    "given_names": "Given names",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    ADDRESS_KIND: "Home address",
    "risk_level": "Risk level",
    "offender_manager": "Offender manager",
    "team": "Team",
    "management_mode": "Management",
    "registration_date": "Registration date",
    "conviction_date": "Conviction date",
    "disposal": "Disposal",
    "notification_ends": "Notification period ends",
    "in_community_since": "In the community since",
    "mappa_category": "MAPPA category",
    "mappa_level": "MAPPA level",
    NEW: "In the register, not in Vigil",
    ABSENT: "In Vigil, not in the register",
    UNREFERENCED: "No register reference in Vigil",
}
# what resolves a difference the import does not settle: the record's own process
ELSEWHERE = {
    "team": "A move to another team is a transfer, made from the record.",
    "management_mode": "Reactive management is a supervisor's decision, made from the record.",
    "registration_date": "The registration's dates set the statutory periods: correct them "
    "from the record.",
    "conviction_date": "The registration's dates set the statutory periods: correct them "
    "from the record.",
    "disposal": "The disposal sets the notification period: correct it from the record.",
    "notification_ends": "Vigil works the period out from the registration date and the "
    "disposal: correct those, or mark the register for correction.",
    NEW: "Add the person from the register's import, or find them in Vigil and give them "
    "their register reference.",
    ABSENT: "Check with the register's bureau whether they should be on it, or end the "
    "registration in Vigil.",
    UNREFERENCED: "Give the record its register reference.",
}


@dataclass
class Mismatch:
    kind: str
    registration: Registration | None
    reference: str
    name: str
    team: str
    vigil: str = ""
    register: str = ""
    row: int | None = None
    correction: Correction | None = None

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def acceptable(self) -> bool:
        """The register's value can be accepted here (a service sets it plainly)."""
        field_name = "address_line_1" if self.kind == ADDRESS_KIND else self.kind
        return (
            self.registration is not None
            and field_name in APPLIED
            and bool(self.register)
            and self.correction is None
        )

    @property
    def markable(self) -> bool:
        return (
            self.registration is not None
            and self.kind in FIELDS_OR_ADDRESS
            and (self.correction is None)
        )

    @property
    def elsewhere(self) -> str:
        return ELSEWHERE.get(self.kind, "")


FIELDS_OR_ADDRESS = {*(k for k in KINDS if k in FIELDS), ADDRESS_KIND}


@dataclass
class Reconciliation:
    extract: RegisterImport | None
    today: date
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def age_days(self) -> int | None:
        return (self.today - self.extract.extract_date).days if self.extract else None

    def by_kind(self) -> list[tuple[str, str, int]]:
        counts = Counter(m.kind for m in self.mismatches if m.correction is None)
        return [(k, label, counts[k]) for k, label in KINDS.items() if counts[k]]

    def by_team(self) -> list[tuple[str, int]]:
        counts = Counter(m.team for m in self.mismatches if m.correction is None)
        return sorted(counts.items())

    @property
    def open_count(self) -> int:
        return sum(1 for m in self.mismatches if m.correction is None)

    @property
    def marked_count(self) -> int:
        return sum(1 for m in self.mismatches if m.correction is not None)


def latest_extract(force_id: Any, on: date | None = None) -> RegisterImport | None:
    """The latest picture of the register: the newest extract checked or imported (of those
    dated on or before `on`, for a day gone)."""
    extracts = RegisterImport.objects.filter(
        force_id=force_id, status__in=(ImportStatus.CHECKED, ImportStatus.IMPORTED)
    )
    if on is not None:
        extracts = extracts.filter(extract_date__lte=on)
    return extracts.order_by("-extract_date", "-created_at").first()


def extract_rows(extract: RegisterImport) -> tuple[list[tuple[int, dict[str, Any]]], set[str]]:
    """The extract's readable rows (its values, dates as dates), and the references of its
    rows that could not be read (not "absent" from the register: unreadable in it)."""
    from vigil.register.services import from_json

    rows, unreadable = [], set()
    for staged in StagedRow.objects.filter(register_import=extract).order_by("row"):
        if staged.action == RowAction.FAULT:
            if staged.reference:
                unreadable.add(_key(staged.reference))
        else:
            rows.append((staged.row, from_json(staged.values)))
    return rows, unreadable


def reconciliation(*, user: Any, today: date) -> Reconciliation:
    """The mismatches of the records the user may open, against the force's latest extract."""
    extract = latest_extract(user.force_id)
    found = Reconciliation(extract, today)
    if extract is None:
        return found
    compared, unreadable, rows = _compared(user.force_id, extract)
    visible = set(Registration.objects.visible_to(user).values_list("pk", flat=True))
    corrections = {
        (c.registration_id, c.field): c
        for c in Correction.objects.filter(
            registration_id__in=visible, status=CorrectionStatus.OPEN
        ).select_related("raised_by")
    }
    found.mismatches = list(_mismatches(compared, visible, corrections, unreadable, rows))
    return found


def _mismatches(
    compared: Comparison,
    visible: set[Any],
    corrections: dict[tuple[Any, str], Correction],
    unreadable: set[str],
    rows: dict[int, dict[str, Any]],
) -> Any:
    for number, registration, differences in compared.differ:
        if registration.pk not in visible:
            continue
        if any(d.field in ADDRESS for d in differences):
            values = rows[number]
            yield _of(
                registration,
                ADDRESS_KIND,
                number,
                vigil=_home(registration),
                register=", ".join(str(values[n]) for n in ADDRESS if values.get(n)),
                correction=corrections.get((registration.pk, ADDRESS_KIND)),
            )
        for d in differences:
            if d.field in ADDRESS:
                continue
            yield _of(
                registration,
                d.field,
                number,
                vigil=shown(d.field, d.vigil),
                register=shown(d.field, d.register),
                correction=corrections.get((registration.pk, d.field)),
            )
    for number, values in compared.new:
        name = f"{(values.get('family_name') or '').upper()}, {values.get('given_names') or ''}"
        yield Mismatch(
            NEW,
            None,
            values.get("register_reference") or "",
            name,
            values.get("team") or "",
            row=number,
        )
    for registration in compared.absent:
        if registration.pk in visible and _key(registration.register_reference) not in unreadable:
            yield _of(registration, ABSENT, None)
    for registration in compared.unreferenced:
        if registration.pk in visible:
            yield _of(registration, UNREFERENCED, None)


def _of(
    registration: Registration,
    kind: str,
    row: int | None,
    *,
    vigil: str = "",
    register: str = "",
    correction: Correction | None = None,
) -> Mismatch:
    return Mismatch(
        kind,
        registration,
        registration.register_reference,
        str(registration.nominal),
        registration.team.name,
        vigil=vigil,
        register=register,
        row=row,
        correction=correction,
    )


def _home(registration: Registration) -> str:
    homes = getattr(registration.nominal, "current_homes", None) or []
    return str(homes[0]) if homes else ""


def figures(*, force_id: Any, today: date) -> dict[str, Any]:
    """The reconciliation's age and its open mismatches by kind, over every record of the
    force (counts only: the scorecard's evidence for R9). Comparing every record with the
    extract takes a while at a force's scale, so the figures are kept (Django's cache) for
    ten minutes, or until the extract, a registration or a correction changes: a change to a
    person's details reaches the scorecard within ten minutes (the reconciliation's own page
    reads them live)."""
    from django.core.cache import cache
    from django.db.models import Count, Max

    extract = latest_extract(force_id)
    if extract is None:
        return {"extract_date": None, "age_days": None, "open": 0, "by_kind": {}}
    records = Registration.objects.filter(force_id=force_id).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    corrections = Correction.objects.filter(registration__force_id=force_id).aggregate(
        n=Count("pk"), changed=Max("updated_at")
    )
    key = (
        f"register.figures:{force_id}:{extract.pk}:{today}:{records['n']}:{records['changed']}"
        f":{corrections['n']}:{corrections['changed']}"
    ).replace(" ", "_")
    if (kept := cache.get(key)) is not None:
        return dict(kept)
    found = _figures(force_id, extract, today)
    cache.set(key, found, timeout=10 * 60)
    return found


def _figures(force_id: Any, extract: RegisterImport, today: date) -> dict[str, Any]:
    compared, unreadable, rows = _compared(force_id, extract)
    every = {r.pk for r in Registration.objects.filter(force_id=force_id).only("pk")}
    marked = {
        (c.registration_id, c.field): c
        for c in Correction.objects.filter(
            registration__force_id=force_id, status=CorrectionStatus.OPEN
        )
    }
    found = [
        m for m in _mismatches(compared, every, marked, unreadable, rows) if m.correction is None
    ]
    counts = Counter(m.kind for m in found)
    return {
        "extract_date": extract.extract_date,
        "age_days": (today - extract.extract_date).days,
        "open": len(found),
        "by_kind": {k: counts[k] for k in KINDS if counts[k]},
    }


def _compared(
    force_id: Any, extract: RegisterImport
) -> tuple[Comparison, set[str], dict[int, dict[str, Any]]]:
    """Every registration of the force beside the extract's rows (a row of a record one
    person cannot open is still that record's, never "not in Vigil")."""
    mapping = load_mapping(extract.mapping_text, extract.mapping_name)
    rows, unreadable = extract_rows(extract)
    compared = compare(
        registrations=Registration.objects.filter(force_id=force_id),
        rows=rows,
        fields=mapping.columns,
        pack=active_policy(),
    )
    return compared, unreadable, dict(rows)
