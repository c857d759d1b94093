"""Pages for RSO management: the caseload, the RSO record with its timeline and open
obligations, recording a visit (phone-sized), ARMS and RMPs, supervisor reviews, and the
authorisation and assessment of non-compliant visits."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.forms import add_service_errors
from vigil.offenders import selectors, services
from vigil.offenders.forms import (
    ArmsForm,
    IntelligenceForm,
    NoteForm,
    NotificationForm,
    PndForm,
    RationaleForm,
    RmpForm,
    VisitForm,
)
from vigil.offenders.models import (
    ArmsAssessment,
    HomeVisit,
    PndCheck,
    Registration,
    RiskManagementPlan,
)
from vigil.offenders.reactive import reactive_shortfalls
from vigil.people import services as people_services
from vigil.people.consultation import consult
from vigil.policy.pack import active as active_policy

# Work that a supervisor reviews (the review page accepts these kinds only) ...
WORK_MODELS: dict[str, type[ArmsAssessment | RiskManagementPlan | HomeVisit]] = {
    "arms": ArmsAssessment,
    "rmp": RiskManagementPlan,
    "visit": HomeVisit,
}
# ... and every record on the register that a page acts on.
RECORD_MODELS: dict[str, Any] = {**WORK_MODELS, "pnd": PndCheck}


@login_required
@verb_required("manage_rso", "review_rso_work")
def rso_list(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "team", "all"):
        scope = "mine"
    registrations = selectors.caseload(user=request.user, scope=scope, today=clock.today())
    page = Paginator(registrations, 50).get_page(request.GET.get("page"))
    people_services.nominals_listed(
        actor=_actor(request), nominals=[r.nominal for r in page.object_list], via="caseload"
    )
    return render(
        request,
        "offenders/rso_list.html",
        {"page": page, "scope": scope, "today": clock.today()},
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
            "can_review": has_verb(user, "review_rso_work"),
            "can_authorise": has_verb(user, "authorise_visit"),
            "can_assess": has_verb(user, "assess_visit_authorisation"),
            "can_decide_reactive": has_verb(user, "authorise_reactive"),
        },
    )


def _officers(registration: Registration) -> Any:
    return (
        User.objects.filter(
            force_id=registration.force_id, is_active=True, memberships__role__verbs="manage_rso"
        )
        .distinct()
        .order_by("username")
    )


@login_required
@verb_required("manage_rso")
def visit_create(request: HttpRequest, pk: Any) -> HttpResponse:
    registration = _registration(request, pk)
    if asked := consult(request, registration.nominal, "record a visit"):
        return asked
    form = VisitForm(
        request.POST or None,
        officers=_officers(registration),
        initial={"officers": [request.user], "visited_on": clock.today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(
                actor=_actor(request),
                registration=registration,
                visited_at=form.visited_at(),
                announced=form.cleaned_data["announced"],
                officers=list(form.cleaned_data["officers"]),
                access_gained=form.cleaned_data["access_gained"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The visit was recorded.")
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request,
        "offenders/work_form.html",
        {"form": form, "rso": registration, "title": "Record a home visit"},
    )


def _work_form(
    request: HttpRequest, pk: Any, form_class: Any, title: str, save: Any
) -> HttpResponse:
    registration = _registration(request, pk)
    if asked := consult(request, registration.nominal, title.lower()):
        return asked
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(registration, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{title}: saved.")
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request, "offenders/work_form.html", {"form": form, "rso": registration, "title": title}
    )


@login_required
@verb_required("manage_rso")
def arms_create(request: HttpRequest, pk: Any) -> HttpResponse:
    def save(registration: Registration, data: dict[str, Any]) -> None:
        services.arms_complete(actor=_actor(request), registration=registration, **data)

    return _work_form(request, pk, ArmsForm, "Record an ARMS assessment", save)


@login_required
@verb_required("manage_rso")
def notification_create(request: HttpRequest, pk: Any) -> HttpResponse:
    def save(registration: Registration, data: dict[str, Any]) -> None:
        services.notification_record(actor=_actor(request), registration=registration, **data)

    return _work_form(request, pk, NotificationForm, "Record a notification", save)


@login_required
@verb_required("manage_rso")
def pnd_create(request: HttpRequest, pk: Any) -> HttpResponse:
    def save(registration: Registration, data: dict[str, Any]) -> None:
        services.pnd_check_record(actor=_actor(request), registration=registration, **data)

    return _work_form(request, pk, PndForm, "Record a PND check", save)


@login_required
@verb_required("manage_rso")
def intelligence_create(request: HttpRequest, pk: Any) -> HttpResponse:
    def save(registration: Registration, data: dict[str, Any]) -> None:
        services.intelligence_record(actor=_actor(request), registration=registration, **data)

    return _work_form(request, pk, IntelligenceForm, "Record intelligence", save)


@login_required
@verb_required("authorise_reactive")
def reactive_enter(request: HttpRequest, pk: Any) -> HttpResponse:
    registration = _registration(request, pk)
    if asked := consult(request, registration.nominal, "reactive management decision"):
        return asked
    form = RationaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reactive_enter(
                actor=_actor(request),
                registration=registration,
                rationale=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The RSO is now managed reactively.")
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request,
        "offenders/reactive.html",
        {
            "form": form,
            "rso": registration,
            "shortfalls": reactive_shortfalls(registration, active_policy(), clock.today()),
        },
    )


@login_required
@verb_required("manage_rso")
def pnd_assess(request: HttpRequest, pk: Any) -> HttpResponse:
    check = _work(request, "pnd", pk)
    return _decision(
        request,
        check,
        RationaleForm(request.POST or None),
        f"Assess the result: {check}",
        lambda data: services.pnd_assess(
            actor=_actor(request), check=check, assessment=data["text"]
        ),
        "Assessment recorded.",
    )


@login_required
@verb_required("manage_rso")
def rmp_create(request: HttpRequest, pk: Any) -> HttpResponse:
    def save(registration: Registration, data: dict[str, Any]) -> None:
        services.rmp_complete(actor=_actor(request), registration=registration, **data)

    return _work_form(request, pk, RmpForm, "Record a risk management plan", save)


def _work(request: HttpRequest, kind: str, pk: Any) -> Any:
    """A visit, ARMS or RMP, found through its registration's visibility (404 otherwise)."""
    model: Any = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of work.")
    visible = Registration.objects.visible_to(request.user)
    found = (
        model.objects.select_related("registration__nominal")
        .filter(pk=pk, registration__in=visible)
        .first()
    )
    if found is None:
        raise Http404("No such record.")
    return found


