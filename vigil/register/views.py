"""The register's pages: its imports, one import (its check's progress, its preview by
action, its report) and the rows that failed as a CSV."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core.csv_export import csv_response
from vigil.jobs.views import REFRESH_SECONDS
from vigil.register import selectors, services
from vigil.register.models import ImportStatus, RegisterImport, RowAction

ROWS_SHOWN = 50
# the preview's tabs, in the order a person reads them
TABS = [
    (RowAction.CREATE, "New"),
    (RowAction.UPDATE, "To update"),
    (RowAction.FAULT, "Not imported"),
    (RowAction.WITHHELD, "Withheld"),
    (RowAction.SAME, "No change"),
]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@verb_required("import_register")
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.import_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "register/index.html", {"page": page})


@login_required
@verb_required("import_register")
def import_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    found = get_visible_or_404(
        RegisterImport,
        request.user,
        pk,
        related=("uploaded_by", "imported_by", "default_team", "check_job", "import_job"),
    )
    tabs = [(a, label, found.count(a)) for a, label in TABS]
    action = request.GET.get("show") or next((a for a, _, n in tabs if n), RowAction.CREATE)
    if action not in RowAction.values:
        action = RowAction.CREATE
    page = None
    shown: list[dict[str, Any]] = []
    if found.status in (ImportStatus.CHECKED, ImportStatus.IMPORTING, ImportStatus.IMPORTED):
        rows = selectors.import_rows(user=request.user, register_import=found, action=action)
        page = Paginator(rows, ROWS_SHOWN).get_page(request.GET.get("page"))
        listed = list(page.object_list)
        shown = selectors.shown_rows(user=request.user, rows=listed)
        if listed:
            services.import_viewed(actor=_actor(request), register_import=found, shown=listed)
    working = found.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING)
    return render(
        request,
        "register/import_detail.html",
        {
            "found": found,
            "job": found.check_job if found.status == ImportStatus.CHECKING else found.import_job,
            "tabs": tabs,
            "action": action,
            "page": page,
            "shown": shown,
            "refresh": REFRESH_SECONDS if working else None,
            "can_import": has_verb(request.user, "import_register"),
        },
    )


@login_required
@verb_required("import_register")
def failed_rows(request: HttpRequest, pk: Any) -> HttpResponse:
    found = get_visible_or_404(RegisterImport, request.user, pk)
    header, rows = services.failed_rows(found)
    services.failed_rows_exported(actor=_actor(request), register_import=found, rows=len(rows))
    stem = found.filename.rsplit(".", 1)[0]
    return csv_response(f"{stem}-not-imported.csv", header, rows)
