"""Writes to nominal records. Each is keyword-only, takes the acting user, runs in one
transaction, and writes its audit event in that transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.purpose import StatedPurpose
from vigil.audit.services import (
    Entry,
    atomic,
    audit_record,
    audit_record_many,
    field_changes,
    snapshot,
)
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.obligations.selectors import owners_kept_out
from vigil.obligations.sync import sync_persons
from vigil.people.entries import created_entry
from vigil.people.models import (
    Address,
    AddressKind,
    Alias,
    AliasKind,
    Identifier,
    IdentifierKind,
    Nominal,
    Sex,
)
from vigil.policy.pack import active as active_policy

NOMINAL_FIELDS = ("family_name", "given_names", "date_of_birth", "sex")


def _require(actor: User, verb: str) -> None:
    if not has_verb(actor, verb) or actor.force_id is None:
        raise PermissionDenied(f"Your roles do not allow {verb.replace('_', ' ')}.")


def _review_date(today: date) -> date:
    years = active_policy()["records.retention_review_years"]
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February into a year that has none: the day after 28 February
        return today.replace(year=today.year + years, day=28) + timedelta(days=1)


def _lock(nominal: Nominal) -> Nominal:
    """Locks the nominal's row for the rest of the transaction, so two writes to one record
    (two new home addresses, two access changes) take turns rather than interleave."""
    return Nominal.objects.select_for_update().get(pk=nominal.pk)


def _validate_nominal(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("family_name") or "").strip():
        errors["family_name"] = "Enter a family name"
    if not (data.get("given_names") or "").strip():
        errors["given_names"] = "Enter the given names"
    dob = data.get("date_of_birth")
    if dob is not None and dob > clock.today():
        errors["date_of_birth"] = "Date of birth must be today or in the past"
    if dob is not None and dob.year < 1900:
        errors["date_of_birth"] = "Date of birth must be after 1900"
    if data.get("sex") not in Sex.values:
        errors["sex"] = "Select the person's sex"
    if errors:
        raise ValidationError(errors)


_created: ContextVar[list[Any] | None] = ContextVar("vigil_nominals_created", default=None)


@contextmanager
def noting_created() -> Iterator[list[Any]]:
    """The ids of the nominals created inside the block (by any service, through
    `nominal_create`): a page does not ask the purpose question about a record its user has
    just created."""
    token = _created.set([])
    try:
        yield _created.get()  # type: ignore[misc]
    finally:
        _created.reset(token)


@atomic
def nominal_create(
    *,
    actor: User,
    family_name: str,
    given_names: str,
    date_of_birth: date | None = None,
    sex: str = Sex.OTHER,
    identifiers: list[tuple[str, str]] | None = None,
) -> Nominal:
    _require(actor, "record_nominal")
    data = {
        "family_name": family_name.strip(),
        "given_names": given_names.strip(),
        "date_of_birth": date_of_birth,
        "sex": sex,
    }
    _validate_nominal(data)
    assert actor.force_id is not None  # _require checked it
    nominal = Nominal.objects.create(
        force_id=actor.force_id,
        created_by=actor,
        review_date=_review_date(clock.today()),
        **data,
    )
    audit_record_many([created_entry(actor, nominal)])
    if (noted := _created.get()) is not None:
        noted.append(nominal.pk)
    for kind, value in identifiers or []:
        identifier_add(actor=actor, nominal=nominal, kind=kind, value=value)
    return nominal


@atomic
def nominal_update(
    *, actor: User, nominal: Nominal, expected_version: int, **changes: Any
) -> Nominal:
    """Changes the nominal's own fields, refusing if someone else saved it meanwhile."""
    _require(actor, "record_nominal")
    unknown = set(changes) - set(NOMINAL_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed here"))
    current = _lock(nominal)
    if current.version != expected_version:
        raise ConflictError(
            "Someone else changed this record after you opened it. "
            "Reload it to see their change, then make yours again."
        )
    before = snapshot(current, NOMINAL_FIELDS)
    after = {**before, **{k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}}
    _validate_nominal(after)
    diff = field_changes(before, after)
    if not diff:
        return current
    for name, value in after.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="nominal.updated",
        obj=current,
        person_id=current.pk,
        changes=diff,
    )
    sync_persons([current.pk])
    return current


