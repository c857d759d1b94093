"""The reconciliation with the register (R9) and the export of Vigil's changes into it
(issue 14): differences by kind and team, each resolved by accepting the register's value or
marking the register for correction; the export a disclosure of what changed since."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vigil.audit.models import AuditAction, AuditEvent
from vigil.offenders.models import Registration
from vigil.people import services as people
from vigil.people.models import Nominal
from vigil.register import reconcile, services
from vigil.register.models import Correction, CorrectionStatus, RegisterExport
from vigil.register.tests.test_import import quenby, visor_csv

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 4)


@pytest.fixture
def extract(world: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """A checked extract in which the register holds Quenby at a lower risk, in another
    team, reactively managed and at another address; Varlowick is not in it; a person the
    force does not hold is."""

    def make(*rows: dict[str, str]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            found = services.import_upload(
                actor=world.users["mosovo_supervisor"],
                file=SimpleUploadedFile("extract.csv", visor_csv(*rows)),
                mapping="visor",
                extract_date=date(2026, 12, 1),
            )
        found.refresh_from_db()
        return found

    return make


def _default(make: Any) -> Any:
    return make(
        quenby(
            Gender="U",
            **{"Notification End Date": "09/01/2034"},
            RoSH="LOW",
            **{"Owning Unit": "Elsewhere MOSOVO", "Management Type": "REACTIVE"},
            **{"Address 1": "9 Other Road"},
        ),
        {**quenby(), "ViSOR Ref": "SYN-UNHELD", "Surname": "Pellow", "Forenames": "Ambrose"},
    )


def test_the_differences_are_listed_by_kind_and_team(world: Any, extract: Any) -> None:
    _default(extract)
    found = reconcile.reconciliation(user=world.users["offender_manager"], today=TODAY)
    assert found.age_days == 3
    kinds = {m.kind: m for m in found.mismatches}
    assert set(kinds) == {"address", "risk_level", "team", "management_mode", "new", "absent"}
    assert (kinds["risk_level"].vigil, kinds["risk_level"].register) == ("High", "Low")
    assert kinds["address"].register == "9 Other Road, Alpha, ZZ99 1AA"
    assert kinds["risk_level"].acceptable
    assert kinds["address"].acceptable
    # a move of team or reactive management is the record's own process, not accepted here
    assert not kinds["team"].acceptable
    assert "transfer" in kinds["team"].elsewhere
    assert not kinds["management_mode"].acceptable
    assert kinds["new"].name == "PELLOW, Ambrose"
    assert kinds["new"].registration is None
    assert kinds["absent"].name == "VARLOWICK, Maud"  # open in Vigil, not in the extract
    # Pellow's row names the team the register holds him in
    assert dict(found.by_team()) == {"Alpha mosovo": 6}
    figures = reconcile.figures(force_id=world.nominal.force_id, today=TODAY)
    assert figures["open"] == 6
    assert figures["by_kind"]["risk_level"] == 1


def test_a_record_the_user_cannot_open_is_not_listed_at_all(world: Any, extract: Any) -> None:
    _default(extract)
    # the excluded officer may not open Varlowick: not "absent", and nothing of hers shown
    found = reconcile.reconciliation(user=world.users["excluded"], today=TODAY)
    assert "VARLOWICK, Maud" not in {m.name for m in found.mismatches}
    # a row of a record someone cannot open is that record's, never "not in Vigil"
    people.nominal_set_limited_access(
        actor=world.users["ocsea_supervisor"],
        nominal=world.nominal,
        limited=True,
        reason="test",
        restricted_to=[world.users["offender_manager"], world.users["mosovo_supervisor"]],
        expected_version=Nominal.objects.get(pk=world.nominal.pk).version,
    )
    found = reconcile.reconciliation(user=world.users["excluded"], today=TODAY)
    assert {m.name for m in found.mismatches} == {"PELLOW, Ambrose"}


def test_accepting_the_registers_value_changes_the_record_through_its_service(
    world: Any, extract: Any
) -> None:
    _default(extract)
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    om = world.users["offender_manager"]
    services.reconcile_accept(actor=om, registration=record, field="risk_level")
    record.refresh_from_db()
    assert record.risk_level == "low"
    assert AuditEvent.objects.filter(event="rso.updated", person_id=record.nominal_id).exists()
    assert AuditEvent.objects.filter(event="register.value_accepted").exists()
    kinds = {m.kind for m in reconcile.reconciliation(user=om, today=TODAY).mismatches}
    assert "risk_level" not in kinds
    with pytest.raises(ValidationError) as refused:
        services.reconcile_accept(actor=om, registration=record, field="risk_level")
    assert refused.value.message_dict["field"] == ["Vigil already holds the register's value"]
    with pytest.raises(ValidationError) as refused:
        services.reconcile_accept(actor=om, registration=record, field="team")
    assert "change it from the record" in refused.value.message_dict["field"][0]


def test_marking_the_register_for_correction_takes_a_note_and_once(
    world: Any, extract: Any
) -> None:
    _default(extract)
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    om = world.users["offender_manager"]
    with pytest.raises(ValidationError) as refused:
        services.correction_mark(actor=om, registration=record, field="address", note=" ")
    assert "note" in refused.value.message_dict
    made = services.correction_mark(
        actor=om, registration=record, field="address", note="Seen at home on 2 Dec (synthetic)"
    )
    assert (made.vigil_value, made.register_value) == (
        "1 Example Street, Alpha, ZZ99 1AA",
        "9 Other Road, Alpha, ZZ99 1AA",
    )
    with pytest.raises(ValidationError, match="already marked"):
        services.correction_mark(actor=om, registration=record, field="address", note="Again")
    found = reconcile.reconciliation(user=om, today=TODAY)
    address = next(m for m in found.mismatches if m.kind == "address")
    assert address.correction == made
    assert not address.acceptable
    assert found.marked_count == 1
    with pytest.raises(ValidationError, match="already holds Vigil's value"):
        services.correction_mark(
            actor=om, registration=record, field="given_names", note="Not different"
        )


def test_the_export_holds_vigils_changes_since_and_is_a_disclosure(
    world: Any, extract: Any
) -> None:
    from vigil.offenders import services as rso

    _default(extract)
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    om, supervisor = world.users["offender_manager"], world.users["mosovo_supervisor"]
    services.correction_mark(
        actor=om, registration=record, field="address", note="Seen at home (synthetic)"
    )
    rso.registration_update(
        actor=om, registration=record, expected_version=record.version, mappa_level=2
    )
    made = services.register_export(actor=supervisor, recipient="The ViSOR bureau")
    items = {item["reference"]: item for item in made.items}
    # Quenby changed in Vigil since the extract: each field that differs, the address marked
    assert items["SYN-QUENBY"]["fields"]["mappa_level"] == 2
    assert items["SYN-QUENBY"]["fields"]["address_line_1"] == "1 Example Street"
    assert items["SYN-QUENBY"]["notes"] == ["Home address: Seen at home (synthetic)"]
    # another exporter sees nothing of a record they are kept out of
    assert "SYN-VARLOWICK" in items
    assert "SYN-VARLOWICK" not in {
        i["reference"] for i in services.visible_items(made, world.users["excluded"])
    }
    assert Correction.objects.get().status == CorrectionStatus.EXPORTED
    event = AuditEvent.objects.get(event="register.exported")
    assert event.action == AuditAction.DISCLOSURE
    assert AuditEvent.objects.about(record.nominal_id).filter(pk=event.pk).exists()

    header, rows = services.export_table(made, made.items)
    assert header[:3] == ["ViSOR Ref", "Surname", "Forenames"]
    row = dict(zip(header, next(r for r in rows if r[0] == "SYN-QUENBY"), strict=True))
    assert row["RoSH"] == "HIGH"  # the register's own spelling of Vigil's value
    assert row["MAPPA Level"] == "2"
    assert row["Note"] == "Home address: Seen at home (synthetic)"

    # nothing sent twice: a second export has nothing new
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.register_export(actor=supervisor, recipient="The ViSOR bureau")


def test_the_pages_reconcile_accept_and_export(world: Any, client_for: Any, extract: Any) -> None:
    _default(extract)
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    om = client_for("offender_manager")
    page = om.get(reverse("register:reconciliation")).content.decode()
    assert "Risk level" in page
    assert "Accept the register's value" in page
    assert "Alpha mosovo" in page
    only = om.get(reverse("register:reconciliation") + "?kind=team").content.decode()
    assert "A move to another team is a transfer" in only
    assert "PELLOW" not in only
    assert AuditEvent.objects.filter(
        event="nominal.listed", detail__via="register reconciliation"
    ).exists()
    from vigil.audit.purpose import remember_purpose

    session = om.session  # the purpose of opening his record, stated once (tested elsewhere)
    remember_purpose(session, [record.nominal_id], "data_quality", "")
    session.save()
    url = reverse("register:accept", kwargs={"pk": record.pk})
    form = om.get(url + "?field=risk_level").content.decode()
    assert 'value="risk_level" selected' in form
    done = om.post(url, {"field": "risk_level"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.risk_level == "low"

    supervisor = client_for("mosovo_supervisor")
    made = supervisor.post(reverse("register:export-create"), {"recipient": "ViSOR bureau"})
    assert made.status_code == 302
    export = RegisterExport.objects.get()
    detail = supervisor.get(made["Location"]).content.decode()
    assert "Download (CSV)" in detail
    download = supervisor.get(reverse("register:export-download", kwargs={"pk": export.pk}))
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert table[0][0] == "ViSOR Ref"
    assert AuditEvent.objects.filter(
        event="register.export_downloaded", action=AuditAction.DISCLOSURE
    ).exists()


def test_importing_an_older_extract_keeps_the_latest_ones_rows(
    world: Any, extract: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from vigil.register.models import StagedRow

    latest = _default(extract)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(actor=world.users["mosovo_supervisor"], register_import=latest)
    with django_capture_on_commit_callbacks(execute=True):
        older = services.import_upload(
            actor=world.users["mosovo_supervisor"],
            file=SimpleUploadedFile("old.csv", visor_csv(quenby())),
            mapping="visor",
            extract_date=date(2026, 11, 1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.import_commit(actor=world.users["mosovo_supervisor"], register_import=older)
    assert reconcile.latest_extract(world.nominal.force_id) == latest
    assert StagedRow.objects.filter(register_import=latest).exists()
    # a day gone had the extract dated by then: the scorecard's age of a month gone
    from vigil.assurance.metrics import Period, Unit, _metrics

    assert reconcile.latest_extract(world.nominal.force_id, on=date(2026, 11, 30)) == older
    age = _metrics["r9.extract_age_days"].read(
        Unit(world.nominal.force_id), Period.of_month(date(2026, 11, 1)), date(2026, 11, 30)
    )
    assert age.numerator == 29  # 1 to 30 November, not a negative age from 1 December's


def test_only_the_fields_changed_in_vigil_since_the_extract_are_sent(
    world: Any, extract: Any
) -> None:
    """The world's records were made before this extract (moved a day ahead here): of
    Quenby's differences, only the MAPPA level changed in Vigil after it is sent."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from vigil.core import clock
    from vigil.offenders import services as rso
    from vigil.register.models import RegisterImport

    found = _default(extract)
    later = clock.today() + timedelta(days=1)
    RegisterImport.objects.filter(pk=found.pk).update(extract_date=later)
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    with clock.frozen(timezone.make_aware(datetime.combine(later, time(12)))):
        rso.registration_update(
            actor=world.users["offender_manager"],
            registration=record,
            expected_version=record.version,
            mappa_level=2,
        )
        items = services.export_items(
            actor=world.users["mosovo_supervisor"], extract=RegisterImport.objects.get(pk=found.pk)
        )
    (quenby_item,) = [i for i in items if i["reference"] == "SYN-QUENBY"]
    # the register's lower risk, other team and address differ too, but Vigil did not change
    # them since: they are the reconciliation's, not the export's
    assert quenby_item["fields"] == {"mappa_level": 2}
