"""RSO records over the API: the caseload, one record (with a stated purpose), registering a
person and changing the record, recording the work on it (visits, ARMS assessments, plans,
notifications, PND checks, intelligence, breaches), the decisions on that work (reviews,
authorisations, assessments, the s.96B warrant decision, ViSOR entry) and moves to another
team or force; the same services, access rules and audit as the pages.

Work on a record is found only through `Registration.objects.visible_to(user)`, so what the
user may not see is a 404; a transfer through the forces it is between, less the people the
user is kept out of. Service errors become 400s naming the field, a refusal a 403 and a stale
version a 409 (`vigil.core.api.exception_handler`)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import F, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import verbs_of
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.core import clock
from vigil.obligations.api.views import ObligationSerializer
from vigil.offenders import selectors, writes
from vigil.offenders.api.serializers import (
    EligibilitySerializer,
    RegistrationSerializer,
    RegistrationSummarySerializer,
    TransferSerializer,
)
from vigil.offenders.models import (
    Registration,
    Transfer,
)
from vigil.offenders.reactive import reactive_eligibility
from vigil.people import services as people_services
from vigil.people.api.views import PURPOSE_HEADERS
from vigil.policy.pack import active as active_policy
from vigil.writes import api_action, api_create, api_update


def _actor(request: Request) -> User:
    return cast(User, request.user)


# A piece of work or a transfer named in the path (not the registration).
BY_ID = r"(?P<pk>[^/.]+)"

DECIDERS = ("manage_rso", "transfer_rso")


class RegistrationViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    model = Registration
    serializer_class = RegistrationSerializer
    required_verbs = {
        "list": ("manage_rso", "review_rso_work"),
        "retrieve": ("manage_rso", "review_rso_work"),
        "reactive_eligibility": ("authorise_reactive",),
        # The sending force's managers ask and withdraw; the receiving force's supervisors
        # accept or decline (the service holds each side to its verb).
        "transfers": DECIDERS,
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            query = " ".join(self.request.query_params.get("q", "").split())[:100]
            scope = self.request.query_params.get("scope") or ("all" if query else "mine")
            return selectors.caseload(
                user=self.request.user, scope=scope, today=clock.today(), query=query
            )
        return super().get_queryset().select_related("nominal")

    def get_serializer_class(self) -> Any:
        return RegistrationSummarySerializer if self.action == "list" else RegistrationSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def _transfers(self) -> QuerySet[Transfer]:
        """Transfers between the user's force and another, incoming and outgoing, as the
        transfers page lists them."""
        return (
            Transfer.objects.visible_to(self.request.user)
            .exclude(from_force=F("to_force"))
            .select_related("registration__nominal", "from_force", "to_force")
        )

    # --- the register record ---------------------------------------------------------------

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scope",
                str,
                enum=["mine", "team", "all"],
                description="mine (the default without q), team or all (the default with q)",
            ),
            OpenApiParameter(
                "q",
                str,
                description="a name, alias, PNC or other identifier, postcode or register "
                "reference (at most 100 characters)",
            ),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("scope") not in (None, "", "mine", "team", "all"):
            raise ValidationError({"scope": "Choose mine, team or all"})
        if len(request.query_params.get("q", "")) > 100:
            raise ValidationError({"q": "Search for at most 100 characters"})
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        query = " ".join(request.query_params.get("q", "").split())
        if query:
            people_services.nominal_searched(
                actor=_actor(request),
                query=query,
                result_count=paginator.page.paginator.count,
                shown=[r.nominal for r in shown],
                via="api rso register",
            )
        else:
            people_services.nominals_listed(
                actor=_actor(request), nominals=[r.nominal for r in shown], via="api caseload"
            )
        return paginator.get_paginated_response(
            RegistrationSummarySerializer(shown, many=True).data
        )

    def _consulted(self, request: Request, registration: Registration, via: str) -> None:
        """A read of the record: its stated purpose checked and the consultation audited."""
        purpose = request.headers.get("X-Vigil-Purpose", "")
        detail = request.headers.get("X-Vigil-Purpose-Detail", "")
        errors = purposes.validate(purpose, detail, verbs_of(request.user))
        if errors:
            raise ValidationError({"X-Vigil-Purpose": list(errors.values())})
        people_services.nominal_consulted(
            actor=_actor(request),
            nominal=registration.nominal,
            stated=purposes.StatedPurpose(purpose, detail),
            via=via,
        )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=RegistrationSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        registration = self.get_object()
        self._consulted(request, registration, "api rso")
        data = dict(RegistrationSerializer(registration).data)
        data["open_obligations"] = ObligationSerializer(
            selectors.open_obligations(registration), many=True, context={"today": clock.today()}
        ).data
        return Response(data)

    create = api_create(writes.REGISTER, subject_field="nominal")
    partial_update = api_update(writes.REGISTRATION_EDIT)

    # --- work recorded on the record -------------------------------------------------------

    notifications = api_action(writes.NOTIFICATION, url_path="notifications")
    pnd_checks = api_action(writes.PND_CHECK, url_path="pnd-checks")
    mappa_meetings = api_action(writes.MAPPA_MEETING, url_path="mappa-meetings")
    intelligence = api_action(writes.INTELLIGENCE, url_path="intelligence")
    concerns = api_action(writes.CONCERN, url_path="concerns")
    breaches = api_action(writes.BREACH, url_path="breaches")
    indefinite_reviews = api_action(writes.INDEFINITE_REVIEW, url_path="indefinite-reviews")
    indefinite_review_determine = api_action(
        writes.INDEFINITE_REVIEW_DETERMINE,
        url_path=f"indefinite-reviews/{BY_ID}/determine",
        url_name="indefinite-review-determine",
        name="indefinite_review_determine",
    )
    end = api_action(writes.REGISTRATION_END, url_path="end")
    reactive = api_action(writes.REACTIVE, url_path="reactive")
    move = api_action(writes.MOVE, url_path="move")
    transfer = api_action(writes.TRANSFER_REQUEST, url_path="transfer")

    visits = api_action(writes.VISIT, url_path="visits")
    arms = api_action(writes.ARMS, url_path="arms")
    rmps = api_action(writes.RMP, url_path="rmps")
    arms_complete = api_action(
        writes.ARMS_DRAFT,
        url_path=f"arms/{BY_ID}/complete",
        url_name="arms-complete",
        name="arms_complete",
    )
    rmp_complete = api_action(
        writes.RMP_DRAFT,
        url_path=f"rmps/{BY_ID}/complete",
        url_name="rmp-complete",
        name="rmp_complete",
    )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=EligibilitySerializer)
    @action(detail=True, methods=["get"], url_path="reactive-eligibility")
    def reactive_eligibility(self, request: Request, pk: Any = None) -> Response:
        """Whether the RSO may be managed reactively now: each condition met or not met. A
        consultation of the record, with its stated purpose."""
        registration = self.get_object()
        self._consulted(request, registration, "api rso reactive eligibility")
        eligibility = reactive_eligibility(registration, active_policy(), clock.today())
        return Response(
            EligibilitySerializer(
                {
                    "eligible": eligibility.eligible,
                    "since": eligibility.since,
                    "met": eligibility.met,
                    "shortfalls": eligibility.shortfalls,
                }
            ).data
        )

    # --- decisions on the work -------------------------------------------------------------

    visit_review = api_action(
        writes.VISIT_REVIEW,
        url_path=f"visits/{BY_ID}/review",
        url_name="visit-review",
        name="visit_review",
    )
    arms_review = api_action(
        writes.ARMS_REVIEW,
        url_path=f"arms/{BY_ID}/review",
        url_name="arms-review",
        name="arms_review",
    )
    rmp_review = api_action(
        writes.RMP_REVIEW,
        url_path=f"rmps/{BY_ID}/review",
        url_name="rmp-review",
        name="rmp_review",
    )
    visit_authorise = api_action(
        writes.VISIT_AUTHORISE,
        url_path=f"visits/{BY_ID}/authorise",
        url_name="visit-authorise",
        name="visit_authorise",
    )
    visit_assess = api_action(
        writes.VISIT_ASSESS,
        url_path=f"visits/{BY_ID}/assess",
        url_name="visit-assess",
        name="visit_assess",
    )
    visit_warrant = api_action(
        writes.VISIT_WARRANT,
        url_path=f"visits/{BY_ID}/warrant",
        url_name="visit-warrant",
        name="visit_warrant",
    )
    pnd_assess = api_action(
        writes.PND_ASSESS,
        url_path=f"pnd-checks/{BY_ID}/assess",
        url_name="pnd-check-assess",
        name="pnd_assess",
    )
    mappa_action_done = api_action(
        writes.MAPPA_ACTION_DONE,
        url_path=f"mappa-actions/{BY_ID}/done",
        url_name="mappa-action-done",
        name="mappa_action_done",
    )
    breach_visor = api_action(
        writes.BREACH_VISOR,
        url_path=f"breaches/{BY_ID}/visor",
        url_name="breach-visor",
        name="breach_visor",
    )

    # --- moves and transfers ---------------------------------------------------------------

    @extend_schema(responses=TransferSerializer(many=True))
    @action(detail=False, methods=["get"])
    def transfers(self, request: Request) -> Response:
        """Transfers between the user's force and another, incoming and outgoing, newest
        first. Each person named is logged as listed."""
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self._transfers(), request, view=self)
        people_services.nominals_listed(
            actor=_actor(request),
            nominals=[t.registration.nominal for t in shown],
            via="api transfers",
        )
        return paginator.get_paginated_response(TransferSerializer(shown, many=True).data)

    transfer_accept = api_action(
        writes.TRANSFER_ACCEPT,
        url_path=f"transfers/{BY_ID}/accept",
        url_name="transfer-accept",
        name="transfer_accept",
    )
    transfer_decline = api_action(
        writes.TRANSFER_DECLINE,
        url_path=f"transfers/{BY_ID}/decline",
        url_name="transfer-decline",
        name="transfer_decline",
    )