@atomic
def alias_add(
    *,
    actor: User,
    nominal: Nominal,
    family_name: str = "",
    given_names: str = "",
    kind: str = AliasKind.ALIAS,
) -> Alias:
    _require(actor, "record_nominal")
    _lock(nominal)
    errors = {}
    if not family_name.strip() and not given_names.strip():
        errors["family_name"] = "Enter a family name or given names for the alias"
    if kind not in AliasKind.values:
        errors["kind"] = "Select the kind of name"
    if errors:
        raise ValidationError(errors)
    alias = Alias.objects.create(
        nominal=nominal,
        force_id=nominal.force_id,
        family_name=family_name.strip(),
        given_names=given_names.strip(),
        kind=kind,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="nominal.alias_added",
        obj=alias,
        person_id=nominal.pk,
        changes=field_changes({}, snapshot(alias, ("kind", "family_name", "given_names"))),
    )
    return alias


@atomic
def identifier_add(*, actor: User, nominal: Nominal, kind: str, value: str) -> Identifier:
    _require(actor, "record_nominal")
    _lock(nominal)
    value = value.strip().upper()
    if kind not in IdentifierKind.values:
        raise ValidationError({"kind": "Select the kind of identifier"})
    if not value:
        raise ValidationError({"value": "Enter the identifier"})
    if Identifier.objects.filter(force_id=nominal.force_id, kind=kind, value=value).exists():
        raise ValidationError(
            {"value": f"This {IdentifierKind(kind).label} is already recorded on a nominal"}
        )
    try:
        with transaction.atomic():
            identifier = Identifier.objects.create(
                nominal=nominal, force_id=nominal.force_id, kind=kind, value=value
            )
    except IntegrityError:
        raise ValidationError(
            {"value": f"This {IdentifierKind(kind).label} is already recorded on a nominal"}
        ) from None
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="nominal.identifier_added",
        obj=identifier,
        person_id=nominal.pk,
        changes=field_changes({}, {"kind": kind, "value": value}),
    )
    return identifier


