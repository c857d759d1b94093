"""The OpenAPI schema tells the truth: schemathesis drives every operation in-process (the WSGI
app, the test database) as one officer who holds the roles that use the API's operations
(offender manager, MOSOVO and OCSEA supervisor, investigator, wellbeing lead, head of public
protection), so each operation's examples reach its validation rather than a refusal (who is
refused is the access matrix's business), and checks that no request is a server error and
every response keeps to the schema (status codes documented, bodies valid, well-formed input
accepted, malformed input refused).

Bounded: a few examples per operation, no shrinking; the generated ids mostly name nothing,
so `test_api_responses_with_records_keep_to_the_schema` below reads real records against the
same schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

PERSONAS = ("offender_manager", "ocsea_supervisor")
# The roles of the officer the generated examples are sent as, by the kind of team each is held in.
CHECKER_ROLES = {
    "mosovo": ("offender_manager", "mosovo_supervisor"),
    "ocsea": ("ocsea_supervisor", "investigator"),
    "headquarters": ("wellbeing_lead", "head_of_pp"),
}


def _load() -> Any:
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application
    return loaded


schema = _load()


def accepts_well_formed_input(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's positive-data check for reads: a read's query is wholly described by
    the schema, so a 400 means the schema lied. A write's body also meets rules no schema
    states (a date of birth not in the future, a referenced record that exists, a decision
    the record's state allows), answered 400 naming the field; those are tested per rule."""
    if case.method.upper() != "GET":
        return None
    return positive_data_acceptance(ctx, response, case)


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """The app runs in the test's transaction: a request must not close the connection at
    its start or end, as Django's own test client arranges (on PostgreSQL it would)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(world: Any) -> dict[str, str]:
    from vigil.accounts.services import api_token_create

    return {p: api_token_create(actor=None, user=world.users[p]).key for p in PERSONAS}


@pytest.fixture
def checker(world: Any) -> str:
    """The API token of an officer of force A holding `CHECKER_ROLES`."""
    from vigil.accounts.models import Role
    from vigil.accounts.services import api_token_create, membership_add, user_create
    from vigil.core.models import Team

    force = world.nominal.force
    user = user_create(actor=None, username="schema_checker", password="x" * 20, force=force)
    for kind, roles in CHECKER_ROLES.items():
        team = Team.objects.get(force=force, kind=kind)
        for role in roles:
            membership_add(actor=None, user=user, team=team, role=Role.objects.get(pk=role))
    return api_token_create(actor=None, user=user).key


@pytest.mark.exhaustive
@schema.parametrize()
@settings(
    max_examples=4,  # with the explicit examples: every operation reaches validation (ADR 24)
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_to_the_schema(case: Any, checker: str) -> None:
    case.call_and_validate(
        headers={
            "Authorization": f"Token {checker}",
            "X-Vigil-Purpose": "other",
            "X-Vigil-Purpose-Detail": "The schema check",
        },
        excluded_checks=[positive_data_acceptance],
        additional_checks=[accepts_well_formed_input],
    )


READ_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SEARCH = {"/api/v1/nominals/": {"q": "Quenby"}, "/api/v1/ocsea/referrals/": {"view": "all"}}


def _operations() -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def _read(operation: Any, token: str, **kwargs: Any) -> Any:
    case = operation.Case(
        headers={
            "Authorization": f"Token {token}",
            "X-Vigil-Purpose": "other",
            "X-Vigil-Purpose-Detail": "The schema check",
        },
        **kwargs,
    )
    response = case.call()
    case.validate_response(response, checks=READ_CHECKS)
    return response


def test_api_responses_with_records_keep_to_the_schema(
    world: Any, tokens: dict[str, str], monkeypatch: Any
) -> None:
    """Every list, and every record read through a list's ids, as the two personas, with an
    RSO record and an OCSEA referral (triaged, its suspect on bail) in the database: the
    bodies of real records match the schema, enums and all."""
    from datetime import date

    from vigil.core.models import Area
    from vigil.ocsea import services as ocsea
    from vigil.ocsea.tests.helpers import freeze, receive, triage

    freeze(monkeypatch)
    referral = receive(world)
    triage(world, referral, "high")
    suspect = referral.suspects.get()
    ocsea.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="arrested",
        decided_on=date(2026, 11, 28),
    )
    ocsea.bail_begin(
        actor=world.users["investigator"],
        suspect=suspect,
        kind="bail",
        area=Area.objects.get(force=referral.force),
        conditions=[],
    )
    reads = [op for op in _operations() if op.method.upper() == "GET"]
    lists = [op for op in reads if "{" not in op.path]
    records = [op for op in reads if op.path.count("{") == 1 and op.path.endswith("{id}/")]
    read: set[str] = set()
    for persona in PERSONAS:
        ids: dict[str, list[str]] = {}
        for operation in lists:
            response = _read(operation, tokens[persona], query=SEARCH.get(operation.path))
            body = response.json() if response.status_code == 200 else {}
            rows = body.get("results", []) if isinstance(body, dict) else body
            ids[operation.path] = [r["id"] for r in rows if isinstance(r, dict) and "id" in r]
        for operation in records:
            for pk in ids.get(operation.path.removesuffix("{id}/"), [])[:3]:
                if _read(operation, tokens[persona], path_parameters={"id": pk}).status_code == 200:
                    read.add(operation.path)
    assert {
        "/api/v1/nominals/{id}/",
        "/api/v1/rsos/{id}/",
        "/api/v1/obligations/{id}/",
        "/api/v1/ocsea/referrals/{id}/",
        "/api/v1/ocsea/bails/{id}/",
    } <= read, f"records read: {sorted(read)}"
