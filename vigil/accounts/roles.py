"""Role codes as used in code (the roles themselves are created by migrations)."""

from django.db import models


class RoleCode(models.TextChoices):
    OCSEA_TRIAGE = "ocsea_triage", "OCSEA triage officer"
    INVESTIGATOR = "investigator", "Investigator"
    OCSEA_SUPERVISOR = "ocsea_supervisor", "OCSEA supervisor"
    OFFENDER_MANAGER = "offender_manager", "Offender manager"
    MOSOVO_SUPERVISOR = "mosovo_supervisor", "MOSOVO supervisor"
    HEAD_OF_PP = "head_of_pp", "Head of public protection"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    WELLBEING_LEAD = "wellbeing_lead", "Wellbeing lead"
    PROBATION_PARTNER = "probation_partner", "Probation partner"
    PCC_ASSURANCE = "pcc_assurance", "PCC assurance"
    DPO = "dpo", "Data protection officer"
    SYSADMIN = "sysadmin", "System administrator"
