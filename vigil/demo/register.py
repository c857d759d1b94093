"""The demo's national register (issue 14): two ViSOR extracts of the force, made from its
records with the drift a real register shows, taken through the import as a supervisor would.

The first, taken forty days ago, is imported: the register holds a few risk levels higher than
Vigil, two people Vigil lacks, and two rows the check refuses (a date that does not exist, a
missing risk level). The second, taken two days ago, is checked and left for the
reconciliation: moves of team, reactive management, newer addresses and risk levels, a person
new to the register and two of the force's RSOs it lacks; one difference is already marked for
correction. Synthetic throughout: the references are SYN-, the postcodes ZZ99."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from vigil.accounts.models import User
from vigil.core.models import Force, Team
from vigil.offenders.models import Registration
from vigil.policy.pack import active as active_policy
from vigil.register import services
from vigil.register.compare import vigil_values
from vigil.register.mapping import FIELDS, Mapping, example
from vigil.register.models import RegisterImport


def make_register(
    rng: random.Random, force: Force, supervisor: User, officer: User, today: date
) -> int:
    """The two extracts; returns how many people the first import added to the register."""
    mapping = example("visor")
    first = _extract(rng, force, mapping, first=True)
    found = _through_the_check(supervisor, first, "visor-extract-first.csv", today - timedelta(40))
    services.import_commit(actor=supervisor, register_import=found)
    services.import_apply(found, supervisor)
    found.refresh_from_db()
    second = _extract(rng, force, mapping, first=False)
    latest = _through_the_check(supervisor, second, "visor-extract.csv", today - timedelta(2))
    _mark_one(officer, latest)
    return int(found.report.get("created", 0))


def _through_the_check(actor: User, data: bytes, name: str, taken: date) -> RegisterImport:
    """Uploaded, and checked at once here (the queued check then finds it done)."""
    found = services.import_upload(
        actor=actor,
        file=SimpleUploadedFile(name, data),
        mapping="visor",
        extract_date=taken,
    )
    services.import_check(found, lambda n: None)
    found.refresh_from_db()
    return found


def _extract(rng: random.Random, force: Force, mapping: Mapping, *, first: bool) -> bytes:
    pack = active_policy()
    records = list(
        Registration.objects.filter(force=force, ended_on__isnull=True)
        .exclude(register_reference="")
        .select_related("nominal", "team", "offender_manager")
        .order_by("register_reference")
    )
    header = list(mapping.columns.values())
    rows: list[dict[str, str]] = []
    left_out = set() if first else {r.pk for r in rng.sample(records, 2)}
    drift = rng.sample(records, 12)
    for record in records:
        if record.pk in left_out:  # the register lacks them: "in Vigil, not in the register"
            continue
        values = vigil_values(record, pack)
        if record in drift[:3]:
            values["risk_level"] = _higher(values["risk_level"])
        if not first:
            if record in drift[3:5]:
                values["team"] = (
                    Team.objects.filter(force=force, kind=record.team.kind)
                    .exclude(pk=record.team_id)
                    .order_by("name")
                    .values_list("name", flat=True)
                    .first()
                )
            elif record in drift[5:7]:
                values["management_mode"] = "reactive"
            elif record in drift[7:10]:
                values["address_line_1"] = f"{rng.randint(2, 90)} Synthetic Lane"
                values["postcode"] = (
                    f"ZZ99 {rng.randint(1, 9)}{rng.choice('ABDEFG')}{rng.choice('HJLNPQ')}"
                )
            elif record in drift[10:12]:
                values["risk_level"] = _higher(values["risk_level"])
        rows.append(_row(values, mapping))
    team = records[0].team.name
    for n in range(2 if first else 1):
        rows.append(_newcomer(rng, mapping, team, n, first))
    if first:
        broken = _newcomer(rng, mapping, team, 8, first)
        broken[mapping.columns["registration_date"]] = "31/02/2024"  # no such day
        rows.append(broken)
        missing = _newcomer(rng, mapping, team, 9, first)
        missing[mapping.columns["risk_level"]] = ""
        rows.append(missing)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buffer.getvalue().encode()


def _row(values: dict[str, Any], mapping: Mapping) -> dict[str, str]:
    row = {}
    for name, column in mapping.columns.items():
        value = values.get(name)
        if value is None or value == "":
            row[column] = ""
        elif FIELDS[name].kind == "date":
            row[column] = value.strftime(mapping.date_formats[0])
        elif FIELDS[name].kind == "choice":
            row[column] = mapping.spell(name, value)
        elif isinstance(value, User):
            row[column] = value.username
        else:
            row[column] = str(value)
    return row


def _newcomer(
    rng: random.Random, mapping: Mapping, team: str, n: int, first: bool
) -> dict[str, str]:
    registered = date(2025, 3, 1) + timedelta(days=rng.randint(0, 500))
    values: dict[str, Any] = {
        "register_reference": f"SYN-V{'A' if first else 'B'}{n:03d}{rng.randint(100, 999)}",
        "family_name": rng.choice(["Ashworth", "Brindley", "Cottam", "Delacey", "Ellery"]),
        "given_names": rng.choice(["Aled", "Bram", "Cyril", "Dorian", "Emlyn"]),
        "date_of_birth": date(1960 + rng.randint(0, 40), rng.randint(1, 12), rng.randint(1, 28)),
        "sex": "male",
        "address_line_1": f"{rng.randint(2, 90)} Register Row",
        "town": "Northmoor",
        "postcode": f"ZZ99 {rng.randint(1, 9)}RR",
        "risk_level": rng.choice(["low", "medium", "high"]),
        "management_mode": "active",
        "team": team,
        "registration_date": registered,
        "conviction_date": registered - timedelta(days=rng.randint(20, 200)),
        "disposal": "custody_6_to_30_months",
        "in_community_since": registered,
        "mappa_category": 1,
        "mappa_level": 1,
    }
    return _row(values, mapping)


def _higher(level: str) -> str:
    order = ["low", "medium", "high", "very_high"]
    return order[min(order.index(level) + 1, len(order) - 1)]


def _mark_one(officer: User, latest: RegisterImport) -> None:
    """One address difference in the officer's caseload marked for correction: Vigil has
    seen them at home."""
    from vigil.register.reconcile import reconciliation

    found = reconciliation(user=officer, today=latest.extract_date + timedelta(days=2))
    candidates = [
        m
        for m in found.mismatches
        if m.kind in ("address", "risk_level") and m.registration is not None
    ]
    # the officer's own first, else one of the team's they know
    candidates.sort(
        key=lambda m: getattr(m.registration, "offender_manager_id", None) != officer.pk
    )
    for mismatch in candidates[:1]:
        if mismatch.registration is not None:
            services.correction_mark(
                actor=officer,
                registration=mismatch.registration,
                field=mismatch.kind,
                note="Seen at home on a visit last week: the register's entry is out of date "
                "(synthetic)",
            )
            return
