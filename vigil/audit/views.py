"""The data protection officer's audit log: search, and export as a recorded disclosure."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from vigil.accounts.access import has_verb, verb_required
from vigil.audit.forms import AuditFilterForm
from vigil.audit.models import AuditAction
from vigil.audit.selectors import audit_event_list
from vigil.audit.services import audit_record
from vigil.core.csv_export import csv_response
from vigil.core.forms import DisclosureForm

EXPORT_HEADER = [
    "seq",
    "chain",
    "chain_seq",
    "occurred_at",
    "action",
    "event",
    "actor",
    "object_type",
    "object_id",
    "object",
    "person_id",
    "people",
    "purpose",
    "justification",
    "recipients",
    "changes",
    "detail",
    "request_id",
    "hash",
]


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, dict]:
    form = AuditFilterForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
@verb_required("view_audit")
def event_list(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    events = audit_event_list(user=request.user, filters=filters).select_related()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": has_verb(request.user, "export_audit"),  # type: ignore[arg-type]
        },
    )


@login_required
@verb_required("export_audit")
def event_export(request: HttpRequest) -> HttpResponse:
    filter_form, filters = _filters(request)
    form = DisclosureForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and (not filter_form.is_bound or filter_form.is_valid())
    ):
        events = list(audit_event_list(user=request.user, filters=filters).order_by("seq"))
        recipients = form.recipient_list()
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.DISCLOSURE,
                event="audit.exported",
                recipients=recipients,
                justification=form.cleaned_data["justification"],
                detail={
                    "rows": len(events),
                    "filters": {k: v for k, v in filters.items() if v},
                },
            )
        rows = (
            [
                e.seq,
                e.chain,
                e.chain_seq,
                e.occurred_at.isoformat(),
                e.action,
                e.event,
                e.actor_label,
                e.object_type,
                e.object_id,
                e.object_repr,
                e.person_id or "",
                " ".join(e.people),
                e.purpose,
                e.justification,
                "; ".join(e.recipients),
                e.changes,
                e.detail,
                e.request_id,
                e.hash,
            ]
            for e in events
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return csv_response(f"vigil-audit-{stamp}.csv", EXPORT_HEADER, rows)
    return render(
        request,
        "audit/export.html",
        {"form": form, "filter_form": filter_form, "query": request.GET.urlencode()},
    )
