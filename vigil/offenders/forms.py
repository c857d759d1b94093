from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from vigil.accounts.models import User
from vigil.accounts.officers import labels as officer_labels
from vigil.accounts.officers import with_load, with_team
from vigil.core.forms import (
    GovukDateField,
    LabelledModelChoiceField,
    LabelledModelMultipleChoiceField,
    VigilForm,
)
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import RiskLevel
from vigil.offenders.models import (
    BreachKind,
    ChangeKind,
    Disposal,
    NotificationKind,
    ReviewOutcome,
    StaticTool,
)
from vigil.people.models import AddressKind

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value: str) -> bool:
    return value == "yes"


class VisitForm(VigilForm):
    """Record a visit in under a minute on a phone: the date (today unless changed), time,
    announced?, who (the officer's own team as checkboxes, anyone else found by name), access,
    note."""

    visited_on = GovukDateField(label="Date of the visit")
    visited_time = forms.TimeField(
        label="Time of the visit",
        help_text="24-hour clock, for example 19:30",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}),
    )
    announced = forms.TypedChoiceField(
        label="Was the visit announced?", choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    officers = LabelledModelMultipleChoiceField(
        label="Who attended?",
        help_text="Officers of your team. Someone from another team: find them below.",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # The hint is in the label: the autocomplete that enhances the select keeps the label
    # but describes its input with its own instructions.
    other_officer = LabelledModelChoiceField(
        label="Someone from another team (optional): type their name, collar number or team",
        queryset=User.objects.none(),
        required=False,
        widget=forms.Select(attrs={"data-vigil-autocomplete": "true"}),
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

    def __init__(self, *args: Any, team: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine: Any = self.fields["officers"]
        mine.queryset = team
        mine.labels = officer_labels(team)
        other: Any = self.fields["other_officer"]
        other.queryset = others
        other.labels = with_team(others)
        other.empty_label = ""  # no one: the autocomplete starts empty

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        attended = [*data.get("officers", []), *filter(None, [data.get("other_officer")])]
        if "officers" in data and not attended:
            self.add_error("officers", "Select who attended")
        data["attended"] = list(dict.fromkeys(attended))
        return data

    def visited_at(self) -> datetime:
        when: time = self.cleaned_data["visited_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["visited_on"], when))


class ArmsForm(VigilForm):
    """An ARMS assessment: completed, or saved as a draft to finish later (the service says
    what completion needs)."""

    completed_on = GovukDateField(
        label="Date the assessment was completed",
        help_text="Leave empty when saving a draft",
        required=False,
    )
    priority = forms.ChoiceField(
        label="Priority for work",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    summary = forms.CharField(
        label="Risk and protective factors",
        help_text="The factors found and the priority they give",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class RmpForm(VigilForm):
    """A risk management plan: completed, or saved as a draft to finish later."""

    completed_on = GovukDateField(
        label="Date the plan was completed",
        help_text="Leave empty when saving a draft",
        required=False,
    )
    visit_frequency_months = forms.IntegerField(
        label="Home visits every (months)",
        help_text="Leave empty to use the policy's frequency for the risk level",
        required=False,
        min_value=1,
        max_value=24,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    actions = forms.CharField(
        label="Actions", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class NoteForm(VigilForm):
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RationaleForm(VigilForm):
    text = forms.CharField(
        label="Rationale", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class WarrantDecisionForm(RationaleForm):
    text = forms.CharField(
        label="Decision and reasons", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


NEW_HOME_CHOICES = [
    (AddressKind.HOME.value, AddressKind.HOME.label),
    (AddressKind.NO_FIXED_ABODE.value, AddressKind.NO_FIXED_ABODE.label),
]


class NotificationForm(VigilForm):
    kind = forms.ChoiceField(
        label="Kind of notification", choices=NotificationKind.choices, widget=forms.RadioSelect
    )
    made_on = GovukDateField(label="Date the notification was made")
    change_kind = forms.ChoiceField(
        label="What changed?",
        help_text="Only for a notification of a change",
        choices=[("", "Not a change"), *ChangeKind.choices],
        required=False,
    )
    changed_on = GovukDateField(
        label="Date of the change",
        help_text="Only for a notification of a change: it was due within the period of 3 "
        "days beginning with this day",
        required=False,
    )
    address_kind = forms.ChoiceField(
        label="New home address: what kind?",
        help_text="Only for a change of home address: it goes into the person's address "
        "history from the date of the change (leave empty if it is there already)",
        choices=[("", "Not a change of home address"), *NEW_HOME_CHOICES],
        required=False,
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=150, required=False)
    address_line_2 = forms.CharField(label="Address line 2", max_length=150, required=False)
    address_town = forms.CharField(
        label="Town or city",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    address_postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PndForm(VigilForm):
    requested_on = GovukDateField(label="Date the check was requested", required=False)
    checked_on = GovukDateField(label="Date of the result")
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


class ConcernForm(VigilForm):
    raised_on = GovukDateField(label="Date the concern was raised")
    details = forms.CharField(
        label="What is the concern?",
        help_text="Who raised it and what it is about. On a reactively managed RSO it returns "
        "them to active management with a risk review.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="24-hour clock, for example 19:30",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}),
    )


class BreachForm(VigilForm):
    identified_on = GovukDateField(label="Date the breach was identified")
    identified_time = _time_field("Time the breach was identified")
    kind = forms.ChoiceField(
        label="Kind of breach", choices=BreachKind.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 4}))
    action_taken = forms.CharField(
        label="Action taken",
        help_text="For example arrest, summons or words of advice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def identified_at(self) -> datetime:
        when: time = self.cleaned_data["identified_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["identified_on"], when))


class VisorForm(VigilForm):
    recorded_on = GovukDateField(label="Date it was recorded on ViSOR")
    recorded_time = _time_field("Time it was recorded on ViSOR")

    def recorded_at(self) -> datetime:
        when: time = self.cleaned_data["recorded_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["recorded_on"], when))


def _managers(team_ids: Any) -> Any:
    return (
        User.objects.filter(
            is_active=True,
            memberships__team__in=team_ids,
            memberships__role__verbs="manage_rso",
        )
        .distinct()
        .order_by("username")
    )


class RegistrationForm(VigilForm):
    """Put a person on the register."""

    team = forms.ModelChoiceField(label="Managing team", queryset=Team.objects.none())
    offender_manager = LabelledModelChoiceField(
        label="Offender manager",
        queryset=User.objects.none(),
        required=False,
        help_text="Leave empty if not yet allocated",
    )
    register_reference = forms.CharField(
        label="ViSOR / MAPPS reference", max_length=40, required=False
    )
    conviction_date = GovukDateField(label="Date of conviction or caution")
    registration_date = GovukDateField(
        label="Relevant date", help_text="The date the notification requirements began"
    )
    disposal = forms.ChoiceField(
        label="Disposal", choices=Disposal.choices, widget=forms.RadioSelect
    )
    discharge_months = forms.IntegerField(
        label="Length of the conditional discharge, in months",
        help_text="Only for a conditional discharge: the notification period is its length",
        required=False,
        min_value=1,
        max_value=36,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    under_18_at_conviction = forms.TypedChoiceField(
        label="Was the person under 18 on the relevant date?",
        help_text="A fixed notification period is halved",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
    )
    in_community_since = GovukDateField(
        label="In the community since",
        help_text="Release or registration in the community; leave empty while in custody",
        required=False,
    )
    risk_level = forms.ChoiceField(
        label="Risk of serious harm", choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    mappa_category = forms.TypedChoiceField(
        label="MAPPA category", choices=[(n, n) for n in ("1", "2", "3", "4")], coerce=int
    )
    mappa_level = forms.TypedChoiceField(
        label="MAPPA level", choices=[(n, n) for n in ("1", "2", "3")], coerce=int
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).filter(kind=TeamKind.MOSOVO).order_by("name")
        team_field: Any = self.fields["team"]
        team_field.queryset = teams
        manager_field: Any = self.fields["offender_manager"]
        manager_field.queryset = _managers(teams)
        # the case's risk is chosen on this page: capacity now, not with it
        manager_field.labels = with_load(manager_field.queryset, new_case=False)


class RegistrationEditForm(VigilForm):
    """Change the register record (a move to another team is a transfer)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(
        label="Risk of serious harm", choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    offender_manager = LabelledModelChoiceField(
        label="Offender manager", queryset=User.objects.none(), required=False
    )
    register_reference = forms.CharField(
        label="ViSOR / MAPPS reference", max_length=40, required=False
    )
    in_community_since = GovukDateField(
        label="In the community since",
        help_text="Release or registration in the community; leave empty while in custody",
        required=False,
    )
    mappa_category = forms.TypedChoiceField(
        label="MAPPA category", choices=[(n, n) for n in ("1", "2", "3", "4")], coerce=int
    )
    mappa_level = forms.TypedChoiceField(
        label="MAPPA level", choices=[(n, n) for n in ("1", "2", "3")], coerce=int
    )
    static_tool = forms.ChoiceField(
        label="Static risk tool",
        help_text="Scored by its licensed guide; enter the result here",
        choices=StaticTool.choices,
        required=False,
    )
    static_band = forms.CharField(
        label="Static risk band",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    static_date = GovukDateField(label="Date the static risk was scored", required=False)

    def __init__(
        self, *args: Any, team: Team, holder: Any = None, risk_level: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["offender_manager"]
        field.queryset = _managers([team.pk])
        # each offender manager's capacity, and with this RSO (not for the one who has it)
        field.labels = with_load(field.queryset, holder=holder, rso_level=risk_level)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        manager = data["offender_manager"]
        return {
            "risk_level": data["risk_level"],
            "offender_manager_id": manager.pk if manager else None,
            "register_reference": data["register_reference"],
            "in_community_since": data["in_community_since"],
            "mappa_category": data["mappa_category"],
            "mappa_level": data["mappa_level"],
            "static_tool": data["static_tool"],
            "static_band": data["static_band"].strip(),
            "static_date": data["static_date"],
        }


class MoveForm(VigilForm):
    team = forms.ModelChoiceField(label="Move to the team", queryset=Team.objects.none())
    offender_manager = forms.ModelChoiceField(
        label="Offender manager in that team", queryset=User.objects.none(), required=False
    )
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, exclude_team: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).filter(kind=TeamKind.MOSOVO).order_by("name")
        if exclude_team is not None:
            teams = teams.exclude(pk=exclude_team)
        team_field: Any = self.fields["team"]
        team_field.queryset = teams
        manager_field: Any = self.fields["offender_manager"]
        manager_field.queryset = _managers(teams)
        manager_field.label_from_instance = _with_teams


def _with_teams(user: User) -> str:
    teams = ", ".join(m.team.name for m in user.memberships.all())
    return f"{user} ({teams})" if teams else str(user)


class TransferRequestForm(VigilForm):
    to_force = forms.ModelChoiceField(label="Receiving force", queryset=Force.objects.none())
    reason = forms.CharField(
        label="Reason",
        help_text="For example the new address's area and the date of the move",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, force: Force, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_force"]
        field.queryset = Force.objects.exclude(pk=force.pk).order_by("name")


class TransferAcceptForm(MoveForm):
    reason = None  # type: ignore[assignment]
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransferDeclineForm(VigilForm):
    note = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndForm(VigilForm):
    ended_on = GovukDateField(label="Date the registration ends")
    reason = forms.CharField(
        label="Reason",
        help_text="For example: the notification period ended, or a court discharged it",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndefiniteReviewApplyForm(VigilForm):
    applied_on = GovukDateField(label="Date the application was received")


class IndefiniteReviewDetermineForm(VigilForm):
    outcome = forms.ChoiceField(
        label="Determination", choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Reasons",
        help_text="The risk the RSO poses and the information considered (s.91C)",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MappaMeetingForm(VigilForm):
    """A MAPPA level 2 or 3 meeting and up to three actions it agreed (the API takes more)."""

    level = forms.TypedChoiceField(
        label="MAPPA level it was held at",
        choices=[(2, "Level 2"), (3, "Level 3")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    held_on = GovukDateField(label="Date of the meeting")
    chair = forms.CharField(label="Who chaired it", max_length=150)
    summary = forms.CharField(
        label="What it decided (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = GovukDateField(
        label="Date of the next review (optional)",
        required=False,
        help_text="Empty: the policy's weeks for the level (16 for level 2, 8 for level 3)",
    )
    description_1 = forms.CharField(label="Action 1 (optional)", required=False, max_length=300)
    agency_1 = forms.CharField(label="Agency for action 1", required=False, max_length=100)
    owner_1 = LabelledModelChoiceField(
        label="Police owner of action 1 (empty: the offender manager sees it done)",
        queryset=User.objects.none(),
        required=False,
    )
    due_1 = forms.DateField(label="When action 1 is due (2027-01-31)", required=False)
    description_2 = forms.CharField(label="Action 2 (optional)", required=False, max_length=300)
    agency_2 = forms.CharField(label="Agency for action 2", required=False, max_length=100)
    owner_2 = LabelledModelChoiceField(
        label="Police owner of action 2", queryset=User.objects.none(), required=False
    )
    due_2 = forms.DateField(label="When action 2 is due (2027-01-31)", required=False)
    description_3 = forms.CharField(label="Action 3 (optional)", required=False, max_length=300)
    agency_3 = forms.CharField(label="Agency for action 3", required=False, max_length=100)
    owner_3 = LabelledModelChoiceField(
        label="Police owner of action 3", queryset=User.objects.none(), required=False
    )
    due_3 = forms.DateField(label="When action 3 is due (2027-01-31)", required=False)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in (1, 2, 3):
            owner: Any = self.fields[f"owner_{n}"]
            owner.queryset = officers
            owner.labels = with_team(officers)

    def service_input(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        actions = [
            {
                "description": data.pop(f"description_{n}"),
                "agency": data.pop(f"agency_{n}"),
                "owner": data.pop(f"owner_{n}"),
                "due_on": data.pop(f"due_{n}"),
            }
            for n in (1, 2, 3)
        ]
        return {**data, "actions": actions}


class MappaActionDoneForm(VigilForm):
    done_on = GovukDateField(label="Date it was done")
    outcome = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 4}))
