"""The probation partnership's pages, for both sides: the exchanges to answer and those
raised (each with the one clock), an exchange, the agreement with its joint reviews."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.obligations.models import Obligation
from vigil.probation import selectors, services
from vigil.probation.models import Exchange, JointReview, side_of

TABS = [
    ("inbox", "To answer"),
    ("outbox", "Raised, waiting for an answer"),
    ("answered", "Answered"),
]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@verb_required("view_partnership")
def index(request: HttpRequest) -> HttpResponse:
    agreement = services.agreement_of(_actor(request).force_id)
    if agreement is None:
        return render(
            request,
            "probation/no_agreement.html",
            {"can_manage": has_verb(request.user, "manage_agreement")},
        )
    box = request.GET.get("box", "inbox")
    if box not in selectors.BOXES:
        box = "inbox"
    counts = {
        b: selectors.exchanges_for(user=request.user, agreement=agreement, box=b).count()
        for b, _ in TABS
    }
    found = selectors.exchanges_for(user=request.user, agreement=agreement, box=box)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    listed = list(page.object_list)
    today = clock.today()
    clocks = selectors.clocks(listed, agreement, today)
    side = side_of(request.user, agreement)
    return render(
        request,
        "probation/index.html",
        {
            "agreement": agreement,
            "side": side,
            "box": box,
            "tabs": [(b, label, counts[b]) for b, label in TABS],
            "page": page,
            "rows": [(e, clocks[e.pk]) for e in listed],
            "can_raise": has_verb(request.user, "raise_exchange"),
            "opens_records": has_verb(request.user, "view_nominal"),
        },
    )


@login_required
@verb_required("view_partnership")
def exchange_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    exchange = get_visible_or_404(
        Exchange,
        request.user,
        pk,
        related=("agreement", "registration", "raised_by", "answered_by"),
    )
    services.exchange_viewed(actor=_actor(request), exchange=exchange)
    clock_ = selectors.clocks([exchange], exchange.agreement, clock.today())[exchange.pk]
    side = side_of(request.user, exchange.agreement)
    return render(
        request,
        "probation/exchange_detail.html",
        {
            "exchange": exchange,
            "clock": clock_,
            "side": side,
            "can_answer": exchange.answered_on is None
            and side == exchange.answering_side
            and has_verb(request.user, "raise_exchange"),
            "opens_records": has_verb(request.user, "view_nominal"),
        },
    )


@login_required
@verb_required("view_partnership")
def agreement_page(request: HttpRequest) -> HttpResponse:
    agreement = services.agreement_of(_actor(request).force_id)
    if agreement is None:
        return render(
            request,
            "probation/no_agreement.html",
            {"can_manage": has_verb(request.user, "manage_agreement")},
        )
    today = clock.today()
    reviews = list(agreement.reviews.order_by("-held_on")[:12])
    next_review = (
        Obligation.objects.filter(
            rule_id="probation.review",
            subject_id=agreement.pk,
            met_date__isnull=True,
            withdrawn_at__isnull=True,
        )
        .order_by("due_date")
        .first()
    )
    since = reviews[0].held_on if reviews else agreement.starts_on
    return render(
        request,
        "probation/agreement.html",
        {
            "agreement": agreement,
            "reviews": reviews,
            "next_review": next_review,
            "figures": selectors.partnership_figures(
                agreement=agreement, start=since, end=today, today=today
            ),
            "since": since,
            "can_manage": has_verb(request.user, "manage_agreement"),
            "can_review": has_verb(request.user, "record_joint_review"),
        },
    )


@login_required
@verb_required("view_partnership")
def review_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    review = get_visible_or_404(JointReview, request.user, pk, related=("agreement", "recorded_by"))
    return render(request, "probation/review_detail.html", {"review": review})
