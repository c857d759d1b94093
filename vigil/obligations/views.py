"""My work, the team worklist (with its audited export), the risk level x overdue band
table, supervisors' decision queues, obligation detail (why it is due, waiver) and
escalations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.access import get_visible_or_404, verb_required
from vigil.accounts.navigation import landing_for
from vigil.core import clock
from vigil.core.csv_export import csv_response
from vigil.core.forms import DisclosureForm
from vigil.obligations import registry, selectors, services
from vigil.obligations.forms import WorklistFilterForm
from vigil.obligations.models import Obligation
from vigil.obligations.presentation import status_view
from vigil.obligations.status import days_overdue, statuses
from vigil.policy.pack import active as active_policy


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """The user's own work: overdue first (by risk, then how overdue), then due soon. A role
    with no caseload (the DPO, PCC assurance, the system administrator) is sent on to its
    own page rather than told it has nothing due."""
    user: Any = request.user
    landing = landing_for(user)
    if landing != "obligations:my-work":
        return redirect(landing)
    today = clock.today()
    work = selectors.my_work(user=user, today=today)
    shown = [*work["overdue"], *work["due_soon"], *work["waiting"]]
    if shown:
        services.obligations_listed(actor=user, obligations=shown, via="my work")
    escalations_waiting = selectors.escalation_list(user=user).count()
    window = active_policy()["obligations.due_soon_days"]
    return render(
        request,
        "obligations/my_work.html",
        {
            "today": today,
            "overdue": work["overdue"],
            "due_soon": work["due_soon"],
            "waiting": work["waiting"],
            "waiting_count": work["waiting_count"],
            "waiting_count_text": str(work["waiting_count"]),
            "escalations_waiting": escalations_waiting,
            "due_soon_days": window,
            "due_soon_caption": f"Due in the next {window} days",
        },
    )


def _worklist(request: HttpRequest) -> tuple[WorklistFilterForm, Any, Any]:
    user: Any = request.user
    form = WorklistFilterForm(request.GET or None, user=user)
    filters = form.filters()
    today = clock.today()
    return form, filters, selectors.team_worklist(user=user, filters=filters, today=today)


@login_required
@verb_required("view_team_work")
def team_worklist(request: HttpRequest) -> HttpResponse:
    form, filters, obligations = _worklist(request)
    page = Paginator(obligations, 50).get_page(request.GET.get("page"))
    services.obligations_listed(
        actor=request.user,  # type: ignore[arg-type]
        obligations=list(page.object_list),
        via="team worklist",
    )
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    unnarrowed = query.copy()  # the same filters without a dashboard figure's rules
    unnarrowed.pop("rules", None)
    return render(
        request,
        "obligations/team_worklist.html",
        {
            "form": form,
            "filters": filters,
            "showing": selectors.showing(request.user, filters),
            "page": page,
            "today": clock.today(),
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "unnarrowed": unnarrowed.urlencode(),
        },
    )


@login_required
@verb_required("view_team_work")
def team_worklist_export(request: HttpRequest) -> HttpResponse:
    filter_form, filters, obligations = _worklist(request)
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        today = clock.today()
        rows = list(obligations[:20000])
        services.worklist_exported(
            actor=request.user,  # type: ignore[arg-type]
            obligations=rows,
            recipients=form.recipient_list(),
            justification=form.cleaned_data["justification"],
            filters={k: v for k, v in filters.__dict__.items() if v},
        )
        labels = dict(statuses())
        return csv_response(
            f"vigil-worklist-{timezone.localtime():%Y%m%d-%H%M}.csv",
            [
                "subject",
                "what is due",
                "kind",
                "due date",
                "due time",
                "status",
                "days overdue",
                "risk",
                "team",
                "owner",
                "rule",
                "policy version",
                "met date",
            ],
            (
                [
                    o.subject_label,
                    o.label,
                    o.kind,
                    o.due_date.isoformat(),
                    f"{timezone.localtime(o.due_at):%H:%M}" if o.due_at else "",
                    labels[status_view(o, today).code],
                    days_overdue(o, today),
                    o.risk_level,
                    o.owner_team.name,
                    o.owner_user.username if o.owner_user else "",
                    o.rule_id,
                    o.policy_version_id[:12],
                    o.met_date.isoformat() if o.met_date else "",
                ]
                for o in rows
            ),
        )
    return render(
        request,
        "obligations/export.html",
        {"form": form, "filter_form": filter_form, "query": request.GET.urlencode()},
    )


@login_required
@verb_required("view_team_work")
def risk_bands(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = WorklistFilterForm(request.GET or None, user=user)
    filters = form.filters()
    bands, rows, totals = selectors.risk_band_table(user=user, filters=filters, today=clock.today())
    query = request.GET.copy()
    for name in ("status", "risk", "page"):
        query.pop(name, None)
    return render(
        request,
        "obligations/risk_bands.html",
        {
            "form": form,
            "bands": bands,
            "rows": rows,
            "totals": totals,
            "heat_max": max((c.count for r in rows for c in r.cells), default=0),
            "query": query.urlencode(),
            "showing": selectors.showing(user, filters),
        },
    )


@login_required
@verb_required("view_team_work")
def team_table(request: HttpRequest) -> HttpResponse:
    """The force's open and overdue work by team: counts only, each linking to the work."""
    user: Any = request.user
    form = WorklistFilterForm(request.GET or None, user=user)
    kind = form.filters().kind
    bands, rows = selectors.team_table(user=user, kind=kind, today=clock.today())
    return render(
        request,
        "obligations/team_table.html",
        {"form": form, "bands": bands, "rows": rows, "kind": kind},
    )


