"""Importing a register extract (issue 14; docs/register.md): upload, check, import or
discard. The upload is refused at once, on the field at fault, for what can be told from the
file's header (not a spreadsheet, a bad encoding, columns the mapping names and the file
lacks); every row is then checked in the background (`import_check`), and the import runs
in the background too (`import_apply`), all of it in one transaction through the services
every page uses, or none of it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vigil.accounts.access import has_verb
from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Force, Team, TeamKind
from vigil.jobs.models import Job
from vigil.jobs.services import Progress, job_enqueue
from vigil.offenders.models import Registration, reference_key
from vigil.people.models import AddressKind
from vigil.policy.pack import active as active_policy
from vigil.register.extract import MAX_BYTES, ExtractError, open_extract
from vigil.register.mapping import EXAMPLES as FOLDER
from vigil.register.mapping import FIELDS, Mapping, MappingError, load_mapping
from vigil.register.models import (
    ExtractFile,
    ImportStatus,
    RegisterImport,
    RowAction,
    StagedRow,
)
from vigil.register.plan import ADDRESS, Planned, plan
from vigil.register.rows import check_rows

CHECK_JOB = "register.check"
IMPORT_JOB = "register.import"
EXAMPLES = {"visor": "The ViSOR example", "mapps": "The MAPPS example"}
STAGE_BATCH = 2_000


def _require(actor: User, verb: str) -> None:
    if not has_verb(actor, verb) or actor.force_id is None:
        raise PermissionDenied(f"Your roles do not allow {verb.replace('_', ' ')}.")


def _force_of(actor: User) -> Any:
    assert actor.force_id is not None  # _require refused an actor without one
    return actor.force_id


def mapping_text(*, force_id: Any, choice: str, uploaded: Any = None) -> tuple[str, str]:
    """The mapping's TOML and where it came from: an example, the force's last import's, or
    a file the person uploads. Raises ValidationError on the field at fault."""
    if choice in EXAMPLES:
        return (FOLDER / f"{choice}.toml").read_text(encoding="utf-8"), f"{choice}.toml"
    if choice == "last":
        last = (
            RegisterImport.objects.filter(force_id=force_id)
            .exclude(mapping_text="")
            .order_by("-created_at")
            .first()
        )
        if last is None:
            raise ValidationError({"mapping": "The force has no earlier import: choose a mapping"})
        return last.mapping_text, f"the mapping of {last.filename}"
    if choice == "file":
        if uploaded is None:
            raise ValidationError({"mapping_file": "Choose the mapping file (TOML) to upload"})
        raw = uploaded.read(256 * 1024 + 1)
        if len(raw) > 256 * 1024:
            raise ValidationError({"mapping_file": "A mapping file is at most 256 KB"})
        try:
            return raw.decode("utf-8"), getattr(uploaded, "name", "the mapping file")
        except UnicodeDecodeError:
            raise ValidationError({"mapping_file": "The mapping file must be UTF-8 text"}) from None
    raise ValidationError({"mapping": "Choose the mapping of the extract's columns"})


@atomic
def import_upload(
    *,
    actor: User,
    file: Any,
    mapping: str,
    extract_date: date | None,
    default_team: Team | None = None,
    mapping_file: Any = None,
) -> RegisterImport:
    """Takes an extract (CSV or XLSX) and queues the check of every row. Refused, naming the
    field, when the file cannot be read or lacks a column the mapping names."""
    _require(actor, "import_register")
    errors: dict[str, str] = {}
    data = b""
    if file is None:
        errors["file"] = "Choose the register extract to upload"
    elif (file.size or 0) > MAX_BYTES:
        errors["file"] = (
            f"The file is {file.size / 2**20:.0f} MB: larger than any register extract "
            f"({MAX_BYTES // 2**20} MB at most)"
        )
    else:
        data = file.read()
    text, source, chosen = "", "", None
    try:
        text, source = mapping_text(force_id=actor.force_id, choice=mapping, uploaded=mapping_file)
        chosen = load_mapping(text, source)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    except MappingError as exc:
        errors["mapping_file" if mapping == "file" else "mapping"] = str(exc)
    header: list[str] = []
    if file is not None and "file" not in errors:
        try:
            sheet = open_extract(data, file.name)
        except ExtractError as exc:
            errors["file"] = str(exc)
        else:
            header = sheet.header
            if chosen is not None and (missing := chosen.missing(header)):
                errors["file"] = (
                    f"The file lacks {_count(len(missing), 'column')} the mapping names: "
                    f"{', '.join(missing)} (the mapping is {chosen.name}; check the file is "
                    "the right report, or choose another mapping)"
                )
    if extract_date is None:
        errors["extract_date"] = "Enter the date the extract was taken from the register"
    elif extract_date > clock.today():
        errors["extract_date"] = "The date the extract was taken must be today or in the past"
    if default_team is not None and (
        default_team.force_id != actor.force_id or default_team.kind != TeamKind.MOSOVO
    ):
        errors["default_team"] = "Choose a MOSOVO team of your force"
    if errors:
        raise ValidationError(errors)
    assert chosen is not None
    assert extract_date is not None
    made = RegisterImport.objects.create(
        force_id=_force_of(actor),
        uploaded_by=actor,
        filename=str(file.name)[:255],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        mapping_name=chosen.name[:200],
        mapping_text=text,
        extract_date=extract_date,
        default_team=default_team,
        header=header,
    )
    ExtractFile.objects.create(register_import=made, data=data)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="register.uploaded",
        obj=made,
        detail={"filename": made.filename, "bytes": made.size, "sha256": made.sha256},
    )
    made.check_job = job_enqueue(
        actor=actor,
        kind=CHECK_JOB,
        arguments={"import": str(made.pk)},
        title=f"Checking the register extract {made.filename}",
    )
    made.save(update_fields=["check_job", "updated_at"])
    return made


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- the check (a background job) -------------------------------------------------------------


def import_check(register_import: RegisterImport, progress: Progress) -> tuple[str, dict[str, Any]]:
    """Every row of the uploaded file checked, set beside the force's records and staged
    with what importing it would do; the file itself is then deleted. A file that cannot be
    read makes the import unreadable, saying why."""
    found = RegisterImport.objects.select_related("uploaded_by", "default_team").get(
        pk=register_import.pk
    )
    # claimed by one run only: a task delivered twice finds it claimed (or done) and stops
    claimed = RegisterImport.objects.filter(
        pk=found.pk, status=ImportStatus.CHECKING, checked_at__isnull=True
    ).update(checked_at=timezone.now())
    if not claimed:
        return f"Already {found.get_status_display().lower()}", {"import": str(found.pk)}
    try:
        try:
            summary = _check(found, progress)
        except ExtractError as exc:
            _unreadable(found, str(exc))
            summary = f"Could not be checked: {exc}"
    except BaseException as exc:
        _unreadable(found, f"The check stopped ({exc.__class__.__name__}): upload the file again.")
        raise
    return summary, {"import": str(found.pk)}


def _unreadable(found: RegisterImport, why: str) -> None:
    with transaction.atomic():
        if not RegisterImport.objects.filter(pk=found.pk, status=ImportStatus.CHECKING).update(
            status=ImportStatus.UNREADABLE, problem=why[:2000], checked_at=timezone.now()
        ):
            return  # another run finished it
        StagedRow.objects.filter(register_import=found).delete()
        ExtractFile.objects.filter(register_import=found).delete()


def _check(found: RegisterImport, progress: Progress) -> str:
    data = bytes(ExtractFile.objects.get(register_import=found).data)
    mapping = load_mapping(found.mapping_text, found.mapping_name)
    sheet = open_extract(data, found.filename)
    del data
    if found.check_job_id and sheet.expected is not None:
        # each row twice: read and validated, then set beside the records and staged
        Job.objects.filter(pk=found.check_job_id).update(total=2 * sheet.expected, unit="rows")
    checked = check_rows(sheet.rows, sheet.header, mapping, clock.today(), progress)
    progress(max(0, (sheet.expected or 0) - checked.read))  # blank rows, lines within cells
    counts = dict.fromkeys(RowAction.values, 0)
    counts["faults"] = len(checked.faults)
    with transaction.atomic():  # staged whole, or not at all
        StagedRow.objects.filter(register_import=found).delete()
        for planned in _plan(found, found.uploaded_by, mapping, checked.good):
            for p in planned:
                counts[p.action] += 1
                counts["faults"] += len(p.faults)
            StagedRow.objects.bulk_create(
                [_staged(found, p) for p in planned], batch_size=STAGE_BATCH
            )
            progress(len(planned))
        _stage_faults(found, checked, sheet.header, mapping, counts)
        progress(len(checked.bad_rows))
        ExtractFile.objects.filter(register_import=found).delete()
        RegisterImport.objects.filter(pk=found.pk).update(
            status=ImportStatus.CHECKED,
            rows_read=checked.read,
            counts=counts,
            checked_at=timezone.now(),
            problem="",
        )
    return (
        f"{checked.read:,} rows checked: {counts['create']:,} new, {counts['update']:,} to "
        f"update, {counts['same']:,} unchanged, {counts['fault']:,} with faults, "
        f"{counts['withheld']:,} withheld"
    )


def _stage_faults(
    found: RegisterImport,
    checked: Any,
    header: list[str],
    mapping: Mapping,
    counts: dict[str, int],
) -> None:
    """The rows the validation refused, with their faults and their cells as the file had
    them (for the download of the rows not imported)."""
    staged = []
    by_row: dict[int, list[dict[str, str]]] = {}
    for fault in checked.faults:
        by_row.setdefault(fault.row, []).append(
            {"field": fault.field, "column": fault.column, "message": fault.message}
        )
    for number, cells in checked.bad_rows:
        counts[RowAction.FAULT] += 1
        staged.append(
            StagedRow(
                register_import=found,
                row=number,
                reference=_cell(cells, header, mapping, "register_reference")[:40],
                name=_name_from_cells(cells, header, mapping),
                action=RowAction.FAULT,
                faults=by_row.get(number, []),
                cells=cells,
            )
        )
    StagedRow.objects.bulk_create(staged, batch_size=STAGE_BATCH)


PLAN_CHUNK = 5_000  # rows planned at once: the records they name, and no more, in memory


def _plan(
    found: RegisterImport, actor: User, mapping: Mapping, rows: list[tuple[int, dict[str, Any]]]
) -> Iterator[list[Planned]]:
    """The rows' plans, a chunk at a time, against the force's records as they are now."""
    from vigil.register.plan import Held, Officers, Teams

    force_id = found.force_id
    visible = set(Registration.objects.visible_to(actor).values_list("pk", flat=True))
    held, officers, teams = Held(force_id), Officers(force_id), Teams(force_id)
    pack = active_policy()
    for at in range(0, len(rows), PLAN_CHUNK):
        yield plan(
            force_id=force_id,
            rows=rows[at : at + PLAN_CHUNK],
            mapping=mapping,
            visible=visible,
            default_team=found.default_team,
            extract_date=found.extract_date,
            pack=pack,
            held=held,
            officers=officers,
            teams=teams,
        )


def _staged(found: RegisterImport, p: Planned) -> StagedRow:
    return StagedRow(
        register_import=found,
        row=p.row,
        reference=str(p.values.get("register_reference") or "")[:40],
        name=_name(p.values),
        action=p.action,
        registration=p.registration,
        values=to_json(p.values),
        changes=p.changes,
        left=p.left,
        faults=p.faults,
    )


def _name(values: dict[str, Any]) -> str:
    family, given = values.get("family_name") or "", values.get("given_names") or ""
    return f"{family.upper()}, {given}"[:260] if family or given else ""


def _cell(cells: list[str], header: list[str], mapping: Mapping, name: str) -> str:
    at = mapping.positions(header).get(name)
    return cells[at].strip() if at is not None and at < len(cells) else ""


def _name_from_cells(cells: list[str], header: list[str], mapping: Mapping) -> str:
    family = _cell(cells, header, mapping, "family_name")[:100]
    given = _cell(cells, header, mapping, "given_names")[:150]
    return f"{family.upper()}, {given}" if family or given else ""


def to_json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def from_json(values: dict[str, Any]) -> dict[str, Any]:
    """A staged row's values as the check gave them (its dates as dates)."""
    return {
        k: date.fromisoformat(v)
        if v and k in FIELDS and FIELDS[k].kind == "date" and isinstance(v, str)
        else v
        for k, v in values.items()
    }


