"""The obligation engine's API bodies: an obligation as every list and page shows it (its
status from the one status function), the risk level x band table, and the escalations."""

from __future__ import annotations

from rest_framework import serializers

from vigil.core import api as core_api
from vigil.obligations.models import (
    Escalation,
    EscalationReason,
    GroupAcknowledgement,
    Obligation,
    Rung,
)
from vigil.obligations.presentation import status_view
from vigil.obligations.status import days_overdue


class ObligationSerializer(core_api.ModelSerializer):
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    days_overdue = serializers.SerializerMethodField()
    owner_team = core_api.CharField(source="owner_team.name")
    owner_user = core_api.CharField(source="owner_user.username", allow_null=True)

    class Meta:
        model = Obligation
        fields = [
            "id",
            "version",
            "subject_type",
            "subject_id",
            "subject_label",
            "person_id",
            "kind",
            "label",
            "rule_id",
            "due_date",
            "due_at",
            "met_date",
            "met_at",
            "status",
            "status_label",
            "days_overdue",
            "risk_level",
            "owner_team",
            "owner_user",
            "policy_version",
            "policy_keys",
            "waived_at",
            "waiver_role",
            "waiver_rationale",
        ]
        read_only_fields = fields

    def get_status(self, obj: Obligation) -> str:
        return status_view(obj, self.context["today"]).code

    def get_status_label(self, obj: Obligation) -> str:
        return status_view(obj, self.context["today"]).label

    def get_days_overdue(self, obj: Obligation) -> int:
        return days_overdue(obj, self.context["today"])


class WaiveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    rationale = core_api.CharField(max_length=1000)


class BandCellSerializer(serializers.Serializer):
    risk = core_api.CharField()
    status = core_api.CharField()
    count = serializers.IntegerField()


class BandRowSerializer(serializers.Serializer):
    risk = core_api.CharField()
    label = core_api.CharField()  # type: ignore[assignment]
    cells = BandCellSerializer(many=True)
    total = serializers.IntegerField()


class RiskBandTableSerializer(serializers.Serializer):
    bands = serializers.ListField(child=serializers.DictField())
    rows = BandRowSerializer(many=True)
    totals = BandRowSerializer()


class EscalationSerializer(core_api.ModelSerializer):
    obligation = ObligationSerializer()
    acknowledged_by = core_api.CharField(source="acknowledged_by.username", allow_null=True)
    resolved_by = core_api.CharField(source="resolved_by.username", allow_null=True)

    class Meta:
        model = Escalation
        fields = [
            "id",
            "rung",
            "reason",
            "detail",
            "raised_on",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "resolution",
            "obligation",
        ]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    resolution = core_api.CharField(max_length=1000)


class AcknowledgeSerializer(serializers.Serializer):
    """An acknowledgement says nothing more than who and when."""


class GroupAcknowledgeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rung = serializers.ChoiceField(choices=Rung.choices)
    team = serializers.UUIDField()
    kind = core_api.CharField(max_length=60)
    reason = serializers.ChoiceField(choices=EscalationReason.choices)
    note = core_api.CharField(max_length=1000)


class GroupAcknowledgementSerializer(core_api.ModelSerializer):
    acknowledged_by = core_api.CharField(source="acknowledged_by.username")
    team = core_api.CharField(source="team.name")

    class Meta:
        model = GroupAcknowledgement
        fields = [
            "id",
            "created_at",
            "acknowledged_by",
            "rung",
            "team",
            "kind",
            "reason",
            "note",
            "count",
        ]


class EscalationGroupSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rung = core_api.CharField()
    team_id = serializers.UUIDField()
    team = core_api.CharField()
    kind = core_api.CharField()
    reason = core_api.CharField()
    total = serializers.IntegerField()
    new = serializers.IntegerField(help_text="Not yet acknowledged")
    oldest = serializers.DateField(help_text="When the oldest was raised")
