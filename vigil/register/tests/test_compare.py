"""The force's registrations beside an extract's rows, field by field (R9): new, differing
(each difference named), the same, absent from the extract, and without a reference."""

from __future__ import annotations

from datetime import date
from typing import Any

from vigil.offenders.models import Registration
from vigil.policy.pack import active as active_policy
from vigil.register.compare import compare
from vigil.register.mapping import FIELDS

ALL = set(FIELDS)


def _quenby(world: Any, **changed: Any) -> dict[str, Any]:
    """The world's first registration as a register extract would give it."""
    registration = Registration.objects.get(nominal=world.nominal)
    values = {
        "register_reference": " syn-quenby ",  # case and spaces aside
        "family_name": "QUENBY",
        "given_names": "Adrian",
        "date_of_birth": None,
        "sex": "other",
        "address_line_1": "1 Example  Street",
        "address_line_2": None,
        "town": "Alpha",
        "postcode": "zz991aa",
        "risk_level": "high",
        "management_mode": "active",
        "offender_manager": "OFFENDER_MANAGER",  # by username, without case
        "team": "Alpha mosovo",
        "registration_date": date(2024, 1, 10),
        "conviction_date": date(2023, 11, 1),
        "disposal": "custody_6_to_30_months",
        "in_community_since": date(2024, 1, 10),
        "notification_ends": registration.notification_ends(active_policy()),
        "mappa_category": 1,
        "mappa_level": 1,
    }
    return {**values, **changed}


def _compare(world: Any, *rows: dict[str, Any], fields: set[str] = ALL) -> Any:
    force = world.nominal.force
    return compare(
        registrations=Registration.objects.filter(force=force),
        rows=list(enumerate(rows, start=2)),
        fields=fields,
        pack=active_policy(),
    )


def test_a_row_as_vigil_holds_it_is_the_same(world: Any) -> None:
    found = _compare(world, _quenby(world))
    assert [(n, r.nominal_id) for n, r in found.same] == [(2, world.nominal.pk)]
    assert found.differ == []
    assert found.new == []
    assert [r.nominal_id for r in found.absent] == [world.limited.pk]  # not in the extract


def test_each_difference_is_named_with_both_values(world: Any) -> None:
    found = _compare(
        world,
        _quenby(world, risk_level="very_high", postcode="ZZ99 9ZZ", offender_manager="PC 99"),
    )
    [(number, registration, differences)] = found.differ
    assert (number, registration.nominal_id) == (2, world.nominal.pk)
    assert {d.field: (d.vigil, d.register) for d in differences} == {
        "risk_level": ("high", "very_high"),
        "postcode": ("ZZ99 1AA", "ZZ99 9ZZ"),
        "offender_manager": (world.users["offender_manager"], "PC 99"),
    }
    assert {d.label for d in differences} == {"Risk level", "Postcode", "Offender manager"}


def test_a_blank_on_one_side_only_is_a_difference(world: Any) -> None:
    found = _compare(world, _quenby(world, town=None, date_of_birth=date(1970, 4, 3)))
    [(_, _, differences)] = found.differ
    assert {d.field for d in differences} == {"town", "date_of_birth"}


def test_only_the_fields_the_mapping_gives_are_compared(world: Any) -> None:
    row = _quenby(world, risk_level="low", town="Elsewhere")
    found = _compare(world, row, fields={"register_reference", "family_name", "town"})
    [(_, _, differences)] = found.differ
    assert [d.field for d in differences] == ["town"]


def test_a_reference_the_force_does_not_hold_is_new(world: Any) -> None:
    found = _compare(world, _quenby(world), _quenby(world, register_reference="SYN-NEW"))
    assert [n for n, _ in found.new] == [3]


def test_an_open_registration_without_a_reference_cannot_be_found(world: Any) -> None:
    Registration.objects.filter(nominal=world.limited).update(register_reference="")
    found = _compare(world, _quenby(world))
    assert [r.nominal_id for r in found.unreferenced] == [world.limited.pk]
    assert found.absent == []


def test_an_ended_registration_is_not_absent(world: Any) -> None:
    Registration.objects.filter(nominal=world.limited).update(ended_on=date(2026, 1, 1))
    assert _compare(world, _quenby(world)).absent == []