@atomic
def address_add(
    *,
    actor: User,
    nominal: Nominal,
    kind: str,
    line_1: str,
    town: str,
    valid_from: date,
    line_2: str = "",
    postcode: str = "",
) -> Address:
    """Adds an address. A new home address ends the current one the day before it starts,
    so the history stays whole."""
    _require(actor, "record_nominal")
    _lock(nominal)
    errors: dict[str, str] = {}
    if kind not in AddressKind.values:
        errors["kind"] = "Select the kind of address"
    if not line_1.strip() and kind != AddressKind.NO_FIXED_ABODE:
        errors["line_1"] = "Enter the first line of the address"
    if not town.strip():
        errors["town"] = "Enter the town or city"
    if valid_from is None:
        errors["valid_from"] = "Enter the date the person started using this address"
    elif valid_from > clock.today():
        errors["valid_from"] = "The date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    if kind in (AddressKind.HOME, AddressKind.NO_FIXED_ABODE):
        current = list(
            Address.objects.select_for_update().filter(
                nominal=nominal,
                kind__in=(AddressKind.HOME, AddressKind.NO_FIXED_ABODE),
                valid_to__isnull=True,
            )
        )
        for previous in current:
            if previous.valid_from >= valid_from:
                raise ValidationError(
                    {
                        "valid_from": "The date must be after the current home address "
                        f"started ({previous.valid_from:%-d %B %Y})"
                    }
                )
            previous.valid_to = valid_from - timedelta(days=1)
            previous.version += 1
            previous.save(update_fields=["valid_to", "version", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditAction.ALTERATION,
                event="nominal.address_ended",
                obj=previous,
                person_id=nominal.pk,
                changes={"valid_to": {"before": None, "after": previous.valid_to}},
            )
    address = Address.objects.create(
        nominal=nominal,
        force_id=nominal.force_id,
        kind=kind,
        line_1=line_1.strip(),
        line_2=line_2.strip(),
        town=town.strip(),
        postcode=postcode.strip().upper(),
        valid_from=valid_from,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="nominal.address_added",
        obj=address,
        person_id=nominal.pk,
        changes=field_changes(
            {}, snapshot(address, ("kind", "line_1", "line_2", "town", "postcode", "valid_from"))
        ),
    )
    sync_persons([nominal.pk])  # the no-fixed-abode rule reads the address history
    return address


@atomic
def nominal_set_limited_access(
    *,
    actor: User,
    nominal: Nominal,
    limited: bool,
    reason: str = "",
    restricted_to: list[User] | None = None,
    excluded_from: list[User] | None = None,
    expected_version: int,
) -> Nominal:
    """Marks a record limited-access. With a "restricted to" list only those users see it (the
    actor is always kept on it, so no one locks themselves out); those "excluded from" it
    never do."""
    _require(actor, "manage_limited_access")
    restricted = list(restricted_to or [])
    excluded = list(excluded_from or [])
    errors: dict[str, str] = {}
    if limited and not reason.strip():
        errors["reason"] = "Enter why access to this record is limited"
    if not limited and (restricted or excluded):
        errors["limited"] = "Mark the record limited-access to restrict or exclude users"
    if limited and not restricted and not excluded:
        errors["restricted_to"] = "Choose users to restrict the record to, or to exclude"
    if actor in excluded:
        errors["excluded_from"] = "You cannot exclude yourself"
    other_force = [u for u in [*restricted, *excluded] if u.force_id != nominal.force_id]
    if other_force:
        errors["restricted_to"] = "Users must belong to the record's force"
    if errors:
        raise ValidationError(errors)
    if restricted and actor not in restricted:
        restricted.append(actor)
    current = _lock(nominal)
    if current.version != expected_version:
        raise ConflictError(
            "Someone else changed this record after you opened it. "
            "Reload it to see who can see it now, then make your change again."
        )
    before = {
        "limited_access": current.limited_access,
        "limited_access_reason": current.limited_access_reason,
        "restricted_to": sorted(u.username for u in current.restricted_to.all()),
        "excluded_from": sorted(u.username for u in current.excluded_from.all()),
    }
    current.limited_access = limited
    current.limited_access_reason = reason.strip() if limited else ""
    current.version += 1
    current.save()
    current.restricted_to.set(restricted)
    current.excluded_from.set(excluded)
    kept_out = owners_kept_out(current.pk)
    if kept_out:
        names = ", ".join(str(u) for u in kept_out)
        raise ValidationError(
            {
                "restricted_to" if restricted else "excluded_from": (
                    f"{names} would be kept out of this record but own open work on it: "
                    "keep them on the list, or reallocate the work first"
                )
            }
        )
    after = {
        "limited_access": limited,
        "limited_access_reason": current.limited_access_reason,
        "restricted_to": sorted(u.username for u in restricted),
        "excluded_from": sorted(u.username for u in excluded),
    }
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="nominal.access_limited" if limited else "nominal.access_opened",
        obj=current,
        person_id=current.pk,
        changes=field_changes(before, after),
    )
    return current


@atomic
def nominal_consulted(*, actor: User, nominal: Nominal, stated: StatedPurpose, via: str) -> None:
    """Logs a view of the nominal's record with the user's stated purpose (s.62(3))."""
    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="nominal.viewed",
        obj=nominal,
        person_id=nominal.pk,
        purpose=stated.purpose,
        justification=stated.detail,
        detail={"via": via},
    )


@atomic
def nominal_searched(
    *, actor: User, query: str, result_count: int, shown: list[Nominal], via: str
) -> None:
    """A search that lists nominals is a consultation of each person it shows: one event for
    the search, naming everyone on the page, so that the DPO's search by person finds
    everyone who saw that person in a list (ADR 17)."""
    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="nominal.searched",
        detail={"query": query, "results": result_count, "shown": len(shown), "via": via},
        people=[nominal.pk for nominal in shown],
    )


@atomic
def nominals_listed(*, actor: User, nominals: list[Nominal], via: str) -> None:
    """A list that names people (a caseload, the transfers) is a consultation of each
    person on it: one event for the page, naming each of them (ADR 17), in the log of each
    force whose people it showed (a transfer's person is the sending force's until it is
    accepted). An empty list consults no one."""
    by_force: dict[Any, list[Any]] = {}
    for nominal in nominals:
        by_force.setdefault(nominal.force_id, []).append(nominal.pk)
    audit_record_many(
        [
            Entry(
                actor=actor,
                action=AuditAction.CONSULTATION,
                event="nominal.listed",
                force_id=force_id,
                detail={"via": via, "shown": len(people)},
                people=people,
            )
            for force_id, people in by_force.items()
        ]
    )
