"""A register extract's import, staged (issue 14; docs/register.md): the upload, every row
checked and set beside the force's records (`StagedRow`, one a row), then imported all or
nothing, or discarded.

An import is the force's and is seen by those who import (`import_register`). Its rows hold
what the extract said, which the person who uploaded it had already; what Vigil holds of a
record is shown only to someone who may see that record (`vigil/register/selectors.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet
from vigil.jobs.models import Job


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked: ready to import"
    UNREADABLE = "unreadable", "Could not be checked"
    IMPORTING = "importing", "Being imported"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Discarded"


class RegisterImport(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    mapping_name = models.CharField(max_length=200)
    mapping_text = models.TextField()  # the TOML as it was used, so the check can be repeated
    extract_date = models.DateField(help_text="The day the extract was taken from the register")
    default_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The team a new record joins when its row names none",
    )
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING
    )
    check_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_job = models.ForeignKey(
        Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    problem = models.TextField(blank=True)  # why it could not be checked or imported
    header = models.JSONField(default=list, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)  # by row action, and faults
    checked_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.JSONField(default=dict, blank=True)  # what the import did

    scope = Scope(verbs={"view": "import_register", "change": "import_register"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%-d %b %Y %H:%M})"

    def count(self, action: str) -> int:
        return int(self.counts.get(action, 0))


class ExtractFile(models.Model):
    """The uploaded file, kept in the database (every worker of the deployment can read it,
    on whichever machine) only until it has been checked."""

    register_import = models.OneToOneField(
        RegisterImport, on_delete=models.CASCADE, primary_key=True, related_name="file"
    )
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"The file of {self.register_import_id}"


class RowAction(models.TextChoices):
    CREATE = "create", "New: to be added"
    UPDATE = "update", "To be updated"
    SAME = "same", "No change"
    FAULT = "fault", "Not imported: to correct"
    WITHHELD = "withheld", "Not imported: a record you cannot open"


class StagedRow(models.Model):
    """One row of an extract, as checked: what it would do, the register's values, the
    changes the import makes and the differences it leaves for the reconciliation, or its
    faults (with its cells as the file had them, for the failed rows' download)."""

    register_import = models.ForeignKey(
        RegisterImport, on_delete=models.CASCADE, related_name="rows"
    )
    row = models.PositiveIntegerField()  # as the person numbers it (the header is row 1)
    reference = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=260, blank=True)  # the extract's, for the preview
    action = models.CharField(max_length=10, choices=RowAction.choices)
    registration = models.ForeignKey(
        "offenders.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    values = models.JSONField(default=dict, blank=True)  # the register's, validated
    changes = models.JSONField(default=list, blank=True)  # [{field, label, vigil, register}]
    left = models.JSONField(default=list, blank=True)  # differences left to reconcile
    faults = models.JSONField(default=list, blank=True)  # [{field, column, message}]
    cells = models.JSONField(default=list, blank=True)  # a faulty row's cells

    scope = Scope(through="register_import")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["row"]
        indexes = [models.Index(fields=["register_import", "action", "row"], name="staged_action")]
        constraints = [
            models.UniqueConstraint(fields=["register_import", "row"], name="staged_row_once")
        ]

    def __str__(self) -> str:
        return f"Row {self.row}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", "To be corrected in the register"
    EXPORTED = "exported", "Sent for entry into the register"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Correction(VigilModel):
    """A difference where Vigil is right and the register wrong: marked for correction in
    the register, with a note, and sent with the next export (R9)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        "offenders.Registration", on_delete=models.PROTECT, related_name="register_corrections"
    )
    field = models.CharField(max_length=40)
    vigil_value = models.CharField(max_length=300, blank=True)  # as a person reads it
    register_value = models.CharField(max_length=300, blank=True)
    note = models.TextField()
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    register_export = models.ForeignKey(
        "RegisterExport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "field"],
                condition=models.Q(status="open"),
                name="one_open_correction_a_field",
            )
        ]

    def __str__(self) -> str:
        return f"Correction of {self.field}"


class RegisterExport(VigilModel):
    """Vigil's changes sent for entry into the register: what was in it is kept (`items`),
    so the file can be made again exactly; each download is an audited disclosure."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mapping_name = models.CharField(max_length=200)
    mapping_text = models.TextField()
    since = models.DateTimeField(null=True, blank=True)  # the last export's, if any
    against = models.ForeignKey(
        RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the extract the changes were found against
    items = models.JSONField(default=list)  # [{registration, reference, name, fields, notes}]
    recipient = models.CharField(max_length=200)

    scope = Scope(verbs={"view": "export_register"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Export of {self.created_at:%-d %b %Y %H:%M}"
