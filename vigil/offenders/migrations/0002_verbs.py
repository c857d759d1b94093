"""Verbs for RSO management."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "manage_rso": "Register RSOs and record their visits, ARMS assessments and plans",
    "review_rso_work": "Review ARMS assessments, plans and visits as a supervisor",
    "authorise_visit": "Authorise an announced or single-officer home visit",
    "assess_visit_authorisation": "Assess a supervisor's authorisation of a non-compliant visit",
    "authorise_reactive": "Decide that an eligible RSO is managed reactively",
}
GRANTS = {
    "offender_manager": ["manage_rso"],
    "mosovo_supervisor": ["manage_rso", "review_rso_work", "authorise_visit", "authorise_reactive"],
    "head_of_pp": ["review_rso_work", "assess_visit_authorisation"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("offenders", "0001_initial"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
