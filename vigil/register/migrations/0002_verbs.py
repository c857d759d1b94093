"""The register's verbs (issue 14): importing an extract creates and changes people and
registrations, so it is the MOSOVO supervisor's, who holds both; the reconciliation is for
those who manage RSOs, each seeing the records they may; the export for entry into the
register is the supervisor's."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "import_register": "Upload a ViSOR or MAPPS extract, check it and import it",
    "reconcile_register": "See and resolve the differences between Vigil and the register",
    "export_register": "Export Vigil's changes for entry into the register (a disclosure)",
}
GRANTS = {
    "mosovo_supervisor": ["import_register", "reconcile_register", "export_register"],
    "offender_manager": ["reconcile_register"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("register", "0001_imports"), ("offenders", "0002_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
