"""The workforce verbs (issue 13): reading staff, capacity and abstractions, and recording and
reviewing abstractions."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "view_workforce": "See staff, their caseload and capacity, and abstractions, of one's teams",
    "manage_abstractions": "Record abstractions and review them",
}
SUPERVISORS = ["view_workforce", "manage_abstractions"]
GRANTS = {
    "mosovo_supervisor": SUPERVISORS,
    "ocsea_supervisor": SUPERVISORS,
    "head_of_pp": SUPERVISORS,
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
        ("accounts", "0002_roles_and_verbs"),
        ("obligations", "0007_group_acknowledgement"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
