"""What an import would do with each checked row of an extract (issue 14): add a person to
the register, update a record, change nothing, or not import the row (a fault to correct, or
a record the importer cannot open). The check stages this plan for the preview; the import
plans again and refuses if anything would now be done differently.

The register is the national record of what it holds, so the import brings Vigil to the
register's values where a service can change them plainly (`APPLIED`): the person's name,
date of birth, sex and home address; the risk level, offender manager and MAPPA. A
difference the import does not settle (`left`) is the reconciliation's, where a person
decides: a move of team is a transfer, reactive management a supervisor's decision, the
registration's dates and disposal set the statutory periods. A blank cell never erases what
Vigil holds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import F, QuerySet

from vigil.accounts.models import User
from vigil.core.models import Team, TeamKind
from vigil.obligations.models import RiskLevel
from vigil.offenders.models import Disposal, ManagementMode, Registration
from vigil.offenders.models import reference_key as _key
from vigil.people.models import Sex
from vigil.register.compare import Difference, compare
from vigil.register.mapping import FIELDS, Mapping
from vigil.register.models import RowAction

ADDRESS = ("address_line_1", "address_line_2", "town", "postcode")
PERSON = ("family_name", "given_names", "date_of_birth", "sex")
RECORD = ("risk_level", "offender_manager", "mappa_category", "mappa_level", "in_community_since")
APPLIED = (*PERSON, *ADDRESS, *RECORD)

CHOICES: dict[str, dict[str, str]] = {
    "sex": dict(Sex.choices),
    "risk_level": dict(RiskLevel.choices),
    "management_mode": dict(ManagementMode.choices),
    "disposal": dict(Disposal.choices),
}


@dataclass
class Planned:
    row: int
    values: dict[str, Any]
    action: str = RowAction.SAME
    registration: Registration | None = None
    changes: list[dict[str, str]] = field(default_factory=list)  # what the import does
    left: list[dict[str, str]] = field(default_factory=list)  # for the reconciliation
    faults: list[dict[str, str]] = field(default_factory=list)
    manager: User | None = None  # the offender manager the register names, found
    team: Team | None = None  # a new record's team

    @property
    def key(self) -> tuple[Any, ...]:
        """What the import checks is still so: the action, the record, the changes."""
        changes = tuple(sorted((c["field"], c["register"]) for c in self.changes))
        return (self.action, self.registration.pk if self.registration else None, changes)


def shown(name: str, value: Any) -> str:
    """A value as a person reads it, for the preview and the reconciliation."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    if name in CHOICES:
        return CHOICES[name].get(value, str(value))
    return str(value)


def _entry(name: str, vigil: Any, register: Any, note: str = "") -> dict[str, str]:
    entry = {
        "field": name,
        "label": "Home address" if name in ADDRESS else FIELDS[name].label,
        "vigil": shown(name, vigil),
        "register": shown(name, register),
    }
    if note:
        entry["note"] = note
    return entry


class Officers:
    """The force's officers as a register names them (username, collar number or name,
    without case), and who manages RSOs in which team."""

    def __init__(self, force_id: Any) -> None:
        self.by_name: dict[str, list[User]] = defaultdict(list)
        users = User.objects.filter(force_id=force_id, is_active=True)
        for user in users:
            for name in {user.username, user.collar_number, str(user), user.get_full_name()}:
                if name:
                    self.by_name[_words(name)].append(user)
        self.managing: dict[Any, set[Any]] = defaultdict(set)
        from vigil.accounts.models import Membership

        for team_id, user_id in Membership.objects.filter(
            team__force_id=force_id, role__verbs="manage_rso"
        ).values_list("team_id", "user_id"):
            self.managing[team_id].add(user_id)

    def find(self, name: str, team: Team) -> tuple[User | None, str]:
        """The officer, or None and why not."""
        found = {u.pk: u for u in self.by_name.get(_words(name), [])}
        if not found:
            return None, f"no officer of the force is called {name}"
        if len(found) > 1:
            return None, f"{len(found)} officers are called {name}"
        user = next(iter(found.values()))
        if user.pk not in self.managing[team.pk]:
            return None, f"{user} is not an offender manager in {team}"
        return user, ""


class Teams:
    def __init__(self, force_id: Any) -> None:
        self.by_name = {
            _words(t.name): t for t in Team.objects.filter(force_id=force_id, kind=TeamKind.MOSOVO)
        }

    def find(self, name: str | None) -> Team | None:
        return self.by_name.get(_words(name or ""))


