"""The register's pages: its imports, one import (its check's progress, its preview by
action, its report) and the rows that failed as a CSV; the reconciliation; the exports for
entry into the register."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.csv_export import csv_response
from vigil.jobs.views import REFRESH_SECONDS
from vigil.people.services import nominals_listed
from vigil.register import selectors, services
from vigil.register.models import ImportStatus, RegisterExport, RegisterImport, RowAction
from vigil.register.reconcile import KINDS, latest_extract, reconciliation

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


REGISTER_VERBS = ("import_register", "reconcile_register", "export_register")


@login_required
@verb_required(*REGISTER_VERBS)
def index(request: HttpRequest) -> HttpResponse:
    """The register: the reconciliation's state for everyone who works it; the extracts for
    those who import them; the exports for those who make them."""
    page = None
    if has_verb(request.user, "import_register"):
        page = Paginator(selectors.import_list(user=request.user), 25).get_page(
            request.GET.get("page")
        )
    extract = latest_extract(_actor(request).force_id)
    return render(
        request,
        "register/index.html",
        {
            "page": page,
            "extract": extract,
            "age_days": (clock.today() - extract.extract_date).days if extract else None,
            "can_reconcile": has_verb(request.user, "reconcile_register"),
            "can_export": has_verb(request.user, "export_register"),
        },
    )


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


MISMATCHES_SHOWN = 50


@login_required
@verb_required("reconcile_register")
def reconciliation_page(request: HttpRequest) -> HttpResponse:
    """The records the user may open beside the latest extract: counts by kind and by team,
    then the mismatches (of a kind, of a team), each with what can be done."""
    found = reconciliation(user=request.user, today=clock.today())
    kind = request.GET.get("kind", "")
    team = request.GET.get("team", "")
    marked = request.GET.get("show") == "marked"
    mismatches = [
        m
        for m in found.mismatches
        if (not kind or m.kind == kind)
        and (not team or m.team == team)
        and ((m.correction is not None) == marked)
    ]
    page = Paginator(mismatches, MISMATCHES_SHOWN).get_page(request.GET.get("page"))
    shown = [m.registration.nominal for m in page.object_list if m.registration is not None]
    nominals_listed(actor=_actor(request), nominals=shown, via="register reconciliation")
    params = "&".join(
        f"{k}={v}"
        for k, v in (("kind", kind), ("team", team), ("show", "marked" if marked else ""))
        if v
    )
    return render(
        request,
        "register/reconciliation.html",
        {
            "found": found,
            "page": page,
            "kind": kind,
            "team": team,
            "marked": marked,
            "kind_label": KINDS.get(kind, kind),
            "params": params,
        },
    )


@login_required
@verb_required("export_register")
def export_list(request: HttpRequest) -> HttpResponse:
    exports = RegisterExport.objects.visible_to(request.user).select_related("made_by")
    page = Paginator(exports, 25).get_page(request.GET.get("page"))
    return render(request, "register/export_list.html", {"page": page})


@login_required
@verb_required("export_register")
def export_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    made = get_visible_or_404(RegisterExport, request.user, pk, related=("made_by",))
    items = services.visible_items(made, request.user)
    header, rows = services.export_table(made, items)
    services.export_seen(actor=_actor(request), register_export=made, items=items, downloaded=False)
    return render(
        request,
        "register/export_detail.html",
        {"made": made, "header": header, "rows": rows, "hidden": len(made.items) - len(items)},
    )


@login_required
@verb_required("export_register")
def export_download(request: HttpRequest, pk: Any) -> HttpResponse:
    made = get_visible_or_404(RegisterExport, request.user, pk)
    items = services.visible_items(made, request.user)
    header, rows = services.export_table(made, items)
    services.export_seen(actor=_actor(request), register_export=made, items=items, downloaded=True)
    return csv_response(f"vigil-register-changes-{made.created_at:%Y-%m-%d-%H%M}.csv", header, rows)
