"""The partnership's verbs (issue 14): both sides see and raise exchanges (a probation
partner those of their force's agreement, nothing else of a person); the head of public
protection keeps the agreement and records the joint reviews."""

from django.db import migrations

from vigil.accounts.migration_helpers import grant_verbs, remove_verbs

VERBS = {
    "view_partnership": "See the probation agreement and its exchanges",
    "raise_exchange": "Raise and answer exchanges under the probation agreement",
    "manage_agreement": "Change the probation agreement's terms",
    "record_joint_review": "Record the joint review of the probation agreement",
}
GRANTS = {
    "probation_partner": ["view_partnership", "raise_exchange"],
    "offender_manager": ["view_partnership", "raise_exchange"],
    "mosovo_supervisor": ["view_partnership", "raise_exchange", "record_joint_review"],
    "head_of_pp": ["view_partnership", "manage_agreement", "record_joint_review"],
}


def grant(apps, schema_editor):
    grant_verbs(apps, VERBS, GRANTS)


def revoke(apps, schema_editor):
    remove_verbs(apps, VERBS)


class Migration(migrations.Migration):
    dependencies = [("probation", "0001_partnership"), ("accounts", "0002_roles_and_verbs")]

    operations = [migrations.RunPython(grant, revoke)]
