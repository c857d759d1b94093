"""A register extract imported in stages (issue 14): uploaded (refused at once, naming the
field, when the header tells what is wrong), every row checked in the background and staged
with what importing it would do, then imported all or nothing through the services, or
discarded. Importing the same file twice changes nothing."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vigil.audit.models import AuditEvent
from vigil.core.exceptions import ConflictError
from vigil.core.models import Team, TeamKind
from vigil.jobs.models import Job, JobStatus
from vigil.offenders.models import Registration
from vigil.people.models import Address, AddressKind, Nominal
from vigil.register import services
from vigil.register.mapping import example
from vigil.register.models import ImportStatus, RegisterImport, RowAction, StagedRow

pytestmark = pytest.mark.django_db

EXTRACT_DATE = date(2026, 12, 1)


def visor_csv(*rows: dict[str, str], header: list[str] | None = None) -> bytes:
    """A ViSOR extract in the example mapping's columns."""
    columns = header or list(example("visor").columns.values())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue().encode()


def quenby(**changes: str) -> dict[str, str]:
    """The test world's Quenby as the register holds him (as Vigil does, unless changed)."""
    return {
        "ViSOR Ref": "SYN-QUENBY",
        "Surname": "Quenby",
        "Forenames": "Adrian",
        "Address 1": "1 Example Street",
        "Town": "Alpha",
        "Postcode": "ZZ99 1AA",
        "RoSH": "HIGH",
        "Management Type": "ACTIVE",
        "Lead Officer": "offender_manager",
        "Owning Unit": "Alpha mosovo",
        "Registration Date": "10/01/2024",
        "Conviction Date": "01/11/2023",
        "Sentence Type": "CUSTODY 6-30M",
        "Community Date": "10/01/2024",
        "MAPPA Category": "1",
        "MAPPA Level": "1",
        **changes,
    }


def newcomer(**changes: str) -> dict[str, str]:
    return {
        "ViSOR Ref": "SYN-NEW-1",
        "Surname": "Ostrander",
        "Forenames": "Fenwick",
        "DOB": "03/04/1970",
        "Gender": "M",
        "Address 1": "4 Synthetic Row",
        "Town": "Alpha",
        "Postcode": "ZZ99 4AA",
        "RoSH": "MEDIUM",
        "Management Type": "ACTIVE",
        "Lead Officer": "offender_manager",
        "Owning Unit": "Alpha mosovo",
        "Registration Date": "05/06/2025",
        "Conviction Date": "01/05/2025",
        "Sentence Type": "CUSTODY 30M+",
        "Community Date": "05/06/2025",
        "MAPPA Category": "1",
        "MAPPA Level": "1",
        **changes,
    }


def upload(world: Any, data: bytes, *, name: str = "extract.csv", **kwargs: Any) -> RegisterImport:
    return services.import_upload(
        actor=world.users["mosovo_supervisor"],
        file=SimpleUploadedFile(name, data),
        mapping=kwargs.pop("mapping", "visor"),
        extract_date=kwargs.pop("extract_date", EXTRACT_DATE),
        **kwargs,
    )