# --- import or discard ------------------------------------------------------------------------


def _checked(register_import: RegisterImport) -> RegisterImport:
    current = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if current.status != ImportStatus.CHECKED:
        raise ValidationError(
            f"This import is {current.get_status_display().lower()}: only a checked import "
            "can be imported or discarded"
        )
    return current


@atomic
def import_commit(*, actor: User, register_import: RegisterImport) -> RegisterImport:
    """Queues the import of a checked extract: its new records and updates, all or none."""
    _require(actor, "import_register")
    current = _checked(register_import)
    Force.objects.select_for_update().filter(pk=current.force_id).first()  # one at a time
    running = (
        RegisterImport.objects.filter(force_id=current.force_id, status=ImportStatus.IMPORTING)
        .exclude(pk=current.pk)
        .select_related("import_job")
        .first()
    )
    if running is not None and _stopped(running):
        # its worker died mid-import: its transaction rolled back, so nothing was imported
        RegisterImport.objects.filter(pk=running.pk).update(
            status=ImportStatus.CHECKED,
            problem="The import stopped before it finished: nothing was imported. Try again.",
        )
        running = None
    if running is not None:
        raise ConflictError(
            f"{running.filename} is being imported: wait for it to finish, then check this "
            "file's preview again"
        )
    current.status = ImportStatus.IMPORTING
    current.problem = ""
    current.import_job = job_enqueue(
        actor=actor,
        kind=IMPORT_JOB,
        arguments={"import": str(current.pk)},
        title=f"Importing the register extract {current.filename}",
    )
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.SECURITY,
        event="register.import_queued",
        obj=current,
        detail={"create": current.count("create"), "update": current.count("update")},
    )
    return current


