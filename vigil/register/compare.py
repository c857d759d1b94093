"""The force's records beside a register extract's validated rows, field by field (R9; issue
14): the rows the force does not hold, the rows it holds differently (each difference
named), the rows that match, and the force's open registrations the extract lacks or that
have no register reference to be found by. The import's preview (creates, updates,
unchanged) and the reconciliation report both read this one comparison.

Which registrations are compared is the caller's: the import compares every registration of
the force (so a person under limited access is not created twice); a report shows a user
only those `visible_to` them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from vigil.offenders.models import Registration
from vigil.offenders.models import reference_key as _reference
from vigil.people.models import Address, AddressKind
from vigil.register.mapping import FIELDS


@dataclass(frozen=True)
class Difference:
    field: str
    label: str
    vigil: Any  # as Vigil holds it (an officer, a date, a code)
    register: Any  # as the extract gives it, validated


@dataclass
class Comparison:
    new: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    differ: list[tuple[int, Registration, list[Difference]]] = field(default_factory=list)
    same: list[tuple[int, Registration]] = field(default_factory=list)
    absent: list[Registration] = field(default_factory=list)  # open, not in the extract
    unreferenced: list[Registration] = field(default_factory=list)  # open, no reference


def compare(
    *,
    registrations: QuerySet[Registration],
    rows: Iterable[tuple[int, dict[str, Any]]],
    fields: Collection[str],
    pack: Any,
) -> Comparison:
    """Each validated row beside the registration with its register reference (compared
    without case or spaces), on the fields the mapping gives (`fields`)."""
    compared = [f for f in FIELDS if f in fields and f != "register_reference"]
    held: dict[str, Registration] = {}
    found = Comparison()
    for registration in _read(registrations):
        key = _reference(registration.register_reference)
        if key:
            held[key] = registration
        elif registration.ended_on is None:
            found.unreferenced.append(registration)
    seen: set[str] = set()
    for number, values in rows:
        key = _reference(values["register_reference"])
        match = held.get(key)
        if match is None:
            found.new.append((number, values))
            continue
        seen.add(key)
        ours = vigil_values(match, pack)
        differences = [
            Difference(name, FIELDS[name].label, ours[name], values.get(name))
            for name in compared
            if not _same(name, ours[name], values.get(name))
        ]
        if differences:
            found.differ.append((number, match, differences))
        else:
            found.same.append((number, match))
    found.absent = [r for key, r in held.items() if key not in seen and r.ended_on is None]
    return found


def _read(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    homes = Address.objects.filter(kind=AddressKind.HOME, valid_to__isnull=True).order_by(
        "-valid_from"
    )
    return registrations.select_related("nominal", "team", "offender_manager").prefetch_related(
        Prefetch("nominal__addresses", queryset=homes, to_attr="current_homes")
    )


def vigil_values(registration: Registration, pack: Any) -> dict[str, Any]:
    """What Vigil holds for each of the register's fields."""
    person = registration.nominal
    homes = getattr(person, "current_homes", None)
    if homes is None:
        homes = list(
            person.addresses.filter(kind=AddressKind.HOME, valid_to__isnull=True).order_by(
                "-valid_from"
            )
        )
    home = homes[0] if homes else None
    return {
        "register_reference": registration.register_reference,
        "family_name": person.family_name,
        "given_names": person.given_names,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "address_line_1": home.line_1 if home else None,
        "address_line_2": home.line_2 if home else None,
        "town": home.town if home else None,
        "postcode": home.postcode if home else None,
        "risk_level": registration.risk_level,
        "management_mode": registration.management_mode,
        "offender_manager": registration.offender_manager,
        "team": registration.team.name,
        "registration_date": registration.registration_date,
        "conviction_date": registration.conviction_date,
        "disposal": registration.disposal,
        "in_community_since": registration.in_community_since,
        "notification_ends": registration.notification_ends(pack),
        "mappa_category": registration.mappa_category,
        "mappa_level": registration.mappa_level,
    }


def _same(name: str, ours: Any, theirs: Any) -> bool:
    if _blank(ours) and _blank(theirs):
        return True
    if _blank(ours) or _blank(theirs):
        return False
    if name == "offender_manager":  # the register names an officer its own way
        return _words(theirs) in {
            _words(v)
            for v in (ours.username, ours.collar_number, str(ours), ours.get_full_name())
            if v
        }
    if name == "postcode":
        return _reference(ours).upper() == _reference(theirs).upper()
    if isinstance(ours, date) or isinstance(theirs, date | int):
        return bool(ours == theirs)
    return _words(str(ours)) == _words(str(theirs))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _words(value: str) -> str:
    return " ".join(value.split()).casefold()
