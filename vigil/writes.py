"""Writes declared once: one declaration serves the page and the API endpoint of a write.

A `Write` says what the write is (its title), who may do it (verbs), the record it is done
to (found through that model's scope: `get_visible_or_404`), its input (a form for the page,
a serializer for the API), the service that does it (which validates, saves and audits), and
where the page returns to. `WritePage` renders any declared write as a GOV.UK form page (the
purpose question first, the service's refusals on the fields they name; a page with more
steps subclasses its hooks), and `api_action`, `api_create` and `api_update` serve it on a
viewset; the URLs name the declaration. The access matrix and the
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
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern
from django.urls import path as url_path
from django.utils.module_loading import autodiscover_modules
from django.views import View
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import get_visible_or_404, has_any_verb
from vigil.audit.purpose import remember_created
from vigil.core.exceptions import ConflictError
from vigil.core.forms import add_service_errors
from vigil.people.consultation import consult
from vigil.people.services import noting_created


@dataclass(frozen=True)
class Write:
    """One write, declared once (see the module docstring)."""

    name: str  # unique, "rso.pnd_check"
    title: str  # the page's heading and the consultation's "via", "Record a PND check"
    verbs: tuple[str, ...]  # any one of them allows it
    # the record in the URL, found through its scope; None for a write that makes a new
    # record from nothing (a referral received, a person recorded)
    subject: type[models.Model] | None
    subject_arg: str  # the service's keyword for it, "registration"
    service: Callable[..., Any]  # service(actor=..., <subject_arg>=subject, **input)
    form: type[forms.Form]  # the page's input
    serializer: type[serializers.Serializer]  # type: ignore[type-arg]  # the API's input
    people: Callable[[Any], Any]  # the nominals it is about (each asks the purpose question)
    back: Callable[[Any], str]  # the subject's page: the back link, and where a save goes
    page: str  # the page's URL name, "offenders:pnd-create" (`page_path` serves it)
    # the API's URL name, "api:rso-pnd-checks" (`api_action`, `api_create` or `api_update`
    # serve it); "" for a second page of a write whose API another declaration serves (a
    # risk review re-scored with the instrument is the risk reviews' endpoint)
    api: str
    response: type[serializers.Serializer] | None = None  # type: ignore[type-arg]
    related: tuple[str, ...] = ()  # select_related for the subject
    action: str = "view"  # what the user must be able to do to the subject (its scope's action)
    success: str | Callable[[Any], str] = ""  # the page's message (or by what was made)
    initial: Callable[[Any], dict[str, Any]] = lambda subject: {}  # the page form's, by subject
    # the form's own arguments, by subject and user (choices come from the user's scopes)
    form_kwargs: Callable[[Any, Any], dict[str, Any]] = lambda subject, user: {}
    context: Callable[[Any], dict[str, Any]] = lambda subject: {}  # the template's, by subject
    template: str = "writes/form.html"  # given form, title, caption, back_url and `context`
    button: str = "Save"  # the page's button: what it does
    help: str = ""  # what else the write does, for the API's description
    heading: Callable[[Any], str] | None = None  # the page's heading by subject; `title` if not
    from_form: Callable[[Any], dict[str, Any]] | None = None  # the form's input as the service's
    creates: bool = True  # the API answers 201 with what was made; else 200 (`shows` of it)
    versioned: bool = False  # the input's `version` is the service's `expected_version`
    fresh: bool = False  # the API answers what was made read again (it changed its relations)
    shows: Callable[[Any], Any] = lambda made: made  # what the API answers, of what was made
    from_api: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # the API's input as
    # the service's (a list of conditions, a suspect's details); the validated data if not
    # the service's refusals renamed onto the page's fields (the page asks for one condition
    # where the API takes a list)
    page_errors: Callable[[ValidationError], ValidationError] | None = None
    then: Callable[[Any], str] | None = None  # where a save goes, by what was made; `back` if not
    # what else the record must be, for this user (a draft still a draft; a transfer asked of
    # the user's force): otherwise it is not found (404), as a record the user may not see
    where: Callable[[Any], Q] | None = None
    api_method: str = "POST"  # "PATCH" for a change to the record itself (`api_update`)
    view: type[WritePage] | None = None  # the page: `WritePage`, or one with more steps

    def __post_init__(self) -> None:
        if not self.verbs:  # HasVerb would fall back to the viewset's table: refuse instead
            raise ValueError(f"The write {self.name!r} names no verb")

    def label(self, subject: Any) -> str:
        """What the page calls it: its heading for this record, else its title."""
        return self.heading(subject) if self.heading else self.title

    def perform(self, actor: Any, subject: Any, data: dict[str, Any]) -> Any:
        if self.versioned:  # the version the user read, as every versioned service takes it
            data["expected_version"] = data.pop("version", None)
        on = {self.subject_arg: subject} if self.subject is not None else {}
        return self.service(actor=actor, **on, **data)

    def api_input(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The API's validated input as the service takes it."""
        return self.from_api(dict(data)) if self.from_api else dict(data)

    def find(self, user: Any, pk: Any) -> Any:
        if self.subject is None:
            return None
        return get_visible_or_404(
            self.subject, user, pk, self.action, related=self.related, where=self.condition(user)
        )

    def condition(self, user: Any) -> Q | None:
        return self.where(user) if self.where else None


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


