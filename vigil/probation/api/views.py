"""The probation partnership in the API: the agreement (read, make or change, a joint
review recorded), the exchanges (each side's box, one, raise, answer) and the reviews. The
same scopes and writes as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.core import clock
from vigil.probation import selectors, services, writes
from vigil.probation.api.serializers import (
    AgreementSerializer,
    ExchangeSerializer,
    JointReviewSerializer,
)
from vigil.probation.models import Agreement, Exchange, JointReview
from vigil.writes import api_action, api_create

VIEW = ("view_partnership",)


class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The force's agreement with the Probation Service (one, or none yet)."""

    model = Agreement
    serializer_class = AgreementSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("probation_team", "police_team")

    create = api_create(writes.AGREEMENT)
    review = api_action(writes.REVIEW, url_path="review")


class ExchangeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Exchanges under the agreement, as the user's side sees them: the person as shared
    (name and register reference), the clock, and how far a late answer has climbed."""

    model = Exchange
    serializer_class = ExchangeSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW}
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        found = (
            super()
            .get_queryset()
            .select_related("agreement", "registration", "raised_by", "answered_by")
        )
        if self.action == "list":
            box = self.request.query_params.get("box", "")
            if box:
                if box not in selectors.BOXES:
                    raise ValidationError(
                        {"box": [f"Must be one of {', '.join(selectors.BOXES)}."]}
                    )
                agreement = services.agreement_of(getattr(self.request.user, "force_id", None))
                if agreement is None:
                    return found.none()
                found = selectors.exchanges_for(
                    user=self.request.user, agreement=agreement, box=box
                )
        return found

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "clocks": {}}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "box",
                OpenApiTypes.STR,
                enum=list(selectors.BOXES),
                description="inbox: for your side to answer; outbox: raised by your side, "
                "open; answered",
            )
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        agreement = services.agreement_of(getattr(request.user, "force_id", None))
        # every row's clock read at once (the escalations of their obligations)
        clocks = selectors.clocks(rows, agreement, clock.today()) if agreement else {}
        context = {**self.get_serializer_context(), "clocks": clocks}
        data = ExchangeSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    create = api_create(writes.RAISE)
    answer = api_action(writes.ANSWER, url_path="answer")


class JointReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """The joint reviews of the agreement, newest first, each with the figures it was
    given."""

    model = JointReview
    serializer_class = JointReviewSerializer
    required_verbs = {"list": VIEW, "retrieve": VIEW}

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("recorded_by")
