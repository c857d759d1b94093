"""Pages for OCSEA: the triage queue, the investigations list (with the supervisor's oversight
of those owned elsewhere), the bail dashboard by local policing area, the referral record
with its clock, open work and timeline, and a page for each thing people record on it.

Every record is found through `Referral.objects.visible_to(user)` (a 404 otherwise); every
page that shows a suspect asks the user's purpose and logs a consultation; lists log the
people they show."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from vigil.accounts.access import get_visible_or_404, has_verb, verb_required
from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.forms import add_service_errors
from vigil.core.models import Area
from vigil.instruments.forms import AssessmentForm
from vigil.ocsea import forms as f
from vigil.ocsea import selectors, services
from vigil.ocsea.models import (
    Bail,
    BailExtension,
    Referral,
    Suspect,
)
from vigil.ocsea.rules import bail_periods
from vigil.people import selectors as people_selectors
from vigil.people import services as people_services
from vigil.people.consultation import consult
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
    """The referral names its suspects: the user's purpose for each, and a consultation."""
    for suspect in referral.suspects.select_related("nominal"):
        if asked := consult(request, suspect.nominal, via):
            return asked
    return None


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
    scope = request.GET.get("scope", "mine")
    if scope not in selectors.SCOPES:
        scope = "mine"
    referrals = selectors.investigations(user=request.user, scope=scope, today=clock.today())
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    _listed(
        request, [s.nominal for r in page.object_list for s in r.suspects.all()], "investigations"
    )
    return render(
        request,
        "ocsea/investigation_list.html",
        {"page": page, "scope": scope, "today": clock.today()},
    )


@login_required
@verb_required(*VIEW)
def bail_dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    areas = Area.objects.filter(force_id=user.force_id)
    area = None
    with suppress(KeyError, ValueError):  # no area, or not an id: every area
        area = areas.filter(pk=uuid.UUID(request.GET["area"])).first()
    kind = request.GET.get("kind", "")
    rows = selectors.bail_dashboard(
        user=user,
        today=clock.today(),
        pack=active_policy(),
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
            "today": clock.today(),
        },
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


