"""The filters of the performance dashboard (the force, one of its areas, or one of its
teams; this month so far or a month gone), and the reports' forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from vigil.assurance.metrics import Unit
from vigil.assurance.models import ReportKind
from vigil.assurance.selectors import MONTH_ERROR, PERIODS, months_gone
from vigil.core import clock
from vigil.core.forms import VigilForm
from vigil.core.models import Area, Team


def month_choices(today: date, this_month: str) -> list[tuple[str, str]]:
    """This month (in the words given) and the months gone a dashboard or a pack can be of,
    newest first, each as "2026-11"."""
    return [
        (today.isoformat()[:7], this_month),
        *((m.isoformat()[:7], f"{m:%B %Y}") for m in months_gone(today)),
    ]


class UnitForm(VigilForm):
    area = forms.ChoiceField(
        label="Area",
        required=False,
        error_messages={"invalid_choice": "Choose one of the force's areas"},
    )
    team = forms.ChoiceField(
        label="Team",
        required=False,
        error_messages={"invalid_choice": "Choose one of the force's teams"},
    )
    month = forms.ChoiceField(
        label="Month",
        required=False,
        error_messages={"invalid_choice": MONTH_ERROR},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        month_field: Any = self.fields["month"]
        month_field.choices = month_choices(clock.today(), "This month so far")
        self.this_month = month_field.choices[0][0]
        self.areas = {str(a.pk): a for a in Area.objects.filter(force_id=user.force_id)}
        self.teams = {
            str(t.pk): t for t in Team.objects.filter(force_id=user.force_id).select_related("area")
        }
        area_field: Any = self.fields["area"]
        area_field.choices = [
            ("", "The whole force"),
            *((k, a.name) for k, a in self.areas.items()),
        ]
        team_field: Any = self.fields["team"]
        team_field.choices = [
            ("", "Every team"),
            *((k, f"{t.name} ({t.area.name})") for k, t in self.teams.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area, team = data.get("area"), data.get("team")
        if area and team and str(self.teams[team].area_id) != area:
            self.add_error("team", "Choose a team of the area chosen, or every team")
        return data

    def unit(self) -> Unit:
        """The unit chosen; the whole force when nothing (or something wrong) is chosen."""
        force = Unit(self.user.force_id)
        if not self.is_bound or not self.is_valid():
            return force
        if team := self.cleaned_data.get("team"):
            chosen = self.teams[team]
            return Unit(self.user.force_id, chosen.area_id, chosen.pk)
        if area := self.cleaned_data.get("area"):
            return Unit(self.user.force_id, self.areas[area].pk)
        return force

    def chosen_month(self) -> date | None:
        """The month gone chosen (its first day); None for this month so far."""
        if not self.is_bound or not self.is_valid():
            return None
        chosen = self.cleaned_data.get("month")
        return date.fromisoformat(f"{chosen}-01") if chosen and chosen != self.this_month else None

    def describe(self) -> str:
        unit = self.unit()
        if unit.team_id:
            return f"{self.teams[str(unit.team_id)].name}"
        if unit.area_id:
            return f"{self.areas[str(unit.area_id)].name} area"
        return "The whole force"


class ReportForm(VigilForm):
    kind = forms.ChoiceField(
        label="Which report?",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the PCC report or the monthly pack"},
    )
    days = forms.TypedChoiceField(
        label="The scorecard's period",
        help_text="Work that fell due in the days chosen, up to today (for the pack, up to "
        "its month's last day)",
        choices=[(p, f"The last {p} days") for p in PERIODS],
        coerce=int,
        initial=90,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the period of the scorecard"},
    )
    month = forms.ChoiceField(
        label="The pack's month",
        help_text="The monthly pack only: a month gone, as it closed, or this month so far",
        required=False,
        error_messages={"invalid_choice": MONTH_ERROR},
    )
    narrative = forms.CharField(
        label="The force's narrative (optional)",
        help_text="What the figures mean and what the force is doing about them; it can be "
        "changed later, and the figures stay as made",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month_field: Any = self.fields["month"]
        today = clock.today()
        month_field.choices = month_choices(today, f"{today:%B %Y}, so far")
        month_field.initial = month_field.choices[1][0]  # the month just gone


class NarrativeForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the one read: a stale one is refused
    narrative = forms.CharField(
        label="The force's narrative",
        help_text="What the figures mean and what the force is doing about them",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
    )


class NationalForm(VigilForm):
    month = forms.ChoiceField(
        label="Month",
        required=False,
        error_messages={"invalid_choice": "Choose a month whose figures are kept"},
    )
    metric = forms.ChoiceField(
        label="Compare the forces on",
        required=False,
        error_messages={"invalid_choice": "Choose one of the scorecard's metrics"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from vigil.assurance.metrics import metrics
        from vigil.assurance.national import months

        super().__init__(*args, **kwargs)
        self.months = months()
        month_field: Any = self.fields["month"]
        month_field.choices = [(m.isoformat()[:7], f"{m:%B %Y}") for m in self.months]
        metric_field: Any = self.fields["metric"]
        metric_field.choices = [(m.id, f"{m.recommendation}: {m.label}") for m in metrics()]

    def chosen(self) -> tuple[date | None, str]:
        """The month (the newest kept, unless another is chosen) and the metric."""
        from vigil.assurance.metrics import metrics

        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        month = (
            date.fromisoformat(f"{data['month']}-01")
            if data.get("month")
            else (self.months[0] if self.months else None)
        )
        return month, data.get("metric") or metrics()[0].id
