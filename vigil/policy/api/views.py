from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.core import api as core_api
from vigil.policy.pack import active


class RuleSerializer(serializers.Serializer):
    key = core_api.CharField()
    value = serializers.JSONField()
    unit = core_api.CharField()
    description = core_api.CharField()  # type: ignore[assignment]
    source = core_api.CharField()  # type: ignore[assignment]
    confidence = core_api.CharField()
    overridden = serializers.BooleanField()


class PolicySerializer(serializers.Serializer):
    label = core_api.CharField()  # type: ignore[assignment]
    version = core_api.CharField()
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
