"""The register's writes declared once (vigil/writes.py): the upload of an extract, and
its import or discard, each serving its page (vigil/register/urls.py) and its API action
(vigil/register/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.offenders.models import Registration
from vigil.register import services
from vigil.register.api.serializers import (
    ConfirmSerializer,
    CorrectionInputSerializer,
    CorrectionSerializer,
    ExportInputSerializer,
    FieldSerializer,
    ImportUploadSerializer,
    RegisterExportSerializer,
    RegisterImportSerializer,
    RegistrationVersionSerializer,
)
from vigil.register.forms import (
    AcceptForm,
    ConfirmForm,
    CorrectionForm,
    ExportForm,
    ImportUploadForm,
)
from vigil.register.models import RegisterImport
from vigil.writes import Write, WritePage, declare


class FieldPage(WritePage):
    """A reconciliation's write opened for one field (`?field=risk_level`), from its row."""

    def get_form(self) -> Any:
        form = super().get_form()
        asked = self.request.GET.get("field", "")
        choices: Any = form.fields["field"]
        if self.request.method == "GET" and asked in dict(choices.choices):
            form.initial["field"] = asked
        return form


def _import_page(found: Any) -> str:
    return reverse("register:import-detail", kwargs={"pk": found.pk})


UPLOAD = declare(
    Write(
        name="register.upload",
        title="Upload a register extract",
        help="A ViSOR or MAPPS extract (multipart: `file`, and `mapping_file` for your own "
        "mapping), refused naming the field when its header shows it cannot be imported. "
        "Every row is then checked in the background: the import's `status` is `checking` "
        "until it is `checked` (or `unreadable`, saying why), its `counts` say what "
        "importing it would do and `rows/` shows each row.",
        verbs=("import_register",),
        subject=None,
        subject_arg="",
        service=services.import_upload,
        form=ImportUploadForm,
        serializer=ImportUploadSerializer,
        response=RegisterImportSerializer,
        form_kwargs=lambda nothing, user: {"user": user},
        success="The extract was uploaded: its rows are being checked.",
        button="Upload and check",
        people=lambda nothing: [],
        back=lambda nothing: reverse("register:index"),
        then=_import_page,
        page="register:import-create",
        api="api:register-import-list",
    )
)

IMPORT = declare(
    Write(
        name="register.import",
        title="Import the extract",
        help="Queues the import of a checked extract: its new records and updates are made "
        "through the services in one transaction, all or none. If any record changed since "
        "the check so that a row would be imported differently, nothing is imported and the "
        "import's `problem` says which rows.",
        verbs=("import_register",),
        subject=RegisterImport,
        subject_arg="register_import",
        action="change",
        service=services.import_commit,
        form=ConfirmForm,
        serializer=ConfirmSerializer,
        response=RegisterImportSerializer,
        creates=False,
        context=lambda found: {"found": found},
        template="register/import_confirm.html",
        heading=lambda found: f"Import {found.filename}",
        success="The import was queued: this page shows when it is done.",
        button="Import",
        people=lambda found: [],
        back=_import_page,
        page="register:import-commit",
        api="api:register-import-import",
    )
)

DISCARD = declare(
    Write(
        name="register.discard",
        title="Discard the extract",
        help="Discards a checked or unreadable import; its staged rows are deleted.",
        verbs=("import_register",),
        subject=RegisterImport,
        subject_arg="register_import",
        action="change",
        service=services.import_discard,
        form=ConfirmForm,
        serializer=ConfirmSerializer,
        response=RegisterImportSerializer,
        creates=False,
        context=lambda found: {"found": found},
        template="register/import_confirm.html",
        heading=lambda found: f"Discard {found.filename}",
        success="The extract was discarded.",
        button="Discard",
        people=lambda found: [],
        back=_import_page,
        then=lambda found: reverse("register:index"),
        page="register:import-discard",
        api="api:register-import-discard",
    )
)


def _reconciliation_page(anything: Any) -> str:
    return reverse("register:reconciliation")


ACCEPT = declare(
    Write(
        name="register.accept",
        title="Accept the register's value",
        help="Brings one field of the record to the latest extract's value, through the "
        "service that changes it (as the import would): the name, date of birth, sex, home "
        "address, risk level, offender manager, MAPPA or the date they came into the "
        "community. Another field is changed from the record by its own process.",
        verbs=("reconcile_register",),
        subject=Registration,
        subject_arg="registration",
        related=("nominal",),
        service=services.reconcile_accept,
        form=AcceptForm,
        serializer=FieldSerializer,
        response=RegistrationVersionSerializer,
        creates=False,
        heading=lambda registration: f"Accept the register's value for {registration.nominal}",
        view=FieldPage,
        success="The register's value was accepted.",
        button="Accept the register's value",
        people=lambda registration: [registration.nominal],
        back=_reconciliation_page,
        page="register:accept",
        api="api:register-record-accept",
    )
)

CORRECTION = declare(
    Write(
        name="register.correction",
        title="Mark the register for correction",
        help="Vigil holds the right value and the register the wrong one: the difference is "
        "marked, with a note, and goes with the next export into the register.",
        verbs=("reconcile_register",),
        subject=Registration,
        subject_arg="registration",
        related=("nominal",),
        service=services.correction_mark,
        form=CorrectionForm,
        serializer=CorrectionInputSerializer,
        response=CorrectionSerializer,
        heading=lambda registration: f"Mark the register for correction: {registration.nominal}",
        view=FieldPage,
        success="Marked for correction: it goes with the next export.",
        button="Mark for correction",
        people=lambda registration: [registration.nominal],
        back=_reconciliation_page,
        page="register:correction",
        api="api:register-record-correction",
    )
)

EXPORT = declare(
    Write(
        name="register.export",
        title="Export Vigil's changes for the register",
        help="Vigil's changes since the last export, of the records you may open, for entry "
        "into the register: each field where Vigil differs from the latest extract and the "
        "record was changed in Vigil since it was taken, each difference marked for "
        "correction, each registration the register lacks. A disclosure, audited naming "
        "each person; download it at /api/v1/register/exports/{id}/csv/.",
        verbs=("export_register",),
        subject=None,
        subject_arg="",
        service=services.register_export,
        form=ExportForm,
        serializer=ExportInputSerializer,
        response=RegisterExportSerializer,
        success="The export was made: download it for the register's bureau.",
        button="Make the export",
        people=lambda nothing: [],
        back=lambda nothing: reverse("register:export-list"),
        then=lambda made: reverse("register:export-detail", kwargs={"pk": made.pk}),
        page="register:export-create",
        api="api:register-export-list",
    )
)
