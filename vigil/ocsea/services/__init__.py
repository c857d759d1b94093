"""Writes to OCSEA referrals, investigations and bail, one module per aggregate: referral (intake,
triage and reviews), investigation (allocation, action, enforcement, suspects' decisions and
outcomes, closing), family (support for a suspect's family), bail (bail and release under
investigation). Each write is keyword-only, takes the acting user, runs in one transaction,
refuses bad input with a message naming the field, writes its audit event (naming the suspect)
and re-syncs the obligations of the referral and its bails."""

from vigil.ocsea.services._common import (
    INVESTIGATING_TEAMS,
    UNIDENTIFIED,
)
from vigil.ocsea.services.bail import (
    EXTENSION_CONDITIONS,
    ConditionDetails,
    ExtensionDetails,
    bail_begin,
    bail_condition_add,
    bail_condition_remove,
    bail_end,
    bail_extend,
    bail_from_rui,
    breach_action_record,
    condition_check_record,
    court_decision_record,
    rui_review_record,
)
from vigil.ocsea.services.family import (
    family_member_add,
    family_support_record,
    family_vulnerability_record,
    marf_record,
)
from vigil.ocsea.services.investigation import (
    action_record,
    arrest_decision_record,
    arrest_ratify,
    child_safeguarded,
    enforcement_plan,
    enforcement_record,
    outcome_record,
    oversight_review_record,
    referral_allocate,
    referral_close,
)
from vigil.ocsea.services.referral import (
    ChildDetails,
    Intake,
    SuspectDetails,
    intelligence_record,
    referral_receive,
    referral_triage,
    risk_review_record,
    suspect_add,
)

__all__ = [
    "EXTENSION_CONDITIONS",
    "INVESTIGATING_TEAMS",
    "UNIDENTIFIED",
    "ChildDetails",
    "ConditionDetails",
    "ExtensionDetails",
    "Intake",
    "SuspectDetails",
    "action_record",
    "arrest_decision_record",
    "arrest_ratify",
    "bail_begin",
    "bail_condition_add",
    "bail_condition_remove",
    "bail_end",
    "bail_extend",
    "bail_from_rui",
    "breach_action_record",
    "child_safeguarded",
    "condition_check_record",
    "court_decision_record",
    "enforcement_plan",
    "enforcement_record",
    "family_member_add",
    "family_support_record",
    "family_vulnerability_record",
    "intelligence_record",
    "marf_record",
    "outcome_record",
    "oversight_review_record",
    "referral_allocate",
    "referral_close",
    "referral_receive",
    "referral_triage",
    "risk_review_record",
    "rui_review_record",
    "suspect_add",
]
