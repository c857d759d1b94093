"""The recommendations scorecard in the API: the same figures as the page, suppressed the
same way for a viewer who sees aggregates only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.api.permissions import HasVerb
from vigil.assurance.selectors import PERIODS, scorecard
from vigil.core import clock
from vigil.policy.pack import active as active_policy


class FigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    metric = serializers.CharField(source="metric.id")
    metric_label = serializers.CharField(source="metric.label")
    unit = serializers.CharField(source="metric.unit")
    shown = serializers.CharField(help_text="The value as the viewer may see it")
    value = serializers.SerializerMethodField()
    numerator = serializers.SerializerMethodField()
    denominator = serializers.SerializerMethodField()
    rag = serializers.CharField(help_text="green, amber, red, or empty when not judged")
    suppressed = serializers.BooleanField(help_text="A count of one to four, not shown")

    def get_value(self, f: Any) -> float | None:
        return None if f.suppressed else f.reading.value

    def get_numerator(self, f: Any) -> float | None:
        return None if f.suppressed else f.reading.numerator

    def get_denominator(self, f: Any) -> int | None:
        return None if f.suppressed else f.reading.denominator


class RowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recommendation = serializers.CharField(source="recommendation.id")
    item = serializers.CharField(source="recommendation.item")
    due = serializers.DateField(source="recommendation.due")
    rag = serializers.CharField()
    figures = FigureSerializer(many=True)


class ScorecardView(APIView):
    """Every recommendation item (R1 to R17) with its evidence for the user's force: work
    that fell due in the period (`days`: 30, 90 or 365), and open work today."""

    permission_classes = [HasVerb]
    required_verbs = ("view_aggregates",)

    @extend_schema(
        parameters=[OpenApiParameter("days", OpenApiTypes.INT, enum=list(PERIODS))],
        responses=RowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("days") or "90"  # given and not empty, else 90
        if raw not in {str(p) for p in PERIODS}:
            raise ValidationError({"days": [f"Must be one of {', '.join(map(str, PERIODS))}."]})
        rows = scorecard(
            user=request.user, today=clock.today(), days=int(raw), pack=active_policy()
        )
        return Response(RowSerializer(rows, many=True).data)