@login_required
@verb_required("view_nominal")
def obligation_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """One obligation: what is due, by when, and why (the rule and the policy behind it)."""
    obligation = get_visible_or_404(Obligation, request.user, pk)
    user: Any = request.user
    services.obligations_listed(actor=user, obligations=[obligation], via="obligation page")
    pack = active_policy()
    policy_rules = [pack.rule(k) for k in obligation.policy_keys if k in pack.rules]
    return render(
        request,
        "obligations/obligation_detail.html",
        {
            "obligation": obligation,
            "today": clock.today(),
            "policy_rules": policy_rules,
            "policy_is_current": obligation.policy_version_id == pack.version,
            "escalations": list(obligation.escalations.order_by("raised_on")),
            "can_waive": obligation.met_date is None
            and obligation.waived_at is None
            and services.may_waive(user, obligation),
        },
    )


@login_required
@verb_required("act_on_escalations")
def escalation_list(request: HttpRequest) -> HttpResponse:
    """The user's escalations by group (rung, team, kind of work, reason: counts, no names),
    each group opening on its escalations, one by one, with their acknowledgement together
    (ADR 20)."""
    show_all = request.GET.get("show") == "all"
    user: Any = request.user
    group = selectors.EscalationFilters(
        **{name: request.GET.get(name, "") for name in ("rung", "team", "kind", "reason")}
    )
    groups = selectors.escalation_groups(user=user, open_only=not show_all)
    context: dict[str, Any] = {"today": clock.today(), "show_all": show_all, "groups": groups}
    if group:
        escalations = selectors.in_group(
            selectors.escalation_list(user=user, open_only=not show_all), group
        )
        page = Paginator(escalations, 50).get_page(request.GET.get("page"))
        services.obligations_listed(
            actor=user, obligations=[e.obligation for e in page.object_list], via="escalations"
        )
        chosen = request.GET.copy()
        chosen.pop("page", None)
        context |= {
            "page": page,
            "group": group.among(groups),
            "query": chosen.urlencode(),
        }
    return render(request, "obligations/escalations.html", context)


def decision_queue_page(
    request: HttpRequest, *, queue: str, title: str, intro: str, **context: Any
) -> HttpResponse:
    """A supervisor's queue of decisions (a domain's `registry.decides`), one section shown
    at a time, each decision linked to the page that makes it. The domains' views serve it at
    their own addresses (/rso/queue/, /ocsea/decisions/) with what else their page says."""
    user: Any = request.user
    today = clock.today()
    sections = selectors.decision_queue(user=user, today=today, queue=queue)
    shown = sections.get(request.GET.get("section", "")) or next(
        (s for s in sections.values() if s.items), next(iter(sections.values()), None)
    )
    if shown is not None:
        for obligation in shown.items:
            found = registry.action_for(obligation.rule_id)
            obligation.action_url = (  # type: ignore[attr-defined]
                found.url(obligation)
                if found is not None
                else reverse("obligations:obligation-detail", kwargs={"pk": obligation.pk})
            )
        services.obligations_listed(actor=user, obligations=shown.items, via=title.lower())
    return render(
        request,
        "obligations/decision_queue.html",
        {
            "sections": sections,
            "shown": shown,
            "today": today,
            "title": title,
            "intro": intro,
            **context,
        },
    )
