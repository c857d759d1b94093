"""Writes declared once: one declaration serves the page and the API endpoint of a write.

A `Write` says what the write is (its title), who may do it (verbs), the record it is done
to (found through that model's scope: `get_visible_or_404`), its input (a form for the page,
a serializer for the API), the service that does it (which validates, saves and audits), and
where the page returns to. `page` renders any declared write as a GOV.UK form page (the
purpose question first, the service's refusals on the fields they name) and `api_action`
makes it a DRF action on a viewset; the URLs name the declaration. The access matrix and the
audited-writes suites iterate `registry()`, so a write is covered the moment it is declared.

Layering: this module sits above accounts (verbs, the scope chokepoint) and people (the
purpose question); the apps that declare writes (vigil/offenders/writes.py...) import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern
from django.urls import path as url_path
from django.utils.module_loading import autodiscover_modules
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import get_visible_or_404, has_any_verb
from vigil.core.exceptions import ConflictError
from vigil.core.forms import add_service_errors
from vigil.people.consultation import consult


@dataclass(frozen=True)
class Write:
    """One write, declared once (see the module docstring)."""

    name: str  # unique, "rso.pnd_check"
    title: str  # the page's heading and the consultation's "via", "Record a PND check"
    verbs: tuple[str, ...]  # any one of them allows it
    subject: type[models.Model]  # the record in the URL, found through its scope
    subject_arg: str  # the service's keyword for it, "registration"
    service: Callable[..., Any]  # service(actor=..., <subject_arg>=subject, **input)
    form: type[forms.Form]  # the page's input
    serializer: type[serializers.Serializer]  # type: ignore[type-arg]  # the API's input
    people: Callable[[Any], Any]  # the nominals it is about (each asks the purpose question)
    back: Callable[[Any], str]  # the subject's page: the back link, and where a save goes
    page: str  # the page's URL name, "offenders:pnd-create" (`page_path` serves it)
    api: str  # the API action's URL name, "api:rso-pnd-checks" (`api_action` serves it)
    response: type[serializers.Serializer] | None = None  # type: ignore[type-arg]
    related: tuple[str, ...] = ()  # select_related for the subject
    action: str = "view"  # what the user must be able to do to the subject (its scope's action)
    success: str | Callable[[Any], str] = ""  # the page's message (or by what was made)
    initial: Callable[[Any], dict[str, Any]] = lambda subject: {}  # the page form's, by subject
    # the form's own arguments, by subject and user (choices come from the user's scopes)
    form_kwargs: Callable[[Any, Any], dict[str, Any]] = lambda subject, user: {}
    context: Callable[[Any], dict[str, Any]] = lambda subject: {}  # the template's, by subject
    template: str = "writes/form.html"  # given form, title, caption, back_url and `context`
    help: str = ""  # what else the write does, for the API's description
    heading: Callable[[Any], str] | None = None  # the page's heading by subject; `title` if not
    from_form: Callable[[Any], dict[str, Any]] | None = None  # the form's input as the service's
    creates: bool = True  # the API answers 201 with what was made; else 200 with the subject
    versioned: bool = False  # the input's `version` is the service's `expected_version`
    fresh: bool = False  # the API answers what was made read again (it changed its relations)
    shows: Callable[[Any], Any] = lambda made: made  # what the API answers, of what was made

    def __post_init__(self) -> None:
        if not self.verbs:  # HasVerb would fall back to the viewset's table: refuse instead
            raise ValueError(f"The write {self.name!r} names no verb")

    def label(self, subject: Any) -> str:
        """What the page calls it: its heading for this record, else its title."""
        return self.heading(subject) if self.heading else self.title

    def perform(self, actor: Any, subject: Any, data: dict[str, Any]) -> Any:
        if self.versioned:  # the version the user read, as every versioned service takes it
            data["expected_version"] = data.pop("version", None)
        return self.service(actor=actor, **{self.subject_arg: subject}, **data)

    def find(self, user: Any, pk: Any) -> Any:
        return get_visible_or_404(self.subject, user, pk, self.action, related=self.related)


_registry: dict[str, Write] = {}


def declare(write: Write) -> Write:
    if write.name in _registry:
        raise ValueError(f"The write {write.name!r} is declared twice")
    _registry[write.name] = write
    return write


def registry() -> list[Write]:
    """Every declared write: each app's `writes` module, imported here if nothing has yet."""
    autodiscover_modules("writes")
    return list(_registry.values())


