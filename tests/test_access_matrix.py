"""Every URL name and API endpoint, as every persona, against its designed answer.

A URL that is not in MATRIX fails `test_every_url_is_in_the_matrix`: place each new URL here
with the answer each persona should get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, World
from vigil.audit.purpose import SESSION_KEY

CASE = {
    "ocsea_triage",
    "investigator",
    "ocsea_supervisor",
    "offender_manager",
    "mosovo_supervisor",
    "excluded",
    "other_force",
}
VIEWERS = CASE | {"head_of_pp"}
RECORDERS = CASE
RESTRICTERS = {"ocsea_supervisor", "mosovo_supervisor", "head_of_pp"}
AGGREGATES = {"head_of_pp", "performance_analyst", "pcc_assurance"}
AUDIT = {"dpo"}
ADMINS = {"sysadmin"}


def page(allowed: set[str], *, ok: int = 200, record: bool = False) -> Callable[[str], int]:
    """A page: anonymous → login (302); no verb → 403; verb but record not visible → 404."""

    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 302
        if persona not in allowed:
            return 403
        if record and persona == "other_force":
            return 404
        return ok

    return expect


def api(allowed: set[str], *, ok: int = 200, record: bool = False) -> Callable[[str], int]:
    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 401
        if persona not in allowed:
            return 403
        if record and persona == "other_force":
            return 404
        return ok

    return expect


def everyone(ok: int = 200, anonymous: int = 302) -> Callable[[str], int]:
    return lambda persona: anonymous if persona == "anonymous" else ok


def nominal(w: World) -> dict[str, Any]:
    return {"pk": w.nominal.pk}


JSON = {"data": {}, "content_type": "application/json"}

# name: (method, kwargs(world) or None, expected(persona), extra request kwargs)
MATRIX: dict[
    str, tuple[str, Callable[[World], dict[str, Any]] | None, Callable[[str], int], dict[str, Any]]
] = {
    "core:home": ("get", None, everyone(), {}),
    "assurance:figures": ("get", None, page(AGGREGATES), {}),
    "healthz": ("get", None, lambda p: 200, {}),
    "accounts:login": ("get", None, lambda p: 200 if p == "anonymous" else 302, {}),
    "accounts:logout": ("post", None, lambda p: 302, {}),
    "accounts:mfa-verify": ("get", None, lambda p: 302, {}),
    "accounts:mfa-setup": ("get", None, everyone(), {}),
    "people:nominal-list": ("get", None, page(VIEWERS), {"data": {"q": "Quenby"}}),
    "people:nominal-create": ("get", None, page(RECORDERS), {}),
    "people:nominal-detail": ("get", nominal, page(VIEWERS, record=True), {}),
    "people:nominal-purpose": ("get", nominal, page(VIEWERS, record=True), {}),
    "people:nominal-edit": ("get", nominal, page(RECORDERS, record=True), {}),
    "people:alias-add": ("get", nominal, page(RECORDERS, record=True), {}),
    "people:identifier-add": ("get", nominal, page(RECORDERS, record=True), {}),
    "people:address-add": ("get", nominal, page(RECORDERS, record=True), {}),
    "people:nominal-access": ("get", nominal, page(RESTRICTERS, record=True), {}),
    "audit:event-list": ("get", None, page(AUDIT), {}),
    "audit:event-export": ("get", None, page(AUDIT), {}),
    "api:me": ("get", None, everyone(anonymous=401), {}),
    "api:nominal-list": ("get", None, api(VIEWERS), {}),
    "api:nominal-detail": (
        "get",
        nominal,
        api(VIEWERS, record=True),
        {"headers": {"X-Vigil-Purpose": "supervision"}},
    ),
    "api:nominal-aliases": ("post", nominal, api(RECORDERS, ok=400, record=True), JSON),
    "api:nominal-identifiers": ("post", nominal, api(RECORDERS, ok=400, record=True), JSON),
    "api:nominal-addresses": ("post", nominal, api(RECORDERS, ok=400, record=True), JSON),
    "api:nominal-limited-access": ("post", nominal, api(RESTRICTERS, ok=400, record=True), JSON),
    "api:audit-event-list": ("get", None, api(AUDIT), {}),
    "api-schema": ("get", None, everyone(anonymous=401), {}),
    "api-docs": ("get", None, everyone(anonymous=401), {}),
}


def _names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    names = {n for n in _names() if not n.startswith("admin:")}
    # DRF's format-suffix variants share their view and access rules with the plain names.
    missing = sorted(names - set(MATRIX))
    assert not missing, f"Place these URLs in the access matrix: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name: str, persona: str, world: World, client_for: Any) -> None:
    method, kwargs, expected, extra = MATRIX[name]
    client = client_for(persona)
    args = kwargs(world) if kwargs else {}
    if persona != "anonymous":  # record pages ask for a purpose first (tested in test_audit)
        session = client.session
        session[SESSION_KEY] = {str(world.nominal.pk): {"purpose": "supervision", "detail": ""}}
        session.save()
    url = reverse(name, kwargs=args)
    response = getattr(client, method)(url, **extra)
    assert response.status_code == expected(persona), (name, persona, response.status_code)


@pytest.mark.parametrize(
    "name", ["people:nominal-detail", "people:nominal-purpose", "people:nominal-edit"]
)
def test_excluded_user_gets_404_on_limited_record(name: str, world: World, client_for: Any) -> None:
    client = client_for("excluded")
    assert client.get(reverse(name, kwargs={"pk": world.limited.pk})).status_code == 404
    # while a colleague with the same role sees it
    colleague = client_for("offender_manager")
    assert (
        colleague.get(
            reverse("people:nominal-purpose", kwargs={"pk": world.limited.pk})
        ).status_code
        == 200
    )


def test_excluded_user_gets_404_on_limited_record_over_api(world: World, client_for: Any) -> None:
    url = reverse("api:nominal-detail", kwargs={"pk": world.limited.pk})
    headers = {"X-Vigil-Purpose": "supervision"}
    assert client_for("excluded").get(url, headers=headers).status_code == 404
    assert client_for("offender_manager").get(url, headers=headers).status_code == 200


def test_other_force_records_are_404_everywhere(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    pk = world.other_force_nominal.pk
    assert client.get(reverse("people:nominal-purpose", kwargs={"pk": pk})).status_code == 404
    assert (
        client.get(
            reverse("api:nominal-detail", kwargs={"pk": pk}),
            headers={"X-Vigil-Purpose": "supervision"},
        ).status_code
        == 404
    )
    listed = client.get(reverse("api:nominal-list")).json()["results"]
    assert {n["family_name"] for n in listed} == {"Quenby", "Varlowick"}


def _admin_urls() -> list[tuple[str, Any]]:
    """Every admin screen: the index, and each registered model's list, add, and (for one
    instance) change, history and delete pages, with whether the model allows adding."""
    from django.contrib import admin

    urls: list[tuple[str, Any]] = [(reverse("admin:index"), True)]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append((reverse(f"{info}_changelist"), True))
        urls.append((reverse(f"{info}_add"), model_admin.has_add_permission))
        obj = model._default_manager.first()
        if obj is not None:
            for page_name in ("change", "history", "delete"):
                urls.append(
                    (
                        reverse(f"{info}_{page_name}", args=[obj.pk]),
                        model_admin.has_delete_permission if page_name == "delete" else True,
                    )
                )
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_only_for_system_administrators(persona: str, world: World, client_for: Any) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.get_or_create(user=world.users["offender_manager"])
    client = client_for(persona)
    sysadmin = world.users["sysadmin"]
    request = type("R", (), {"user": sysadmin})()
    for url, allowed in _admin_urls():
        permitted = allowed if isinstance(allowed, bool) else allowed(request)
        response = client.get(url)
        # anyone else is sent to the admin sign-in: no admin screen for them
        expected = (200 if permitted else 403) if persona in ADMINS else 302
        assert response.status_code == expected, (url, persona, response.status_code)


def test_admin_registers_no_case_data() -> None:
    from django.contrib import admin

    labels = {m._meta.label_lower for m in admin.site._registry}
    assert not labels & {
        "people.nominal",
        "people.address",
        "people.alias",
        "people.identifier",
        "audit.auditevent",
        "audit.auditchainhead",
    }
