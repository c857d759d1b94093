"""Pages for nominal records: find, create, view (with a stated purpose), and change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from vigil.accounts.access import has_verb, verb_required
from vigil.audit.purpose import remember_purpose, stated_purpose
from vigil.core.exceptions import ConflictError
from vigil.core.forms import add_service_errors
from vigil.people import selectors, services
from vigil.people.consultation import consult
from vigil.people.forms import (
    LimitedAccessForm,
    NominalCreateForm,
    NominalForm,
    PurposeForm,
    SearchForm,
)
from vigil.people.links import links_for
from vigil.people.models import IdentifierKind


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
@verb_required("record_nominal")
def nominal_create(request: HttpRequest) -> HttpResponse:
    form = NominalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        pnc = data.pop("pnc", "")
        try:
            nominal = services.nominal_create(
                actor=request.user,  # type: ignore[arg-type]
                identifiers=[(IdentifierKind.PNC, pnc)] if pnc else None,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, _pnc_errors(exc))
        else:
            messages.success(request, f"{nominal} was added.")
            # Seeing the new record is a consultation like any other: ask the purpose.
            return redirect("people:nominal-purpose", pk=nominal.pk)
    return render(request, "people/nominal_form.html", {"form": form, "title": "Add a person"})


def _posted_version(request: HttpRequest, nominal: Any) -> int:
    """The version of the record the user's form was built from (optimistic concurrency)."""
    try:
        return int(request.POST.get("version", nominal.version))
    except ValueError:
        return -1  # a mangled version can only be stale


def _pnc_errors(exc: ValidationError) -> ValidationError:
    if hasattr(exc, "error_dict") and "value" in exc.error_dict:
        return ValidationError({"pnc": exc.error_dict["value"]})
    return exc


@login_required
@verb_required("view_nominal")
def nominal_purpose(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = selectors.nominal_get(user=request.user, pk=pk)
    stated = stated_purpose(request.session, nominal.pk)
    initial = {"purpose": stated.purpose, "detail": stated.detail} if stated else None
    form = PurposeForm(request.POST or None, initial=initial)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) or not next_url.startswith(
        "/"
    ):
        next_url = ""  # only a page of this site
    if request.method == "POST" and form.is_valid():
        remember_purpose(
            request.session, nominal.pk, form.cleaned_data["purpose"], form.cleaned_data["detail"]
        )
        # back to the page of this record that asked, else to the record
        if next_url:
            return redirect(next_url)
        return redirect("people:nominal-detail", pk=nominal.pk)
    return render(
        request,
        "people/nominal_purpose.html",
        {"form": form, "nominal_id": nominal.pk, "next": next_url},
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


@login_required
@verb_required("record_nominal")
def nominal_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = selectors.nominal_get(user=request.user, pk=pk, action="change")
    if asked := consult(request, nominal, "edit page"):
        return asked
    initial = {f: getattr(nominal, f) for f in services.NOMINAL_FIELDS}
    form = NominalForm(request.POST or None, initial=initial)
    version = _posted_version(request, nominal)
    if request.method == "POST" and form.is_valid():
        try:
            services.nominal_update(
                actor=request.user,  # type: ignore[arg-type]
                nominal=nominal,
                expected_version=version,
                **form.cleaned_data,
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The record was updated.")
            return redirect("people:nominal-detail", pk=nominal.pk)
    return render(
        request,
        "people/nominal_form.html",
        {
            "form": form,
            "title": f"Change details: {nominal}",
            "nominal": nominal,
            "version": version,
        },
    )


@login_required
@verb_required("manage_limited_access")
def nominal_access(request: HttpRequest, pk: Any) -> HttpResponse:
    nominal = selectors.nominal_get(user=request.user, pk=pk, action="restrict")
    if asked := consult(request, nominal, "access page"):
        return asked
    initial = {
        "limited": "yes" if nominal.limited_access else "no",
        "reason": nominal.limited_access_reason,
        "restricted_to": list(nominal.restricted_to.all()),
        "excluded_from": list(nominal.excluded_from.all()),
    }
    form = LimitedAccessForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.nominal_set_limited_access(
                actor=request.user,  # type: ignore[arg-type]
                nominal=nominal,
                limited=data["limited"],
                reason=data["reason"],
                restricted_to=list(data["restricted_to"]),
                excluded_from=list(data["excluded_from"]),
                expected_version=_posted_version(request, nominal),
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Access to the record was updated.")
            return redirect(reverse("people:nominal-detail", kwargs={"pk": nominal.pk}))
    return render(
        request,
        "people/nominal_access.html",
        {"form": form, "nominal": nominal, "version": _posted_version(request, nominal)},
    )
