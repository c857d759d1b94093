from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.access import verbs_of
from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.accounts.models import User
from vigil.audit import purpose as purposes
from vigil.people import selectors, services
from vigil.people import writes as people_writes
from vigil.people.api.serializers import (
    NominalSerializer,
    NominalSummarySerializer,
)
from vigil.people.models import Nominal
from vigil.writes import api_action, api_create, api_update


def _actor(request: Request) -> User:
    return cast(User, request.user)  # IsAuthenticated has run: never anonymous here


PURPOSE_HEADERS = [
    OpenApiParameter(
        "X-Vigil-Purpose",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        enum=list(purposes.Purpose.values),
        description="Why you are consulting this record (recorded in the audit log); one that "
        "fits your role's work (a triage officer triages; an offender manager manages).",
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
        return NominalSummarySerializer if self.action == "list" else NominalSerializer

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
        errors = purposes.validate(purpose, detail, verbs_of(request.user))
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

    create = api_create(people_writes.NOMINAL)
    partial_update = api_update(people_writes.NOMINAL_EDIT)
    aliases = api_action(people_writes.ALIAS, url_path="aliases")
    identifiers = api_action(people_writes.IDENTIFIER, url_path="identifiers")
    addresses = api_action(people_writes.ADDRESS, url_path="addresses")

    limited_access = api_action(people_writes.LIMITED_ACCESS, url_path="limited-access")
