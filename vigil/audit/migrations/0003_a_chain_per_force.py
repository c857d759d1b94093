"""A hash chain per force, and one event naming the people a page showed (ADR 17).

Every event so far stays where it is, in the one chain it was appended to, which becomes the
closed chain `global` (its events keep their hashes and verify as before: their place in it
is their `seq`). New events join their force's chain (`force:<id>`) or `system`, each with
its own head in `AuditChain`, which replaces the single `AuditChainHead`. On PostgreSQL the
deployment-wide order of appending comes from a sequence, which no writer waits for.

An event may name the people a list, search or export showed (`people`, hashed), each
indexed in `AuditEventPerson` for the DPO's search by person.

The database's guards are made again for the new shape: events and the index of the people
they name refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), and a chain's head moves only
forward, to its chain's last event.
"""

import django.db.models.deletion
from django.db import migrations, models

GENESIS_HASH = "0" * 64

POSTGRES_GUARDS = """
CREATE OR REPLACE FUNCTION vigil_audit_chain_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.key = 'global' OR NEW.key <> OLD.key OR NEW.seq <= OLD.seq
       OR NEW.seq <> (SELECT MAX(chain_seq) FROM audit_auditevent WHERE chain = NEW.key)
       OR NEW.hash <> (SELECT hash FROM audit_auditevent
                       WHERE chain = NEW.key AND chain_seq = NEW.seq) THEN
        RAISE EXCEPTION 'an audit chain head only moves forward, to its last event'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_chain_forward_only
    BEFORE UPDATE OR DELETE ON audit_auditchain
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_chain_forward_only();
CREATE TRIGGER audit_chain_no_truncate
    BEFORE TRUNCATE ON audit_auditchain
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_refuse_change();

CREATE OR REPLACE FUNCTION vigil_audit_global_closed() RETURNS trigger AS $$
BEGIN
    IF NEW.chain = 'global' THEN
        RAISE EXCEPTION 'the global audit chain is closed: new events join their own chain'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_global_closed
    BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_global_closed();

CREATE TRIGGER audit_person_append_only
    BEFORE UPDATE OR DELETE ON audit_auditeventperson
    FOR EACH ROW EXECUTE FUNCTION vigil_audit_refuse_change();
CREATE TRIGGER audit_person_no_truncate
    BEFORE TRUNCATE ON audit_auditeventperson
    FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_refuse_change();
"""
# SQLite rebuilds a table to change it, and the rebuilt table has no triggers: they are made
# again once the table has its new shape.
SQLITE_GUARDS = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE ON audit_auditchain
       WHEN OLD.key = 'global' OR NEW.key <> OLD.key OR NEW.seq <= OLD.seq
         OR NEW.seq <> (SELECT MAX(chain_seq) FROM audit_auditevent WHERE chain = NEW.key)
         OR NEW.hash <> (SELECT hash FROM audit_auditevent
                         WHERE chain = NEW.key AND chain_seq = NEW.seq)
       BEGIN SELECT RAISE(ABORT, 'an audit chain head only moves forward, to its last event');
       END""",
    """CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_auditchain
       BEGIN SELECT RAISE(ABORT, 'an audit chain head cannot be deleted'); END""",
    """CREATE TRIGGER audit_global_closed BEFORE INSERT ON audit_auditevent
       WHEN NEW.chain = 'global'
       BEGIN SELECT RAISE(ABORT, 'the global audit chain is closed: new events join their own chain');
       END""",
    """CREATE TRIGGER audit_person_no_update BEFORE UPDATE ON audit_auditeventperson
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_person_no_delete BEFORE DELETE ON audit_auditeventperson
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END""",
]
SQLITE_TRIGGERS = [
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_chain_forward_only",
    "audit_chain_no_delete",
    "audit_global_closed",
    "audit_person_no_update",
    "audit_person_no_delete",
]
SQLITE_OLD_TRIGGERS = [
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_head_forward_only",
    "audit_head_no_delete",
]


def drop_old_sqlite_guards(apps, schema_editor):
    """SQLite rebuilds the events table below; its old triggers go first."""
    if schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_OLD_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def place(apps, schema_editor):
    """The events so far take their place in the closed global chain (their `seq`), with
    the database's guard off for this one change; the old head becomes that chain's."""
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
        )
    schema_editor.execute("UPDATE audit_auditevent SET chain = 'global', chain_seq = seq")
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    old = apps.get_model("audit", "AuditChainHead").objects.filter(pk=1).first()
    if old is not None and old.seq > 0:
        apps.get_model("audit", "AuditChain").objects.create(
            key="global", seq=old.seq, hash=old.hash
        )


def guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS audit_event_seq")
        schema_editor.execute(
            "SELECT setval('audit_event_seq', COALESCE(MAX(seq), 0) + 1, false) "
            "FROM audit_auditevent"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS vigil_audit_head_forward_only()")
        schema_editor.execute(POSTGRES_GUARDS)
    elif vendor == "sqlite":
        for statement in SQLITE_GUARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head_and_append_only")]

    operations = [
        # One way only: events appended since are in per-force chains the old code cannot
        # write or verify.
        migrations.RunPython(drop_old_sqlite_guards),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("key", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="global", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="people",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.CreateModel(
            name="AuditEventPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_id", models.UUIDField(db_index=True)),
                (
                    "event",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="audit.auditevent",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("event", "person_id"), name="audit_event_person"
                    )
                ],
            },
        ),
        migrations.RunPython(place),
        migrations.AlterField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "chain_seq"), name="audit_chain_position"
            ),
        ),
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.RunPython(guard),
    ]
