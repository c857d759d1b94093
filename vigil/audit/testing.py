"""For tests only: switching off the database's audit triggers, to tamper with the chain as
someone with direct database access would, or to let a test database be flushed."""

from __future__ import annotations

from typing import Any

from django.db import connection


def disable_audit_triggers(cursor: Any) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SET session_replication_role = replica")  # superuser: skips triggers
    elif connection.vendor == "sqlite":
        from importlib import import_module

        migration = import_module("vigil.audit.migrations.0003_a_chain_per_force")
        for name in migration.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
