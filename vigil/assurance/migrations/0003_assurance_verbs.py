"""The assurance verbs (issue 15): the head of public protection and the performance analyst
make the PCC's report and the monthly pack and write their narrative (whoever sees
aggregates reads them); those who see aggregates compare the deployment's forces on the
same metrics (suppressed as another force's), as iQuanta lets forces compare with peers."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "make_assurance_report": "Make assurance reports and write their narrative",
    "compare_forces": "Compare the deployment's forces on the scorecard's metrics",
}
GRANTS = {
    "head_of_pp": ["make_assurance_report", "compare_forces"],
    "performance_analyst": ["make_assurance_report", "compare_forces"],
    "pcc_assurance": ["compare_forces"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("assurance", "0002_reports"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
