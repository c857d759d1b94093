"""The verb to determine an application for review of an indefinite notification requirement
(for the chief officer: the head of public protection by default)."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "determine_indefinite_review": (
        "Determine an application for review of an indefinite notification requirement"
    )
}
GRANTS = {"head_of_pp": ["determine_indefinite_review"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("offenders", "0007_indefinite_review"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
