"""The assurance figures as the API gives them, and as a report keeps them
(`AssuranceReport.figures`): the same serializers, so a stored report reads as the API
did when it was made."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigil.assurance.models import ReportKind
from vigil.assurance.selectors import PERIODS
from vigil.core.api import CharField, ModelSerializer


class TrendSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    shown = serializers.CharField()


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
    detail = serializers.CharField(help_text="'12 of 14', or empty")
    describe = serializers.CharField(source="metric.describe")
    trend = serializers.SerializerMethodField(help_text="The monthly snapshots, oldest first")

    def get_value(self, f: Any) -> float | None:
        return None if f.suppressed else f.reading.value

    @extend_schema_field(TrendSerializer(many=True))
    def get_trend(self, f: Any) -> list[dict[str, Any]]:
        return [{"month": month.isoformat(), "shown": shown} for month, shown in f.trend]

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


class ShownSerializer(serializers.Serializer):  # type: ignore[type-arg]
    text = serializers.CharField(help_text="The figure as the viewer may see it")
    value = serializers.FloatField(allow_null=True, help_text="Null when suppressed or not judged")
    suppressed = serializers.BooleanField()


class WorkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    due = ShownSerializer(help_text="Fell due this month so far (not waived)")
    in_time = ShownSerializer(help_text="The share of it done in time, per cent")
    overdue = ShownSerializer(help_text="Open and past its due date today")
    due_soon = ShownSerializer(help_text="Open and due within the policy's days")
    escalated = ShownSerializer(help_text="With an open escalation")


class TrendPointSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField()
    figure = ShownSerializer()

    def to_representation(self, instance: Any) -> Any:
        month, shown = instance
        return super().to_representation({"month": month, "figure": shown})


class ContextSerializer(serializers.Serializer):  # type: ignore[type-arg]
    what = serializers.CharField()
    figure = ShownSerializer()

    def to_representation(self, instance: Any) -> Any:
        what, shown = instance
        return super().to_representation({"what": what, "figure": shown})


class TeamLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    team = serializers.CharField()
    area = serializers.CharField()
    figures = WorkSerializer(source="shown")


class ThemeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField(source="theme.id")
    title = serializers.CharField(source="theme.title")
    recommendations = serializers.CharField(source="theme.recommendations")
    figures = WorkSerializer(source="shown")
    trend_metric = serializers.CharField(source="trend_label")
    trend = TrendPointSerializer(many=True)
    teams = TeamLineSerializer(many=True)
    records = ContextSerializer(many=True, source="context", help_text="The records' figures")


class DashboardBandRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    risk = serializers.CharField()
    risk_label = serializers.CharField(source="label")
    counts = serializers.ListField(child=ShownSerializer())
    total = ShownSerializer()


class DashboardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.CharField(help_text="The force, an area or a team")
    month = serializers.DateField(help_text="The month's first day")
    closed = serializers.BooleanField(
        help_text="A month gone, its open work as it closed (else this month so far, and "
        "open work today)"
    )
    as_of = serializers.DateField(help_text="The day its open work is read as of")
    bands = serializers.ListField(child=serializers.CharField())
    risk_bands = DashboardBandRowSerializer(many=True)
    themes = ThemeSerializer(many=True)


class ReportSerializer(ModelSerializer):
    class Meta:
        from vigil.assurance.models import AssuranceReport

        model = AssuranceReport
        fields = [
            "id",
            "kind",
            "title",
            "period_start",
            "period_end",
            "made_at",
            "narrative",
            "narrative_at",
            "policy_version",
            "version",
            "figures",
        ]
        read_only_fields = fields


class ReportSummarySerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        fields = [f for f in ReportSerializer.Meta.fields if f != "figures"]
        read_only_fields = fields


class ReportInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    days = serializers.ChoiceField(choices=list(PERIODS), default=90)
    month = CharField(
        required=False,
        allow_blank=True,
        max_length=7,
        help_text="The monthly pack's month, as 2026-11: this month or one of the last 12 "
        "(by default the month just gone, as it closed); the PCC's report is as of today",
    )
    narrative = CharField(required=False, allow_blank=True, max_length=20000)


class NarrativeInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(help_text="The report's version you read")
    narrative = CharField(allow_blank=True, max_length=20000)


class ForceLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    force = serializers.CharField()
    figure = ShownSerializer()
    rag = serializers.CharField(
        help_text="green, amber, red, or empty when not judged or too small"
    )
    own = serializers.BooleanField(help_text="The user's own force")


class MetricSpreadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    metric = serializers.CharField(source="metric.id")
    metric_label = serializers.CharField(source="metric.label")
    recommendation = serializers.CharField(source="metric.recommendation")
    green = serializers.IntegerField()
    amber = serializers.IntegerField()
    red = serializers.IntegerField()
    not_judged = serializers.IntegerField()
    own_rag = serializers.CharField()


class NationalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    month = serializers.DateField(allow_null=True, help_text="Null when no month is kept yet")
    metric = serializers.CharField()
    forces = ForceLineSerializer(many=True, help_text="The metric's figure of each force")
    spread = MetricSpreadSerializer(many=True)
