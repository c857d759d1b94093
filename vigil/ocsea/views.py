"""Pages for OCSEA: the triage queue, the investigations list (with the supervisor's oversight
of those owned elsewhere), the bail dashboard by local policing area, the referral record
with its clock, open work and timeline, and a bail. What people record on them is declared
in vigil/ocsea/writes.py.

Every record is found through `Referral.objects.visible_to(user)` (a 404 otherwise); every
page that shows a suspect asks the user's purpose and logs a consultation; lists log the
people they show."""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.models import Area
from vigil.obligations.registry import decision_sections
from vigil.obligations.views import decision_queue_page
from vigil.ocsea import selectors
from vigil.ocsea.models import (
    Bail,
    Referral,
)
from vigil.ocsea.rules import bail_periods
from vigil.people import services as people_services
from vigil.people.consultation import consult
from vigil.people.forms import SearchForm
from vigil.people.models import Nominal
from vigil.policy.pack import active as active_policy

VIEW = ("view_ocsea",)
# Where each record hangs from its referral: a record is found only within a visible one.


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # @login_required has run


def _referral(request: HttpRequest, pk: Any) -> Referral:
    return get_visible_or_404(Referral, request.user, pk)


def _within(request: HttpRequest, model: type[Model], pk: Any) -> Any:
    return get_visible_or_404(model, request.user, pk)


def _consult(request: HttpRequest, referral: Referral, via: str) -> HttpResponse | None:
    """The referral names its suspects: the user's purpose for them (one question for all),
    and a consultation of each."""
    return consult(request, [s.nominal for s in referral.suspects.select_related("nominal")], via)


def _listed(request: HttpRequest, nominals: list[Nominal], via: str) -> None:
    people_services.nominals_listed(actor=_actor(request), nominals=nominals, via=via)


# --- Lists ------------------------------------------------------------------------------------


