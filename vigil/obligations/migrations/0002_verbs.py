"""Verbs for the obligation engine: supervisors and the head of public protection see their
teams' work and act on escalations."""

from django.db import migrations

VERBS = {
    "view_team_work": "See the team worklist and the risk level x overdue band table",
    "act_on_escalations": "Acknowledge and resolve escalations at supervisor rungs",
}
GRANTS = {
    "ocsea_supervisor": ["view_team_work", "act_on_escalations"],
    "mosovo_supervisor": ["view_team_work", "act_on_escalations"],
    "head_of_pp": ["view_team_work", "act_on_escalations"],
}


def grant(apps, schema_editor):
    Verb = apps.get_model("accounts", "Verb")
    Role = apps.get_model("accounts", "Role")
    for code, description in VERBS.items():
        Verb.objects.update_or_create(code=code, defaults={"description": description})
    for role_code, verbs in GRANTS.items():
        Role.objects.get(pk=role_code).verbs.add(*verbs)


def revoke(apps, schema_editor):
    apps.get_model("accounts", "Verb").objects.filter(code__in=VERBS).delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
