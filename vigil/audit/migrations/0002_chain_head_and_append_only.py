"""The chain's head row (the genesis hash). On PostgreSQL and SQLite the database itself
refuses to change or delete an audit event, and lets the chain head only move forward, to the
last event appended."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION vigil_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_refuse_change();

CREATE OR REPLACE FUNCTION vigil_audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq
       OR NEW.seq <> (SELECT MAX(seq) FROM audit_auditevent)
       OR NEW.hash <> (SELECT hash FROM audit_auditevent WHERE seq = NEW.seq) THEN
        RAISE EXCEPTION 'the audit chain head only moves forward, to the last event'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_head_forward_only
    BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate
    BEFORE TRUNCATE ON audit_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_refuse_change();
"""

# SQLite (the embedded default) refuses the same through its own triggers.
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
       WHEN NEW.seq <= OLD.seq
         OR NEW.seq <> (SELECT MAX(seq) FROM audit_auditevent)
         OR NEW.hash <> (SELECT hash FROM audit_auditevent WHERE seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward, to the last event');
       END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
       BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END""",
]
SQLITE_TRIGGERS = [
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_head_forward_only",
    "audit_head_no_delete",
]

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead;
DROP FUNCTION IF EXISTS vigil_audit_refuse_change();
DROP FUNCTION IF EXISTS vigil_audit_head_forward_only();
"""


GENESIS_HASH = "0" * 64


def forward(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.get_or_create(
        id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