class Held:
    """The force's registrations by register reference (compared without case or spaces),
    read once as ids: a chunk of rows loads only the records its references name."""

    def __init__(self, force_id: Any) -> None:
        self.by_key: dict[str, Any] = {}
        # an open registration is the one a reference names, over an ended one with it
        for pk, reference in (
            Registration.objects.filter(force_id=force_id)
            .order_by(F("ended_on").desc(nulls_last=True), "created_at")
            .values_list("pk", "register_reference")
        ):
            if key := _key(reference):
                self.by_key[key] = pk

    def among(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> QuerySet[Registration]:
        keys = {_key(values.get("register_reference")) for _, values in rows}
        return Registration.objects.filter(
            pk__in=[self.by_key[k] for k in keys if k in self.by_key]
        )


def plan(
    *,
    force_id: Any,
    rows: Iterable[tuple[int, dict[str, Any]]],
    mapping: Mapping,
    visible: Collection[Any],
    default_team: Team | None,
    extract_date: date,
    pack: Any,
    held: Held | None = None,
    officers: Officers | None = None,
    teams: Teams | None = None,
) -> list[Planned]:
    """Each row's plan, in the file's order, against every registration of the force (a
    person under limited access is matched, never added twice); `visible` the ids of those
    the importer may open (the others are withheld, untouched). `held`, `officers` and
    `teams` are the force's, read once by a caller that plans in chunks."""
    by_number = dict(rows)
    held = held or Held(force_id)
    found = compare(
        registrations=held.among(by_number.items()),
        rows=by_number.items(),
        fields=mapping.columns,
        pack=pack,
    )
    officers, teams = officers or Officers(force_id), teams or Teams(force_id)
    planned: dict[int, Planned] = {}
    for number, values in found.new:
        planned[number] = _create(number, values, mapping, officers, teams, default_team)
    for number, registration, differences in found.differ:
        planned[number] = _update(
            number, by_number[number], registration, differences, visible, officers, extract_date
        )
    for number, registration in found.same:
        p = Planned(number, by_number[number], registration=registration)
        if registration.pk not in visible:
            p.action = RowAction.WITHHELD
        planned[number] = p
    return [planned[n] for n in sorted(planned)]


def _create(
    number: int,
    values: dict[str, Any],
    mapping: Mapping,
    officers: Officers,
    teams: Teams,
    default_team: Team | None,
) -> Planned:
    p = Planned(number, values, action=RowAction.CREATE)

    def fault(name: str, message: str) -> None:
        p.faults.append(
            {"field": name, "column": mapping.columns.get(name, ""), "message": message}
        )

    for name in ("conviction_date", "disposal"):
        if values.get(name) is None:
            fault(name, f"new to Vigil: {FIELDS[name].label.lower()} is needed to add it")
    if values.get("disposal") == Disposal.CONDITIONAL_DISCHARGE:
        fault(
            "disposal",
            "new to Vigil: a conditional discharge's length is not in an extract; add this "
            "person by hand",
        )
    conviction, registered = values.get("conviction_date"), values.get("registration_date")
    if conviction and registered and conviction > registered:
        fault("registration_date", "the registration date is before the conviction")
    named = values.get("team")
    p.team = teams.find(named) if named else default_team
    if p.team is None:
        fault(
            "team",
            f"no MOSOVO team of the force is called {named}"
            if named
            else "new to Vigil: choose the team new records join, or map the team's column",
        )
    if values.get("offender_manager") and p.team is not None:
        p.manager, why = officers.find(values["offender_manager"], p.team)
        if p.manager is None:
            p.left.append(
                _entry(
                    "offender_manager",
                    None,
                    values["offender_manager"],
                    f"{why}: added without one",
                )
            )
    if values.get("in_community_since") is None:
        p.left.append(
            _entry(
                "in_community_since",
                None,
                None,
                "the extract does not say when they came into the community: record it on the "
                "record, or the rules treat them as in custody",
            )
        )
    if p.faults:
        p.action = RowAction.FAULT
    return p


def _update(
    number: int,
    values: dict[str, Any],
    registration: Registration,
    differences: list[Difference],
    visible: Collection[Any],
    officers: Officers,
    extract_date: date,
) -> Planned:
    p = Planned(number, values, action=RowAction.UPDATE, registration=registration)
    if registration.pk not in visible:
        p.action = RowAction.WITHHELD
        return p
    if registration.ended_on is not None:  # nothing more is recorded on it: only shown
        why = f"the registration ended on {registration.ended_on:%-d %b %Y}"
        p.left = [_entry(d.field, d.vigil, d.register, why) for d in differences]
        p.action = RowAction.SAME
        return p
    by_field = {d.field: d for d in differences}
    address = [by_field.pop(n) for n in ADDRESS if n in by_field]
    if address:
        home = _home(registration)
        if not values.get("address_line_1"):
            p.left.append(_entry("address_line_1", home, None, "the register holds no address"))
        elif home is not None and home.valid_from >= extract_date:
            p.left.append(
                _entry(
                    "address_line_1",
                    home,
                    _address(values),
                    f"Vigil's home address is from {home.valid_from:%-d %b %Y}, on or after "
                    "the extract was taken",
                )
            )
        else:
            p.changes.append(_entry("address_line_1", home, _address(values)))
    for name, difference in by_field.items():
        register = difference.register
        if register is None or register == "":
            p.left.append(_entry(name, difference.vigil, register, "the register's is blank"))
        elif name not in APPLIED:
            p.left.append(_entry(name, difference.vigil, register))
        elif name == "offender_manager":
            p.manager, why = officers.find(register, registration.team)
            if p.manager is None:
                p.left.append(_entry(name, difference.vigil, register, why))
            else:
                p.changes.append(_entry(name, difference.vigil, str(p.manager)))
        else:
            p.changes.append(_entry(name, difference.vigil, register))
    if not p.changes:
        p.action = RowAction.SAME
    return p


def _home(registration: Registration) -> Any:
    homes = getattr(registration.nominal, "current_homes", None) or []
    return homes[0] if homes else None


def _address(values: dict[str, Any]) -> str:
    return ", ".join(str(values[n]) for n in ADDRESS if values.get(n))


def _words(value: str) -> str:
    return " ".join(value.split()).casefold()
