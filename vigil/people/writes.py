"""The writes to a person's record declared once (vigil/writes.py): each serves its page
(vigil/people/urls.py) and its API action (vigil/people/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from vigil.people import services
from vigil.people.api.serializers import (
    AddressSerializer,
    AliasSerializer,
    IdentifierSerializer,
    LimitedAccessSerializer,
    NominalCreateSerializer,
    NominalSerializer,
    NominalUpdateSerializer,
    WriteResultSerializer,
)
from vigil.people.forms import (
    AddressForm,
    AliasForm,
    IdentifierForm,
    LimitedAccessForm,
    NominalCreateForm,
    NominalEditForm,
)
from vigil.people.models import IdentifierKind, Nominal
from vigil.writes import Write, declare


def _person_page(nominal: Nominal) -> str:
    return reverse("people:nominal-detail", kwargs={"pk": nominal.pk})


ON_THE_PERSON: dict[str, Any] = {
    "verbs": ("record_nominal",),
    "subject": Nominal,
    "subject_arg": "nominal",
    "action": "change",  # the person's record must be one the user may change
    "people": lambda nominal: [nominal],
    "back": _person_page,
    "context": lambda nominal: {"nominal": nominal},
    "template": "people/nominal_child_form.html",
}

ALIAS = declare(
    Write(
        name="people.alias",
        title="Add a name",
        service=services.alias_add,
        form=AliasForm,
        serializer=AliasSerializer,
        success="Name added.",
        page="people:alias-add",
        api="api:nominal-aliases",
        **ON_THE_PERSON,
    )
)
IDENTIFIER = declare(
    Write(
        name="people.identifier",
        title="Add an identifier",
        service=services.identifier_add,
        form=IdentifierForm,
        serializer=IdentifierSerializer,
        success="Identifier added.",
        page="people:identifier-add",
        api="api:nominal-identifiers",
        **ON_THE_PERSON,
    )
)
ADDRESS = declare(
    Write(
        name="people.address",
        title="Add an address",
        service=services.address_add,
        form=AddressForm,
        serializer=AddressSerializer,
        success="Address added.",
        page="people:address-add",
        api="api:nominal-addresses",
        **ON_THE_PERSON,
    )
)


# --- the record itself -------------------------------------------------------------------------


def _with_pnc(data: dict[str, Any]) -> dict[str, Any]:
    """The PNC number asked with the details, as the record's first identifier."""
    pnc = data.pop("pnc", "")
    return {**data, "identifiers": [(IdentifierKind.PNC, pnc)] if pnc else None}


def _pnc_errors(exc: ValidationError) -> ValidationError:
    """The identifier's refusal on the page's PNC field."""
    if hasattr(exc, "error_dict") and "value" in exc.error_dict:
        return ValidationError({"pnc": exc.error_dict["value"]})
    return exc


NOMINAL = declare(
    Write(
        name="people.nominal",
        title="Add a person",
        help="A new person record, with its PNC number if known.",
        verbs=("record_nominal",),
        subject=None,
        subject_arg="",
        service=services.nominal_create,
        form=NominalCreateForm,
        from_form=lambda form: _with_pnc(dict(form.cleaned_data)),
        page_errors=_pnc_errors,
        serializer=NominalCreateSerializer,
        from_api=_with_pnc,
        response=NominalSerializer,
        success=lambda nominal: f"{nominal} was added.",
        people=lambda nothing: [],
        back=lambda nothing: reverse("people:nominal-list"),
        # the new record is shown at once: its creator is not asked why (ADR 21); seeing it
        # is a consultation like any other
        then=lambda nominal: reverse("people:nominal-detail", kwargs={"pk": nominal.pk}),
        template="people/nominal_form.html",
        page="people:nominal-create",
        api="api:nominal-list",
    )
)
ON_THE_RECORD: dict[str, Any] = {
    **ON_THE_PERSON,
    "versioned": True,
    "creates": False,
    # the answer is the new version only: showing the record is a consultation of its own
    "response": WriteResultSerializer,
    "api_method": "PATCH",
}
NOMINAL_EDIT = declare(
    Write(
        name="people.nominal_edit",
        title="Change details",
        heading=lambda nominal: f"Change details: {nominal}",
        service=services.nominal_update,
        form=NominalEditForm,
        serializer=NominalUpdateSerializer,
        success="The record was updated.",
        initial=lambda nominal: {
            "version": nominal.version,
            **{name: getattr(nominal, name) for name in services.NOMINAL_FIELDS},
        },
        page="people:nominal-edit",
        api="api:nominal-detail",
        **{**ON_THE_RECORD, "template": "people/nominal_form.html"},
    )
)


def _access_from_api(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": data["version"],
        "limited": data["limited"],
        "reason": data.get("reason", ""),
        "restricted_to": list(data.get("restricted_to", [])),
        "excluded_from": list(data.get("excluded_from", [])),
    }


LIMITED_ACCESS = declare(
    Write(
        name="people.limited_access",
        title="Limit access to this record",
        help="Restrict the record to named users, or exclude users from it (usernames of your "
        "force). A change that would keep out the owner of open work on the record is "
        "refused, naming them.",
        service=services.nominal_set_limited_access,
        form=LimitedAccessForm,
        form_kwargs=lambda nominal, user: {"user": user},
        from_form=lambda form: _access_from_api(form.cleaned_data),
        serializer=LimitedAccessSerializer,
        from_api=_access_from_api,
        success="Access to the record was updated.",
        initial=lambda nominal: {
            "version": nominal.version,
            "limited": "yes" if nominal.limited_access else "no",
            "reason": nominal.limited_access_reason,
            "restricted_to": list(nominal.restricted_to.all()),
            "excluded_from": list(nominal.excluded_from.all()),
        },
        page="people:nominal-access",
        api="api:nominal-limited-access",
        **{
            **ON_THE_RECORD,
            "verbs": ("manage_limited_access",),
            "action": "restrict",
            "api_method": "POST",
            "template": "people/nominal_access.html",
        },
    )
)