def _stopped(found: RegisterImport) -> bool:
    """An import whose job failed, vanished or has been quiet past the stalled minutes."""
    job = found.import_job
    return job is None or (not job.in_progress) or job.quiet_minutes is not None


@atomic
def import_discard(*, actor: User, register_import: RegisterImport) -> RegisterImport:
    """Discards a checked (or unreadable) import: its staged rows are deleted."""
    _require(actor, "import_register")
    current = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if current.status not in (ImportStatus.CHECKED, ImportStatus.UNREADABLE):
        raise ValidationError(
            f"This import is {current.get_status_display().lower()}: it cannot be discarded"
        )
    StagedRow.objects.filter(register_import=current).delete()
    ExtractFile.objects.filter(register_import=current).delete()
    current.status = ImportStatus.DISCARDED
    current.version += 1
    current.save()
    audit_record(
        actor=actor,
        action=AuditAction.ERASURE,
        event="register.discarded",
        obj=current,
        detail={"filename": current.filename},
    )
    return current


def import_apply(register_import: RegisterImport, actor: User) -> tuple[str, dict[str, Any]]:
    """The import itself (the job `import_commit` queues): the rows planned again, as the
    person importing may see the records; if any row would now do something other than the
    preview said, nothing is imported and the import asks for the file to be checked again.
    Otherwise every new record and update is made through the services, in one transaction.
    """
    try:
        with transaction.atomic():
            current = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
            if current.status != ImportStatus.IMPORTING:  # a task delivered twice
                return (
                    f"Already {current.get_status_display().lower()}",
                    {"import": str(current.pk)},
                )
            report = _apply(current, actor)
            current.status = ImportStatus.IMPORTED
            current.imported_at = timezone.now()
            current.imported_by = actor
            current.report = report
            current.version += 1
            current.save()
            # an earlier extract's rows are no longer the latest: only its counts are kept
            # (an extract taken before the latest one imported keeps the latest's rows)
            StagedRow.objects.filter(
                register_import__force_id=current.force_id,
                register_import__status=ImportStatus.IMPORTED,
            ).filter(
                Q(register_import__extract_date__lt=current.extract_date)
                | Q(
                    register_import__extract_date=current.extract_date,
                    register_import__created_at__lt=current.created_at,
                )
            ).delete()
            audit_record(
                actor=actor,
                action=AuditAction.COLLECTION,
                event="register.imported",
                obj=current,
                detail=report,
            )
    except (ValidationError, ConflictError, PermissionDenied) as exc:
        why = _why(exc)
        RegisterImport.objects.filter(pk=register_import.pk).update(
            status=ImportStatus.CHECKED, problem=why[:2000]
        )
        return f"Nothing was imported: {why}", {"import": str(register_import.pk)}
    except BaseException:
        RegisterImport.objects.filter(pk=register_import.pk).update(
            status=ImportStatus.CHECKED,
            problem="The import stopped before it finished: nothing was imported. Try again.",
        )
        raise
    return (
        f"{report['created']:,} added, {report['updated']:,} updated, "
        f"{report['unchanged']:,} unchanged",
        {"import": str(register_import.pk), **report},
    )


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{k}: {', '.join(v)}" if k != "__all__" else ", ".join(v)
            for k, v in getattr(exc, "message_dict", {"__all__": exc.messages}).items()
        )
    return str(exc)


