"""Recording one's own indecent-image review in a week (OCSEA staff; the wellbeing lead reads
everyone's on the wellbeing page, issue 13)."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"record_exposure": "Record one's own weekly volume of indecent-image review"}
GRANTS = {
    "ocsea_triage": ["record_exposure"],
    "investigator": ["record_exposure"],
    "ocsea_supervisor": ["record_exposure"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0006_exposure")]

    operations = [migrations.RunPython(grant, revoke)]
