"""OCSEA referrals, investigations and bail over the API: the triage queue and the
investigations lists, one referral in full (with a stated purpose), receiving a referral and
every step of its investigation (triage, reviews, intelligence, allocation, action, planned
and recorded enforcement, oversight, suspects' arrest decisions, ratification and outcomes,
family support and vulnerabilities found later, closure), the bail dashboard and each bail's
conditions, checks, extensions and end, and bail from a release under investigation (ADR 13);
the same services, access rules and audit as the pages.

A referral is found only through `Referral.objects.visible_to(user)` (the user's force,
`view_ocsea`, none of its suspects kept from the user by limited access), a bail through the
referral of its suspect, and everything on them (a suspect, an enforcement, a family member, a
condition, a check, an extension) only within the referral or bail named in the path: what
the user may not see is a 404. Teams, areas, officers, people and reference data named in a
body are looked up within what the user may name, so another force's id is "does not exist",
as for an id that names nothing. Service errors become 400s naming the field, a refusal a 403
(`vigil.core.api.exception_handler`)."""

from __future__ import annotations

from typing import Any, cast

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import verbs_of
from vigil.accounts.api.permissions import HasVerb
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.core import api as core_api
from vigil.core import clock
from vigil.ocsea import selectors, writes
from vigil.ocsea.api.serializers import (
    BailDetailSerializer,
    BailRowSerializer,
    BailSerializer,
    LeafletSerializer,
    ReferralDetailSerializer,
    ReferralRowSerializer,
    ReferralSerializer,
    SupportOrganisationSerializer,
)
from vigil.ocsea.models import (
    Bail,
    BailKind,
    Leaflet,
    Referral,
    SupportOrganisation,
)
from vigil.people import services as people_services
from vigil.people.api.views import PURPOSE_HEADERS
from vigil.policy.pack import active as active_policy
from vigil.writes import api_action, api_create

# --- The views ----------------------------------------------------------------------------------


def _actor(request: Request) -> User:
    return cast(User, request.user)


def _stated_purpose(request: Request) -> purposes.StatedPurpose:
    purpose = request.headers.get("X-Vigil-Purpose", "")
    detail = request.headers.get("X-Vigil-Purpose-Detail", "")
    errors = purposes.validate(purpose, detail, verbs_of(request.user))
    if errors:
        raise ValidationError({"X-Vigil-Purpose": list(errors.values())})
    return purposes.StatedPurpose(purpose, detail)


# A record named in the path within the referral or bail (see vigil/writes.py `api_action`).
SUSPECT = r"suspects/(?P<suspect_id>[^/.]+)"
ENFORCEMENT = r"enforcements/(?P<enforcement_id>[^/.]+)"
MEMBER = r"family/(?P<member_id>[^/.]+)"
CHILD = r"children/(?P<child_id>[^/.]+)"
CONDITION = r"conditions/(?P<condition_id>[^/.]+)"
CHECK = r"checks/(?P<check_id>[^/.]+)"
EXTENSION = r"extensions/(?P<extension_id>[^/.]+)"

VIEW = ("view_ocsea",)
VIEWS = ("triage", *selectors.SCOPES)