def _apply(current: RegisterImport, actor: User) -> dict[str, int]:
    mapping = load_mapping(current.mapping_text, current.mapping_name)
    staged = {
        s.row: s
        for s in StagedRow.objects.filter(register_import=current).exclude(action=RowAction.FAULT)
    }
    rows = [(n, from_json(s.values)) for n, s in sorted(staged.items())]
    planned = [p for chunk in _plan(current, actor, mapping, rows) for p in chunk]
    moved = [p.row for p in planned if _key(staged[p.row]) != p.key]
    if moved:
        shown = ", ".join(str(n) for n in moved[:10]) + (" ..." if len(moved) > 10 else "")
        raise ConflictError(
            f"Records changed since the file was checked: {_count(len(moved), 'row')} would "
            f"now be imported differently (rows {shown}). Upload the file again to check it "
            "against the records as they are now."
        )
    created = updated = 0
    for p in planned:
        try:
            if p.action == RowAction.CREATE:
                _create(actor, p, current.extract_date)
                created += 1
            elif p.action == RowAction.UPDATE:
                _update(actor, p, current.extract_date)
                updated += 1
        except ValidationError as exc:
            raise ValidationError(f"Row {p.row} ({_name(p.values)}): {_why(exc)}") from None
    return {
        "created": created,
        "updated": updated,
        "unchanged": sum(1 for p in planned if p.action == RowAction.SAME),
        "withheld": sum(1 for p in planned if p.action == RowAction.WITHHELD),
        "not_imported": current.count(RowAction.FAULT),
    }


