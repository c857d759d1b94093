"""The writes to a person's record declared once (vigil/writes.py): each serves its page
(vigil/people/urls.py) and its API action (vigil/people/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.people import services
from vigil.people.api.serializers import AddressSerializer, AliasSerializer, IdentifierSerializer
from vigil.people.forms import AddressForm, AliasForm, IdentifierForm
from vigil.people.models import Nominal
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
