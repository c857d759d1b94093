"""Forms of the OCSEA pages. Field names match the services' arguments, so a service's error
lands on the field it names."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from vigil.accounts.models import User
from vigil.accounts.officers import with_load
from vigil.core.forms import GovukDateField, LabelledModelChoiceField, VigilForm
from vigil.core.models import Area, Team
from vigil.instruments.forms import AssessmentForm
from vigil.obligations.models import RiskLevel
from vigil.ocsea.models import (
    AgeBand,
    AgeGroup,
    BailEnd,
    BailKind,
    CheckMethod,
    CheckResult,
    ConditionKind,
    EnforcementOutcome,
    ExtensionStage,
    Leaflet,
    Outcome,
    Rank,
    Relationship,
    ReviewKind,
    Source,
    SupportOrganisation,
    VictimViews,
)
from vigil.ocsea.services import EXTENSION_CONDITIONS as CONDITIONS
from vigil.people.models import Nominal

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes(value: str) -> bool:
    return value == "yes"


def _yes_no(label: str, **kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=_yes, widget=forms.RadioSelect, **kwargs
    )


def _text(label: str, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )


class ReferralForm(VigilForm):
    """A referral as it arrives: where from, when, what it says, and the suspect."""

    source = _radios("Where did the referral come from?", Source.choices)
    source_reference = forms.CharField(
        label="The source's reference", required=False, help_text="For example the NCA package"
    )
    other_references = forms.CharField(label="Other references", required=False)
    received_on = GovukDateField(label="Date received")
    received_time = forms.TimeField(
        label="Time received",
        help_text="24-hour clock, for example 09:30",
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input--width-5"}),
    )
    summary = _text("Summary of the referral", rows=5)
    category_a = _count("Category A images or videos")
    category_b = _count("Category B images or videos")
    category_c = _count("Category C images or videos")
    ocsea_team = forms.ModelChoiceField(label="OCSEA team", queryset=Team.objects.none())
    area = forms.ModelChoiceField(
        label="Local policing area",
        queryset=Area.objects.none(),
        required=False,
        help_text="Where the suspect lives, if known",
    )
    family_name = forms.CharField(
        label="Suspect's family name",
        required=False,
        help_text="Leave empty if not known: the online identifiers then name the suspect",
    )
    given_names = forms.CharField(label="Suspect's given names", required=False)
    date_of_birth = GovukDateField(label="Suspect's date of birth", required=False)
    age_group = _radios("Is the suspect an adult or a child?", AgeGroup.choices)
    online_identifiers = _text(
        "Online identifiers",
        rows=3,
        required=False,
        help_text="E-mail addresses, user names, IP addresses: one per line",
    )
    children = _text(
        "Children at risk",
        rows=3,
        required=False,
        help_text="One child per line: a name, or how the child is known",
    )

    def __init__(self, *args: Any, user: Any, nominal: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams: Any = self.fields["ocsea_team"]
        teams.queryset = Team.objects.visible_to(user).filter(kind="ocsea")
        areas: Any = self.fields["area"]
        areas.queryset = Area.objects.visible_to(user)
        self.nominal = nominal
        if nominal is not None:
            for name in ("family_name", "given_names", "date_of_birth"):
                del self.fields[name]

    def received_at(self) -> datetime:
        when: time = self.cleaned_data["received_time"]
        return timezone.make_aware(datetime.combine(self.cleaned_data["received_on"], when))


class _PersonChoice(forms.ChoiceField):
    """A person record offered by the search: any value passes here, and `clean_nominal`
    accepts only a record the user may see (so a tampered id is refused by name)."""

    def valid_value(self, value: Any) -> bool:
        return True


NEW_PERSON = "new"


def person_label(nominal: Nominal) -> str:
    born = f", born {nominal.date_of_birth:%-d %b %Y}" if nominal.date_of_birth else ""
    return f"{nominal}{born}"


class SuspectForm(VigilForm):
    """A suspect: a person record the search found (radios, only records the user may see),
    or a new person from the details (or known only by online identifiers)."""

    nominal = _PersonChoice(
        label="Is the suspect one of these people?",
        required=False,
        widget=forms.RadioSelect,
        help_text="People you can see whose records match the search",
    )
    family_name = forms.CharField(
        label="Family name",
        required=False,
        help_text="For a new person record; leave empty if known only by online identifiers",
    )
    given_names = forms.CharField(label="Given names", required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    age_group = _radios("Is the suspect an adult or a child?", AgeGroup.choices)
    online_identifiers = _text(
        "Online identifiers", rows=3, required=False, help_text="One per line"
    )

    def __init__(
        self, *args: Any, user: Any, matches: list[Nominal], chosen: bool = False, **kwargs: Any
    ) -> None:
        """`matches`: the people to offer; `chosen`: a person was posted (checked even when
        the user may not see them, so the answer says so)."""
        super().__init__(*args, **kwargs)
        self.user = user
        field: Any = self.fields["nominal"]
        if matches or chosen:
            field.choices = [(str(n.pk), person_label(n)) for n in matches] + [
                (NEW_PERSON, "None of these: a new person record from the details below")
            ]
        else:
            del self.fields["nominal"]

    def clean_nominal(self) -> Nominal | None:
        value = self.cleaned_data.get("nominal") or ""
        if value in ("", NEW_PERSON):
            return None
        try:
            found = Nominal.objects.visible_to(self.user).filter(pk=value).first()
        except (ValueError, ValidationError):
            found = None
        if found is None:
            raise forms.ValidationError("Choose a person record you can see")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        details = [data.get(n) for n in ("family_name", "given_names", "date_of_birth")]
        if data.get("nominal") is not None and any(details):
            self.add_error(
                "family_name",
                "Either choose a person record or enter a new person's details, not both",
            )
        return data


class PackChoiceForm(VigilForm):
    pack_code = _radios("Which instrument?", [])

    def __init__(self, *args: Any, packs: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["pack_code"]
        field.choices = [(p.code, f"{p.name} ({p.version})") for p in packs]


class ReviewForm(VigilForm):
    kind = _radios(
        "Why is the review being done?",
        [(k, label) for k, label in ReviewKind.choices if k != ReviewKind.TRIAGE],
    )
    reviewed_on = GovukDateField(label="Date of the review")
    band = _radios(
        "Band after the review",
        RiskLevel.choices,
        required=False,
        help_text="Leave as it is to keep the current band; the notes are the rationale",
    )
    notes = _text("What the review found")


class RescoreForm(AssessmentForm):
    """A risk review that re-runs the instrument: the pack's questions, then why and when."""

    kind = _radios(
        "Why is the review being done?",
        [(k, label) for k, label in ReviewKind.choices if k != ReviewKind.TRIAGE],
    )
    reviewed_on = GovukDateField(label="Date of the review")

    def __init__(self, pack: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(pack, *args, **kwargs)
        notes: Any = self.fields["notes"]
        notes.label, notes.required = "What the review found", True


class IntelligenceForm(VigilForm):
    received_on = GovukDateField(label="Date received")
    summary = _text("What the intelligence says")


class AllocateForm(VigilForm):
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none())
    officer = LabelledModelChoiceField(
        label="Officer",
        queryset=User.objects.none(),
        required=False,
        help_text="Leave empty for the team to allocate. Beside each officer: their capacity "
        "now, and with this investigation",
    )
    reason = _text("Reason", rows=3, required=False)

    def __init__(
        self, *args: Any, user: Any, holder: Any = None, band: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        teams: Any = self.fields["team"]
        teams.queryset = Team.objects.visible_to(user).filter(
            kind__in=("ocsea", "child_abuse", "local_policing")
        )
        officers: Any = self.fields["officer"]
        officers.queryset = (
            User.objects.visible_to(user)
            .filter(is_active=True, memberships__role__verbs="investigate")
            .distinct()
            .order_by("username")
        )
        officers.labels = with_load(officers.queryset, holder=holder, ocsea_band=band)


class SafeguardedForm(VigilForm):
    safeguarded_on = GovukDateField(label="Date safeguarded")


class ActionForm(VigilForm):
    actioned_on = GovukDateField(label="Date of the action")
    action_taken = _text("What action was taken?")


class PlanForm(VigilForm):
    planned_on = GovukDateField(
        label="Planned enforcement date", required=False, help_text="Leave empty to clear it"
    )


class OversightForm(VigilForm):
    reviewed_on = GovukDateField(label="Date of the review")
    notes = _text("Oversight and any direction given")


class EnforcementForm(VigilForm):
    enforced_on = GovukDateField(label="Date of the enforcement")
    warrant = _yes_no("Was it under a warrant?")
    warrant_reference = forms.CharField(label="Warrant reference", required=False)
    outcome = _radios("What happened?", EnforcementOutcome.choices)
    devices_seized = _count("Devices seized")
    children_safeguarded = _count("Children safeguarded")
    family_present = _yes_no("Does the suspect live with or have contact with family members?")
    notes = _text("Notes", rows=3, required=False)


class ArrestForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = _radios(
        "Was the suspect arrested?",
        [("arrested", "Arrested"), ("not_arrested", "Not arrested")],
    )
    decided_on = GovukDateField(label="Date of the arrest or decision")
    rationale = _text(
        "Why not arrested?", required=False, help_text="Needed for a decision not to arrest"
    )


class NoteForm(VigilForm):
    note = _text("Note", rows=3)


class RatifyForm(VigilForm):
    ratified_on = GovukDateField(
        label="Date ratified",
        required=False,
        help_text="Today unless it was ratified earlier; not before the decision",
    )
    note = _text("Why you ratify the decision", rows=3)


class OutcomeForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = _radios("Outcome", [c for c in Outcome.choices if c[0]])
    outcome_on = GovukDateField(label="Date of the outcome")
    detail = _text("Detail", rows=3, required=False)


class CloseForm(VigilForm):
    closed_on = GovukDateField(label="Date closed")
    note = _text("Closing note", rows=3)


class FamilyMemberForm(VigilForm):
    relationship = _radios("Relationship to the suspect", Relationship.choices)
    age_band = _radios("Age", AgeBand.choices)
    lives_with_suspect = _yes_no("Do they live with the suspect?")
    vulnerability = _text(
        "Vulnerability identified",
        rows=3,
        required=False,
        help_text="Leave empty if none: a vulnerability calls for a MARF",
    )
    vulnerability_identified_on = GovukDateField(
        label="Date the vulnerability was identified", required=False
    )


class FamilySupportForm(VigilForm):
    support_signposted_on = GovukDateField(label="Date support was signposted", required=False)
    support_organisation = forms.ModelChoiceField(
        label="Organisation signposted to",
        queryset=SupportOrganisation.objects.none(),
        required=False,
    )
    leaflet_given_on = GovukDateField(label="Date a leaflet was given", required=False)
    leaflet = forms.ModelChoiceField(
        label="Leaflet given", queryset=Leaflet.objects.none(), required=False
    )
    welfare_pack_on = GovukDateField(label="Date the welfare pack was issued", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations: Any = self.fields["support_organisation"]
        organisations.queryset = SupportOrganisation.objects.visible_to(user).filter(active=True)
        leaflets: Any = self.fields["leaflet"]
        leaflets.queryset = Leaflet.objects.visible_to(user).filter(active=True)


class VulnerabilityForm(VigilForm):
    vulnerability = _text(
        "Vulnerability identified", rows=3, help_text="A vulnerability calls for a MARF"
    )
    vulnerability_identified_on = GovukDateField(label="Date the vulnerability was identified")


class MarfForm(VigilForm):
    submitted_on = GovukDateField(label="Date the MARF was submitted")
    reference = forms.CharField(label="MARF reference")


class BailForm(VigilForm):
    kind = _radios("Bail or release under investigation?", BailKind.choices)
    area = forms.ModelChoiceField(label="Local policing area", queryset=Area.objects.none())
    designated = _yes_no(
        "Is it an NCA, SFO, FCA or HMRC case?",
        required=False,
        help_text="The first bail period is then 6 months",
    )
    released_on = GovukDateField(label="Date released (under investigation only)", required=False)
    condition_kind = _radios("First condition (bail only)", ConditionKind.choices, required=False)
    condition_text = _text("The condition as imposed", rows=2, required=False)
    condition_protects = forms.CharField(label="People or places it protects", required=False)
    condition_victims_views = _radios(
        "Were victims' views sought?", VictimViews.choices, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas: Any = self.fields["area"]
        areas.queryset = Area.objects.visible_to(user)


class ConditionForm(VigilForm):
    kind = _radios("Kind of condition", ConditionKind.choices)
    text = _text("The condition as imposed", rows=2)
    protects = forms.CharField(label="People or places it protects", required=False)
    victims_views = _radios("Were victims' views sought?", VictimViews.choices)
    imposed_on = GovukDateField(label="Date imposed")


class RemoveConditionForm(VigilForm):
    removed_on = GovukDateField(label="Date removed")


class CheckForm(VigilForm):
    checked_on = GovukDateField(label="Date of the check")
    method = _radios("How were the conditions checked?", CheckMethod.choices)
    result = _radios("What did the check find?", CheckResult.choices)
    notes = _text("Notes", rows=3, required=False, help_text="Describe any breach")


class BreachActionForm(VigilForm):
    actioned_on = GovukDateField(label="Date of the action")
    action = _text("Action taken on the breach", rows=3)


class ExtensionForm(VigilForm):
    stage = _radios("Which extension?", ExtensionStage.choices)
    authorised_on = GovukDateField(label="Date authorised (for the court, date applied)")
    authoriser_name = forms.CharField(label="Authorising officer's name", required=False)
    authoriser_rank = forms.ChoiceField(
        label="Authorising officer's rank",
        choices=[("", "Select a rank"), *Rank.choices],
        required=False,
    )
    conditions = forms.MultipleChoiceField(
        label="Which of the conditions for the extension are met?",
        choices=[(name, wording[0].upper() + wording[1:]) for name, wording in CONDITIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="PACE s.47ZC conditions A to D: an inspector's or superintendent's extension "
        "needs all four. Not needed for the court.",
    )
    court_order_reference = forms.CharField(label="Court reference", required=False)
    court_end_date = GovukDateField(
        label="End date in the court's order",
        required=False,
        help_text="Leave empty while the application awaits the court",
    )


class CourtDecisionForm(VigilForm):
    decided_on = GovukDateField(label="Date of the court's decision")
    granted = _yes_no("Did the court extend bail?")
    end_date = GovukDateField(label="End date in the court's order", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("granted") and data.get("end_date") is None and "end_date" not in self.errors:
            self.add_error("end_date", "Enter the end date in the court's order")
        return data


class BailEndForm(VigilForm):
    ended_on = GovukDateField(label="Date")
    reason = _radios(
        "How did it end?",
        [c for c in BailEnd.choices if c[0] != BailEnd.BAILED],
        help_text="Charged also records the suspect's outcome as charged, unless it is "
        "recorded already",
    )
    note = _text("Note", rows=3, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == BailKind.RUI:
            field: Any = self.fields["reason"]
            field.choices = [c for c in field.choices if c[0] != BailEnd.RUI]
            field.help_text = (
                f"{field.help_text}. To bail the suspect, use 'Bail from release under "
                "investigation'"
            )


class RebailForm(VigilForm):
    """Bail from release under investigation: when, the arrest (if any), and a condition."""

    bailed_on = GovukDateField(label="Date released on bail")
    rearrested_on = GovukDateField(
        label="Date arrested again for the offence",
        required=False,
        help_text="If the suspect was arrested again: it does not move the bail start date",
    )
    area = forms.ModelChoiceField(label="Local policing area", queryset=Area.objects.none())
    designated = _yes_no(
        "Is it an NCA, SFO, FCA or HMRC case?",
        required=False,
        help_text="The first bail period is then 6 months from the bail start date",
    )
    condition_kind = _radios("First condition", ConditionKind.choices, required=False)
    condition_text = _text("The condition as imposed", rows=2, required=False)
    condition_protects = forms.CharField(label="People or places it protects", required=False)
    condition_victims_views = _radios(
        "Were victims' views sought?", VictimViews.choices, required=False
    )
    note = _text("Note", rows=3, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas: Any = self.fields["area"]
        areas.queryset = Area.objects.visible_to(user)


class RuiReviewForm(VigilForm):
    reviewed_on = GovukDateField(label="Date of the review")
    notes = _text("What the review found")
