from __future__ import annotations

from rest_framework import serializers

from vigil.core import api as core_api
from vigil.jobs.models import Job


class JobSerializer(core_api.ModelSerializer):
    requested_by = core_api.CharField(source="requested_by.username", allow_null=True)
    percent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "done",
            "total",
            "unit",
            "percent",
            "summary",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
