from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from vigil.accounts.models import User
from vigil.core import api as core_api
from vigil.core.models import Team
from vigil.workforce.models import (
    Abstraction,
    AbstractionReason,
    ExposureEntry,
    FollowUp,
    ForecastRun,
    ScreeningRecord,
    TrainingRecord,
)
from vigil.workforce.services import MAX_FORECAST_YEARS


class AbstractionInputSerializer(serializers.Serializer):
    person = core_api.VisibleRelatedField(User, narrow=core_api.active)
    team = core_api.VisibleRelatedField(Team)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, min_value=Decimal("0.5"))
    reason = core_api.VisibleRelatedField(AbstractionReason, narrow=core_api.active)
    requested_by = core_api.CharField(max_length=150)
    note = core_api.CharField(max_length=4000, required=False, allow_blank=True, default="")


class AbstractionReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    note = core_api.CharField(max_length=4000)


class AbstractionSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username", read_only=True)
    person_name = serializers.CharField(source="person.__str__", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True)
    reason = serializers.CharField(source="reason.name", read_only=True)
    reviewed_by = serializers.CharField(
        source="reviewed_by.username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Abstraction
        fields = [
            "id",
            "person",
            "person_name",
            "team",
            "starts_on",
            "ends_on",
            "hours",
            "reason",
            "requested_by",
            "note",
            "recorded_on",
            "reviewed_on",
            "reviewed_by",
            "review_note",
            "version",
        ]
        read_only_fields = fields


class StaffCapacitySerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.__str__")
    grade = serializers.CharField(source="record.grade", allow_null=True, default=None)
    contracted_hours = serializers.DecimalField(
        source="record.contracted_hours",
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        default=None,
    )
    points = serializers.FloatField()
    available = serializers.FloatField(allow_null=True)
    capacity = serializers.FloatField(allow_null=True, help_text="Points over available, %")
    abstracted_hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    abstracted_share = serializers.FloatField(
        allow_null=True, help_text="Of contracted hours in the rolling quarter, %"
    )
    over_threshold = serializers.BooleanField()


class TeamCapacitySerializer(serializers.Serializer):
    team = serializers.CharField(source="team.name")
    team_id = serializers.UUIDField(source="team.pk")
    points = serializers.FloatField()
    available = serializers.FloatField()
    capacity = serializers.FloatField(allow_null=True)
    officers = serializers.IntegerField()
    supervisors = serializers.IntegerField()
    span_of_control = serializers.FloatField(allow_null=True)
    staff = StaffCapacitySerializer(source="rows", many=True)


class ScreeningInputSerializer(serializers.Serializer):
    person = core_api.VisibleRelatedField(User, narrow=core_api.active)
    screened_on = serializers.DateField()
    follow_up = serializers.ChoiceField(choices=FollowUp.choices)


class ScreeningSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username", read_only=True)

    class Meta:
        model = ScreeningRecord
        fields = ["id", "person", "screened_on", "follow_up"]
        read_only_fields = fields


class TrainingInputSerializer(serializers.Serializer):
    person = core_api.VisibleRelatedField(User, narrow=core_api.active)
    completed_on = serializers.DateField()


class TrainingSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username", read_only=True)

    class Meta:
        model = TrainingRecord
        fields = ["id", "person", "completed_on"]
        read_only_fields = fields


class ExposureInputSerializer(serializers.Serializer):
    week_starting = serializers.DateField(help_text="The Monday of the week")
    images_reviewed = serializers.IntegerField(min_value=0)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, required=False, allow_null=True, default=None
    )


class ExposureSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username", read_only=True)

    class Meta:
        model = ExposureEntry
        fields = ["id", "person", "week_starting", "images_reviewed", "hours"]
        read_only_fields = fields


class _Judged(serializers.Serializer):
    naive_mape = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text="The naive baseline's mean absolute "
        "percentage error on the same years (0.05: 5%)",
    )
    drift_mape = serializers.FloatField(allow_null=True, required=False)
    band_coverage = serializers.FloatField(
        allow_null=True,
        required=False,
        help_text="How often the P10 to P90 band, drawn from the errors before each year, "
        "held what happened (0.8 expected)",
    )
    band_judged = serializers.IntegerField(required=False, help_text="Over how many years")


class NationalBacktestSerializer(_Judged):
    series = serializers.CharField(required=False)
    method = serializers.CharField(required=False, help_text="The method chosen on it")
    mape = serializers.FloatField(allow_null=True, required=False)
    origins = serializers.IntegerField(required=False)


class BacktestSerializer(_Judged):
    national = NationalBacktestSerializer(
        required=False,
        help_text="When the force's own history judged the method on fewer than three years",
    )


class ForecastRunSerializer(serializers.ModelSerializer):
    backtest = BacktestSerializer(read_only=True)

    class Meta:
        model = ForecastRun
        fields = [
            "id",
            "kind",
            "made_on",
            "horizon_years",
            "source",
            "method",
            "backtest_mae",
            "backtest_mape",
            "backtest_origins",
            "backtest",
            "policy_version",
            "establishment",
            "inputs",
            "years",
        ]
        read_only_fields = fields


class ForecastRequestSerializer(serializers.Serializer):
    years = serializers.IntegerField(min_value=1, max_value=MAX_FORECAST_YEARS, default=5)


class WellbeingCountSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.name")
    team_id = serializers.UUIDField(source="team.pk")
    people = serializers.IntegerField()
    screened = serializers.IntegerField(
        allow_null=True, help_text="Screened in the policy's months; null when not shown"
    )
    share = serializers.FloatField(allow_null=True)


class MonthHoursSerializer(serializers.Serializer):
    month = serializers.DateField()
    by_team = serializers.DictField(child=serializers.FloatField())


class CompletionSerializer(serializers.Serializer):
    while_away = serializers.IntegerField()
    late_while_away = serializers.IntegerField()
    otherwise = serializers.IntegerField()
    late_otherwise = serializers.IntegerField()


class AbstractionSummarySerializer(serializers.Serializer):
    months = MonthHoursSerializer(many=True)
    completion = CompletionSerializer()
