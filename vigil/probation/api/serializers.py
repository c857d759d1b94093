"""The probation partnership in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from vigil.core import api as core_api
from vigil.core.models import Team
from vigil.probation.models import Agreement, Exchange, ExchangeKind, JointReview, Priority


class AgreementInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=200)
    probation_party = serializers.CharField(max_length=200)
    probation_team = core_api.VisibleRelatedField(Team)
    police_team = core_api.VisibleRelatedField(Team)
    starts_on = serializers.DateField()
    urgent_working_days = serializers.IntegerField(min_value=1, required=False)
    standard_working_days = serializers.IntegerField(min_value=1, required=False)
    review_months = serializers.IntegerField(min_value=1, required=False)
    closures = serializers.ListField(child=serializers.DateField(), required=False)


class AgreementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    probation_team = serializers.CharField(source="probation_team.name")
    police_team = serializers.CharField(source="police_team.name")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "name",
            "probation_party",
            "probation_team",
            "police_team",
            "starts_on",
            "urgent_working_days",
            "standard_working_days",
            "review_months",
            "closures",
            "police_ladder",
            "probation_ladder",
            "version",
        ]
        read_only_fields = fields


class ExchangeInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    register_reference = serializers.CharField(max_length=40)
    kind = serializers.ChoiceField(choices=ExchangeKind.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    summary = serializers.CharField(max_length=200)
    detail = serializers.CharField(max_length=5000)


class AnswerSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField(max_length=5000)


class ExchangeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """What both sides see of an exchange: the person as shared (name and reference), never
    more of their record."""

    raised_by = serializers.CharField(source="raised_by.username")
    answered_by = serializers.CharField(source="answered_by.username", allow_null=True)
    status = serializers.SerializerMethodField()
    escalated_to = serializers.SerializerMethodField()

    class Meta:
        model = Exchange
        fields = [
            "id",
            "direction",
            "kind",
            "priority",
            "shared_as",
            "summary",
            "detail",
            "raised_by",
            "raised_on",
            "due_on",
            "status",
            "escalated_to",
            "answer",
            "answered_by",
            "answered_on",
            "version",
        ]
        read_only_fields = fields

    def _clock(self, exchange: Exchange) -> Any:
        clocks = self.context.get("clocks") or {}
        if exchange.pk not in clocks:
            from vigil.core import clock
            from vigil.probation.selectors import clocks as read_clocks

            clocks.update(read_clocks([exchange], exchange.agreement, clock.today()))
            self.context["clocks"] = clocks
        return clocks[exchange.pk]

    def get_status(self, exchange: Exchange) -> str:
        return str(self._clock(exchange).status)

    def get_escalated_to(self, exchange: Exchange) -> str | None:
        found = self._clock(exchange)
        return None if found.rung == "owner" else str(found.rung_title)


class JointReviewActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    action = serializers.CharField(max_length=300)
    owner = serializers.CharField(max_length=150)
    due_on = serializers.DateField()


class JointReviewInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    held_on = serializers.DateField()
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    attendees = serializers.CharField()
    notes = serializers.CharField(required=False, allow_blank=True)
    actions = JointReviewActionSerializer(many=True, required=False)


class JointReviewSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = JointReview
        fields = [
            "id",
            "held_on",
            "period_from",
            "period_to",
            "attendees",
            "notes",
            "figures",
            "actions",
            "recorded_by",
        ]
        read_only_fields = fields