@login_required
@verb_required(*VIEW)
def triage_queue(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.triage_queue(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    _listed(
        request, [s.nominal for r in page.object_list for s in r.suspects.all()], "triage queue"
    )
    links = [r.linked_to_id for r in page.object_list if r.linked_to_id]
    openable = set(
        Referral.objects.visible_to(request.user).filter(pk__in=links).values_list("pk", flat=True)
    )
    return render(
        request,
        "ocsea/triage_queue.html",
        {
            "page": page,
            "openable": openable,
            "today": clock.today(),
            "can_receive": has_verb(request.user, "triage_referral"),
        },
    )


@login_required
@verb_required(*VIEW)
def investigation_list(request: HttpRequest) -> HttpResponse:
    """Open investigations by whose they are; or every referral (closed ones too) found by
    reference, source reference or a suspect's name, alias, identifier or postcode, each
    search audited as People's is."""
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    scope = request.GET.get("scope") or ("all" if query else "mine")
    if scope not in selectors.SCOPES:
        scope = "mine"
    referrals = selectors.investigations(
        user=request.user, scope=scope, today=clock.today(), query=query
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    shown = [s.nominal for r in page.object_list for s in r.suspects.all()]
    if query:
        people_services.nominal_searched(
            actor=request.user,  # type: ignore[arg-type]
            query=query,
            result_count=page.paginator.count,
            shown=list(dict.fromkeys(shown)),
            via="referral search",
        )
    else:
        _listed(request, shown, "investigations")
    return render(
        request,
        "ocsea/investigation_list.html",
        {"page": page, "scope": scope, "today": clock.today(), "query": query},
    )


@login_required
@verb_required(*VIEW)
def bail_dashboard(request: HttpRequest) -> HttpResponse:
    """Everyone on bail or released under investigation, and a chart of the bail periods
    ending each week for the next quarter."""
    user: Any = request.user
    areas = Area.objects.filter(force_id=user.force_id)
    area = None
    with suppress(KeyError, ValueError):  # no area, or not an id: every area
        area = areas.filter(pk=uuid.UUID(request.GET["area"])).first()
    kind = request.GET.get("kind", "")
    pack = active_policy()
    rows = selectors.bail_dashboard(
        user=user,
        today=clock.today(),
        pack=pack,
        area_id=area.pk if area else None,
        kind=kind,
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    _listed(request, [row.bail.suspect.nominal for row in page.object_list], "bail dashboard")
    return render(
        request,
        "ocsea/bail_dashboard.html",
        {
            "rows": page.object_list,
            "page": page,
            "total": len(rows),
            "params": "&".join(
                f"{k}={v}" for k, v in (("area", area.pk if area else ""), ("kind", kind)) if v
            ),
            "areas": areas,
            "area": area,
            "kind": kind,
            "expired": rows.expired,
            # the chart looks as far ahead as an initial bail period runs (3 months: 13 weeks)
            "by_week": rows.ending_by_week(-(-pack["bail.initial_period_months"] * 13 // 3)),
            "today": clock.today(),
        },
    )


@login_required
@verb_required(*sorted({d.verb for d in decision_sections("ocsea")}))
def decision_queue(request: HttpRequest) -> HttpResponse:
    """The decisions on OCSEA work that fall to a supervisor (`registry.decides`):
    ratifications of decisions not to arrest, oversight of investigations other teams hold,
    referrals waiting for triage."""
    return decision_queue_page(
        request,
        queue="ocsea",
        title="OCSEA decisions",
        intro="The decisions on OCSEA work that fall to you: decisions not to arrest to "
        "ratify, oversight reviews of investigations other teams hold, and referrals waiting "
        "for triage. Earliest due first.",
    )


# --- The referral -----------------------------------------------------------------------------


@login_required
@verb_required(*VIEW)
def referral_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral(request, pk)
    if asked := _consult(request, referral, "ocsea referral"):
        return asked
    user: Any = request.user
    pack = active_policy()
    bails = list(
        Bail.objects.filter(suspect__referral=referral)
        .select_related("suspect__nominal", "area")
        .prefetch_related("extensions", "conditions", "checks")
    )
    return render(
        request,
        "ocsea/referral_detail.html",
        {
            "referral": referral,
            "suspects": referral.suspects.select_related("nominal"),
            "children": referral.children.all(),
            "enforcements": referral.enforcements.prefetch_related("family").select_related(
                "support_organisation", "leaflet"
            ),
            "bails": [(bail, bail_periods(bail, pack)) for bail in bails],
            "clock": selectors.referral_clock(referral, pack),
            "obligations": selectors.open_obligations(referral),
            "timeline": selectors.timeline(referral),
            "today": clock.today(),
            "can_triage": has_verb(user, "triage_referral"),
            "can_investigate": has_verb(user, "investigate"),
            "can_oversee": has_verb(user, "oversee_investigations"),
            "triaged": referral.reviews.filter(kind="triage").exists(),
            **_links(request, referral),
        },
    )


def _links(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """The referrals linked to this one (same suspect) that the user may open; links to one
    they may not are only counted, never named."""
    visible = Referral.objects.visible_to(request.user)
    linked = list(visible.filter(linked_to=referral))
    hidden = referral.linked.count() - len(linked)
    linked_to = visible.filter(pk=referral.linked_to_id).first() if referral.linked_to_id else None
    if referral.linked_to_id and linked_to is None:
        hidden += 1
    return {"linked_to": linked_to, "linked": linked, "linked_hidden": hidden}


# --- Family support ---------------------------------------------------------------------------


# --- Bail -------------------------------------------------------------------------------------


@login_required
@verb_required(*VIEW)
def bail_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    bail = _within(request, Bail, pk)
    referral = bail.suspect.referral
    if asked := consult(request, bail.suspect.nominal, "bail"):
        return asked
    periods = bail_periods(bail, active_policy())
    return render(
        request,
        "ocsea/bail_detail.html",
        {
            "bail": bail,
            "referral": referral,
            "periods": periods,
            "current": periods[-1] if bail.kind == "bail" else None,
            "extensions": bail.extensions.all(),
            "conditions": bail.conditions.all(),
            "checks": bail.checks.select_related("officer"),
            "rui_reviews": bail.rui_reviews.select_related("reviewed_by"),
            "obligations": [
                o for o in selectors.open_obligations(referral) if o.subject_id == bail.pk
            ],
            "today": clock.today(),
            "can_investigate": has_verb(request.user, "investigate"),
        },
    )
