"""The verb to start and watch background work."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"run_jobs": "Start and watch background work: a full obligation sync, the nightly run"}
GRANTS = {"sysadmin": ["run_jobs"], "head_of_pp": ["run_jobs"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
