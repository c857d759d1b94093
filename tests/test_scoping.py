"""One scoping base serves every model with a force (vigil/core/scoping.py): each declares
how its rows are scoped, children through their parent, and `visible_to` applies it."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404

from vigil.accounts.access import get_visible_or_404
from vigil.core.models import Force
from vigil.core.scoping import ScopedQuerySet, scope_of


def _with_force() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(
            field.many_to_one and field.related_model is Force for field in model._meta.get_fields()
        )
    ]


def test_every_model_with_a_force_declares_its_scope() -> None:
    found = _with_force()
    assert len(found) > 30  # every app's records, not an empty enumeration
    unscoped = [
        model._meta.label
        for model in found
        if scope_of(model) is None or not isinstance(model._default_manager.all(), ScopedQuerySet)
    ]
    assert unscoped == []


@pytest.mark.parametrize("model", _with_force(), ids=lambda m: m._meta.label)
def test_a_child_is_scoped_through_a_parent_that_is_scoped(model: type[models.Model]) -> None:
    seen = [model]
    scope = scope_of(model)
    while scope is not None and scope.through:
        field = model._meta.get_field(scope.through)
        assert field.many_to_one or field.one_to_one, f"{model._meta.label}.{scope.through}"
        model = field.related_model  # type: ignore[assignment]
        assert model not in seen, "a cycle"
        seen.append(model)
        scope = scope_of(model)
    assert scope is not None, f"{seen[-1]._meta.label} declares no scope"


def _rows_by_model() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in _with_force()}


@pytest.mark.parametrize("persona", ["anonymous", "other_force"])
def test_no_row_of_another_force_is_visible(world: Any, persona: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else world.users[persona]
    force_a = world.nominal.force_id
    for model in _with_force():
        visible: Any = model._default_manager.visible_to(user)
        forces = [
            f.name for f in model._meta.get_fields() if f.many_to_one and f.related_model is Force
        ]
        if model._meta.label == "offenders.Transfer":  # seen by both forces, by design
            forces = ["registration__nominal__force"]
        for name in forces:
            assert not visible.filter(**{name: force_a}).exists(), model._meta.label


def test_a_child_of_a_limited_access_record_is_hidden_with_it(world: Any) -> None:
    """Every record hanging off the limited-access RSO (its visits, ARMS, its registration)
    is hidden from the officer kept out of it, and visible to one who is not."""
    from vigil.offenders.models import ArmsAssessment, HomeVisit

    excluded, manager = world.users["excluded"], world.users["offender_manager"]
    for model in (HomeVisit, ArmsAssessment):
        row = model.objects.get(registration__nominal=world.limited)
        with pytest.raises(Http404):
            get_visible_or_404(model, excluded, row.pk)
        assert get_visible_or_404(model, manager, row.pk) == row
        ordinary = model.objects.get(registration__nominal=world.nominal)
        assert get_visible_or_404(model, excluded, ordinary.pk) == ordinary


def test_a_root_needs_its_verb(world: Any) -> None:
    """The PCC's office holds no verb to see nominals, visits or referrals: none visible."""
    from vigil.ocsea.models import Referral
    from vigil.offenders.models import HomeVisit
    from vigil.people.models import Nominal

    pcc = next(u for name, u in world.users.items() if name.startswith("pcc"))
    for model in (Nominal, HomeVisit, Referral):
        assert not model.objects.visible_to(pcc).exists(), model._meta.label
    assert HomeVisit.objects.visible_to(world.users["offender_manager"]).exists()


def test_a_record_in_the_path_must_hang_from_the_one_before_it(
    world: Any, monkeypatch: Any
) -> None:
    """A declared write on a suspect under a referral (`api_action(under=...)`): the suspect
    of another referral, visible as it may be, is a 404 there, and the right pair is
    answered (here a 400 for the empty body)."""
    from django.test import Client
    from django.urls import reverse

    from vigil.accounts.services import api_token_create
    from vigil.ocsea.tests.helpers import freeze, receive, triage

    freeze(monkeypatch)
    first, second = receive(world, family_name="Aldous"), receive(world, family_name="Brack")
    for referral in (first, second):
        triage(world, referral, "high")
    token = api_token_create(actor=None, user=world.users["investigator"]).key
    client = Client(headers={"Authorization": f"Token {token}"})

    def arrest_decision(referral: Any, suspect: Any) -> int:
        url = reverse(
            "api:ocsea-referral-suspect-arrest-decision",
            kwargs={"pk": referral.pk, "suspect_id": suspect.pk},
        )
        return client.post(url, {}, content_type="application/json").status_code

    assert arrest_decision(first, second.suspects.get()) == 404
    assert arrest_decision(first, first.suspects.get()) == 400