def _form_page(
    request: HttpRequest,
    referral: Referral,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str] = "",
    back: str = "",
    then: Callable[[Any], str] | None = None,
    template: str = "ocsea/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The tail of every recording page: consult, validate, call the service, show its
    errors on the fields they name, or confirm and go back to the record (or to `then` of
    what was saved)."""
    if asked := _consult(request, referral, title.lower()):
        return asked
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            message = done(saved) if callable(done) else done
            messages.success(request, message or f"{title}: saved.")
            if then is not None:
                return redirect(then(saved))
            return redirect(back or reverse("ocsea:referral-detail", kwargs={"pk": referral.pk}))
    return render(
        request,
        template,
        {
            "form": form,
            "referral": referral,
            "title": title,
            "back": back or reverse("ocsea:referral-detail", kwargs={"pk": referral.pk}),
            "clock": selectors.referral_clock(referral, active_policy()),
            **(extra or {}),
        },
    )


@login_required
@verb_required("triage_referral")
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    nominal = None
    if request.GET.get("nominal"):
        nominal = get_visible_or_404(Nominal, user, request.GET["nominal"])
        if asked := consult(request, nominal, "new referral"):
            return asked
    now = timezone.localtime(clock.now()).time().replace(second=0, microsecond=0)
    form = f.ReferralForm(
        request.POST or None,
        user=user,
        nominal=nominal,
        initial={"received_on": clock.today(), "received_time": now},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_receive(
                actor=_actor(request),
                intake=services.Intake(
                    source=data["source"],
                    received_at=form.received_at(),
                    summary=data["summary"],
                    ocsea_team=data["ocsea_team"],
                    area=data["area"],
                    source_reference=data["source_reference"],
                    other_references=data["other_references"],
                    category_a=data["category_a"],
                    category_b=data["category_b"],
                    category_c=data["category_c"],
                    suspects=[
                        services.SuspectDetails(
                            age_group=data["age_group"],
                            nominal=nominal,
                            family_name=data.get("family_name", ""),
                            given_names=data.get("given_names", ""),
                            date_of_birth=data.get("date_of_birth"),
                            online_identifiers=data["online_identifiers"],
                        )
                    ],
                    children=[
                        services.ChildDetails(description=line.strip())
                        for line in data["children"].splitlines()
                        if line.strip()
                    ],
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            linked = f" It is linked to {referral.linked_to}." if referral.linked_to else ""
            messages.success(request, f"Referral {referral.reference} was received.{linked}")
            return redirect("ocsea:referral-detail", pk=referral.pk)
    return render(
        request,
        "ocsea/referral_form.html",
        {"form": form, "nominal": nominal, "title": "Receive a referral"},
    )


@login_required
@verb_required("triage_referral")
@require_http_methods(["GET", "POST"])
def referral_triage(request: HttpRequest, pk: Any) -> HttpResponse:
    """Step 1 chooses the instrument when more than one suits the suspects; step 2 is the
    instrument itself, a section per fieldset."""
    referral = _referral(request, pk)
    if asked := _consult(request, referral, "triage"):
        return asked
    suitable = selectors.suitable_packs(referral)
    code = request.GET.get("pack_code") or (suitable[0].code if len(suitable) == 1 else "")
    pack = next((p for p in suitable if p.code == code), None)
    if pack is None:
        choice = f.PackChoiceForm(request.GET or None, packs=suitable)
        return render(
            request,
            "ocsea/pack_choice.html",
            {"form": choice, "referral": referral, "title": "Choose the instrument"},
        )
    form = AssessmentForm(pack, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.referral_triage(
                actor=_actor(request),
                referral=referral,
                pack_code=pack.code,
                answers=form.answers(),
                notes=form.cleaned_data.get("notes", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Triaged: {review.get_band_display().lower()} band "
                f"(score {review.assessment.score if review.assessment else '-'}).",
            )
            return redirect("ocsea:referral-detail", pk=referral.pk)
    return render(
        request,
        "ocsea/triage_form.html",
        {
            "form": form,
            "pack": pack,
            "referral": referral,
            "title": f"Triage with {pack.name}",
            "clock": selectors.referral_clock(referral, active_policy()),
        },
    )


def _post(request: HttpRequest) -> Any:
    return request.POST or None


@login_required
@verb_required("investigate", "triage_referral")
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral(request, pk)
    form = f.ReviewForm(
        _post(request), initial={"reviewed_on": clock.today(), "band": referral.band}
    )
    return _form_page(
        request,
        referral,
        form,
        "Record a risk review",
        lambda d: services.risk_review_record(
            actor=_actor(request),
            referral=referral,
            kind=d["kind"],
            reviewed_on=d["reviewed_on"],
            notes=d["notes"],
            band=d["band"],
        ),
        done="The risk review was recorded.",
        extra={"rescore_url": reverse("ocsea:review-rescore", kwargs={"pk": referral.pk})},
    )


@login_required
@verb_required("investigate", "triage_referral")
@require_http_methods(["GET", "POST"])
def review_rescore(request: HttpRequest, pk: Any) -> HttpResponse:
    """A risk review that re-runs the instrument: the new score sets the band."""
    referral = _referral(request, pk)
    if asked := _consult(request, referral, "risk review with the instrument"):
        return asked
    suitable = selectors.suitable_packs(referral)
    code = request.GET.get("pack_code") or (suitable[0].code if len(suitable) == 1 else "")
    pack = next((p for p in suitable if p.code == code), None)
    if pack is None:
        choice = f.PackChoiceForm(request.GET or None, packs=suitable)
        return render(
            request,
            "ocsea/pack_choice.html",
            {"form": choice, "referral": referral, "title": "Choose the instrument"},
        )
    form = f.RescoreForm(pack, _post(request), initial={"reviewed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.risk_review_record(
                actor=_actor(request),
                referral=referral,
                kind=form.cleaned_data["kind"],
                reviewed_on=form.cleaned_data["reviewed_on"],
                notes=form.cleaned_data["notes"],
                pack_code=pack.code,
                answers=form.answers(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"The review was recorded: {review.get_band_display().lower()} band."
            )
            return redirect("ocsea:referral-detail", pk=referral.pk)
    return render(
        request,
        "ocsea/triage_form.html",
        {
            "form": form,
            "pack": pack,
            "referral": referral,
            "title": f"Risk review with {pack.name}",
            "submit": "Record the review",
            "clock": selectors.referral_clock(referral, active_policy()),
        },
    )


@login_required
@verb_required("oversee_investigations")
@require_http_methods(["GET", "POST"])
def allocate(request: HttpRequest, pk: Any) -> HttpResponse:
    referral = _referral(request, pk)
    form = f.AllocateForm(
        _post(request),
        user=request.user,
        initial={"team": referral.team_id, "officer": referral.officer_id},
    )
    return _form_page(
        request,
        referral,
        form,
        "Allocate the investigation",
        lambda d: services.referral_allocate(actor=_actor(request), referral=referral, **d),
        done="The investigation was allocated.",
    )


PICKER_SIZE = 20  # people offered at most by the "Add a suspect" search


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
@verb_required("triage_referral", "investigate")
@require_http_methods(["GET", "POST"])
def suspect_create(request: HttpRequest, pk: Any) -> HttpResponse:
    """Add a suspect: search the person records the user may see (the search and the people
    it shows are logged, as on the people pages) and choose one, or enter a new person."""
    referral = _referral(request, pk)
    query = " ".join(request.GET.get("q", "").split())[:100]
    matches: list[Nominal] = []
    found = 0
    if request.method == "POST":
        # The choice made from the search shown (and logged) before: the search is not run
        # and logged again on every save; only the person chosen, if the user may see them.
        chosen = request.POST.get("nominal", "")
        visible = Nominal.objects.visible_to(request.user)
        matches = list(visible.filter(pk=chosen)) if _is_uuid(chosen) else []
        found = len(matches)
    elif query:
        if asked := _consult(request, referral, "add a suspect"):
            return asked
        results = people_selectors.nominal_list(user=request.user, query=query)
        found = results.count()
        matches = list(results[:PICKER_SIZE])
        people_services.nominal_searched(
            actor=_actor(request),
            query=query,
            result_count=found,
            shown=matches,
            via="ocsea add a suspect",
        )
    form = f.SuspectForm(
        _post(request),
        user=request.user,
        matches=matches,
        chosen=bool(request.POST.get("nominal")),
    )
    return _form_page(
        request,
        referral,
        form,
        "Add a suspect",
        lambda d: services.suspect_add(
            actor=_actor(request),
            referral=referral,
            details=services.SuspectDetails(
                age_group=d["age_group"],
                nominal=d.get("nominal"),
                family_name=d["family_name"],
                given_names=d["given_names"],
                date_of_birth=d["date_of_birth"],
                online_identifiers=d["online_identifiers"],
            ),
        ),
        template="ocsea/suspect_form.html",
        extra={"query": query, "found": found, "shown": len(matches), "size": PICKER_SIZE},
    )


# --- Suspects ---------------------------------------------------------------------------------


def _first_condition(d: dict[str, Any]) -> list[services.ConditionDetails]:
    """The condition a bail form imposes with the bail (more are added on the bail page)."""
    if not (d["condition_kind"] or d["condition_text"]):
        return []
    return [
        services.ConditionDetails(
            kind=d["condition_kind"],
            text=d["condition_text"],
            protects=d["condition_protects"],
            victims_views=d["condition_victims_views"],
        )
    ]


def _on_the_condition_fields(exc: ValidationError) -> ValidationError:
    """The service names the first condition's fields `condition_0_*`; the form `condition_*`."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {k.replace("condition_0_", "condition_"): v for k, v in exc.message_dict.items()}
    )