def _key(row: StagedRow) -> tuple[Any, ...]:
    changes = tuple(sorted((c["field"], c["register"]) for c in row.changes))
    return (row.action, row.registration_id, changes)


def _create(actor: User, p: Planned, extract_date: date) -> None:
    from vigil.offenders.services import registration_create
    from vigil.people.services import address_add, nominal_create

    v = p.values
    person = nominal_create(
        actor=actor,
        family_name=v["family_name"],
        given_names=v["given_names"],
        date_of_birth=v.get("date_of_birth"),
        **({"sex": v["sex"]} if v.get("sex") else {}),
    )
    if v.get("address_line_1"):
        address_add(
            actor=actor,
            nominal=person,
            kind=AddressKind.HOME,
            line_1=v["address_line_1"],
            line_2=v.get("address_line_2") or "",
            town=v.get("town") or "",
            postcode=v.get("postcode") or "",
            valid_from=extract_date,
        )
    assert p.team is not None  # a new row without a team is a fault
    registration_create(
        actor=actor,
        nominal=person,
        team=p.team,
        registration_date=v["registration_date"],
        conviction_date=v["conviction_date"],
        disposal=v["disposal"],
        risk_level=v["risk_level"],
        offender_manager=p.manager,
        register_reference=v["register_reference"],
        in_community_since=v.get("in_community_since"),
        mappa_category=v.get("mappa_category") or 1,
        mappa_level=v.get("mappa_level") or 1,
    )


def _update(actor: User, p: Planned, extract_date: date) -> None:
    from vigil.offenders.services import registration_update
    from vigil.people.models import Nominal
    from vigil.people.services import address_add, nominal_update

    assert p.registration is not None
    v = p.values
    fields = {c["field"] for c in p.changes}
    person = {
        n: v[n] for n in ("family_name", "given_names", "date_of_birth", "sex") if n in fields
    }
    if person:
        nominal = Nominal.objects.get(pk=p.registration.nominal_id)
        nominal_update(actor=actor, nominal=nominal, expected_version=nominal.version, **person)
    if "address_line_1" in fields:
        address_add(
            actor=actor,
            nominal=Nominal.objects.get(pk=p.registration.nominal_id),
            kind=AddressKind.HOME,
            line_1=v["address_line_1"],
            line_2=v.get("address_line_2") or "",
            town=v.get("town") or "",
            postcode=v.get("postcode") or "",
            valid_from=extract_date,
        )
    record: dict[str, Any] = {
        n: v[n]
        for n in ("risk_level", "mappa_category", "mappa_level", "in_community_since")
        if n in fields
    }
    if "offender_manager" in fields and p.manager is not None:
        record["offender_manager_id"] = p.manager.pk
    if record:
        registration = Registration.objects.get(pk=p.registration.pk)
        registration_update(
            actor=actor,
            registration=registration,
            expected_version=registration.version,
            **record,
        )


# --- the rows that failed, for the person to correct ------------------------------------------


def failed_rows(register_import: RegisterImport) -> tuple[list[str], list[list[str]]]:
    """The header and the rows not imported for their faults, as the file had them (a row
    that failed only on what a new record needs, from its checked values), each with what is
    wrong in a last column."""
    header = list(register_import.header)
    mapping = load_mapping(register_import.mapping_text, register_import.mapping_name)
    positions = mapping.positions(header)
    out = []
    for row in StagedRow.objects.filter(
        register_import=register_import, action=RowAction.FAULT
    ).order_by("row"):
        cells = list(row.cells)
        if not cells:
            cells = [""] * len(header)
            for name, value in from_json(row.values).items():
                if name in positions and value is not None:
                    cells[positions[name]] = (
                        value.strftime(mapping.date_formats[0])
                        if isinstance(value, date)
                        else str(value)
                    )
        wrong = "; ".join(
            f"{f['column']}: {f['message']}" if f.get("column") else f["message"]
            for f in row.faults
        )
        out.append([str(row.row), *cells, wrong])
    return ["Row", *header, "What is wrong"], out


@atomic
def failed_rows_exported(*, actor: User, register_import: RegisterImport, rows: int) -> None:
    """The failed rows downloaded: an export of what the register holds of those people."""
    audit_record(
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="register.failed_rows_exported",
        obj=register_import,
        detail={"rows": rows, "filename": register_import.filename},
    )


