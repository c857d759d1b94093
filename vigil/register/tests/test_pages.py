"""The register's pages and API for an import (issue 14): upload with a file, the check's
progress, the preview by what importing does (Vigil's values only for a record the user may
open), the rows not imported as CSV (an audited export), import and discard."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from vigil.audit.models import AuditAction, AuditEvent
from vigil.offenders.models import Registration
from vigil.register.models import ImportStatus, RegisterImport
from vigil.register.tests.test_import import newcomer, quenby, visor_csv

pytestmark = pytest.mark.django_db


def _upload(client: Any, data: bytes, **fields: Any) -> Any:
    return client.post(
        reverse("register:import-create"),
        {
            "file": SimpleUploadedFile("extract.csv", data),
            "mapping": "visor",
            "extract_date_day": "1",
            "extract_date_month": "12",
            "extract_date_year": "2026",
            **fields,
        },
    )


def test_the_page_flow_uploads_checks_previews_and_imports(
    world: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("mosovo_supervisor")
    form = client.get(reverse("register:import-create"))
    assert b'enctype="multipart/form-data"' in form.content
    assert b"govuk-file-upload" in form.content
    data = visor_csv(
        quenby(RoSH="VERY HIGH"), newcomer(), newcomer(**{"ViSOR Ref": "SYN-2", "RoSH": "HUGE"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, data)
    found = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("register:import-detail", kwargs={"pk": found.pk})
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Checked: ready to import" in html
    assert "New (1)" in html
    assert "To update (1)" in html
    assert "Not imported (1)" in html
    assert "OSTRANDER, Fenwick" in html  # the first tab with rows: the new
    update = client.get(response["Location"] + "?show=update").content.decode()
    assert "Risk level</strong>: High → Very high" in update
    record = Registration.objects.get(register_reference="SYN-QUENBY")
    assert reverse("offenders:rso-detail", kwargs={"pk": record.pk}) in update
    listed = AuditEvent.objects.about(record.nominal_id).filter(event="nominal.listed")
    assert listed.filter(detail__via="register import").exists()  # a record shown is consulted
    faults = client.get(response["Location"] + "?show=fault").content.decode()
    assert "“HUGE” is not a risk level the mapping knows" in faults

    csv_response = client.get(reverse("register:import-failed-rows", kwargs={"pk": found.pk}))
    table = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert table[0][0] == "Row"
    assert table[0][-1] == "What is wrong"
    assert table[1][0] == "4"
    assert "HUGE" in table[1]
    assert "RoSH: “HUGE” is not a risk level" in table[1][-1]
    assert AuditEvent.objects.filter(
        event="register.failed_rows_exported", action=AuditAction.DISCLOSURE
    ).exists()

    confirm = client.get(reverse("register:import-commit", kwargs={"pk": found.pk}))
    assert "1 person added to the register" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("register:import-commit", kwargs={"pk": found.pk}))
    assert done.status_code == 302
    found.refresh_from_db()
    assert found.status == ImportStatus.IMPORTED
    assert "1 added, 1 updated" in client.get(done["Location"]).content.decode()


def test_a_refused_upload_says_why_on_the_file_field(world: Any, client_for: Any) -> None:
    response = _upload(client_for("mosovo_supervisor"), b"%PDF-1.4 not a spreadsheet")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_file"' in html  # the error summary links to the field
    assert "PDF" in html
    assert not RegisterImport.objects.exists()


def test_the_api_uploads_a_file_and_shows_the_rows(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.test import Client

    token = Token.objects.create(user=world.users["mosovo_supervisor"])
    client = Client(headers={"Authorization": f"Token {token.key}"})
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            reverse("api:register-import-list"),
            {
                "file": SimpleUploadedFile("extract.csv", visor_csv(quenby(RoSH="LOW"))),
                "mapping": "visor",
                "extract_date": "2026-12-01",
            },
        )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    detail = client.get(reverse("api:register-import-detail", kwargs={"pk": pk})).json()
    assert detail["status"] == "checked"
    assert detail["counts"]["update"] == 1
    rows = client.get(reverse("api:register-import-rows", kwargs={"pk": pk}), {"action": "update"})
    (row,) = rows.json()["results"]
    assert row["changes"] == [
        {"field": "risk_level", "label": "Risk level", "vigil": "High", "register": "Low"}
    ]
    bad = client.get(reverse("api:register-import-rows", kwargs={"pk": pk}), {"action": "x"})
    assert bad.status_code == 400
    assert "action" in bad.json()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(reverse("api:register-import-import", kwargs={"pk": pk}))
    assert queued.status_code == 200
    assert (
        client.get(reverse("api:register-import-detail", kwargs={"pk": pk})).json()["report"][
            "updated"
        ]
        == 1
    )
    again = client.post(reverse("api:register-import-import", kwargs={"pk": pk}))
    assert again.status_code == 400
    assert "only a checked import" in again.content.decode()
