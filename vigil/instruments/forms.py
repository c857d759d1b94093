"""The form for completing an instrument: one question (radios) per item of a pack, grouped by
the pack's sections, and notes. A domain's page builds it from the pack it asks for and
renders it with `instruments/_assessment_fields.html`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms

from vigil.core.forms import VigilForm
from vigil.instruments.packs import Item, Option, Pack, Section
from vigil.instruments.services import field_name


def _points(option: Option) -> str:
    return f"{option.points} point{'' if option.points in (1, -1) else 's'}"


def item_field(item: Item, *, show_points: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=item.text,
        help_text=item.hint,
        choices=[
            (o.id, f"{o.label} ({_points(o)})" if show_points else o.label) for o in item.options
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": f"Answer '{item.text}'",
            "invalid_choice": f"Choose one of the answers to '{item.text}'",
        },
    )


class AssessmentForm(VigilForm):
    """`AssessmentForm(pack, data)`: fields `item_<item id>` (one per item, in the pack's
    order) and `notes`. `answers()` gives the cleaned answers as item id -> option id, which
    is what `assessment_create` takes. A subclass may add fields: the include renders them
    after the sections, before the notes."""

    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, pack: Pack, *args: Any, show_points: bool = True, **kwargs: Any) -> None:
        self.pack = pack
        super().__init__(*args, **kwargs)
        own = {name: field for name, field in self.fields.items() if name != "notes"}
        items = {field_name(i.id): item_field(i, show_points=show_points) for i in pack.items}
        self.fields = {**items, **own, "notes": self.fields["notes"]}

    def sections(self) -> Iterator[tuple[Section, list[forms.BoundField]]]:
        """Each section of the pack with the bound fields of its items, for a fieldset each."""
        for section in self.pack.sections:
            yield section, [self[field_name(i.id)] for i in section.items]

    def other_fields(self) -> list[forms.BoundField]:
        """The fields that are not the pack's items (notes, and any a subclass adds)."""
        items = {field_name(i.id) for i in self.pack.items}
        return [self[name] for name in self.fields if name not in items]

    def answers(self) -> dict[str, str]:
        return {i.id: self.cleaned_data[field_name(i.id)] for i in self.pack.items}