@atomic
def import_viewed(*, actor: User, register_import: RegisterImport, shown: list[StagedRow]) -> None:
    """A page of an import's rows seen: a consultation of the extract, and of each record
    of Vigil's it showed (ADR 17)."""
    from vigil.people.models import Nominal
    from vigil.people.services import nominals_listed

    audit_record(
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="register.import_viewed",
        obj=register_import,
        detail={"rows": [r.row for r in shown]},
    )
    from vigil.register.selectors import openable

    ids = list(openable(user=actor, rows=shown))  # the records it showed of Vigil's
    if ids:
        people = list(Nominal.objects.filter(registration__in=ids).only("pk", "force_id"))
        nominals_listed(actor=actor, nominals=people, via="register import")


# --- the reconciliation: accept the register's value, or mark the register for correction ----


def _row_planned(actor: User, registration: Registration) -> tuple[Planned, RegisterImport]:
    """The registration's row of the latest extract, planned as the import would."""
    from vigil.register.reconcile import latest_extract

    extract = latest_extract(registration.force_id)
    if extract is None:
        raise ValidationError("No register extract has been checked: upload one first")
    wanted = reference_key(registration.register_reference)
    staged = (
        next(
            (
                s
                for s in StagedRow.objects.filter(
                    register_import=extract,
                    reference__iexact=registration.register_reference.strip(),
                ).exclude(action=RowAction.FAULT)
                if reference_key(s.reference) == wanted
            ),
            None,
        )
        if wanted
        else None
    )
    if staged is None:
        raise ValidationError(
            f"The extract of {extract.extract_date:%-d %b %Y} has no readable row for this record"
        )
    mapping = load_mapping(extract.mapping_text, extract.mapping_name)
    (planned,) = plan(
        force_id=registration.force_id,
        rows=[(staged.row, from_json(staged.values))],
        mapping=mapping,
        visible={registration.pk},
        default_team=None,
        extract_date=extract.extract_date,
        pack=active_policy(),
    )
    return planned, extract


def _field_name(kind: str) -> str:
    from vigil.register.reconcile import ADDRESS_KIND

    return "address_line_1" if kind == ADDRESS_KIND else kind


@atomic
def reconcile_accept(*, actor: User, registration: Registration, field: str) -> Registration:
    """Brings one field of the record to the register's value, through the service that
    changes it, as the import would."""
    _require(actor, "reconcile_register")
    planned, extract = _row_planned(actor, registration)
    name = _field_name(field)
    change = next((c for c in planned.changes if c["field"] == name), None)
    if change is None:
        left = next((c for c in planned.left if c["field"] == name), None)
        why = (
            left.get("note")
            or "the register's value cannot be accepted here: change it from the record"
            if left
            else "Vigil already holds the register's value"
        )
        raise ValidationError({"field": why[0].upper() + why[1:]})
    planned.changes = [change]
    try:
        _update(actor, planned, extract.extract_date)
    except ValidationError as exc:
        raise ValidationError({"field": _why(exc)}) from None
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="register.value_accepted",
        obj=registration,
        person_id=registration.nominal_id,
        detail={"field": field, "register": change["register"], "extract": str(extract.pk)},
    )
    return Registration.objects.get(pk=registration.pk)


@atomic
def correction_mark(*, actor: User, registration: Registration, field: str, note: str) -> Any:
    """Marks a difference for correction in the register (Vigil holds the right value): it
    goes with the next export."""
    from vigil.register.models import Correction, CorrectionStatus
    from vigil.register.reconcile import KINDS

    _require(actor, "reconcile_register")
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = "Enter what the register should hold, and how you know"
    if field not in KINDS:
        errors["field"] = "Choose the field to correct"
    if errors:
        raise ValidationError(errors)
    planned, extract = _row_planned(actor, registration)
    name = _field_name(field)
    difference = next((c for c in [*planned.changes, *planned.left] if c["field"] == name), None)
    if difference is None:
        raise ValidationError({"field": "The register already holds Vigil's value"})
    if Correction.objects.filter(
        registration=registration, field=field, status=CorrectionStatus.OPEN
    ).exists():
        raise ValidationError({"field": "This is already marked for correction"})
    made = Correction.objects.create(
        force_id=registration.force_id,
        registration=registration,
        field=field,
        vigil_value=difference["vigil"][:300],
        register_value=difference["register"][:300],
        note=note.strip(),
        raised_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="register.correction_marked",
        obj=made,
        person_id=registration.nominal_id,
        detail={"field": field, "extract": str(extract.pk)},
    )
    return made


# --- the export: Vigil's changes for entry into the register ----------------------------------


