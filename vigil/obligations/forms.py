from __future__ import annotations

from typing import Any

from django import forms

from vigil.accounts.models import User
from vigil.core.forms import VigilForm
from vigil.core.models import Area, Team
from vigil.obligations import status as st
from vigil.obligations.models import RiskLevel
from vigil.obligations.registry import kind_labels
from vigil.obligations.selectors import SORTS, WorklistFilters, default_team


class WorklistFilterForm(VigilForm):
    status = forms.ChoiceField(label="Status", required=False)
    kind = forms.ChoiceField(label="What is due", required=False)
    # the rules a figure counts (the performance dashboard's links): carried, not chosen
    rules = forms.CharField(required=False, max_length=400, widget=forms.HiddenInput)
    risk = forms.ChoiceField(
        label="Risk level",
        required=False,
        choices=[("", "Any"), *RiskLevel.choices, ("none", "Not assessed")],
    )
    team = forms.ChoiceField(label="Team", required=False)
    area = forms.ChoiceField(label="Area", required=False)
    owner = forms.ChoiceField(label="Owner", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("due", "Due date, earliest first"),
            ("-due", "Due date, latest first"),
            ("risk", "Risk, highest first"),
            ("subject", "Subject"),
            ("owner", "Owner"),
            ("kind", "What is due"),
        ],
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(code, label) for code, label in kind_labels().items()]
        choices: dict[str, list[tuple[str, str]]] = {
            "status": [
                ("open", "Open (not met or waived)"),
                ("overdue", "Overdue"),
                *st.statuses(),
                ("all", "All"),
            ],
            "kind": [("", "Anything"), *kinds],
            "team": [
                ("mine", "My teams"),
                ("all", "All teams"),
                *((str(t.pk), t.name) for t in Team.objects.visible_to(user)),
            ],
            "owner": [
                ("", "Anyone"),
                *(
                    (str(u.pk), str(u))
                    for u in User.objects.visible_to(user)
                    .filter(memberships__isnull=False)
                    .distinct()
                    .order_by("username")
                ),
            ],
            "area": [
                ("", "Any"),
                *((str(a.pk), a.name) for a in Area.objects.visible_to(user)),
            ],
        }
        for name, options in choices.items():
            field: Any = self.fields[name]
            field.choices = options
        self.fields["team"].initial = default_team(user)  # what an unfiltered view shows

    def filters(self) -> WorklistFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return WorklistFilters(
            status=data.get("status") or "open",
            kind=data.get("kind") or "",
            rules=data.get("rules") or "",
            risk=data.get("risk") or "",
            team=data.get("team") or "",  # none chosen: the user's default
            area=data.get("area") or "",
            owner=data.get("owner") or "",
            sort=str(data.get("sort")) if data.get("sort") in SORTS else "due",
        )


class WaiveForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the one read: a stale one is refused
    rationale = forms.CharField(
        label="Why is this obligation waived?",
        help_text="Recorded with your name and role, and shown wherever the obligation is",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResolveForm(VigilForm):
    resolution = forms.CharField(
        label="What was done?", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(VigilForm):
    """A decision that asks nothing more than the button."""


class GroupAcknowledgeForm(VigilForm):
    """A group of escalations (rung, team, kind, reason: carried from the escalations page)
    and why they are acknowledged together."""

    rung = forms.CharField(widget=forms.HiddenInput)
    team = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Why are these acknowledged together, and what happens next?",
        help_text="Recorded with your name against each of them, and in the audit log",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
