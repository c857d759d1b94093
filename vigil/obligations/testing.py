"""A check for the test suites: after a write, the stored obligations are exactly what the
rules derive. Every service that writes anything a rule reads must sync the subjects it
feeds; the audited-write suites call this after each service in their catalogues, so a write
that forgets fails there (ARCHITECTURE.md: "a test walks the service catalogue")."""

from __future__ import annotations

from vigil.obligations.sync import sync_all


def assert_nothing_stale() -> None:
    result = sync_all()
    stale = {"created": result.created, "changed": result.changed, "withdrawn": result.withdrawn}
    assert stale == dict.fromkeys(stale, 0), f"a write left obligations stale: {stale}"