@login_required
@verb_required("investigate")
@require_http_methods(["GET", "POST"])
def bail_create(request: HttpRequest, pk: Any) -> HttpResponse:
    suspect = _within(request, Suspect, pk)
    referral = suspect.referral
    form = f.BailForm(_post(request), user=request.user, initial={"area": referral.area_id})

    def save(d: dict[str, Any]) -> Any:
        conditions = _first_condition(d)
        try:
            return services.bail_begin(
                actor=_actor(request),
                suspect=suspect,
                kind=d["kind"],
                area=d["area"],
                released_on=d["released_on"],
                designated=bool(d["designated"]),
                conditions=conditions,
            )
        except ValidationError as exc:
            raise _on_the_condition_fields(exc) from None

    return _form_page(
        request,
        referral,
        form,
        f"Bail or release {suspect.nominal}",
        save,
        done="Recorded. The bail clock and its checks are on the record.",
    )


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


def _bail_page(
    request: HttpRequest,
    bail: Bail,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str] = "",
) -> HttpResponse:
    back = reverse("ocsea:bail-detail", kwargs={"pk": bail.pk})
    return _form_page(
        request,
        bail.suspect.referral,
        form,
        title,
        save,
        back=back,
        done=done,
        extra={"bail": bail},
    )


@login_required
@verb_required("investigate")
@require_http_methods(["GET", "POST"])
def condition_create(request: HttpRequest, pk: Any) -> HttpResponse:
    bail = _within(request, Bail, pk)
    form = f.ConditionForm(_post(request), initial={"imposed_on": clock.today()})

    def save(d: dict[str, Any]) -> Any:
        imposed_on = d.pop("imposed_on")
        return services.bail_condition_add(
            actor=_actor(request),
            bail=bail,
            details=services.ConditionDetails(**d),
            imposed_on=imposed_on,
        )

    return _bail_page(request, bail, form, "Add a bail condition", save)


