"""The register's forms: an extract's upload, and the confirmations of its import."""

from __future__ import annotations

from typing import Any

from django import forms

from vigil.core.forms import GovukDateField, VigilForm
from vigil.core.models import Team, TeamKind
from vigil.register.models import RegisterImport
from vigil.register.services import EXAMPLES


def mapping_choices(user: Any) -> list[tuple[str, str]]:
    """The mappings to choose from: the force's last import's first, when there is one."""
    last = (
        RegisterImport.objects.visible_to(user).exclude(mapping_text="").order_by("-created_at")
    ).first()
    choices = [(k, v) for k, v in EXAMPLES.items()]
    if last is not None:
        choices.insert(0, ("last", f"As last time: {last.mapping_name}"))
    return [*choices, ("file", "Upload a mapping file (TOML)")]


class ImportUploadForm(VigilForm):
    file = forms.FileField(
        label="Register extract",
        required=False,
        help_text="A CSV or XLSX file of the force's RSOs from ViSOR or MAPPS, up to 100 MB",
    )
    mapping = forms.ChoiceField(
        label="How the extract's columns map onto Vigil's fields",
        widget=forms.RadioSelect,
        help_text="docs/register.md says how to write a mapping for your force's report",
    )
    mapping_file = forms.FileField(label="Mapping file (only when uploading one)", required=False)
    extract_date = GovukDateField(
        label="Date the extract was taken from the register",
        help_text="For example, 1 12 2026",
    )
    default_team = forms.ModelChoiceField(
        label="Team a new record joins when its row names none (optional)",
        queryset=Team.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = mapping_choices(user)
        mapping: Any = self.fields["mapping"]
        mapping.choices = choices
        mapping.initial = choices[0][0]
        team: Any = self.fields["default_team"]
        team.queryset = Team.objects.visible_to(user).filter(kind=TeamKind.MOSOVO).order_by("name")


class ConfirmForm(VigilForm):
    """A decision that asks nothing more than the button."""


def kind_choices(*, acceptable: bool = False) -> list[tuple[str, str]]:
    """The fields a difference can be in (those whose register value can be accepted)."""
    from vigil.register.plan import APPLIED
    from vigil.register.reconcile import ADDRESS_KIND, FIELDS_OR_ADDRESS, KINDS

    return [
        (k, label)
        for k, label in KINDS.items()
        if k in FIELDS_OR_ADDRESS and (not acceptable or k in APPLIED or k == ADDRESS_KIND)
    ]


class AcceptForm(VigilForm):
    field = forms.ChoiceField(label="The field whose register value to accept")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice: Any = self.fields["field"]
        choice.choices = kind_choices(acceptable=True)


class CorrectionForm(VigilForm):
    field = forms.ChoiceField(label="The field the register holds wrongly")
    note = forms.CharField(
        label="What the register should hold, and how you know",
        help_text="For example: moved on 3 November 2026, seen at the new address on a visit",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice: Any = self.fields["field"]
        choice.choices = kind_choices()


class ExportForm(VigilForm):
    recipient = forms.CharField(
        label="Who the changes go to",
        help_text="The people who enter them into the register, for example the force's "
        "ViSOR bureau",
        max_length=200,
        initial="The force's ViSOR bureau",
    )
