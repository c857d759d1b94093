"""The probation partnership's forms: the agreement, an exchange, its answer, a joint
review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from vigil.core.forms import GovukDateField, VigilForm
from vigil.core.models import Team, TeamKind
from vigil.probation.models import ExchangeKind, Priority


class AgreementForm(VigilForm):
    name = forms.CharField(label="Name of the agreement", max_length=200)
    probation_party = forms.CharField(
        label="Probation party",
        max_length=200,
        help_text="The probation delivery unit or region, for example Northmoor PDU",
    )
    probation_team = forms.ModelChoiceField(
        label="Team of the probation partners", queryset=Team.objects.none()
    )
    police_team = forms.ModelChoiceField(
        label="Police team that owns the partnership", queryset=Team.objects.none()
    )
    starts_on = GovukDateField(label="Date the agreement began")
    urgent_working_days = forms.IntegerField(
        label="Working days to answer an urgent exchange",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    standard_working_days = forms.IntegerField(
        label="Working days to answer a standard exchange",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    review_months = forms.IntegerField(
        label="Months between joint reviews",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    closures = forms.CharField(
        label="Days the parties close besides bank holidays (optional)",
        help_text="One date a line, for example 2026-12-29. Bank holidays of England and "
        "Wales are counted already.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).order_by("name")
        probation: Any = self.fields["probation_team"]
        probation.queryset = teams.filter(kind=TeamKind.PROBATION_PARTNER)
        police: Any = self.fields["police_team"]
        police.queryset = teams.exclude(kind=TeamKind.PROBATION_PARTNER)

    def clean_closures(self) -> list[date]:
        days = []
        for n, line in enumerate(self.cleaned_data["closures"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                days.append(date.fromisoformat(line.strip()))
            except ValueError:
                raise forms.ValidationError(
                    f"Line {n}, “{line.strip()[:20]}”, is not a date written as 2026-12-29"
                ) from None
        return days


class ExchangeForm(VigilForm):
    register_reference = forms.CharField(
        label="Register reference of the RSO",
        max_length=40,
        help_text="The ViSOR or MAPPS reference both sides hold",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=ExchangeKind.choices, widget=forms.RadioSelect)
    priority = forms.ChoiceField(
        label="Priority", choices=Priority.choices, widget=forms.RadioSelect, initial="standard"
    )
    summary = forms.CharField(label="What it is about, in a line", max_length=200)
    detail = forms.CharField(
        label="What you are asking or telling the other side",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )


class AnswerForm(VigilForm):
    answer = forms.CharField(
        label="Your answer", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


class ReviewForm(VigilForm):
    held_on = GovukDateField(label="Date of the review")
    period_from = GovukDateField(label="Start of the period it reviewed")
    period_to = GovukDateField(label="End of the period it reviewed")
    attendees = forms.CharField(
        label="Who attended, from each side", widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="What was discussed and agreed (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    action_1 = forms.CharField(label="Action 1 (optional)", required=False, max_length=300)
    owner_1 = forms.CharField(label="Who owns action 1", required=False, max_length=150)
    due_1 = forms.DateField(label="When action 1 is due (2027-01-31)", required=False)
    action_2 = forms.CharField(label="Action 2 (optional)", required=False, max_length=300)
    owner_2 = forms.CharField(label="Who owns action 2", required=False, max_length=150)
    due_2 = forms.DateField(label="When action 2 is due (2027-01-31)", required=False)
    action_3 = forms.CharField(label="Action 3 (optional)", required=False, max_length=300)
    owner_3 = forms.CharField(label="Who owns action 3", required=False, max_length=150)
    due_3 = forms.DateField(label="When action 3 is due (2027-01-31)", required=False)


def review_input(form: Any) -> dict[str, Any]:
    """The review form's input as the service takes it: its actions as a list."""
    data = dict(form.cleaned_data)
    actions = []
    for n in (1, 2, 3):
        actions.append(
            {
                "action": data.pop(f"action_{n}"),
                "owner": data.pop(f"owner_{n}"),
                "due_on": data.pop(f"due_{n}"),
            }
        )
    return {**data, "actions": actions}
