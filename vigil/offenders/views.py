"""Pages for RSO management: the caseload, the RSO record with its timeline and open
obligations, recording a visit (phone-sized), ARMS and RMPs, supervisor reviews, and the
authorisation and assessment of non-compliant visits."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.obligations.registry import decision_sections
from vigil.obligations.views import decision_queue_page
from vigil.offenders import selectors
from vigil.offenders.models import (
    Registration,
    Transfer,
    TransferStatus,
)
from vigil.people import services as people_services
from vigil.people.consultation import consult
from vigil.people.forms import SearchForm
from vigil.policy.pack import active as active_policy


@login_required
@verb_required("manage_rso", "review_rso_work")
def rso_list(request: HttpRequest) -> HttpResponse:
    """The register: the user's caseload, their teams' or the force's; searched by name,
    alias, identifier, postcode or register reference (a search looks through the whole
    force unless a narrower scope is chosen), each search audited as People's is."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    scope = request.GET.get("scope") or ("all" if query else "mine")
    if scope not in ("mine", "team", "all"):
        scope = "mine"
    registrations = selectors.caseload(
        user=request.user, scope=scope, today=clock.today(), query=query
    )
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    shown = [r.nominal for r in page.object_list]
    if query:
        people_services.nominal_searched(
            actor=_actor(request),
            query=query,
            result_count=page.paginator.count,
            shown=shown,
            via="rso register",
        )
    else:
        people_services.nominals_listed(actor=_actor(request), nominals=shown, via="caseload")
    return render(
        request,
        "offenders/rso_list.html",
        {
            "page": page,
            "scope": scope,
            "today": clock.today(),
            "form": form,
            "query": query,
        },
    )


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # @login_required has run


def _registration(request: HttpRequest, pk: Any) -> Registration:
    registration = get_visible_or_404(Registration, request.user, pk)
    return registration


@login_required
@verb_required("manage_rso", "review_rso_work")
def rso_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    registration = _registration(request, pk)
    if asked := consult(request, registration.nominal, "rso record"):
        return asked
    user: Any = request.user
    return render(
        request,
        "offenders/rso_detail.html",
        {
            "rso": registration,
            "today": clock.today(),
            "obligations": selectors.open_obligations(registration),
            "timeline": selectors.timeline(registration),
            "can_manage": has_verb(user, "manage_rso"),
            "can_raise_exchange": has_verb(user, "raise_exchange"),
            "can_review": has_verb(user, "review_rso_work"),
            "can_authorise": has_verb(user, "authorise_visit"),
            "can_assess": has_verb(user, "assess_visit_authorisation"),
            "can_decide_reactive": has_verb(user, "authorise_reactive"),
            "can_transfer": has_verb(user, "transfer_rso"),
            "can_determine": has_verb(user, "determine_indefinite_review"),
            "warrant_visit": selectors.warrant_flag(registration),
            "notification_ends": registration.notification_ends(active_policy()),
            "review": registration.indefinite_review_eligibility(active_policy()),
            "pattern": selectors.visit_pattern(registration, active_policy()),
            "pending_transfer": registration.transfers.filter(
                status=TransferStatus.PENDING
            ).first(),
        },
    )


@login_required
@verb_required("manage_rso", "transfer_rso")
def transfer_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    transfers = (
        Transfer.objects.visible_to(actor)
        .exclude(from_force=F("to_force"))
        .select_related("registration__nominal", "from_force", "to_force", "from_team", "to_team")
    )
    incoming = [t for t in transfers if t.to_force_id == actor.force_id]
    outgoing = [t for t in transfers if t.from_force_id == actor.force_id]
    people_services.nominals_listed(
        actor=actor, nominals=[t.registration.nominal for t in transfers], via="transfers"
    )
    return render(
        request,
        "offenders/transfer_list.html",
        {
            "incoming": incoming,
            "outgoing": outgoing,
            "can_accept": has_verb(actor, "transfer_rso"),
        },
    )


@login_required
@verb_required(*sorted({d.verb for d in decision_sections("rso")}))
def supervisor_queue(request: HttpRequest) -> HttpResponse:
    """The decisions on RSO work that fall to a supervisor or manager (`registry.decides`)."""
    actor = _actor(request)
    return decision_queue_page(
        request,
        queue="rso",
        title="Supervisor queue",
        intro="The decisions on RSO work that fall to you: reviews within a month, "
        "authorisations of announced or single-officer visits, warrant decisions and the "
        "assessment of authorisations. Earliest due first.",
        incoming_transfers=Transfer.objects.filter(
            to_force_id=actor.force_id, status=TransferStatus.PENDING
        ).count()
        if has_verb(actor, "transfer_rso")
        else None,
    )
