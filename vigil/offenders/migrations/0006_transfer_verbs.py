"""The verb to accept an RSO transferred from another force (and to move RSOs between teams)."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"transfer_rso": "Move an RSO to another team, and accept one from another force"}
GRANTS = {"mosovo_supervisor": ["transfer_rso"], "head_of_pp": ["transfer_rso"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("offenders", "0005_breaches_transfers"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
