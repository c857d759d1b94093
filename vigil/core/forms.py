"""GOV.UK Design System rendering for Django forms.

Fields render with GOV.UK markup (label, hint, error message, input classes) through a form
renderer, so a form in a template is `{{ form }}` and still looks and behaves like GOV.UK:
errors name the field, the error summary links to each field, dates are three inputs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


class GovukDateWidget(forms.MultiWidget):
    """A date as three inputs (day, month, year), the GOV.UK date input pattern."""

    template_name = "forms/govuk_date_widget.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    default_error_messages = {
        "invalid": "Enter a real date",
        "incomplete": "Enter a day, a month and a year",
    }

    def __init__(self, **kwargs: Any) -> None:
        number = {"invalid": "Enter the date as numbers"}
        fields = (
            forms.IntegerField(min_value=1, max_value=31, error_messages=number),
            forms.IntegerField(min_value=1, max_value=12, error_messages=number),
            forms.IntegerField(min_value=1900, max_value=2200, error_messages=number),
        )
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[Any]) -> date | None:
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        day, month, year = data_list
        try:
            return date(year, month, day)
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def govuk_widget_classes(form: forms.BaseForm) -> None:
    """Puts GOV.UK classes on a form's widgets (called by VigilForm)."""
    for name, field in form.fields.items():
        widget = field.widget
        has_error = name in form.errors
        if isinstance(widget, GovukDateWidget):
            continue
        if isinstance(widget, forms.Select):
            css = "govuk-select"
        elif isinstance(widget, forms.Textarea):
            css = "govuk-textarea"
        elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            continue
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            css = "govuk-file-upload"
        else:
            css = "govuk-input"
        if has_error:
            css += f" {css}--error"
        # a width the form gave the field (GOV.UK's modifiers) is kept
        widths = [
            c
            for c in widget.attrs.get("class", "").split()
            if c.startswith(("govuk-input--width-", "govuk-!-width-"))
        ]
        widget.attrs["class"] = " ".join([css, *widths])


def name_required_errors(form: forms.BaseForm) -> None:
    """ "This field is required." names no field: say what to enter or select instead
    (the GOV.UK pattern), unless the form set its own message."""
    default = forms.Field.default_error_messages["required"]
    for field in form.fields.values():
        if field.error_messages.get("required") != default:
            continue
        label = str(field.label or "a value").split(" (")[0]
        choice = isinstance(field, forms.ChoiceField)
        if label.endswith("?"):
            message = f"{'Select an option' if choice else 'Enter an answer'}: {label}"
        else:
            message = f"{'Select' if choice else 'Enter'} the {label[0].lower()}{label[1:]}"
        field.error_messages["required"] = message


class LabelledModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of records labelled by the form (`labels`: id to words), such as officers
    told apart from namesakes, with their capacity where work is allocated."""

    labels: dict[Any, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk) or str(obj)


class LabelledModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    labels: dict[Any, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        return self.labels.get(obj.pk) or str(obj)


class GovukFormMixin:
    """GOV.UK classes on the widgets, and required-field errors that name the field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_required_errors(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        govuk_widget_classes(self)  # type: ignore[arg-type]

    def render(self, *args: Any, **kwargs: Any) -> Any:
        govuk_widget_classes(self)  # type: ignore[arg-type]
        return super().render(*args, **kwargs)  # type: ignore[misc]


class VigilForm(GovukFormMixin, forms.Form):
    """Base form for Vigil's pages."""


class DisclosureForm(VigilForm):
    """Who receives an export and why: every export is a recorded disclosure (s.62)."""

    recipients = forms.CharField(
        label="Who will receive this export?",
        help_text="Names or organisations, separated by commas (for example, the ICO)",
        max_length=300,
    )
    justification = forms.CharField(
        label="Why is it being disclosed?", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def recipient_list(self) -> list[str]:
        return [r.strip() for r in self.cleaned_data["recipients"].split(",") if r.strip()]


def add_service_errors(form: forms.BaseForm, error: Exception) -> None:
    """Shows a service's ValidationError on the form, each message on the field it names
    (or at the top when it names none), so nothing the service refused is lost."""
    from django.core.exceptions import ValidationError

    if not isinstance(error, ValidationError):
        form.add_error(None, str(error))
        return
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
    govuk_widget_classes(form)


def field_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """A form's errors by field, as the API answers them (a 400 naming each field)."""
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}
