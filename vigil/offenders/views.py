"""Pages for RSO management: the caseload, the RSO record with its timeline and open
obligations, recording a visit (phone-sized), ARMS and RMPs, supervisor reviews, and the
authorisation and assessment of non-compliant visits."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.forms import add_service_errors
from vigil.obligations.models import Obligation
from vigil.obligations.services import obligations_listed
from vigil.offenders import selectors, services
from vigil.offenders.forms import (
    ArmsForm,
    NoteForm,
    RegistrationEditForm,
    RegistrationForm,
    RmpForm,
    TransferAcceptForm,
    VisitForm,
)
from vigil.offenders.models import (
    ArmsAssessment,
    HomeVisit,
    Registration,
    RiskManagementPlan,
    Transfer,
    TransferStatus,
)
from vigil.people import services as people_services
from vigil.people.consultation import consult
from vigil.people.models import Nominal
from vigil.policy.pack import active as active_policy

# Work that a supervisor reviews, and the drafts continued (these pages accept these kinds only).
WORK_MODELS: dict[str, type[ArmsAssessment | RiskManagementPlan | HomeVisit]] = {
    "arms": ArmsAssessment,
    "rmp": RiskManagementPlan,
    "visit": HomeVisit,
}


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


# ARMS assessments and plans are written over time: saved as drafts, then completed.
DRAFTED: dict[str, tuple[Any, str, Any, Any, tuple[str, ...]]] = {
    "arms": (
        ArmsForm,
        "ARMS assessment",
        services.arms_draft_save,
        services.arms_complete,
        ("priority", "summary"),
    ),
    "rmp": (
        RmpForm,
        "risk management plan",
        services.rmp_draft_save,
        services.rmp_complete,
        ("actions", "visit_frequency_months"),
    ),
}


def _drafted(request: HttpRequest, registration: Registration, kind: str, draft: Any) -> Any:
    form_class, what, save_draft, complete, draft_fields = DRAFTED[kind]
    title = f"Continue the {what}" if draft else f"Record {'an' if kind == 'arms' else 'a'} {what}"
    if asked := consult(request, registration.nominal, title.lower()):
        return asked
    initial = {name: getattr(draft, name) for name in draft_fields} if draft else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        as_draft = request.POST.get("save") == "draft"
        try:
            if as_draft:
                save_draft(
                    actor=_actor(request),
                    registration=registration,
                    draft=draft,
                    **{name: data[name] for name in draft_fields},
                )
            else:
                complete(actor=_actor(request), registration=registration, draft=draft, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"The {what} was saved as a draft." if as_draft else f"The {what} was completed.",
            )
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request,
        "offenders/work_form.html",
        {"form": form, "rso": registration, "title": title, "can_draft": True},
    )


@login_required
@verb_required("manage_rso")
def arms_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _drafted(request, _registration(request, pk), "arms", None)


@login_required
@verb_required("manage_rso")
def rmp_create(request: HttpRequest, pk: Any) -> HttpResponse:
    return _drafted(request, _registration(request, pk), "rmp", None)


@login_required
@verb_required("manage_rso")
def draft_continue(request: HttpRequest, kind: str, pk: Any) -> HttpResponse:
    if kind not in DRAFTED:
        raise Http404("No such kind of work.")
    draft = _work(request, kind, pk)
    if not draft.is_draft:
        raise Http404("No such draft.")
    return _drafted(request, draft.registration, kind, draft)


def _work(request: HttpRequest, kind: str, pk: Any) -> Any:
    """A visit, ARMS or RMP, found through its registration's visibility (404 otherwise)."""
    model: Any = WORK_MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of work.")
    return get_visible_or_404(model, request.user, pk, related=("registration__nominal",))


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
@verb_required("manage_rso")
def registration_create(request: HttpRequest, nominal_pk: Any) -> HttpResponse:
    """Puts a person on the register, from their person record."""
    nominal = get_visible_or_404(Nominal, request.user, nominal_pk)
    existing = Registration.objects.filter(nominal=nominal).first()
    if existing is not None:
        messages.info(request, "This person is already on the register.")
        return redirect("offenders:rso-detail", pk=existing.pk)
    if asked := consult(request, nominal, "register"):
        return asked
    actor = _actor(request)
    form = RegistrationForm(
        request.POST or None,
        user=request.user,
        initial={"mappa_category": 1, "mappa_level": 1, "under_18_at_conviction": "no"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                actor=actor, nominal=nominal, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The person is on the register. What is due is listed.")
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request,
        "offenders/registration_form.html",
        {"form": form, "nominal": nominal, "title": "Put on the register"},
    )


@login_required
@verb_required("manage_rso")
def registration_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    registration = _registration(request, pk)
    if asked := consult(request, registration.nominal, "change register details"):
        return asked
    form = RegistrationEditForm(
        request.POST or None,
        team=registration.team,
        initial={
            "version": registration.version,
            "risk_level": registration.risk_level,
            "offender_manager": registration.offender_manager_id,
            "register_reference": registration.register_reference,
            "in_community_since": registration.in_community_since,
            "mappa_category": registration.mappa_category,
            "mappa_level": registration.mappa_level,
            "static_tool": registration.static_tool,
            "static_band": registration.static_band,
            "static_date": registration.static_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update(
                actor=_actor(request),
                registration=registration,
                expected_version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The register details were updated.")
            return redirect("offenders:rso-detail", pk=registration.pk)
    return render(
        request,
        "offenders/work_form.html",
        {"form": form, "rso": registration, "title": "Change register details"},
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


def _transfer(request: HttpRequest, pk: Any) -> Transfer:
    transfer = get_visible_or_404(Transfer, request.user, pk)
    if not transfer.between_forces:
        raise Http404("No such transfer.")
    return transfer


@login_required
@verb_required("transfer_rso")
def transfer_accept(request: HttpRequest, pk: Any) -> HttpResponse:
    actor = _actor(request)
    transfer = _transfer(request, pk)
    if transfer.to_force_id != actor.force_id:
        raise Http404("No such transfer.")
    form = TransferAcceptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_accept(actor=actor, transfer=transfer, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The RSO has joined your force's register.")
            return redirect("offenders:rso-detail", pk=transfer.registration_id)
    return render(
        request,
        "offenders/transfer_decide.html",
        {"form": form, "transfer": transfer, "title": "Accept the transfer"},
    )


@login_required
@verb_required("manage_rso", "transfer_rso")
def transfer_decline(request: HttpRequest, pk: Any) -> HttpResponse:
    actor = _actor(request)
    transfer = _transfer(request, pk)
    incoming = transfer.to_force_id == actor.force_id
    if not has_verb(actor, "transfer_rso" if incoming else "manage_rso"):
        raise PermissionDenied("Your roles do not allow this decision.")
    form = NoteForm(request.POST or None)
    form.fields["note"].required = True
    form.fields["note"].label = "Reason"
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_decline(
                actor=actor, transfer=transfer, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Declined." if incoming else "The request was withdrawn.")
            return redirect("offenders:transfer-list")
    return render(
        request,
        "offenders/transfer_decide.html",
        {
            "form": form,
            "transfer": transfer,
            "title": "Decline the transfer" if incoming else "Withdraw the request",
        },
    )


# The supervisor's queue: the decisions on RSO work that fall to a supervisor or manager,
# each linked to the page that makes it.
QUEUE_ACTIONS = {
    "rso.review.arms": ("offenders:work-review", {"kind": "arms"}),
    "rso.review.rmp": ("offenders:work-review", {"kind": "rmp"}),
    "rso.review.visit": ("offenders:work-review", {"kind": "visit"}),
    "rso.visit.authorise": ("offenders:visit-authorise", {}),
    "rso.visit.assess": ("offenders:visit-assess", {}),
    "rso.visit.warrant": ("offenders:visit-warrant", {}),
    "rso.register.indefinite_review": ("offenders:indefinite-review-determine", {}),
}


def _queue_action(obligation: Obligation) -> str:
    for prefix, (name, kwargs) in QUEUE_ACTIONS.items():
        if obligation.rule_id.startswith(prefix):
            return reverse(name, kwargs={**kwargs, "pk": obligation.key})
    return reverse("obligations:obligation-detail", kwargs={"pk": obligation.pk})


@login_required
@verb_required(
    "review_rso_work",
    "authorise_visit",
    "assess_visit_authorisation",
    "determine_indefinite_review",
)
def supervisor_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    today = clock.today()
    section = request.GET.get("section", "")
    sections = selectors.supervisor_queue(user=actor, today=today)
    shown = sections.get(section) or next(
        (s for s in sections.values() if s.items), next(iter(sections.values()), None)
    )
    if shown is not None:
        for obligation in shown.items:
            obligation.action_url = _queue_action(obligation)  # type: ignore[attr-defined]
        obligations_listed(actor=actor, obligations=shown.items, via="supervisor queue")
    return render(
        request,
        "offenders/supervisor_queue.html",
        {
            "sections": sections,
            "shown": shown,
            "today": today,
            "incoming_transfers": Transfer.objects.filter(
                to_force_id=actor.force_id, status=TransferStatus.PENDING
            ).count()
            if has_verb(actor, "transfer_rso")
            else None,
        },
    )