# --- the page ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, pk: Any, *, write: Write) -> HttpResponse:
    """A declared write as a page: 403 without a verb (the page is no secret), 404 for a
    record the user may not see, the purpose question, then the form."""
    if not has_any_verb(request.user, *write.verbs):  # type: ignore[arg-type]
        raise PermissionDenied
    subject = write.find(request.user, pk)
    label = write.label(subject)
    people = list(write.people(subject))
    for person in people:
        if asked := consult(request, person, label.lower()):
            return asked
    form = write.form(
        request.POST or None,
        initial=write.initial(subject),
        **write.form_kwargs(subject, request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = write.from_form(form) if write.from_form else dict(form.cleaned_data)
        try:
            made = write.perform(request.user, subject, data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message = write.success(made) if callable(write.success) else write.success
            messages.success(request, message or f"{label}: saved.")
            return redirect(write.back(subject))
    return render(
        request,
        write.template,
        {
            "form": form,
            "title": label,
            "caption": ", ".join(str(person) for person in people),
            "back_url": write.back(subject),
            **write.context(subject),
        },
    )


def page_path(route: str, write: Write) -> URLPattern:
    """The URL of a declared write's page (named as the declaration says)."""
    view: Any = page
    return url_path(route, view, {"write": write}, name=write.page.rsplit(":", 1)[-1])


# --- the API ----------------------------------------------------------------------------------


def api_action(
    write: Write,
    *,
    url_path: str,
    url_name: str | None = None,
    name: str = "",
    record: str = "pk",
    under: str = "",
    also: Mapping[str, str] | None = None,
) -> Any:
    """A declared write as a viewset action: POST its input, 201 with what was made (200 with
    what the service answers, for a decision). The viewset's `HasVerb` reads the verbs from
    the declaration. Assign it to the attribute `name` (by default `url_path` with
    underscores).

    The record the write is done to is the path's `record` argument, found through its
    scope. By default that is the viewset's own record; a `url_path` holding `(?P<pk>...)`
    names another model's (a visit under `rsos/visits/<pk>/authorise`). With `under`, the
    record hangs from the viewset's own (visible, else 404) by that field path, and `also`
    maps further path arguments to its fields: a family member is `record="member_id"`,
    `under="enforcement__referral"`, `also={"enforcement_id": "enforcement_id"}`."""
    answer = write.response or write.serializer
    detail = "(?P<pk>" not in url_path
    also = dict(also or {})
    if detail and record != "pk" and not under:
        raise ValueError(f"{write.name}: a record under the viewset's own needs `under`")

    def handler(view: Any, request: Request, **path: Any) -> Response:
        within = {field: path[argument] for argument, field in also.items()}
        if under:
            within[under] = view.get_object()
        subject = get_visible_or_404(
            write.subject,
            request.user,
            path.get(record),
            write.action,
            related=write.related,
            **within,
        )
        serializer = write.serializer(data=request.data, context=view.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        made = write.perform(request.user, subject, dict(serializer.validated_data))
        if write.fresh:
            made = type(made)._default_manager.get(pk=made.pk)
        return Response(
            answer(write.shows(made), context=view.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if write.creates else status.HTTP_200_OK,
        )

    handler.__name__ = name or url_path.replace("-", "_")  # DRF: the viewset attribute's name
    handler.__doc__ = f"{write.title}. {write.help}".strip()
    handler.write = write  # type: ignore[attr-defined]
    handler.required_verbs = write.verbs  # type: ignore[attr-defined]
    decorated = action(
        detail=detail, methods=["post"], url_path=url_path, url_name=url_name or url_path
    )(handler)
    ids = [*also, record] if record != "pk" else ([] if detail else ["id"])
    schema: dict[str, Any] = {
        "request": write.serializer,
        "responses": {201: answer} if write.creates else answer,
        "parameters": [
            OpenApiParameter(
                argument, OpenApiTypes.UUID, OpenApiParameter.PATH, description="A record's id"
            )
            for argument in ids
        ],
    }
    return extend_schema(**schema)(decorated)
