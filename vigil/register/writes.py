"""The register's writes declared once (vigil/writes.py): the upload of an extract, and
its import or discard, each serving its page (vigil/register/urls.py) and its API action
(vigil/register/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.register import services
from vigil.register.api.serializers import (
    ConfirmSerializer,
    ImportUploadSerializer,
    RegisterImportSerializer,
)
from vigil.register.forms import ConfirmForm, ImportUploadForm
from vigil.register.models import RegisterImport
from vigil.writes import Write, declare


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
