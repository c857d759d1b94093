"""The instruments in force over the API, read-only: the list of loaded packs, and one pack
in full with the current policy value of each band's timescale. Needs `view_ocsea`, as the
pages do. Assessments are recorded and read through the domain that asks for them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vigil.accounts.api.permissions import HasVerb
from vigil.core import api as core_api
from vigil.instruments.packs import Pack, UnknownPackError, available_packs, get_pack
from vigil.instruments.packs import policy_timescale as timescale_of
from vigil.policy.pack import active as active_policy


class PackSummarySerializer(serializers.Serializer):
    code = serializers.SlugField()
    kind = core_api.CharField()
    name = core_api.CharField()
    version = core_api.CharField()
    licence = core_api.CharField()
    illustrative = serializers.BooleanField()
    shipped = serializers.BooleanField(help_text="Shipped with Vigil, not loaded by the force")
    applies_to = serializers.ListField(child=serializers.ChoiceField(["adult", "child"]))
    digest = core_api.CharField(help_text="SHA-256 of the pack file")


_SUMMARY = (
    "code",
    "kind",
    "name",
    "version",
    "licence",
    "illustrative",
    "shipped",
    "applies_to",
    "digest",
)


class OptionSerializer(serializers.Serializer):
    id = core_api.CharField()
    label = core_api.CharField()  # type: ignore[assignment]
    points = serializers.IntegerField()
    flags = serializers.ListField(child=core_api.CharField())


class ItemSerializer(serializers.Serializer):
    id = core_api.CharField()
    text = core_api.CharField()
    hint = core_api.CharField(allow_blank=True)
    options = OptionSerializer(many=True)


class SectionSerializer(serializers.Serializer):
    id = core_api.CharField()
    title = core_api.CharField()
    description = core_api.CharField(allow_blank=True)
    items = ItemSerializer(many=True)


class OverrideSerializer(serializers.Serializer):
    item = core_api.CharField()
    options = serializers.ListField(child=core_api.CharField())
    band = core_api.CharField(help_text="The band these answers make it at least")
    reason = core_api.CharField()


class BandSerializer(serializers.Serializer):
    code = core_api.CharField()
    label = core_api.CharField()  # type: ignore[assignment]
    min_score = serializers.IntegerField()
    timescale = core_api.CharField(allow_blank=True, help_text="The policy key")
    timescale_value = serializers.JSONField(
        allow_null=True, help_text="The policy key's value in the policy in force"
    )
    timescale_unit = core_api.CharField(allow_blank=True)


class PackSerializer(PackSummarySerializer):
    description = core_api.CharField(allow_blank=True)
    min_score = serializers.IntegerField()
    max_score = serializers.IntegerField()
    policy_version = core_api.CharField()
    sections = SectionSerializer(many=True)
    overrides = OverrideSerializer(many=True)
    bands = BandSerializer(many=True)


def _detail(pack: Pack) -> dict[str, Any]:
    policy = active_policy()
    bands = []
    for band in pack.bands:
        value, unit = timescale_of(policy, band.timescale) if band.timescale else (None, "")
        bands.append(
            {
                "code": band.code,
                "label": band.label,
                "min_score": band.min_score,
                "timescale": band.timescale,
                "timescale_value": value,
                "timescale_unit": unit,
            }
        )
    return {
        **{name: getattr(pack, name) for name in _SUMMARY},
        "description": pack.description,
        "min_score": pack.min_score,
        "max_score": pack.max_score,
        "policy_version": policy.version,
        "sections": pack.sections,
        "overrides": pack.overrides,
        "bands": bands,
    }


class InstrumentListView(APIView):
    """The instrument packs in force (not paginated: a handful)."""

    permission_classes = [HasVerb]
    required_verbs = ("view_ocsea",)

    @extend_schema(responses=PackSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(PackSummarySerializer(available_packs(), many=True).data)


class InstrumentDetailView(APIView):
    """One instrument pack in full: questions, answers and points, overrides, bands."""

    permission_classes = [HasVerb]
    required_verbs = ("view_ocsea",)

    @extend_schema(responses=PackSerializer)
    def get(self, request: Request, code: str) -> Response:
        try:
            pack = get_pack(code)
        except UnknownPackError:
            raise NotFound("No such instrument.") from None
        return Response(PackSerializer(_detail(pack)).data)
