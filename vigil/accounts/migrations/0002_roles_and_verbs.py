"""The roles and the business verbs they bundle (DOMAIN.md section 1).

Later capabilities add verbs and grant them to roles in their own migrations; this one is
frozen history. The system administrator manages users and reference data and sees no case
data; PCC assurance and performance analysts see aggregates only; the DPO reads the audit log.
"""

from django.db import migrations

VERBS = {
    "view_nominal": "See nominal (person) records of the force",
    "record_nominal": "Add and change nominal records",
    "manage_limited_access": "Limit access to a record (restricted to / excluded from)",
    "view_aggregates": "See aggregate figures, never a name or identifier",
    "view_audit": "Search the audit log",
    "export_audit": "Export the audit log (recorded as a disclosure)",
    "manage_users": "Manage users, memberships, API tokens and lockouts",
    "manage_reference_data": "Manage forces, areas, teams and other reference data",
}

CASEWORK = ["view_nominal", "record_nominal"]
SUPERVISION = [*CASEWORK, "manage_limited_access"]

# code: (name, description, verbs)
ROLES = {
    "ocsea_triage": ("OCSEA triage officer", "Receives and prioritises referrals", CASEWORK),
    "investigator": ("Investigator", "Runs OCSEA and child abuse investigations", CASEWORK),
    "ocsea_supervisor": ("OCSEA supervisor", "Oversees every OCSEA investigation", SUPERVISION),
    "offender_manager": (
        "Offender manager",
        "Manages a caseload of registered sex offenders",
        CASEWORK,
    ),
    "mosovo_supervisor": (
        "MOSOVO supervisor",
        "Reviews ARMS, RMPs and visits; authorises visits",
        SUPERVISION,
    ),
    "head_of_pp": (
        "Head of public protection",
        "Force-wide view of public protection",
        ["view_nominal", "manage_limited_access", "view_aggregates"],
    ),
    "performance_analyst": ("Performance analyst", "Figures and forecasts", ["view_aggregates"]),
    "wellbeing_lead": (
        "Wellbeing lead",
        "Psychological screening and trauma-informed training",
        [],
    ),
    "probation_partner": ("Probation partner", "The two-way exchange with police", []),
    "pcc_assurance": (
        "PCC assurance",
        "Assurance for the police and crime commissioner: aggregates only",
        ["view_aggregates"],
    ),
    "dpo": ("Data protection officer", "The audit log", ["view_audit", "export_audit"]),
    "sysadmin": (
        "System administrator",
        "Users and reference data; no case data",
        ["manage_users", "manage_reference_data"],
    ),
}


def create(apps, schema_editor):
    Verb = apps.get_model("accounts", "Verb")
    Role = apps.get_model("accounts", "Role")
    for code, description in VERBS.items():
        Verb.objects.update_or_create(code=code, defaults={"description": description})
    for code, (name, description, verbs) in ROLES.items():
        role, _ = Role.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description},
        )
        role.verbs.set(verbs)


def remove(apps, schema_editor):
    apps.get_model("accounts", "Role").objects.filter(code__in=ROLES).delete()
    apps.get_model("accounts", "Verb").objects.filter(code__in=VERBS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
