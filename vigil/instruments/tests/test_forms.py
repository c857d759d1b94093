"""The assessment form: one radio question per item, named `item_<id>`, grouped by section,
rendered as GOV.UK fieldsets by `instruments/_assessment_fields.html`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string

from vigil.instruments.forms import AssessmentForm
from vigil.instruments.packs import Pack, get_pack, load_pack
from vigil.instruments.tests.packdata import ACCESS, small_pack, write_pack


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return load_pack(write_pack(tmp_path, small_pack()))


def test_one_required_radio_question_per_item_then_notes(pack: Pack) -> None:
    form = AssessmentForm(pack)
    assert list(form.fields) == ["item_access", "item_images", "item_contact", "notes"]
    access = form.fields["item_access"]
    assert isinstance(access, forms.ChoiceField)
    assert isinstance(access.widget, forms.RadioSelect)
    assert access.required
    assert access.label == ACCESS
    assert access.help_text == "Children in the household"
    assert list(access.choices) == [("no", "No (0 points)"), ("yes", "Yes (3 points)")]
    assert not form.fields["notes"].required


def test_points_can_be_left_off_the_labels(pack: Pack) -> None:
    form = AssessmentForm(pack, show_points=False)
    assert list(form.fields["item_images"].choices) == [
        ("none", "None"),
        ("some", "Some"),
        ("many", "Many"),
    ]


def test_sections_give_each_section_its_bound_fields(pack: Pack) -> None:
    form = AssessmentForm(pack)
    grouped = [(s.id, [f.name for f in fields]) for s, fields in form.sections()]
    assert grouped == [("one", ["item_access", "item_images"]), ("two", ["item_contact"])]
    assert [f.name for f in form.other_fields()] == ["notes"]


def test_a_complete_form_gives_the_answers(pack: Pack) -> None:
    data = {"item_access": "yes", "item_images": "some", "item_contact": "no", "notes": "N"}
    form = AssessmentForm(pack, data)
    assert form.is_valid(), form.errors
    assert form.answers() == {"access": "yes", "images": "some", "contact": "no"}
    assert pack.score(form.answers()).band == "high"


def test_an_unanswered_question_and_a_made_up_answer_are_errors(pack: Pack) -> None:
    form = AssessmentForm(pack, {"item_images": "lots", "item_contact": "no"})
    assert not form.is_valid()
    assert form.errors["item_access"] == [f"Answer '{ACCESS}'"]
    assert form.errors["item_images"] == ["Choose one of the answers to 'How many images?'"]
    assert "item_contact" not in form.errors


def test_the_include_renders_sections_as_fieldsets_with_radios(pack: Pack) -> None:
    html = render_to_string("instruments/_assessment_fields.html", {"form": AssessmentForm(pack)})
    assert html.count('<fieldset class="govuk-fieldset govuk-!-margin-bottom-6"') == 2
    assert '<h2 class="govuk-fieldset__heading">Step one</h2>' in html
    assert (
        f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{ACCESS}</legend>'
        in (html.replace("&#x27;", "'"))
    )
    # native radios, each with its own label: reachable and chosen by keyboard
    assert 'type="radio" value="yes"' in html
    assert 'name="item_access"' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_item_access_1">' in html
    assert 'id="id_item_access_helptext"' in html  # the hint, described by the fieldset
    assert 'name="notes"' in html
    assert "This pack is illustrative" in html


def test_errors_show_on_the_question_and_in_the_summary(pack: Pack) -> None:
    form = AssessmentForm(pack, {"item_images": "none", "item_contact": "no"})
    assert not form.is_valid()
    fields = render_to_string("instruments/_assessment_fields.html", {"form": form})
    summary = render_to_string("forms/error_summary.html", {"form": form})
    assert 'id="id_item_access_error"' in fields
    assert "govuk-form-group--error" in fields
    # the summary links to the question's first radio
    assert '<a href="#id_item_access_0">' in summary


def test_the_shipped_kirat_pack_makes_a_form() -> None:
    form = AssessmentForm(get_pack("kirat"))
    assert len(form.fields) == len(get_pack("kirat").items) + 1
    assert "item_current_access" in form.fields
