from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.people import selectors, services
from vigil.people import writes as people_writes
from vigil.people.api.serializers import (
    LimitedAccessSerializer,
    NominalCreateSerializer,
    NominalSerializer,
    NominalSummarySerializer,
    NominalUpdateSerializer,
    WriteResultSerializer,
)
from vigil.people.models import IdentifierKind, Nominal
from vigil.writes import api_action


def _actor(request: Request) -> User:
    return cast(User, request.user)  # IsAuthenticated has run: never anonymous here


PURPOSE_HEADERS = [
    OpenApiParameter(
        "X-Vigil-Purpose",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        enum=list(purposes.Purpose.values),
        description="Why you are consulting this record (recorded in the audit log).",
    ),
    OpenApiParameter(
        "X-Vigil-Purpose-Detail",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="More detail; required when the purpose is `other`.",
    ),
]


class NominalViewSet(mixins.ListModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Nominal records: find, create, view (with a stated purpose), change, limit access."""

    model = Nominal
    required_verbs = {
        "list": ("view_nominal",),
        "retrieve": ("view_nominal",),
        "create": ("record_nominal",),
        "partial_update": ("record_nominal",),
        "limited_access": ("manage_limited_access",),
    }
    scope_actions = {
        "partial_update": "change",
        "limited_access": "restrict",
    }
    serializer_class = NominalSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "list":
            return selectors.nominal_list(user=self.request.user, query=self._search_text())
        return super().get_queryset()

    def _search_text(self) -> str:
        """The API searches, as the pages do; it does not page through the whole force."""
        query = " ".join(self.request.query_params.get("q", "").split())
        if len(query) < 2 or "\x00" in query:
            raise ValidationError(
                {"q": "Enter at least 2 characters of a name, identifier or postcode"}
            )
        return query

    def get_serializer_class(self) -> Any:
        return {
            "list": NominalSummarySerializer,
            "create": NominalCreateSerializer,
            "partial_update": NominalUpdateSerializer,
            "limited_access": LimitedAccessSerializer,
        }.get(self.action or "", NominalSerializer)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                pattern=r"^[^\x00]*[^\s\x00][^\x00]*[^\s\x00][^\x00]*$",
                description="Name, identifier or postcode: at least 2 characters besides spaces",
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator: Any = self.paginator  # PageNumberPagination, from the settings
        shown = paginator.paginate_queryset(self.get_queryset(), request, view=self)
        services.nominal_searched(
            actor=_actor(request),
            query=self._search_text(),
            result_count=paginator.page.paginator.count,
            shown=shown,
            via="api",
        )
        return paginator.get_paginated_response(NominalSummarySerializer(shown, many=True).data)

    @extend_schema(parameters=PURPOSE_HEADERS, responses=NominalSerializer)
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        nominal = self.get_object()
        purpose = request.headers.get("X-Vigil-Purpose", "")
        detail = request.headers.get("X-Vigil-Purpose-Detail", "")
        errors = purposes.validate(purpose, detail)
        if errors:
            raise ValidationError(
                {
                    f"X-Vigil-Purpose{'-Detail' if k == 'detail' else ''}": v
                    for k, v in errors.items()
                }
            )
        services.nominal_consulted(
            actor=_actor(request),
            nominal=nominal,
            stated=purposes.StatedPurpose(purpose, detail),
            via="api",
        )
        return Response(NominalSerializer(nominal).data)

    @extend_schema(request=NominalCreateSerializer, responses={201: NominalSerializer})
    def create(self, request: Request) -> Response:
        serializer = NominalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pnc = data.pop("pnc", "")
        nominal = services.nominal_create(
            actor=_actor(request), identifiers=[(IdentifierKind.PNC, pnc)] if pnc else None, **data
        )
        return Response(NominalSerializer(nominal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NominalUpdateSerializer, responses=WriteResultSerializer)
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        nominal = self.get_object()
        serializer = NominalUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        nominal = services.nominal_update(
            actor=_actor(request), nominal=nominal, expected_version=version, **data
        )
        # Only the new version: showing the record is a consultation, with its own purpose.
        return Response(WriteResultSerializer(nominal).data)

    aliases = api_action(people_writes.ALIAS, url_path="aliases")
    identifiers = api_action(people_writes.IDENTIFIER, url_path="identifiers")
    addresses = api_action(people_writes.ADDRESS, url_path="addresses")

    @extend_schema(request=LimitedAccessSerializer, responses=WriteResultSerializer)
    @action(detail=True, methods=["post"], url_path="limited-access")
    def limited_access(self, request: Request, pk: Any = None) -> Response:
        nominal = self.get_object()
        serializer = LimitedAccessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data

        def users(names: list[str], field: str) -> list[User]:
            found = list(User.objects.filter(username__in=names, force_id=nominal.force_id))
            missing = set(names) - {u.username for u in found}
            if missing:
                raise ValidationError({field: f"No such users: {', '.join(sorted(missing))}"})
            return found

        nominal = services.nominal_set_limited_access(
            actor=_actor(request),
            nominal=nominal,
            limited=data["limited"],
            reason=data.get("reason", ""),
            restricted_to=users(data.get("restricted_to", []), "restricted_to"),
            excluded_from=users(data.get("excluded_from", []), "excluded_from"),
            expected_version=data["version"],
        )
        return Response(WriteResultSerializer(nominal).data)