def _decision(
    request: HttpRequest, work: Any, form: Any, title: str, act: Any, done: str
) -> HttpResponse:
    if asked := consult(request, work.registration.nominal, title.lower()):
        return asked
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("offenders:rso-detail", pk=work.registration_id)
    return render(
        request,
        "offenders/work_form.html",
        {"form": form, "work": work, "rso": work.registration, "title": title},
    )


@login_required
@verb_required("review_rso_work")
@require_http_methods(["GET", "POST"])
def work_review(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    if kind not in WORK_MODELS:
        raise Http404("No such kind of work.")
    work = _work(request, kind, pk)
    return _decision(
        request,
        work,
        NoteForm(request.POST or None),
        f"Review: {work}",
        lambda data: services.work_review(actor=_actor(request), work=work, note=data["note"]),  # type: ignore[arg-type]
        "Review recorded.",
    )


@login_required
@verb_required("authorise_visit")
def visit_authorise(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _work(request, "visit", pk)
    return _decision(
        request,
        visit,
        RationaleForm(request.POST or None),
        f"Authorise: {visit}",
        lambda data: services.visit_authorise(
            actor=_actor(request), visit=visit, rationale=data["text"]
        ),  # type: ignore[arg-type]
        "Authorisation recorded.",
    )


@login_required
@verb_required("assess_visit_authorisation")
def visit_assess(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _work(request, "visit", pk)
    return _decision(
        request,
        visit,
        RationaleForm(request.POST or None),
        f"Assess the authorisation: {visit}",
        lambda data: services.visit_assess(
            actor=_actor(request), visit=visit, assessment=data["text"]
        ),  # type: ignore[arg-type]
        "Assessment recorded.",
    )
