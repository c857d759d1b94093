"""Making the demand forecast (issue 13): the head of public protection's, who reads the
forecast and may start background work; not the system administrator's, who starts the
deployment's jobs but does not read the force's workforce figures."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {"run_forecast": "Make a new five-year demand forecast (a background job)"}
GRANTS = {"head_of_pp": ["run_forecast"]}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("workforce", "0008_forecast_backtest")]

    operations = [migrations.RunPython(grant, revoke)]