@pytest.fixture
def checked(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Uploads an extract and runs its check (the tests' task backend runs it at once)."""

    def make(data: bytes, **kwargs: Any) -> RegisterImport:
        with django_capture_on_commit_callbacks(execute=True):
            made = upload(world, data, **kwargs)
        made.refresh_from_db()
        return made

    return make


@pytest.fixture
def imported(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def make(found: RegisterImport, persona: str = "mosovo_supervisor") -> RegisterImport:
        with django_capture_on_commit_callbacks(execute=True):
            services.import_commit(actor=world.users[persona], register_import=found)
        found.refresh_from_db()
        return found

    return make


def rows(found: RegisterImport, action: str) -> list[StagedRow]:
    return list(StagedRow.objects.filter(register_import=found, action=action))


# --- the upload ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The file is empty"),
        (b"%PDF-1.7 a report", "extract.csv", "PDF"),
        ("Surname\nQuenby\n".encode("utf-16"), "extract.csv", "UTF-16"),
        (b"ViSOR Ref,Surname\nSYN-1,Quenby\n", "extract.csv", "lacks 18 columns the mapping"),
    ],
)
def test_an_upload_the_header_can_refuse_is_refused_on_the_file_field(
    world: Any, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(world, data, name=name)
    assert message in refused.value.message_dict["file"][0]
    assert not RegisterImport.objects.exists()  # nothing half-saved
    assert not Job.objects.exists()


def test_the_upload_names_each_other_field_at_fault(world: Any) -> None:
    other_force_team = Team.objects.exclude(force=world.users["offender_manager"].force).get(
        kind=TeamKind.MOSOVO
    )
    with pytest.raises(ValidationError) as refused:
        upload(
            world,
            visor_csv(quenby()),
            extract_date=date(2099, 1, 1),
            default_team=other_force_team,
            mapping="file",
        )
    errors = refused.value.message_dict
    assert "must be today or in the past" in errors["extract_date"][0]
    assert "MOSOVO team of your force" in errors["default_team"][0]
    assert "Choose the mapping file" in errors["mapping_file"][0]


def test_a_mapping_file_that_is_wrong_is_refused_naming_its_key(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        upload(
            world,
            visor_csv(quenby()),
            mapping="file",
            mapping_file=SimpleUploadedFile("m.toml", b'[columns]\nnot_a_field = "X"\n'),
        )
    assert (
        "columns.not_a_field is not one of Vigil's fields"
        in (refused.value.message_dict["mapping_file"][0])
    )


@pytest.mark.parametrize("persona", ["offender_manager", "head_of_pp", "sysadmin"])
def test_only_those_who_import_may_upload(world: Any, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.import_upload(
            actor=world.users[persona],
            file=SimpleUploadedFile("x.csv", visor_csv(quenby())),
            mapping="visor",
            extract_date=EXTRACT_DATE,
        )


# --- the check ---------------------------------------------------------------------------------


def test_the_check_stages_each_row_with_what_importing_it_would_do(
    world: Any, checked: Any
) -> None:
    found = checked(
        visor_csv(
            quenby(RoSH="VERY HIGH", **{"Address 1": "2 New Street"}),
            {
                **quenby(),
                "ViSOR Ref": "SYN-VARLOWICK",
                "Surname": "Varlowick",
                "Forenames": "Maud",
                "Address 1": "",
                "Town": "",
                "Postcode": "",
            },
            newcomer(),
            newcomer(**{"ViSOR Ref": "SYN-NEW-2", "Sentence Type": ""}),
            newcomer(**{"ViSOR Ref": "SYN-NEW-3", "Registration Date": "31/02/2025"}),
        )
    )
    assert found.status == ImportStatus.CHECKED
    assert found.rows_read == 5
    assert found.counts == {
        "create": 1,
        "update": 1,
        "same": 1,
        "fault": 2,
        "withheld": 0,
        "faults": 2,
    }
    (update,) = rows(found, RowAction.UPDATE)
    assert update.row == 2
    assert update.registration == Registration.objects.get(register_reference="SYN-QUENBY")
    assert {c["field"]: (c["vigil"], c["register"]) for c in update.changes} == {
        "risk_level": ("High", "Very high"),
        "address_line_1": ("1 Example Street, Alpha, ZZ99 1AA", "2 New Street, Alpha, ZZ99 1AA"),
    }
    (same,) = rows(found, RowAction.SAME)
    # blank in the register: left for the reconciliation, never erased
    assert [(e["field"], e["note"]) for e in same.left] == [
        ("sex", "the register's is blank"),
        ("notification_ends", "the register's is blank"),
    ]
    (create,) = rows(found, RowAction.CREATE)
    assert (create.row, create.name) == (4, "OSTRANDER, Fenwick")
    faults = {r.row: r.faults for r in rows(found, RowAction.FAULT)}
    assert faults[5][0]["message"] == "new to Vigil: disposal is needed to add it"
    assert faults[5][0]["column"] == "Sentence Type"
    assert "is not a date" in faults[6][0]["message"]
    assert faults[6][0]["column"] == "Registration Date"
    # the file is not kept once it has been checked
    assert not services.ExtractFile.objects.filter(register_import=found).exists()
    job = Job.objects.get(pk=found.check_job_id)
    assert job.status == JobStatus.DONE
    assert job.summary.startswith("5 rows checked: 1 new, 1 to update")


def test_a_record_the_importer_cannot_open_is_withheld_and_left_alone(
    world: Any, checked: Any, imported: Any
) -> None:
    from vigil.people import services as people

    limited = world.limited
    people.nominal_set_limited_access(
        actor=world.users["ocsea_supervisor"],
        nominal=limited,
        limited=True,
        reason="test",
        restricted_to=[world.users["offender_manager"]],
        expected_version=Nominal.objects.get(pk=limited.pk).version,
    )
    found = checked(
        visor_csv(
            {
                **quenby(),
                "ViSOR Ref": "SYN-VARLOWICK",
                "Surname": "Varlowick",
                "Forenames": "Maud",
                "RoSH": "LOW",
            }
        )
    )
    (withheld,) = rows(found, RowAction.WITHHELD)
    assert (withheld.changes, withheld.left) == ([], [])  # nothing of the record is staged
    found = imported(found)
    assert found.report["withheld"] == 1
    assert Registration.objects.get(register_reference="SYN-VARLOWICK").risk_level == "high"


def test_an_unreadable_row_limit_makes_the_import_unreadable_saying_why(
    world: Any, checked: Any, monkeypatch: Any
) -> None:
    from vigil.register import extract

    monkeypatch.setattr(extract, "MAX_ROWS", 1)
    found = checked(visor_csv(quenby(), newcomer()))
    assert found.status == ImportStatus.UNREADABLE
    assert "more than" in found.problem
    assert not StagedRow.objects.filter(register_import=found).exists()


# --- the import --------------------------------------------------------------------------------


def test_the_import_makes_the_new_records_and_updates_and_a_second_changes_nothing(
    world: Any, checked: Any, imported: Any
) -> None:
    data = visor_csv(quenby(RoSH="VERY HIGH", **{"Address 1": "2 New Street"}), newcomer())
    found = imported(checked(data))
    assert found.status == ImportStatus.IMPORTED
    assert found.report == {
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "withheld": 0,
        "not_imported": 0,
    }
    quenby_record = Registration.objects.get(register_reference="SYN-QUENBY")
    assert quenby_record.risk_level == "very_high"
    homes = Address.objects.filter(nominal=quenby_record.nominal, kind=AddressKind.HOME)
    assert homes.get(valid_to__isnull=True).line_1 == "2 New Street"
    assert homes.get(valid_to__isnull=False).valid_to == date(2026, 11, 30)  # history kept
    added = Registration.objects.select_related("nominal", "team").get(
        register_reference="SYN-NEW-1"
    )
    assert (added.nominal.family_name, added.nominal.date_of_birth) == (
        "Ostrander",
        date(1970, 4, 3),
    )
    assert (added.disposal, added.risk_level) == ("custody_30_months_or_more", "medium")
    assert added.offender_manager == world.users["offender_manager"]
    assert added.in_community_since == date(2025, 6, 5)
    assert added.team.name == "Alpha mosovo"  # the row's own team
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {
        "register.uploaded",
        "register.imported",
        "rso.updated",
        "nominal.address_added",
    } <= events

    before = set(AuditEvent.objects.values_list("pk", flat=True))
    again = imported(checked(data))
    assert (again.counts["create"], again.counts["update"], again.counts["same"]) == (0, 0, 2)
    assert (again.report["created"], again.report["updated"]) == (0, 0)
    # only the second import's own events: no record was changed
    assert set(AuditEvent.objects.exclude(pk__in=before).values_list("event", flat=True)) == {
        "register.uploaded",
        "job.queued",
        "register.import_queued",
        "register.imported",
    }


def test_records_changed_since_the_check_stop_the_import_with_nothing_saved(
    world: Any, checked: Any, imported: Any
) -> None:
    from vigil.offenders import services as rso

    found = checked(visor_csv(quenby(RoSH="VERY HIGH"), newcomer()))
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    rso.registration_update(
        actor=world.users["offender_manager"],
        registration=record,
        expected_version=record.version,
        risk_level="very_high",
    )
    found = imported(found)
    assert found.status == ImportStatus.CHECKED
    assert "Records changed since the file was checked: 1 row" in found.problem
    assert "rows 2" in found.problem
    assert not Registration.objects.filter(register_reference="SYN-NEW-1").exists()


def test_a_refusal_by_a_service_imports_nothing_and_names_the_row(
    world: Any, checked: Any, imported: Any, monkeypatch: Any
) -> None:
    found = checked(visor_csv(newcomer(), quenby(RoSH="LOW")))
    from vigil.offenders import services as rso

    def refuse(**kwargs: Any) -> None:
        raise ValidationError({"risk_level": "Refused for the test"})

    monkeypatch.setattr(rso, "registration_update", refuse)
    found = imported(found)
    assert found.status == ImportStatus.CHECKED
    assert found.problem == "Row 3 (QUENBY, Adrian): risk_level: Refused for the test"
    assert not Nominal.objects.filter(family_name="Ostrander").exists()  # all or nothing


def test_an_import_is_imported_once_and_a_discarded_one_not_at_all(
    world: Any, checked: Any, imported: Any
) -> None:
    found = imported(checked(visor_csv(newcomer())))
    with pytest.raises(ValidationError, match="only a checked import"):
        services.import_commit(actor=world.users["mosovo_supervisor"], register_import=found)
    other = checked(visor_csv(newcomer(**{"ViSOR Ref": "SYN-NEW-9"})))
    services.import_discard(actor=world.users["mosovo_supervisor"], register_import=other)
    other.refresh_from_db()
    assert other.status == ImportStatus.DISCARDED
    assert not StagedRow.objects.filter(register_import=other).exists()
    with pytest.raises(ValidationError):
        services.import_commit(actor=world.users["mosovo_supervisor"], register_import=other)


def test_a_second_import_waits_for_the_first_unless_it_stopped(world: Any, checked: Any) -> None:
    first = checked(visor_csv(newcomer()))
    second = checked(visor_csv(newcomer(**{"ViSOR Ref": "SYN-NEW-8"})))
    job = Job.objects.create(
        force_id=first.force_id, kind="register.import", title="x", status=JobStatus.RUNNING
    )
    RegisterImport.objects.filter(pk=first.pk).update(status=ImportStatus.IMPORTING, import_job=job)
    with pytest.raises(ConflictError, match="is being imported"):
        services.import_commit(actor=world.users["mosovo_supervisor"], register_import=second)
    # its worker died: its transaction rolled back, so it is checked again, and no block
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    services.import_commit(actor=world.users["mosovo_supervisor"], register_import=second)
    first.refresh_from_db()
    assert first.status == ImportStatus.CHECKED
    assert "stopped before it finished" in first.problem


def test_a_new_record_joins_the_team_its_row_names_or_else_the_one_chosen(
    world: Any, checked: Any
) -> None:
    team = Team.objects.get(name="Alpha mosovo")
    data = visor_csv(
        newcomer(**{"Owning Unit": ""}),
        newcomer(**{"ViSOR Ref": "SYN-NEW-2", "Owning Unit": "Nowhere MOSOVO"}),
    )
    without = {r.row: r.faults for r in rows(checked(data), RowAction.FAULT)}
    assert without[2] == [
        {
            "field": "team",
            "column": "Owning Unit",
            "message": "new to Vigil: choose the team new records join, or map the team's column",
        }
    ]
    assert without[3][0]["message"] == "no MOSOVO team of the force is called Nowhere MOSOVO"
    found = checked(data, default_team=team)
    assert [r.row for r in rows(found, RowAction.CREATE)] == [2]
    assert [r.row for r in rows(found, RowAction.FAULT)] == [3]  # a named team is never guessed