class _Steps(ScopedGenericViewSet):  # type: ignore[misc]
    """What the referral and bail endpoints share: the serializer context (the user, today and
    the policy pack), and a record's answer."""

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "user": self.request.user,
            "today": clock.today(),
            "pack": active_policy(),
        }

    def _answer(self, serializer_class: Any, obj: Any, *, created: bool = False) -> Response:
        data = serializer_class(obj, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReferralViewSet(mixins.ListModelMixin, _Steps):  # type: ignore[misc]
    """OCSEA referrals: the triage queue and investigations, one referral in full, receipt and
    every step of the investigation."""

    model = Referral
    serializer_class = ReferralSerializer
    required_verbs = {
        "list": VIEW,
        "retrieve": VIEW,
    }
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        if self.action == "list":
            query = " ".join(self.request.query_params.get("q", "").split())
            view = self.request.query_params.get("view") or ("all" if query else "mine")
            if view == "triage":
                found = selectors.triage_queue(user=user)
            else:
                found = selectors.investigations(
                    user=user, scope=view, today=clock.today(), query=query
                )
            return found.select_related("linked_to")
        found = super().get_queryset().select_related("team", "officer", "linked_to")
        if self.action == "retrieve":
            found = found.prefetch_related(
                "suspects__nominal",
                "children",
                "reviews__assessment",
                "intelligence",
                "allocations__team",
                "allocations__officer",
                "oversight",
                "enforcements__family",
            )
        return found

    def get_serializer_class(self) -> Any:
        return ReferralRowSerializer if self.action == "list" else ReferralSerializer

    # --- reading -----------------------------------------------------------------------------

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "view",
                str,
                enum=list(VIEWS),
                description="triage: not yet actioned, most urgent first; mine, team, "
                "elsewhere (owned outside OCSEA) or all: open investigations, next due first "
                "(default mine; all with q)",
            ),
            OpenApiParameter(
                "q",
                str,
                description="every referral, closed ones too, by reference, source reference "
                "or a suspect's name, alias, identifier or postcode (at most 100 characters; "
                "not with view=triage)",
            ),
        ],
        responses=ReferralRowSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Referrals to triage or under investigation. Each suspect shown is logged as
        listed."""
        if (request.query_params.get("view") or "mine") not in VIEWS:
            raise ValidationError({"view": f"Choose {', '.join(VIEWS[:-1])} or {VIEWS[-1]}"})
        query = " ".join(request.query_params.get("q", "").split())
        if len(query) > 100:
            raise ValidationError({"q": "Search for at most 100 characters"})
        if query and request.query_params.get("view") == "triage":
            raise ValidationError({"q": "Search the investigations, not the triage queue"})
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        nominals = list(dict.fromkeys(s.nominal for r in shown for s in r.suspects.all()))
        if query:
            people_services.nominal_searched(
                actor=_actor(request),
                query=query,
                result_count=paginator.page.paginator.count,
                shown=nominals,
                via="api referral search",
            )
        else:
            people_services.nominals_listed(
                actor=_actor(request), nominals=nominals, via="api ocsea referrals"
            )
        return paginator.get_paginated_response(
            ReferralRowSerializer(shown, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(parameters=PURPOSE_HEADERS, responses=ReferralDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """The referral in full. Needs a stated purpose; each suspect's record is logged as
        consulted."""
        referral = self.get_object()
        stated = _stated_purpose(request)
        with transaction.atomic():
            for suspect in referral.suspects.all():
                people_services.nominal_consulted(
                    actor=_actor(request),
                    nominal=suspect.nominal,
                    stated=stated,
                    via="api ocsea referral",
                )
        return self._answer(ReferralDetailSerializer, referral)

    # --- receipt and triage ------------------------------------------------------------------

    create = api_create(writes.RECEIVE)
    triage = api_action(writes.TRIAGE, url_path="triage")
    reviews = api_action(writes.RISK_REVIEW, url_path="reviews")
    intelligence = api_action(writes.INTELLIGENCE, url_path="intelligence")
    oversight = api_action(writes.OVERSIGHT, url_path="oversight")
    actioned = api_action(writes.ACTION, url_path="action", name="actioned")
    plan_enforcement = api_action(writes.ENFORCEMENT_PLAN, url_path="plan-enforcement")
    enforcements = api_action(writes.ENFORCEMENT, url_path="enforcements")
    close = api_action(writes.CLOSE, url_path="close")
    arrest_decision = api_action(
        writes.ARREST_DECISION,
        url_path=f"{SUSPECT}/arrest-decision",
        url_name="suspect-arrest-decision",
        name="arrest_decision",
        record="suspect_id",
        under="referral",
    )
    ratify = api_action(
        writes.RATIFY,
        url_path=f"{SUSPECT}/ratify",
        url_name="suspect-ratify",
        name="ratify",
        record="suspect_id",
        under="referral",
    )
    outcome = api_action(
        writes.OUTCOME,
        url_path=f"{SUSPECT}/outcome",
        url_name="suspect-outcome",
        name="outcome",
        record="suspect_id",
        under="referral",
    )
    child_safeguarded = api_action(
        writes.CHILD_SAFEGUARDED,
        url_path=f"{CHILD}/safeguarded",
        url_name="child-safeguarded",
        name="child_safeguarded",
        record="child_id",
        under="referral",
    )
    family = api_action(
        writes.FAMILY_MEMBER,
        url_path=f"{ENFORCEMENT}/family",
        url_name="enforcement-family",
        name="family",
        record="enforcement_id",
        under="referral",
    )
    family_support = api_action(
        writes.FAMILY_SUPPORT,
        url_path=f"{ENFORCEMENT}/family-support",
        url_name="enforcement-family-support",
        name="family_support",
        record="enforcement_id",
        under="referral",
    )
    vulnerability = api_action(
        writes.FAMILY_VULNERABILITY,
        url_path=f"{ENFORCEMENT}/{MEMBER}/vulnerability",
        url_name="enforcement-family-vulnerability",
        name="vulnerability",
        record="member_id",
        under="enforcement__referral",
        also={"enforcement_id": "enforcement_id"},
    )
    marf = api_action(
        writes.MARF,
        url_path=f"{ENFORCEMENT}/{MEMBER}/marf",
        url_name="enforcement-family-marf",
        name="marf",
        record="member_id",
        under="enforcement__referral",
        also={"enforcement_id": "enforcement_id"},
    )

    # --- the investigation -------------------------------------------------------------------

    allocate = api_action(writes.ALLOCATE, url_path="allocate")
    suspects = api_action(writes.SUSPECT, url_path="suspects")


class BailViewSet(mixins.ListModelMixin, _Steps):  # type: ignore[misc]
    """Suspects on bail or released under investigation: the dashboard, one bail (with a
    stated purpose), and everything recorded on it."""

    model = Bail
    serializer_class = BailSerializer
    required_verbs = {
        "list": VIEW,
        "retrieve": VIEW,
    }
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return (
            super()
            .get_queryset()
            .select_related("suspect__nominal", "suspect__referral")
            .prefetch_related("extensions", "conditions", "checks", "rui_reviews")
        )

    def get_serializer_class(self) -> Any:
        return BailRowSerializer if self.action == "list" else BailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("area", OpenApiTypes.UUID, description="A local policing area"),
            OpenApiParameter("kind", str, enum=list(BailKind.values)),
        ],
        responses=BailRowSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The bail dashboard: bails run out without a decision first, then by the period's
        end. Each suspect shown is logged as listed."""
        filters = _DashboardFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.bail_dashboard(
            user=request.user,
            today=clock.today(),
            pack=active_policy(),
            area_id=filters.validated_data.get("area"),
            kind=filters.validated_data.get("kind", ""),
        )
        paginator: Any = self.paginator
        shown = paginator.paginate_queryset(rows, request, view=self)
        people_services.nominals_listed(
            actor=_actor(request),
            nominals=[row.bail.suspect.nominal for row in shown],
            via="api ocsea bails",
        )
        return paginator.get_paginated_response(BailRowSerializer(shown, many=True).data)

    @extend_schema(parameters=PURPOSE_HEADERS, responses=BailDetailSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        """One bail in full with its open work. Needs a stated purpose; the suspect's record
        is logged as consulted."""
        bail = self.get_object()
        people_services.nominal_consulted(
            actor=_actor(request),
            nominal=bail.suspect.nominal,
            stated=_stated_purpose(request),
            via="api ocsea bail",
        )
        return self._answer(BailDetailSerializer, bail)

    create = api_create(writes.BAIL, subject_field="suspect")
    conditions = api_action(writes.CONDITION, url_path="conditions")
    condition_remove = api_action(
        writes.CONDITION_REMOVE,
        url_path=f"{CONDITION}/remove",
        url_name="condition-remove",
        name="condition_remove",
        record="condition_id",
        under="bail",
    )
    checks = api_action(writes.CHECK, url_path="checks")
    breach_action = api_action(
        writes.BREACH_ACTION,
        url_path=f"{CHECK}/breach-action",
        url_name="check-breach-action",
        name="breach_action",
        record="check_id",
        under="bail",
    )
    end = api_action(writes.BAIL_END, url_path="end")
    rui_reviews = api_action(writes.RUI_REVIEW, url_path="rui-reviews")

    extend = api_action(writes.EXTEND, url_path="extend")
    court_decision = api_action(
        writes.COURT_DECISION,
        url_path=f"{EXTENSION}/court-decision",
        url_name="extension-court-decision",
        name="court_decision",
        record="extension_id",
        under="bail",
    )
    rebail = api_action(writes.REBAIL, url_path="rebail")


class _DashboardFilters(serializers.Serializer):
    area = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=BailKind.choices, required=False)


class SupportOrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Organisations a suspect's family can be signposted to: the force's active ones."""

    permission_classes = [HasVerb]
    required_verbs = VIEW
    serializer_class = SupportOrganisationSerializer

    def get_queryset(self) -> QuerySet[SupportOrganisation]:
        return core_api.active(SupportOrganisation.objects.visible_to(self.request.user))


class LeafletViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Leaflets given to a suspect's family: the force's active ones."""

    permission_classes = [HasVerb]
    required_verbs = VIEW
    serializer_class = LeafletSerializer

    def get_queryset(self) -> QuerySet[Leaflet]:
        return core_api.active(Leaflet.objects.visible_to(self.request.user))
