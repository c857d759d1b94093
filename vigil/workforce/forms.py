from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from vigil.accounts.models import User
from vigil.accounts.officers import with_team
from vigil.core.forms import GovukDateField, LabelledModelChoiceField, VigilForm
from vigil.core.models import Team
from vigil.workforce import selectors
from vigil.workforce.models import AbstractionReason, FollowUp
from vigil.workforce.services import MAX_FORECAST_YEARS


class AbstractionForm(VigilForm):
    """An abstraction: who, from which team, from when to when, how many hours, why and at
    whose request."""

    person = LabelledModelChoiceField(label="Who is abstracted", queryset=User.objects.none())
    team = forms.ModelChoiceField(label="From which team", queryset=Team.objects.none())
    starts_on = GovukDateField(label="First day")
    ends_on = GovukDateField(label="Last day", help_text="The same as the first for one day")
    hours = forms.DecimalField(
        label="Hours away from the team's work",
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
    )
    reason = forms.ModelChoiceField(label="Reason", queryset=AbstractionReason.objects.none())
    requested_by = forms.CharField(
        label="Who asked for the officer",
        max_length=150,
        help_text="A department, a court, a named person",
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.officers_to_record_for(user)
        person: Any = self.fields["person"]
        person.queryset = people
        person.labels = with_team(people)
        team: Any = self.fields["team"]
        team.queryset = selectors.teams_for(user).order_by("name")
        if len(team.queryset) == 1:  # a supervisor of one team: theirs
            team.initial = team.queryset[0].pk
        reason: Any = self.fields["reason"]
        reason.queryset = AbstractionReason.objects.visible_to(user).filter(active=True)


class AbstractionReviewForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="What the review found",
        help_text="Was it necessary, is it becoming regular, what happens to the work meanwhile",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CapacityFilterForm(VigilForm):
    team = forms.ModelChoiceField(
        label="Team", queryset=Team.objects.none(), required=False, empty_label="All my teams"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team: Any = self.fields["team"]
        team.queryset = selectors.teams_for(user).order_by("name")


class ScreeningForm(VigilForm):
    """That someone was screened: never the result."""

    person = LabelledModelChoiceField(label="Who was screened", queryset=User.objects.none())
    screened_on = GovukDateField(label="Date of the screening")
    follow_up = forms.ChoiceField(
        label="Follow-up support",
        choices=FollowUp.choices,
        widget=forms.RadioSelect,
        help_text="Whether support was offered and taken up: nothing about the result",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = selectors.screened_staff(user)
        field.labels = with_team(field.queryset)


class TrainingForm(VigilForm):
    person = LabelledModelChoiceField(label="Which supervisor", queryset=User.objects.none())
    completed_on = GovukDateField(label="Date the training was completed")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = selectors.supervisors(user)
        field.labels = with_team(field.queryset)


class ExposureForm(VigilForm):
    """A week's indecent-image review: how much, never what."""

    week_starting = GovukDateField(label="Week beginning (a Monday)")
    images_reviewed = forms.IntegerField(
        label="Images reviewed that week",
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )
    hours = forms.DecimalField(
        label="Hours of review (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4", "step": "0.5"}),
    )


class ForecastRequestForm(VigilForm):
    years = forms.IntegerField(
        label="How many years ahead",
        min_value=1,
        max_value=MAX_FORECAST_YEARS,
        initial=5,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        help_text="Five is the inspectorate's horizon (R10)",
    )