# The register's fields each audited change in Vigil touches (by the changed field's name in
# the audit event's `changes`): what an export counts as "changed in Vigil".
CHANGED_FIELDS: dict[str, tuple[str, ...]] = {
    "family_name": ("family_name",),
    "given_names": ("given_names",),
    "date_of_birth": ("date_of_birth",),
    "sex": ("sex",),
    "line_1": ADDRESS,
    "line_2": ADDRESS,
    "town": ADDRESS,
    "postcode": ADDRESS,
    "risk_level": ("risk_level",),
    "offender_manager_id": ("offender_manager",),
    "team_id": ("team",),
    "management_mode": ("management_mode",),
    "registration_date": ("registration_date", "notification_ends"),
    "conviction_date": ("conviction_date",),
    "disposal": ("disposal", "notification_ends"),
    "discharge_months": ("notification_ends",),
    "under_18_at_conviction": ("notification_ends",),
    "in_community_since": ("in_community_since",),
    "mappa_category": ("mappa_category",),
    "mappa_level": ("mappa_level",),
}


def export_items(
    *, actor: User, extract: RegisterImport, since: Any = None
) -> list[dict[str, Any]]:
    """What the register must be told, of the records the actor may open: each field where
    Vigil differs from the extract and that was changed in Vigil (an audited change of that
    field) on or after the day the extract was taken; each difference marked for correction;
    each open registration the register does not hold that was made or changed since. A
    value an earlier export sent is not sent again, so an export holds what changed since the
    last (and a record one exporter could not open is still sent by the next who can)."""
    from datetime import datetime, time

    from vigil.audit.models import AuditEvent
    from vigil.register.compare import vigil_values
    from vigil.register.models import Correction, CorrectionStatus, RegisterExport
    from vigil.register.reconcile import ADDRESS_KIND, KINDS, _compared

    mapping = load_mapping(extract.mapping_text, extract.mapping_name)
    pack = active_policy()
    compared, unreadable, _rows = _compared(extract.force_id, extract)
    visible = set(Registration.objects.visible_to(actor).values_list("pk", flat=True))
    cutoff = timezone.make_aware(datetime.combine(extract.extract_date, time.min))
    touched: dict[Any, set[str]] = {}  # person: the register's fields changed since
    for person, changes in AuditEvent.objects.filter(
        force_id=extract.force_id,
        occurred_at__gte=cutoff,
        action__in=(AuditAction.ALTERATION, AuditAction.COLLECTION),
        person_id__isnull=False,
    ).values_list("person_id", "changes"):
        fields = touched.setdefault(person, set())
        for name in changes or {}:
            fields.update(CHANGED_FIELDS.get(name, ()))
    sent = {
        (item["registration"], name, json_value)
        for export in RegisterExport.objects.filter(force_id=extract.force_id)
        for item in export.items
        for name, json_value in item["fields"].items()
    }
    corrections: dict[Any, list[Correction]] = {}
    for c in Correction.objects.filter(
        registration_id__in=visible, status=CorrectionStatus.OPEN
    ).order_by("created_at"):
        corrections.setdefault(c.registration_id, []).append(c)
    mapped = [n for n in FIELDS if n in mapping.columns and n != "register_reference"]
    items: dict[Any, dict[str, Any]] = {}

    def item_of(registration: Registration, why: str) -> dict[str, Any]:
        return items.setdefault(
            registration.pk,
            {
                "registration": str(registration.pk),
                "person": str(registration.nominal_id),
                "reference": registration.register_reference,
                "name": str(registration.nominal),
                "fields": {},
                "why": why,
                "notes": [],
            },
        )

    def add(registration: Registration, names: list[str], values: dict[str, Any], why: str) -> None:
        fresh = {
            n: _json(values[n])
            for n in names
            if values.get(n) not in (None, "")
            and (str(registration.pk), n, _json(values[n])) not in sent
        }
        if fresh:
            item_of(registration, why)["fields"].update(fresh)

    for _number, registration, differences in compared.differ:
        changed = touched.get(registration.nominal_id, set())
        if registration.pk not in visible or not changed:
            continue
        names = [d.field for d in differences if d.field in mapped and d.field in changed]
        add(registration, names, vigil_values(registration, pack), "Changed in Vigil")
    for registration in compared.absent:
        if registration.pk in visible and registration.nominal_id in touched:
            if reference_key(registration.register_reference) in unreadable:
                continue
            add(registration, mapped, vigil_values(registration, pack), "Not in the register")
    for registration_id, marked in corrections.items():
        registration = Registration.objects.select_related(
            "nominal", "team", "offender_manager"
        ).get(pk=registration_id)
        values = vigil_values(registration, pack)
        for c in marked:
            names = [
                n for n in (list(ADDRESS) if c.field == ADDRESS_KIND else [c.field]) if n in mapped
            ]
            entry = item_of(registration, "Marked for correction")
            entry["fields"].update(
                {n: _json(values[n]) for n in names if values.get(n) not in (None, "")}
            )
            entry["notes"].append(f"{KINDS[c.field]}: {c.note}")
            entry.setdefault("corrections", []).append(str(c.pk))
    return [items[k] for k in sorted(items, key=lambda k: items[k]["name"])]


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, User):
        return value.get_full_name() or value.username
    return value


