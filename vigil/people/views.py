"""Pages for nominal records: find, create, view (with a stated purpose), and change."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from vigil.accounts.access import has_verb, verb_required, verbs_of
from vigil.audit.purpose import remember_purpose, stated_purpose
from vigil.people import selectors, services
from vigil.people.consultation import consult
from vigil.people.forms import (
    PurposeForm,
    SearchForm,
)
from vigil.people.links import links_for


@login_required
@verb_required("view_nominal")
def nominal_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if query:
        nominals = selectors.nominal_list(user=request.user, query=query)
        page = Paginator(nominals, 25).get_page(request.GET.get("page"))
        services.nominal_searched(
            actor=request.user,  # type: ignore[arg-type]
            query=query,
            result_count=page.paginator.count,
            shown=list(page.object_list),
            via="page",
        )
    return render(
        request,
        "people/nominal_list.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "can_create": has_verb(request.user, "record_nominal"),  # type: ignore[arg-type]
        },
    )


@login_required
@verb_required("view_nominal")
def purpose(request: HttpRequest, pk: Any = None) -> HttpResponse:
    """Why the user needs to see these records: asked once for all the people a page shows
    (named, each one the user may see, or 404), the purposes offered those that fit the
    user's work; kept for each of them for the session."""
    named = request.POST.getlist("person") or request.GET.getlist("person")
    try:
        ids = [pk] if pk else [uuid.UUID(i) for i in named[:50]]
    except ValueError:
        raise Http404 from None
    if not ids:
        raise Http404
    people = [selectors.nominal_get(user=request.user, pk=i) for i in dict.fromkeys(ids)]
    stated = stated_purpose(request.session, people[0].pk) if len(people) == 1 else None
    initial = {"purpose": stated.purpose, "detail": stated.detail} if stated else None
    form = PurposeForm(request.POST or None, initial=initial, verbs=verbs_of(request.user))
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) or not next_url.startswith(
        "/"
    ):
        next_url = ""  # only a page of this site
    if request.method == "POST" and form.is_valid():
        remember_purpose(
            request.session,
            [p.pk for p in people],
            form.cleaned_data["purpose"],
            form.cleaned_data["detail"],
        )
        # back to the page that asked, else to the (first) record
        if next_url:
            return redirect(next_url)
        return redirect("people:nominal-detail", pk=people[0].pk)
    if request.method == "GET":  # the question names them: a consultation of each, as a list
        services.nominals_listed(
            actor=request.user,  # type: ignore[arg-type]
            nominals=people,
            via="purpose question",
        )
    return render(
        request,
        "people/nominal_purpose.html",
        {"form": form, "people": people, "next": next_url},
    )


@login_required
@verb_required("view_nominal")
def nominal_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = selectors.nominal_get(user=request.user, pk=pk)
    if asked := consult(request, nominal, "page"):
        return asked
    stated = stated_purpose(request.session, nominal.pk)
    user: Any = request.user
    return render(
        request,
        "people/nominal_detail.html",
        {
            "nominal": nominal,
            "stated": stated,
            "can_change": has_verb(user, "record_nominal"),
            "can_restrict": has_verb(user, "manage_limited_access"),
            "can_register": has_verb(user, "manage_rso"),
            "can_see_register": has_verb(user, "manage_rso") or has_verb(user, "review_rso_work"),
            "person_links": links_for(user, nominal),
            **selectors.nominal_record(nominal),
        },
    )
