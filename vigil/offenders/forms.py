from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from vigil.accounts.models import User
from vigil.core.forms import GovukDateField, VigilForm
from vigil.obligations.models import RiskLevel
from vigil.offenders.models import NotificationKind

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value: str) -> bool:
    return value == "yes"


class VisitForm(VigilForm):
    """Record a visit in under a minute on a phone: date, time, announced?, who, access, note."""

    visited_on = GovukDateField(label="Date of the visit")
    visited_time = forms.TimeField(
        label="Time of the visit",
        help_text="24-hour clock, for example 19:30",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}),
    )
    announced = forms.TypedChoiceField(
        label="Was the visit announced?", choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    officers = forms.ModelMultipleChoiceField(
        label="Who attended?", queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    access_gained = forms.TypedChoiceField(
        label="Was access to the home gained?",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label="Outcome and notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["officers"]
        field.queryset = officers

    def visited_at(self) -> datetime:
        when: time = self.cleaned_data["visited_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["visited_on"], when))


class ArmsForm(VigilForm):
    completed_on = GovukDateField(label="Date the assessment was completed")
    priority = forms.ChoiceField(
        label="Priority for work", choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label="Risk and protective factors",
        help_text="The factors found and the priority they give",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class RmpForm(VigilForm):
    completed_on = GovukDateField(label="Date the plan was completed")
    visit_frequency_months = forms.IntegerField(
        label="Home visits every (months)",
        help_text="Leave empty to use the policy's frequency for the risk level",
        required=False,
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    actions = forms.CharField(label="Actions", widget=forms.Textarea(attrs={"rows": 6}))


class NoteForm(VigilForm):
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RationaleForm(VigilForm):
    text = forms.CharField(
        label="Rationale", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NotificationForm(VigilForm):
    kind = forms.ChoiceField(
        label="Kind of notification", choices=NotificationKind.choices, widget=forms.RadioSelect
    )
    made_on = GovukDateField(label="Date the notification was made")
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PndForm(VigilForm):
    checked_on = GovukDateField(label="Date of the check")
    result = forms.CharField(label="Result", widget=forms.Textarea(attrs={"rows": 4}))


class IntelligenceForm(VigilForm):
    received_on = GovukDateField(label="Date received")
    source = forms.CharField(label="Source", max_length=120)
    grading = forms.CharField(
        label="Grading",
        required=False,
        max_length=10,
        help_text="3x5x2 grading, for example B2 4",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 4}))
