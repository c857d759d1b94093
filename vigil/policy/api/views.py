from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.policy.pack import active


class RuleSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.JSONField()
    unit = serializers.CharField()
    description = serializers.CharField()  # type: ignore[assignment]
    source = serializers.CharField()  # type: ignore[assignment]
    confidence = serializers.CharField()
    overridden = serializers.BooleanField()


class PolicySerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]
    version = serializers.CharField()
    rules = RuleSerializer(many=True)


class PolicyView(APIView):
    """The active policy pack: every threshold, its source and confidence."""

    @extend_schema(responses=PolicySerializer)
    def get(self, request: Request) -> Response:
        pack = active()
        return Response(
            PolicySerializer(
                {"label": pack.label, "version": pack.version, "rules": list(pack.rules.values())}
            ).data
        )
