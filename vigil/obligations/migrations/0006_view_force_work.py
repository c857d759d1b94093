"""A verb for the roles that read the whole force's work: their team worklist and risk x
band table open on every team of the force, not on the team they sit in (issue 12)."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "view_force_work": "Open the team worklist and the risk x band table on the whole force",
}
GRANTS = {"head_of_pp": ["view_force_work"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("obligations", "0005_statute_dates")]

    operations = [migrations.RunPython(grant, revoke)]
