"""Writes to RSO records, one module per aggregate: register (the register record, its management
mode, moves, transfers, ending it, reviews of the indefinite requirement), visits (home visits
and the decisions on them), assessments (ARMS assessments and risk management plans, drafts and
reviews), notifications (notifications, PND checks, intelligence, breaches), mappa (MAPPA
level 2 and 3 meetings and their actions). Each is keyword-
only, takes the acting user, runs in one transaction, refuses bad input naming the field, writes
its audit event and re-syncs the record's obligations."""

from vigil.offenders.services.assessments import (
    arms_complete,
    arms_draft_save,
    rmp_complete,
    rmp_draft_save,
    work_review,
)
from vigil.offenders.services.mappa import mappa_action_done, mappa_meeting_record
from vigil.offenders.services.notifications import (
    breach_record,
    breach_recorded_nationally,
    intelligence_record,
    notification_record,
    pnd_assess,
    pnd_check_record,
)
from vigil.offenders.services.register import (
    REGISTRATION_FIELDS,
    concern_record,
    indefinite_review_apply,
    indefinite_review_determine,
    reactive_enter,
    registration_create,
    registration_end,
    registration_transfer,
    registration_update,
    transfer_accept,
    transfer_decline,
    transfer_request,
)
from vigil.offenders.services.visits import (
    visit_assess,
    visit_authorise,
    visit_record,
    visit_warrant_decide,
)

__all__ = [
    "REGISTRATION_FIELDS",
    "arms_complete",
    "arms_draft_save",
    "breach_record",
    "breach_recorded_nationally",
    "concern_record",
    "indefinite_review_apply",
    "indefinite_review_determine",
    "intelligence_record",
    "mappa_action_done",
    "mappa_meeting_record",
    "notification_record",
    "pnd_assess",
    "pnd_check_record",
    "reactive_enter",
    "registration_create",
    "registration_end",
    "registration_transfer",
    "registration_update",
    "rmp_complete",
    "rmp_draft_save",
    "transfer_accept",
    "transfer_decline",
    "transfer_request",
    "visit_assess",
    "visit_authorise",
    "visit_record",
    "visit_warrant_decide",
    "work_review",
]
