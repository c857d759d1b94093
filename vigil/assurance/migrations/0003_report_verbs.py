"""The reports' verb (issue 15): the head of public protection and the performance analyst
make the PCC's report and the monthly pack and write their narrative; whoever sees
aggregates reads them."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"make_assurance_report": "Make assurance reports and write their narrative"}
GRANTS = {
    "head_of_pp": ["make_assurance_report"],
    "performance_analyst": ["make_assurance_report"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0002_reports"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
