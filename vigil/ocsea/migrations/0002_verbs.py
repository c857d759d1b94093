"""Verbs for OCSEA referrals, investigations and bail."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "view_ocsea": "See OCSEA referrals, investigations and bail",
    "triage_referral": "Receive referrals and prioritise them with an instrument",
    "investigate": "Record reviews, enforcement, arrest decisions, bail and family support",
    "oversee_investigations": (
        "Allocate investigations, record oversight reviews, ratify decisions not to arrest"
    ),
}
GRANTS = {
    "ocsea_triage": ["view_ocsea", "triage_referral"],
    "investigator": ["view_ocsea", "investigate"],
    "ocsea_supervisor": ["view_ocsea", "triage_referral", "investigate", "oversee_investigations"],
    "head_of_pp": ["view_ocsea", "oversee_investigations"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("ocsea", "0001_initial"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
