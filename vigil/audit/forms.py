from __future__ import annotations

from typing import Any

from django import forms

from vigil.audit.models import AuditAction
from vigil.core.forms import GovukDateField, VigilForm


class AuditFilterForm(VigilForm):
    person = forms.CharField(label="Person (name or record id)", required=False, max_length=100)
    user = forms.CharField(label="User", required=False, max_length=150)
    record = forms.CharField(label="Record id", required=False, max_length=64)
    action = forms.ChoiceField(
        label="Kind of processing",
        required=False,
        choices=[("", "Any"), *AuditAction.choices],
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data
