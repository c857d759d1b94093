from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.access import verbs_of
from vigil.core import api as core_api


class MembershipOut(serializers.Serializer):
    team = core_api.CharField()
    team_kind = core_api.CharField()
    role = core_api.CharField()


class MeSerializer(serializers.Serializer):
    username = core_api.CharField()
    display_name = core_api.CharField()
    force = core_api.CharField(allow_null=True)
    memberships = MembershipOut(many=True)
    verbs = serializers.ListField(child=core_api.CharField())


class MeView(APIView):
    """Who the caller is: their force, memberships and the verbs their roles give."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        memberships = user.memberships.select_related("team", "role")  # type: ignore[union-attr]
        return Response(
            {
                "username": user.username,
                "display_name": str(user),
                "force": str(user.force) if user.force_id else None,  # type: ignore[union-attr]
                "memberships": [
                    {"team": m.team.name, "team_kind": m.team.kind, "role": m.role.code}
                    for m in memberships
                ],
                "verbs": sorted(verbs_of(user)),  # type: ignore[arg-type]
            }
        )