@atomic
def register_export(*, actor: User, recipient: str) -> Any:
    """Vigil's changes since the last export, kept as an export for entry into the register
    (a disclosure, audited naming each person in it); the corrections it carries are marked
    sent."""
    from vigil.audit.services import Entry, audit_record_many
    from vigil.register.models import Correction, CorrectionStatus, RegisterExport
    from vigil.register.reconcile import latest_extract

    _require(actor, "export_register")
    if not recipient.strip():
        raise ValidationError({"recipient": "Enter who the changes go to (the register's bureau)"})
    force_id = _force_of(actor)
    Force.objects.select_for_update().filter(pk=force_id).first()  # one at a time
    extract = latest_extract(force_id)
    if extract is None:
        raise ValidationError(
            "No register extract has been checked: the export is what differs from the "
            "register, so upload an extract first"
        )
    last = RegisterExport.objects.filter(force_id=force_id).order_by("-created_at").first()
    items = export_items(actor=actor, extract=extract)
    if not items:
        raise ValidationError("Nothing has changed in Vigil since the last export")
    made = RegisterExport.objects.create(
        force_id=force_id,
        made_by=actor,
        mapping_name=extract.mapping_name,
        mapping_text=extract.mapping_text,
        since=last.created_at if last else None,
        against=extract,
        items=items,
        recipient=recipient.strip()[:200],
    )
    Correction.objects.filter(
        pk__in=[c for item in items for c in item.get("corrections", [])]
    ).update(status=CorrectionStatus.EXPORTED, register_export=made)
    audit_record_many(
        [
            Entry(
                actor=actor,
                action=AuditAction.DISCLOSURE,
                event="register.exported",
                obj=made,
                detail={"records": len(items), "recipient": made.recipient},
                people=[item["person"] for item in items],
            )
        ]
    )
    return made


def visible_items(register_export: Any, user: Any) -> list[dict[str, Any]]:
    """The export's records the user may open: another exporter's export shows a user
    nothing of a person they are kept out of."""
    ids = {item["registration"] for item in register_export.items}
    may = {
        str(pk)
        for pk in Registration.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    }
    return [item for item in register_export.items if item["registration"] in may]


def export_table(
    register_export: Any, items: list[dict[str, Any]]
) -> tuple[list[str], list[list[str]]]:
    """The export's `items` (those the user may open: `visible_items`) in the extract's own
    columns and spellings, a row a record: its reference and name, then only the fields that
    changed; what changed and any note last."""
    mapping = load_mapping(register_export.mapping_text, register_export.mapping_name)
    names = [n for n in FIELDS if n in mapping.columns]
    header = [mapping.columns[n] for n in names] + ["Changed in Vigil", "Note"]
    rows = []
    for item in items:
        cells = []
        for n in names:
            if n == "register_reference":
                cells.append(item["reference"])
                continue
            value = item["fields"].get(n)
            if value is None and n in ("family_name", "given_names"):
                family, _, given = item["name"].partition(", ")
                value = family.title() if n == "family_name" else given
            cells.append(_spelled(mapping, n, value))
        changed = ", ".join(FIELDS[n].label for n in names if n in item["fields"])
        rows.append(
            [
                *cells,
                f"{item['why']}: {changed}" if changed else item["why"],
                "; ".join(item["notes"]),
            ]
        )
    return header, rows


def _spelled(mapping: Mapping, name: str, value: Any) -> str:
    if value is None:
        return ""
    kind = FIELDS[name].kind
    if kind == "date":
        return date.fromisoformat(value).strftime(mapping.date_formats[0])
    if kind == "choice":
        return mapping.spell(name, value)
    return str(value)


@atomic
def export_seen(
    *, actor: User, register_export: Any, items: list[dict[str, Any]], downloaded: bool
) -> None:
    """An export shown (a consultation of each person in it) or downloaded (a disclosure
    of each)."""
    from vigil.audit.services import Entry, audit_record_many

    if not items:
        return
    audit_record_many(
        [
            Entry(
                actor=actor,
                action=AuditAction.DISCLOSURE if downloaded else AuditAction.CONSULTATION,
                event="register.export_downloaded" if downloaded else "register.export_viewed",
                obj=register_export,
                detail={"records": len(items)},
                people=[item["person"] for item in items],
            )
        ]
    )