@login_required
@verb_required("investigate")
@require_http_methods(["GET", "POST"])
def bail_extend(request: HttpRequest, pk: Any) -> HttpResponse:
    bail = _within(request, Bail, pk)
    form = f.ExtensionForm(_post(request), initial={"authorised_on": clock.today()})

    def save(d: dict[str, Any]) -> Any:
        ticked = set(d.pop("conditions"))
        values = {**d, **{name: name in ticked for name in services.EXTENSION_CONDITIONS}}
        details = services.ExtensionDetails(**values)
        try:
            return services.bail_extend(actor=_actor(request), bail=bail, details=details)
        except ValidationError as exc:
            raise _one_conditions_error(exc) from None

    return _bail_page(request, bail, form, "Extend the bail period", save)


def _one_conditions_error(exc: ValidationError) -> ValidationError:
    """The service names each unconfirmed condition; the page's checkbox group shows one
    error naming the group and what is not yet confirmed."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = exc.message_dict
    missing = [wording for name, wording in services.EXTENSION_CONDITIONS.items() if name in errors]
    if not missing:
        return exc
    rest = {k: v for k, v in errors.items() if k not in services.EXTENSION_CONDITIONS}
    rest["conditions"] = [
        "Select all four conditions for the extension (not selected: " + "; ".join(missing) + ")"
    ]
    return ValidationError(rest)


@login_required
@verb_required("investigate")
@require_http_methods(["GET", "POST"])
def court_decision(request: HttpRequest, pk: Any) -> HttpResponse:
    extension = _within(request, BailExtension, pk)
    form = f.CourtDecisionForm(_post(request), initial={"decided_on": clock.today()})

    def save(d: dict[str, Any]) -> Any:
        if d["granted"] and d["end_date"] is None:
            raise ValidationError({"end_date": "Enter the end date in the court's order"})
        return services.court_decision_record(
            actor=_actor(request),
            extension=extension,
            decided_on=d["decided_on"],
            end_date=d["end_date"] if d["granted"] else None,
        )

    return _bail_page(request, extension.bail, form, "Record the court's decision", save)


@login_required
@verb_required("investigate")
@require_http_methods(["GET", "POST"])
def bail_rebail(request: HttpRequest, pk: Any) -> HttpResponse:
    """Bail a suspect released under investigation: the clock continues from the arrest."""
    rui = _within(request, Bail, pk)
    form = f.RebailForm(
        _post(request),
        user=request.user,
        initial={"bailed_on": clock.today(), "area": rui.area_id},
    )

    def save(d: dict[str, Any]) -> Any:
        conditions = _first_condition(d)
        try:
            return services.bail_from_rui(
                actor=_actor(request),
                rui=rui,
                bailed_on=d["bailed_on"],
                rearrested_on=d["rearrested_on"],
                area=d["area"],
                designated=bool(d["designated"]),
                conditions=conditions,
                note=d["note"],
            )
        except ValidationError as exc:
            raise _on_the_condition_fields(exc) from None

    pack = active_policy()
    return _form_page(
        request,
        rui.suspect.referral,
        form,
        f"Bail {rui.suspect.nominal} from release under investigation",
        save,
        back=reverse("ocsea:bail-detail", kwargs={"pk": rui.pk}),
        then=lambda bail: reverse("ocsea:bail-detail", kwargs={"pk": bail.pk}),
        done=lambda bail: _rebailed(bail, pack),
        template="ocsea/rebail_form.html",
        extra={"bail": rui, "rebail": selectors.rebail_clock(rui, pack), "today": clock.today()},
    )


def _rebailed(bail: Bail, pack: Any) -> str:
    end = bail_periods(bail, pack)[-1].end
    return (
        f"Bailed. The bail start date stays {bail.start_date:%-d %b %Y}, the day after the "
        "arrest; the bail period ends "
        + (f"{end:%-d %b %Y}." if end else "when the court decides.")
    )
