from __future__ import annotations

from typing import Any

from django import forms

from vigil.accounts.models import User
from vigil.audit.purpose import Purpose, fitting, validate
from vigil.core.forms import GovukDateField, VigilForm
from vigil.people.models import AddressKind, AliasKind, IdentifierKind, Sex


class SearchForm(VigilForm):
    q = forms.CharField(
        label="Search by name, alias, PNC or other identifier, or postcode",
        required=False,
        max_length=100,
    )


class NominalForm(VigilForm):
    family_name = forms.CharField(label="Family name", max_length=100)
    given_names = forms.CharField(label="Given names", max_length=150)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 1985"
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect)


class NominalEditForm(NominalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the one read: a stale one is refused


class NominalCreateForm(NominalForm):
    pnc = forms.CharField(
        label="PNC number (optional)",
        required=False,
        max_length=40,
        help_text="For example, 2015/0123456X",
    )


class AliasForm(VigilForm):
    kind = forms.ChoiceField(
        label="Kind of name", choices=AliasKind.choices, widget=forms.RadioSelect
    )
    family_name = forms.CharField(label="Family name", max_length=100, required=False)
    given_names = forms.CharField(label="Given names", max_length=150, required=False)


class IdentifierForm(VigilForm):
    kind = forms.ChoiceField(label="Kind of identifier", choices=IdentifierKind.choices)
    value = forms.CharField(label="Identifier", max_length=40)


class AddressForm(VigilForm):
    kind = forms.ChoiceField(
        label="Kind of address", choices=AddressKind.choices, widget=forms.RadioSelect
    )
    line_1 = forms.CharField(label="Address line 1", max_length=150, required=False)
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=150, required=False)
    town = forms.CharField(label="Town or city", max_length=100)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    valid_from = GovukDateField(label="Date the person started using this address")


class PurposeForm(VigilForm):
    purpose = forms.ChoiceField(
        label="Why do you need to see this record?",
        choices=Purpose.choices,
        widget=forms.RadioSelect,
    )
    detail = forms.CharField(
        label="More detail (needed if you chose another purpose)",
        help_text="For example, an incident or case reference",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, verbs: frozenset[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.verbs = verbs
        field: Any = self.fields["purpose"]
        field.choices = fitting(verbs)
        field.error_messages["invalid_choice"] = "Select a purpose that fits your role"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "purpose" in data:
            errors = validate(data["purpose"], data.get("detail", ""), self.verbs)
            for field, message in errors.items():
                self.add_error(field, message)
        return data


class LimitedAccessForm(VigilForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the one read: a stale one is refused
    limited = forms.TypedChoiceField(
        label="Is access to this record limited?",
        choices=[
            ("yes", "Yes, limit who can see it"),
            ("no", "No, anyone in the force with access to nominal records can see it"),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Why is access limited?", required=False, max_length=300)
    restricted_to = forms.ModelMultipleChoiceField(
        label="Restricted to (only these users can see it)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    excluded_from = forms.ModelMultipleChoiceField(
        label="Excluded (these users can never see it)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = User.objects.visible_to(user).filter(is_active=True).order_by("username")
        self.fields["restricted_to"].queryset = users  # type: ignore[attr-defined]
        self.fields["excluded_from"].queryset = users  # type: ignore[attr-defined]