class WritePage(View):
    """A declared write as a page: the login, 403 without a verb (the page is no secret), 404
    for a record the user may not see, the purpose question for every person it is about,
    then the form; the service's refusals shown on the fields they name, nothing saved.

    A page with more to it (an instrument chosen first, a search for a person) subclasses
    this and names itself in the declaration's `view`; the guard, the purpose question and
    the save stay here."""

    write: Write = None  # type: ignore[assignment]  # given by `page_path`
    http_method_names = ["get", "post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not has_any_verb(request.user, *self.write.verbs):  # type: ignore[arg-type]
            raise PermissionDenied
        self.subject = self.write.find(request.user, kwargs.get("pk"))
        if refused := self.guard():
            return refused
        self.people = list(self.get_people())
        # one question for all the people the page shows; the write's title names the page in
        # the log, not a name
        if asked := consult(request, self.people, self.write.title.lower()):
            return asked
        return self.handle()

    # --- hooks -------------------------------------------------------------------------------

    def guard(self) -> HttpResponse | None:
        """Anything more the page refuses, or sends elsewhere, before it asks or shows
        anything (PermissionDenied; or a response to go to instead)."""
        return None

    def get_people(self) -> Any:
        return self.write.people(self.subject)

    def get_title(self) -> str:
        return self.write.label(self.subject)

    @property
    def posted(self) -> Any:
        """The submission (even an empty one: a form that asks nothing is complete)."""
        return self.request.POST if self.request.method == "POST" else None

    def get_form(self) -> forms.Form:
        write, subject = self.write, self.subject
        kwargs: dict[str, Any] = {"initial": write.initial(subject)}
        kwargs.update(write.form_kwargs(subject, self.request.user))  # which may set `initial`
        files = self.request.FILES if self.request.method == "POST" else None
        return write.form(self.posted, files, **kwargs)

    def get_input(self, form: Any) -> dict[str, Any]:
        return self.write.from_form(form) if self.write.from_form else dict(form.cleaned_data)

    def get_context_data(self, form: Any) -> dict[str, Any]:
        return {
            "form": form,
            "title": self.get_title(),
            "caption": ", ".join(str(person) for person in self.people),
            "back_url": self.write.back(self.subject),
            # back to the record the write is done to; a write of a new record goes back
            # to where it was started
            "back_text": "Back to the record" if self.subject is not None else "Back",
            "button": self.write.button,
            **self.write.context(self.subject),
        }

    # --- the page ----------------------------------------------------------------------------

    def handle(self) -> HttpResponse:
        form = self.get_form()
        if self.request.method == "POST" and form.is_valid() and (saved := self.save(form)):
            return saved
        return render(self.request, self.write.template, self.get_context_data(form))

    def save(self, form: Any) -> HttpResponse | None:
        """The service called with the form's input: go on to the record, or None with its
        refusal on the form."""
        write = self.write
        try:
            with noting_created() as created:
                made = write.perform(self.request.user, self.subject, self.get_input(form))
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return None
        except ValidationError as exc:
            add_service_errors(form, write.page_errors(exc) if write.page_errors else exc)
            return None
        if created:  # the user's own new records: not asked why they need to see them
            remember_created(self.request.session, created)
        message = write.success(made) if callable(write.success) else write.success
        messages.success(self.request, message or f"{self.get_title()}: saved.")
        return redirect(write.then(made) if write.then else write.back(self.subject))


def page_path(route: str, write: Write) -> URLPattern:
    """The URL of a declared write's page (named as the declaration says)."""
    view = (write.view or WritePage).as_view(write=write)
    return url_path(route, view, name=write.page.rsplit(":", 1)[-1])


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
    if write.subject is None:
        raise ValueError(f"{write.name}: a write done to no record is served by `api_create`")
    subject_model = write.subject
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
            subject_model,
            request.user,
            path.get(record),
            write.action,
            related=write.related,
            where=write.condition(request.user),
            **within,
        )
        return _run(write, view, request, subject, _input(write, view, request))

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


def api_create(write: Write, *, subject_field: str = "") -> Any:
    """A declared write as a viewset's `create` (POST to its list): 201 with what was made.
    A write done to a record names it in the body by `subject_field` (a scoped related
    field: one the user may not see is a 400 naming it), found again through its scope."""

    def create(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _input(write, view, request, raw=True)
        subject = None
        if subject_field:
            subject = write.find(request.user, data.pop(subject_field).pk)
        return _run(write, view, request, subject, write.api_input(data))

    return _served(write, create, "create")


def api_update(write: Write) -> Any:
    """A declared (versioned) write as a viewset's `partial_update` (PATCH the record): 200
    with the declaration's answer (`response`: the record, or only its new version)."""

    if write.api_method != "PATCH":
        raise ValueError(f"{write.name}: a change to the record is declared with PATCH")

    def partial_update(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        subject = write.find(request.user, kwargs.get("pk"))
        return _run(write, view, request, subject, _input(write, view, request))

    return _served(write, partial_update, "partial_update")


def _served(write: Write, handler: Any, name: str) -> Any:
    handler.__name__ = name
    handler.__doc__ = f"{write.title}. {write.help}".strip()
    handler.write = write
    handler.required_verbs = write.verbs
    answer = write.response or write.serializer
    responses = {201: answer} if write.creates else answer
    return extend_schema(request=write.serializer, responses=responses)(handler)


def _input(write: Write, view: Any, request: Request, *, raw: bool = False) -> dict[str, Any]:
    """The body validated by the declaration's serializer (as the service takes it, unless
    `raw`)."""
    serializer = write.serializer(data=request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data) if raw else write.api_input(serializer.validated_data)


def _run(write: Write, view: Any, request: Request, subject: Any, data: dict[str, Any]) -> Any:
    """The service called, and what it made answered (read again if it changed relations)."""
    made = write.perform(request.user, subject, data)
    if write.fresh:
        made = type(made)._default_manager.get(pk=made.pk)
    answer = write.response or write.serializer
    return Response(
        answer(write.shows(made), context=view.get_serializer_context()).data,
        status=status.HTTP_201_CREATED if write.creates else status.HTTP_200_OK,
    )
