"""The register's imports in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from vigil.core import api as core_api
from vigil.core.models import Team
from vigil.register.models import RegisterImport
from vigil.register.services import EXAMPLES


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="The extract: CSV or XLSX, up to 100 MB")
    mapping = serializers.ChoiceField(
        choices=[*EXAMPLES, "last", "file"],
        help_text="An example mapping (visor, mapps), the force's last import's (last), or "
        "the file in mapping_file (file)",
    )
    mapping_file = serializers.FileField(required=False, help_text="A mapping (TOML)")
    extract_date = serializers.DateField(help_text="The day the extract was taken")
    default_team = core_api.VisibleRelatedField(Team, required=False, allow_null=True)


class ConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Nothing more than the request."""


class RegisterImportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    imported_by = serializers.CharField(
        source="imported_by.username", read_only=True, allow_null=True
    )
    default_team = serializers.CharField(source="default_team.name", allow_null=True)
    check_job = serializers.UUIDField(source="check_job_id", allow_null=True)
    import_job = serializers.UUIDField(source="import_job_id", allow_null=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = RegisterImport
        fields = [
            "id",
            "filename",
            "size",
            "sha256",
            "mapping_name",
            "extract_date",
            "default_team",
            "status",
            "problem",
            "rows_read",
            "counts",
            "report",
            "uploaded_by",
            "created_at",
            "checked_at",
            "imported_by",
            "imported_at",
            "check_job",
            "import_job",
            "progress",
        ]
        read_only_fields = fields

    def get_progress(self, found: RegisterImport) -> dict[str, Any] | None:
        """The check's progress while it runs: rows done of about how many."""
        job = found.check_job
        if job is None or not job.in_progress:
            return None
        return {"done": job.done, "total": job.total, "unit": job.unit, "status": job.status}


class StagedRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(source="row.row")
    reference = serializers.CharField(source="row.reference")
    name = serializers.CharField(source="row.name")
    action = serializers.CharField(source="row.action")
    registration = serializers.UUIDField(source="registration_id", allow_null=True)
    changes = serializers.ListField(child=serializers.DictField())
    left = serializers.ListField(child=serializers.DictField())
    faults = serializers.ListField(source="row.faults", child=serializers.DictField())


class FieldSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.ChoiceField(choices=[], help_text="A field of the reconciliation")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from vigil.register.forms import kind_choices

        self.fields["field"].choices = kind_choices()  # type: ignore[attr-defined]


class CorrectionInputSerializer(FieldSerializer):
    note = serializers.CharField(max_length=2000)


class CorrectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    registration = serializers.UUIDField(source="registration_id")
    field = serializers.CharField()
    vigil_value = serializers.CharField()
    register_value = serializers.CharField()
    note = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class RegistrationVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    version = serializers.IntegerField()


class ExportInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    recipient = serializers.CharField(max_length=200)


class RegisterExportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    made_by = serializers.CharField(source="made_by.username")
    recipient = serializers.CharField()
    mapping_name = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    records = serializers.SerializerMethodField()

    def get_records(self, made: Any) -> int:
        return len(made.items)


class MismatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="label")
    registration = serializers.UUIDField(source="registration.pk", allow_null=True)
    reference = serializers.CharField()
    name = serializers.CharField()
    team = serializers.CharField()
    vigil = serializers.CharField()
    register = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    marked = serializers.SerializerMethodField()
    acceptable = serializers.BooleanField()

    def get_marked(self, mismatch: Any) -> bool:
        return mismatch.correction is not None


class ReconciliationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    extract = serializers.UUIDField(source="extract.pk", allow_null=True)
    extract_date = serializers.DateField(source="extract.extract_date", allow_null=True)
    age_days = serializers.IntegerField(allow_null=True)
    open = serializers.IntegerField(source="open_count")
    marked = serializers.IntegerField(source="marked_count")
    by_kind = serializers.SerializerMethodField()
    by_team = serializers.SerializerMethodField()
    mismatches = MismatchSerializer(many=True)

    def get_by_kind(self, found: Any) -> dict[str, int]:
        return {k: n for k, _, n in found.by_kind()}

    def get_by_team(self, found: Any) -> dict[str, int]:
        return dict(found.by_team())
