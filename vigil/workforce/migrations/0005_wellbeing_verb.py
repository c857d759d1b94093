"""The wellbeing lead's verb (issue 13): a person's screening and training records, which no
one else sees (others see team counts, suppressed below five people)."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"manage_wellbeing": "See and record staff's screening and trauma-informed training"}
GRANTS = {"wellbeing_lead": ["manage_wellbeing"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0004_wellbeing")]

    operations = [migrations.RunPython(grant, revoke)]
