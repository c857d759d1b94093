"""Verbs for the obligation engine: supervisors and the head of public protection see their
teams' work and act on escalations."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "view_team_work": "See the team worklist and the risk level x overdue band table",
    "act_on_escalations": "Acknowledge and resolve escalations at the supervisor rung",
    "act_on_head_escalations": "Acknowledge and resolve escalations at the head-of-unit rung",
}
GRANTS = {
    "ocsea_supervisor": ["view_team_work", "act_on_escalations"],
    "mosovo_supervisor": ["view_team_work", "act_on_escalations"],
    "head_of_pp": ["view_team_work", "act_on_escalations", "act_on_head_escalations"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
