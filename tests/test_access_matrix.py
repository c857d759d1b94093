"""Every URL name and API endpoint, as every persona, against its designed answer.

A URL that is not in MATRIX fails `test_every_url_is_in_the_matrix`: place each new URL here
with the answer each persona should get."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS, World
from vigil.audit.purpose import SESSION_KEY

CASE = {
    "ocsea_triage",
    "investigator",
    "ocsea_supervisor",
    "offender_manager",
    "mosovo_supervisor",
    "excluded",
    "other_force",
}
VIEWERS = CASE | {"head_of_pp"}
RECORDERS = CASE
RESTRICTERS = {"ocsea_supervisor", "mosovo_supervisor", "head_of_pp"}
AGGREGATES = {"head_of_pp", "performance_analyst", "pcc_assurance"}
AUDIT = {"dpo"}
TEAMWORK = {"ocsea_supervisor", "mosovo_supervisor", "head_of_pp"}
EXPOSURE = {"ocsea_triage", "investigator", "ocsea_supervisor"}  # record_exposure
RSO_MANAGERS = {"offender_manager", "mosovo_supervisor", "excluded", "other_force"}
RSO_REVIEWERS = {"mosovo_supervisor", "head_of_pp"}
RSO_VIEWERS = RSO_MANAGERS | RSO_REVIEWERS
RSO_MOVERS = {"mosovo_supervisor", "head_of_pp"}  # transfer_rso
WAIVERS = {"mosovo_supervisor", "head_of_pp"}  # the policy's waiver roles for rso.* kinds
ADMINS = {"sysadmin"}
JOB_RUNNERS = {"sysadmin", "head_of_pp"}  # run_jobs (jobs/0002_verbs)
FORECASTERS = {"head_of_pp"}  # run_forecast (workforce/0009): not the sysadmin, who may not read it
IMPORTERS = {"mosovo_supervisor"}  # import_register (register/0002)
# the probation partnership (probation/0002): both sides see it; both raise and answer
PARTNERSHIP = {
    "probation_partner",
    "offender_manager",
    "mosovo_supervisor",
    "head_of_pp",
    "excluded",
    "other_force",
}
RAISERS = PARTNERSHIP - {"head_of_pp"}
AGREEMENT_KEEPERS = {"head_of_pp"}  # manage_agreement
JOINT_REVIEWERS = {"head_of_pp", "mosovo_supervisor"}  # record_joint_review
EXPORTERS = {"mosovo_supervisor"}  # export_register
REPORT_MAKERS = {"head_of_pp", "performance_analyst"}  # make_assurance_report (assurance/0003)
# reconcile_register: those who manage RSOs (another force's officer sees their own force's)
RECONCILERS = {"offender_manager", "mosovo_supervisor", "excluded", "other_force"}


def page(allowed: set[str], *, ok: int = 200, record: bool = False) -> Callable[[str], int]:
    """A page: anonymous → login (302); no verb → 403; verb but record not visible → 404."""

    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 302
        if persona not in allowed:
            return 403
        if record and persona in HIDDEN_FROM:
            return 404
        return ok

    return expect


def record_page(viewers: set[str], actors: set[str]) -> Callable[[str], int]:
    """A page about one record that needs a further right: the record's visibility is
    checked first (404), then the right (403)."""

    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 302
        if persona in viewers and persona in HIDDEN_FROM:
            return 404
        return 200 if persona in actors else 403

    return expect


def api_record_then(viewers: set[str], actors: set[str], *, ok: int) -> Callable[[str], int]:
    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 401
        if persona not in viewers:
            return 403
        if persona in HIDDEN_FROM:
            return 404
        return ok if persona in actors else 403

    return expect


def escalated(*, ok: int, anonymous: int) -> Callable[[str], int]:
    """One escalation of the MOSOVO team's work: its supervisors and the head of unit act on
    it; a supervisor of another team holds the verb but not this escalation (404)."""

    def expect(persona: str) -> int:
        if persona == "anonymous":
            return anonymous
        if persona not in TEAMWORK:
            return 403
        return 404 if persona == "ocsea_supervisor" else ok

    return expect


def api(allowed: set[str], *, ok: int = 200, record: bool = False) -> Callable[[str], int]:
    def expect(persona: str) -> int:
        if persona == "anonymous":
            return 401
        if persona not in allowed:
            return 403
        if record and persona in HIDDEN_FROM:
            return 404
        return ok

    return expect


def everyone(ok: int = 200, anonymous: int = 302) -> Callable[[str], int]:
    return lambda persona: anonymous if persona == "anonymous" else ok


# Personas who must not see the record a URL names: another force's officer (an ordinary
# record of force A), and the officer excluded from the limited-access record (which is the
# record they are sent to).
HIDDEN_FROM = {"other_force", "excluded"}


def nominal(w: World, persona: str) -> dict[str, Any]:
    return {"pk": (w.limited if persona == "excluded" else w.nominal).pk}


def obligation(w: World, persona: str) -> dict[str, Any]:
    return {"pk": w.obligation(w.limited if persona == "excluded" else w.nominal).pk}


def rso(w: World, persona: str) -> dict[str, Any]:
    return {"pk": w.registration(w.limited if persona == "excluded" else w.nominal).pk}


def arms(w: World, persona: str) -> dict[str, Any]:
    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    return {"pk": registration.arms.get().pk}


def rmp(w: World, persona: str) -> dict[str, Any]:
    """A completed risk management plan on the record the persona is sent to."""
    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    plan = registration.rmps.create(
        force_id=registration.force_id,
        completed_on=registration.registration_date,
        completed_by=w.users["offender_manager"],
        actions="Synthetic",
    )
    return {"pk": plan.pk}


def _draft(kind: str) -> Kwargs:
    """An ARMS assessment or plan in draft on the record the persona is sent to."""

    def make(w: World, persona: str) -> dict[str, Any]:
        registration = w.registration(w.limited if persona == "excluded" else w.nominal)
        draft = getattr(registration, kind).create(
            force_id=registration.force_id, completed_by=w.users["offender_manager"]
        )
        return {"pk": draft.pk}

    return make


def visit(w: World, persona: str) -> dict[str, Any]:
    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    return {"pk": registration.visits.get().pk}


def pnd(w: World, persona: str) -> dict[str, Any]:
    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    return {"pk": registration.pnd_checks.get().pk}


def breach(w: World, persona: str) -> dict[str, Any]:
    """A breach on the record the persona is sent to, not yet on ViSOR."""
    from vigil.offenders.models import Breach

    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    om = w.users["offender_manager"]
    found = Breach.objects.create(
        force_id=registration.force_id,
        registration=registration,
        identified_at=registration.created_at,
        kind="other",
        details="Synthetic",
        recorded_by=om,
    )
    return {"pk": found.pk}


def transfer_in(w: World, persona: str) -> dict[str, Any]:
    """A transfer asked of force A by force B (whose officer is `other_force`), pending."""
    from datetime import date

    from vigil.core.models import Team
    from vigil.offenders.models import Registration, Transfer

    beta_om = w.users["other_force"]
    team = Team.objects.get(force_id=beta_om.force_id, kind="mosovo")
    registration, _ = Registration.objects.get_or_create(
        nominal=w.other_force_nominal,
        defaults={
            "force_id": beta_om.force_id,
            "team": team,
            "registration_date": date(2024, 1, 10),
            "conviction_date": date(2023, 11, 1),
            "disposal": "custody_6_to_30_months",
            "risk_level": "medium",
        },
    )
    found = Transfer.objects.create(
        registration=registration,
        status="pending",
        from_force_id=beta_om.force_id,
        to_force_id=w.users["mosovo_supervisor"].force_id,
        from_team=team,
        reason="Moving to Alpha (synthetic)",
        requested_on=date(2026, 11, 1),
        requested_by=beta_om,
    )
    return {"pk": found.pk}


def indefinite_review(w: World, persona: str) -> dict[str, Any]:
    """An application for review on the record the persona is sent to, undetermined."""
    from vigil.offenders.models import IndefiniteReview

    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    found = IndefiniteReview.objects.create(
        force_id=registration.force_id,
        registration=registration,
        applied_on=registration.registration_date,
        recorded_by=w.users["offender_manager"],
    )
    return {"pk": found.pk}


def job(w: World, persona: str) -> dict[str, Any]:
    """A job of the world's first force (another force's is a 404: vigil/jobs/tests)."""
    from vigil.jobs.models import Job

    made = Job.objects.create(
        force_id=w.nominal.force_id, kind="obligations.sync_all", title="Synthetic sync"
    )
    return {"pk": made.pk}


def escalation(w: World, persona: str) -> dict[str, Any]:
    return {"pk": w.escalation().pk}


def forecast_run(w: World, persona: str) -> dict[str, Any]:
    """A forecast run of the world's force (another force's officer: 404)."""
    from vigil.workforce.models import ForecastRun

    om = w.users["offender_manager"]
    made, _ = ForecastRun.objects.get_or_create(
        force_id=om.force_id,
        kind="mosovo",
        defaults={
            "made_on": date(2026, 12, 1),
            "horizon_years": 1,
            "source": "records",
            "method": "naive",
            "policy_version": "test",
            "years": [
                {
                    "ends_on": "2027-12-01",
                    "demand": {"p10": 1, "p50": 2, "p90": 3},
                    "staff": {"p10": 1, "p50": 1, "p90": 1},
                    "supervisors": {"p10": 0.1, "p50": 0.2, "p90": 0.3},
                }
            ],
        },
    )
    return {"pk": made.pk}


def abstraction(w: World, persona: str) -> dict[str, Any]:
    """An abstraction of the offender manager, from the MOSOVO team (as the escalation: its
    supervisor and the head of unit see it; the OCSEA supervisor holds the verb, not it)."""
    from vigil.workforce.models import Abstraction, AbstractionReason

    om = w.users["offender_manager"]
    reason, _ = AbstractionReason.objects.get_or_create(force_id=om.force_id, name="Training")
    made, _ = Abstraction.objects.get_or_create(
        person=om,
        defaults={
            "force_id": om.force_id,
            "team": om.memberships.get().team,
            "starts_on": date(2026, 11, 2),
            "ends_on": date(2026, 11, 3),
            "hours": 16,
            "reason": reason,
            "requested_by": "Training school",
            "recorded_by": w.users["mosovo_supervisor"],
            "recorded_on": date(2026, 11, 1),
        },
    )
    return {"pk": made.pk}


def register_import(w: World, persona: str) -> dict[str, Any]:
    """A checked register extract of force A, with a row of each kind to show."""
    from vigil.register.models import ImportStatus, RegisterImport, RowAction, StagedRow

    supervisor = w.users["mosovo_supervisor"]
    made, created = RegisterImport.objects.get_or_create(
        force_id=supervisor.force_id,
        filename="extract.csv",
        defaults={
            "uploaded_by": supervisor,
            "size": 10,
            "sha256": "0" * 64,
            "mapping_name": "Test",
            "mapping_text": '[columns]\nregister_reference = "Ref"\nfamily_name = "Surname"\n'
            'given_names = "Forenames"\nrisk_level = "Risk"\nregistration_date = "Registered"\n',
            "extract_date": date(2026, 12, 1),
            "status": ImportStatus.CHECKED,
            "header": ["Ref", "Surname", "Forenames", "Risk", "Registered"],
            "counts": {"create": 0, "update": 1, "same": 0, "fault": 1, "withheld": 0},
        },
    )
    if created:
        StagedRow.objects.create(
            register_import=made,
            row=2,
            reference="SYN-QUENBY",
            name="QUENBY, Adrian",
            action=RowAction.UPDATE,
            registration=w.nominal.registration,
            values={"register_reference": "SYN-QUENBY", "risk_level": "low"},
            changes=[
                {"field": "risk_level", "label": "Risk level", "vigil": "High", "register": "Low"}
            ],
        )
        StagedRow.objects.create(
            register_import=made,
            row=3,
            reference="SYN-X",
            action=RowAction.FAULT,
            faults=[{"field": "risk_level", "column": "Risk", "message": "Risk level is missing"}],
            cells=["SYN-X", "Example", "Row", "", "01/01/2024"],
        )
    return {"pk": made.pk}


def mappa_action(w: World, persona: str) -> dict[str, Any]:
    """An action a MAPPA meeting agreed on the record the persona is sent to."""
    from vigil.offenders.models import MappaAction, MappaMeeting

    registration = w.registration(w.limited if persona == "excluded" else w.nominal)
    meeting = MappaMeeting.objects.create(
        force_id=registration.force_id,
        registration=registration,
        level=2,
        held_on=date(2026, 11, 2),
        next_review_on=date(2027, 2, 22),
        chair="DI (synthetic)",
        recorded_by=w.users["offender_manager"],
    )
    action = MappaAction.objects.create(
        force_id=registration.force_id,
        meeting=meeting,
        description="Joint visit (synthetic)",
        agency="Police",
        due_on=date(2026, 11, 16),
    )
    return {"pk": action.pk}


def probation_exchange(w: World, persona: str) -> dict[str, Any]:
    """An exchange with probation about the record the persona is sent to."""
    from vigil.probation.tests.helpers import exchange

    return {"pk": exchange(w, w.limited if persona == "excluded" else w.nominal).pk}


def probation_agreement(w: World, persona: str) -> dict[str, Any]:
    from vigil.probation.tests.helpers import agreement

    return {"pk": agreement(w).pk}


def assurance_report(w: World, persona: str) -> dict[str, Any]:
    """A report of the world's force, its figures a stand-in (the report's own tests make
    real ones)."""
    from vigil.assurance.models import AssuranceReport

    made, _ = AssuranceReport.objects.get_or_create(
        force_id=w.users["head_of_pp"].force_id,
        title="Assurance report (test)",
        defaults={
            "kind": "pcc",
            "period_start": date(2026, 9, 1),
            "period_end": date(2026, 11, 30),
            "figures": {"smallest": 5, "days": 90, "scorecard": []},
            "made_at": "2026-12-01T09:00:00Z",
            "policy_version": "test",
        },
    )
    return {"pk": made.pk}


def probation_review(w: World, persona: str) -> dict[str, Any]:
    from vigil.probation.models import JointReview
    from vigil.probation.tests.helpers import agreement

    found = agreement(w)
    review, _ = JointReview.objects.get_or_create(
        agreement=found,
        held_on=date(2026, 11, 2),
        defaults={
            "force_id": found.force_id,
            "period_from": date(2026, 8, 1),
            "period_to": date(2026, 10, 31),
            "attendees": "Synthetic",
            "recorded_by": w.users["head_of_pp"],
        },
    )
    return {"pk": review.pk}


def register_export(w: World, persona: str) -> dict[str, Any]:
    from vigil.register.models import RegisterExport

    supervisor = w.users["mosovo_supervisor"]
    made, _ = RegisterExport.objects.get_or_create(
        force_id=supervisor.force_id,
        recipient="The ViSOR bureau",
        defaults={
            "made_by": supervisor,
            "mapping_name": "Test",
            "mapping_text": '[columns]\nregister_reference = "Ref"\nfamily_name = "Surname"\n'
            'given_names = "Forenames"\nrisk_level = "Risk"\nregistration_date = "Registered"\n',
            "items": [
                {
                    "registration": str(w.nominal.registration.pk),
                    "person": str(w.nominal.pk),
                    "reference": "SYN-QUENBY",
                    "name": "QUENBY, Adrian",
                    "fields": {"risk_level": "high"},
                    "why": "Changed in Vigil",
                    "notes": [],
                }
            ],
        },
    )
    return {"pk": made.pk}


JSON = {"data": {}, "content_type": "application/json"}
# a well-formed waiver of a version no one holds: the rights are checked before the version
STALE = {"data": {"version": 999, "rationale": "Test"}, "content_type": "application/json"}
PURPOSE = {"headers": {"X-Vigil-Purpose": "other", "X-Vigil-Purpose-Detail": "The access matrix"}}
Kwargs = Callable[[World, str], dict[str, Any]] | None

# "url name METHOD": (kwargs(world, persona) or None, expected(persona), extra request kwargs)
MATRIX: dict[str, tuple[Kwargs, Callable[[str], int], dict[str, Any]]] = {
    # the roles with no caseload start on their own page (accounts/navigation.py)
    "obligations:my-work GET": (
        None,
        lambda p: (
            302
            if p
            in AUDIT
            | ADMINS
            | {
                "anonymous",
                "performance_analyst",
                "pcc_assurance",
                "wellbeing_lead",
                "probation_partner",
            }
            else 200
        ),
        {},
    ),
    "offenders:rso-list GET": (None, page(RSO_VIEWERS), {}),
    "offenders:rso-detail GET": (rso, page(RSO_VIEWERS, record=True), {}),
    "offenders:supervisor-queue GET": (None, page({"mosovo_supervisor", "head_of_pp"}), {}),
    "workforce:capacity GET": (None, page(TEAMWORK), {}),
    "workforce:abstraction-list GET": (None, page(TEAMWORK), {}),
    "workforce:forecast GET": (None, page(TEAMWORK), {}),
    "workforce:forecast-staffing GET": (
        lambda w, p: {**forecast_run(w, p), "extension": "xlsx"},
        page(TEAMWORK),
        {},
    ),
    "api:workforce-forecast-list GET": (None, api(TEAMWORK), {}),
    "api:workforce-forecast-detail GET": (forecast_run, api(TEAMWORK), {}),
    "workforce:wellbeing GET": (None, page(TEAMWORK | {"wellbeing_lead"}), {}),
    "api:workforce-screening-list GET": (None, api({"wellbeing_lead"}), {}),
    "api:workforce-training-list GET": (None, api({"wellbeing_lead"}), {}),
    "workforce:exposure GET": (None, page(EXPOSURE), {}),
    "api:workforce-exposure-list GET": (None, api(EXPOSURE), {}),
    "workforce:abstraction-detail GET": (abstraction, escalated(ok=200, anonymous=302), {}),
    "api:workforce-abstraction-detail GET": (abstraction, escalated(ok=200, anonymous=401), {}),
    "api:workforce-capacity GET": (None, api(TEAMWORK), {}),
    "api:workforce-wellbeing GET": (None, api(TEAMWORK), {}),
    "api:workforce-abstraction-summary GET": (None, api(TEAMWORK), {}),
    "api:workforce-abstraction-list GET": (None, api(TEAMWORK), {}),
    # oversee_investigations or triage_referral
    "ocsea:decision-queue GET": (
        None,
        page({"ocsea_supervisor", "ocsea_triage", "head_of_pp"}),
        {},
    ),
    "offenders:transfer-list GET": (None, page(RSO_MANAGERS | RSO_MOVERS), {}),
    "assurance:figures GET": (None, page(AGGREGATES), {}),
    "api:assurance-scorecard GET": (None, api(AGGREGATES), {}),
    "assurance:performance GET": (None, page(AGGREGATES), {}),
    "api:assurance-dashboard GET": (None, api(AGGREGATES), {}),
    "assurance:reports GET": (None, page(AGGREGATES), {}),
    # compare_forces (assurance/0003): those who see aggregates
    "assurance:national GET": (None, page(AGGREGATES), {}),
    "api:assurance-national GET": (None, api(AGGREGATES), {}),
    "assurance:report-detail GET": (assurance_report, page(AGGREGATES), {}),
    "assurance:report-download GET": (
        lambda w, p: {**assurance_report(w, p), "fmt": "csv"},
        page(AGGREGATES),
        {},
    ),
    # a copy asks who receives it: an empty form is the form again, with its errors
    "assurance:report-download POST": (
        lambda w, p: {**assurance_report(w, p), "fmt": "csv"},
        page(AGGREGATES),
        {},
    ),
    "api:assurance-report-list GET": (None, api(AGGREGATES), {}),
    "api:assurance-report-detail GET": (assurance_report, api(AGGREGATES), {}),
    "api:assurance-report-download GET": (
        assurance_report,
        api(AGGREGATES),
        {"data": {"as": "csv"}},
    ),
    "obligations:team-worklist GET": (None, page(TEAMWORK), {}),
    "obligations:team-worklist-export GET": (None, page(TEAMWORK), {}),
    "obligations:team-worklist-export POST": (None, page(TEAMWORK), {}),
    "obligations:risk-bands GET": (None, page(TEAMWORK), {}),
    "obligations:team-table GET": (None, page(TEAMWORK), {}),
    "obligations:obligation-detail GET": (obligation, page(VIEWERS, record=True), {}),
    "obligations:escalation-list GET": (None, page(TEAMWORK), {}),
    "healthz GET": (None, lambda p: 200, {}),
    "register:index GET": (None, page(IMPORTERS | RECONCILERS), {}),
    # another force's officer sees their own force's partnership (none): a record of force
    # A's is not found (404)
    "probation:index GET": (None, page(PARTNERSHIP), {}),
    "probation:agreement GET": (None, page(PARTNERSHIP), {}),
    "probation:exchange-detail GET": (probation_exchange, page(PARTNERSHIP, record=True), {}),
    "probation:review-detail GET": (
        probation_review,
        lambda p: 404 if p == "other_force" else page(PARTNERSHIP)(p),
        {},
    ),
    "api:probation-agreement-list GET": (None, api(PARTNERSHIP), {}),
    "api:probation-agreement-detail GET": (
        probation_agreement,
        lambda p: 404 if p == "other_force" else api(PARTNERSHIP)(p),
        {},
    ),
    "api:probation-exchange-list GET": (None, api(PARTNERSHIP), {}),
    "api:probation-exchange-detail GET": (probation_exchange, api(PARTNERSHIP, record=True), {}),
    "api:probation-review-list GET": (None, api(PARTNERSHIP), {}),
    "api:probation-review-detail GET": (
        probation_review,
        lambda p: 404 if p == "other_force" else api(PARTNERSHIP)(p),
        {},
    ),
    "register:reconciliation GET": (None, page(RECONCILERS), {}),
    "api:register-reconciliation GET": (None, api(RECONCILERS), {}),
    "register:export-list GET": (None, page(EXPORTERS), {}),
    "register:export-detail GET": (register_export, page(EXPORTERS), {}),
    "register:export-download GET": (register_export, page(EXPORTERS), {}),
    "api:register-export-list GET": (None, api(EXPORTERS), {}),
    "api:register-export-detail GET": (register_export, api(EXPORTERS), {}),
    "api:register-export-csv GET": (register_export, api(EXPORTERS), {}),
    "register:import-detail GET": (register_import, page(IMPORTERS), {}),
    "register:import-failed-rows GET": (register_import, page(IMPORTERS), {}),
    "api:register-import-list GET": (None, api(IMPORTERS), {}),
    "api:register-import-detail GET": (register_import, api(IMPORTERS), {}),
    "api:register-import-rows GET": (register_import, api(IMPORTERS), {}),
    "api:register-import-not-imported GET": (register_import, api(IMPORTERS), {}),
    "jobs:job-list GET": (None, page(JOB_RUNNERS), {}),
    "jobs:job-detail GET": (job, page(JOB_RUNNERS), {}),
    "api:job-list GET": (None, api(JOB_RUNNERS), {}),
    "api:job-detail GET": (job, api(JOB_RUNNERS), {}),
    "accounts:login GET": (None, lambda p: 200 if p == "anonymous" else 302, {}),
    "accounts:login POST": (None, lambda p: 200 if p == "anonymous" else 302, {}),
    "accounts:logout POST": (None, lambda p: 302, {}),
    "accounts:mfa-verify GET": (None, lambda p: 302, {}),
    "accounts:mfa-verify POST": (None, lambda p: 302, {}),
    "accounts:mfa-setup GET": (None, everyone(), {}),
    "accounts:mfa-setup POST": (None, everyone(), {}),
    "accounts:api-token GET": (None, everyone(), {}),
    "accounts:api-token POST": (None, everyone(), {}),
    "people:nominal-list GET": (None, page(VIEWERS), {"data": {"q": "Quenby"}}),
    "people:nominal-detail GET": (nominal, page(VIEWERS, record=True), {}),
    "people:nominal-purpose GET": (nominal, page(VIEWERS, record=True), {}),
    # the question for several people names them in its query; naming no one is a 404
    "people:purpose GET": (None, page(VIEWERS, ok=404), {}),
    "people:purpose POST": (None, page(VIEWERS, ok=404), {}),
    "people:nominal-purpose POST": (nominal, page(VIEWERS, record=True), {}),
    "audit:event-list GET": (None, page(AUDIT), {}),
    "audit:event-export GET": (None, page(AUDIT), {}),
    "audit:event-export POST": (None, page(AUDIT), {}),
    "api:me GET": (None, everyone(anonymous=401), {}),
    "policy:policy-detail GET": (None, everyone(), {}),
    "api:policy GET": (None, everyone(anonymous=401), {}),
    "api:nominal-list GET": (None, api(VIEWERS), {"data": {"q": "Quenby"}}),
    "api:nominal-detail GET": (nominal, api(VIEWERS, record=True), PURPOSE),
    "api:audit-event-list GET": (None, api(AUDIT), {}),
    "api:obligation-list GET": (None, api(VIEWERS), {}),
    "api:rso-list GET": (None, api(RSO_VIEWERS), {}),
    "api:rso-detail GET": (rso, api(RSO_VIEWERS, record=True), PURPOSE),
    "api:rso-reactive-eligibility GET": (rso, api({"mosovo_supervisor"}), PURPOSE),
    "api:rso-transfers GET": (None, api(RSO_MANAGERS | RSO_MOVERS), {}),
    "api:obligation-detail GET": (obligation, api(VIEWERS, record=True), {}),
    "api:obligation-risk-bands GET": (None, api(TEAMWORK), {}),
    "api:escalation-list GET": (None, api(TEAMWORK), {}),
    "api:escalation-groups GET": (None, api(TEAMWORK), {}),
    "api:escalation-acknowledgement-list GET": (None, api(TEAMWORK), {}),
    "api-schema GET": (None, everyone(anonymous=401), {}),
    "api-docs GET": (None, everyone(anonymous=401), {}),
}

# --- Instruments (vigil/instruments): the packs in force, read-only, for holders of view_ocsea.
# No case data; an unknown pack code is a 404 (tested in vigil/instruments/tests).
INSTRUMENT_VIEWERS = {"ocsea_triage", "investigator", "ocsea_supervisor", "head_of_pp"}


def instrument_pack(w: World, persona: str) -> dict[str, Any]:
    return {"code": "kirat"}


MATRIX.update(
    {
        "instruments:pack-list GET": (None, page(INSTRUMENT_VIEWERS), {}),
        "instruments:pack-detail GET": (instrument_pack, page(INSTRUMENT_VIEWERS), {}),
        "api:instrument-list GET": (None, api(INSTRUMENT_VIEWERS), {}),
        "api:instrument-detail GET": (instrument_pack, api(INSTRUMENT_VIEWERS), {}),
    }
)
# --- end of instruments ------------------------------------------------------------------


# --- OCSEA pages (vigil/ocsea): triage, investigations, bail. Each record hangs from a referral
# on the world's ordinary person; the OCSEA personas hold the verbs (ocsea/0002_verbs).
OCSEA_VIEWERS = {"ocsea_triage", "investigator", "ocsea_supervisor", "head_of_pp"}
OCSEA_TRIAGERS = {"ocsea_triage", "ocsea_supervisor"}
OCSEA_INVESTIGATORS = {"investigator", "ocsea_supervisor"}
OCSEA_OVERSEERS = {"ocsea_supervisor", "head_of_pp"}


_KEYS: dict[str, tuple[str, ...]] = {}


def _ocsea_only(
    fixture: Callable[[World, str], dict[str, Any]],
) -> Callable[[World, str], dict[str, Any]]:
    """Builds an OCSEA record only for the personas who can read OCSEA work: the others are
    refused on the verb (403) or sent to sign in (302) before any record is looked up, so
    their URL needs only well-formed ids (made fresh, so they name nothing)."""
    import uuid

    def make(w: World, persona: str) -> dict[str, Any]:
        name = fixture.__name__
        if persona in OCSEA_VIEWERS or name not in _KEYS:
            found = fixture(w, persona)
            _KEYS[name] = tuple(found)
            return found
        return {key: uuid.uuid4() for key in _KEYS[name]}

    make.__name__ = fixture.__name__
    return make


def _light_referral(w: World, nominal: Any, received_days_ago: int = 0) -> Any:
    """A referral with its suspect and a child at risk, made as rows (no service, no audit,
    no obligations): the matrix asks only who may reach it, and makes one per case."""
    import uuid
    from datetime import timedelta

    from vigil.core import clock
    from vigil.core.models import Team
    from vigil.ocsea.models import Referral

    team = Team.objects.get(force_id=w.nominal.force_id, kind="ocsea")
    referral = Referral.objects.create(
        force_id=team.force_id,
        reference=f"OC-M-{uuid.uuid4().hex[:8]}",
        source="nca_ceop",
        received_at=clock.now() - timedelta(days=received_days_ago),
        summary="Synthetic",
        ocsea_team=team,
        team=team,
        area=team.area,
    )
    referral.suspects.create(force_id=team.force_id, nominal=nominal, age_group="adult")
    referral.children.create(force_id=team.force_id, description="Synthetic child")
    return referral


def _ocsea_referral(w: World) -> Any:
    return _light_referral(w, w.nominal)


@_ocsea_only
def ocsea_referral(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_referral(w).pk}


@_ocsea_only
def ocsea_child(w: World, persona: str) -> dict[str, Any]:
    referral = _ocsea_referral(w)
    child = referral.children.create(force_id=referral.force_id, description="Synthetic")
    return {"pk": child.pk}


@_ocsea_only
def ocsea_suspect(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_referral(w).suspects.get().pk}


def _ocsea_enforcement(w: World) -> Any:
    from vigil.core import clock

    referral = _ocsea_referral(w)
    return referral.enforcements.create(
        force_id=referral.force_id,
        enforced_on=clock.today(),
        outcome="completed",
        family_present=True,
        recorded_by=w.users["investigator"],
    )


@_ocsea_only
def ocsea_enforcement(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_enforcement(w).pk}


@_ocsea_only
def ocsea_family_member(w: World, persona: str) -> dict[str, Any]:
    from vigil.core import clock

    enforcement = _ocsea_enforcement(w)
    member = enforcement.family.create(
        force_id=enforcement.force_id,
        relationship="child",
        age_band="5_11",
        vulnerability="Synthetic",
        vulnerability_identified_on=clock.today(),
    )
    return {"pk": member.pk}


def _ocsea_bail(w: World) -> Any:
    from datetime import timedelta

    from vigil.core import clock
    from vigil.core.models import Area
    from vigil.ocsea.models import Bail

    suspect = _ocsea_referral(w).suspects.get()
    suspect.arrest_decision, suspect.arrest_decided_on = "arrested", clock.today()
    suspect.save()
    return Bail.objects.create(
        force_id=suspect.force_id,
        suspect=suspect,
        kind="bail",
        arrested_on=clock.today(),
        start_date=clock.today() + timedelta(days=1),
        area=Area.objects.filter(force_id=suspect.force_id).first(),
        recorded_by=w.users["investigator"],
    )


@_ocsea_only
def ocsea_bail(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_bail(w).pk}


@_ocsea_only
def ocsea_rui(w: World, persona: str) -> dict[str, Any]:
    """A release under investigation (the suspect may be bailed from it)."""
    bail = _ocsea_bail(w)
    bail.kind, bail.start_date = "rui", bail.arrested_on
    bail.save()
    return {"pk": bail.pk}


@_ocsea_only
def ocsea_plain_family_member(w: World, persona: str) -> dict[str, Any]:
    """A family member recorded without a vulnerability (one may be found later)."""
    enforcement = _ocsea_enforcement(w)
    member = enforcement.family.create(
        force_id=enforcement.force_id, relationship="child", age_band="5_11"
    )
    return {"pk": member.pk}


@_ocsea_only
def ocsea_condition(w: World, persona: str) -> dict[str, Any]:
    bail = _ocsea_bail(w)
    condition = bail.conditions.create(
        force_id=bail.force_id,
        kind="curfew",
        text="Synthetic",
        victims_views="not_applicable",
        imposed_on=bail.start_date,
    )
    return {"pk": condition.pk}


@_ocsea_only
def ocsea_check(w: World, persona: str) -> dict[str, Any]:
    bail = _ocsea_bail(w)
    check = bail.checks.create(
        force_id=bail.force_id,
        checked_on=bail.start_date,
        method="phone",
        result="breach",
        notes="Synthetic",
        officer=w.users["investigator"],
    )
    return {"pk": check.pk}


@_ocsea_only
def ocsea_extension(w: World, persona: str) -> dict[str, Any]:
    """A court application awaiting the court's decision."""
    bail = _ocsea_bail(w)
    extension = bail.extensions.create(
        force_id=bail.force_id,
        stage="court",
        authorised_on=bail.start_date,
        court_order_reference="MC/SYN",
        recorded_by=w.users["investigator"],
    )
    return {"pk": extension.pk}


MATRIX.update(
    {
        "ocsea:triage-queue GET": (None, page(OCSEA_VIEWERS), {}),
        "ocsea:investigation-list GET": (None, page(OCSEA_VIEWERS), {}),
        "ocsea:bail-dashboard GET": (None, page(OCSEA_VIEWERS), {}),
        "ocsea:referral-detail GET": (
            ocsea_referral,
            page(OCSEA_VIEWERS, record=True),
            {},
        ),
        "ocsea:bail-detail GET": (ocsea_bail, page(OCSEA_VIEWERS, record=True), {}),
    }
)
# --- end of OCSEA pages -------------------------------------------------------------------


# --- OCSEA API (vigil/ocsea/api): referrals, bail and the family-support reference data. Verbs
# as in ocsea/0002_verbs. Each record hangs from a referral received 30 days ago on the world's
# ordinary person (the limited-access one for the excluded officer); the step is posted with an
# empty body, so an allowed persona gets the 400 naming the missing fields. The other force's
# officer and the excluded officer hold no OCSEA verb (403 before any lookup): the 404s for
# another force's referral and for a limited-access suspect's are in
# vigil/ocsea/tests/test_ocsea_api.py.
OCSEA_API_VIEWERS = {"ocsea_triage", "investigator", "ocsea_supervisor", "head_of_pp"}
OCSEA_API_TRIAGE = {"ocsea_triage", "ocsea_supervisor"}  # triage_referral
OCSEA_API_INVESTIGATE = {"investigator", "ocsea_supervisor"}  # investigate
OCSEA_API_OVERSEE = {"ocsea_supervisor", "head_of_pp"}  # oversee_investigations
OCSEA_API_WORK = OCSEA_API_TRIAGE | OCSEA_API_INVESTIGATE


def _ocsea_api_referral(w: World, persona: str) -> Any:
    return _light_referral(w, w.limited if persona == "excluded" else w.nominal, 30)


@_ocsea_only
def ocsea_api_referral(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_api_referral(w, persona).pk}


@_ocsea_only
def ocsea_api_suspect(w: World, persona: str) -> dict[str, Any]:
    referral = _ocsea_api_referral(w, persona)
    return {"pk": referral.pk, "suspect_id": referral.suspects.get().pk}


@_ocsea_only
def ocsea_api_child(w: World, persona: str) -> dict[str, Any]:
    referral = _ocsea_api_referral(w, persona)
    return {"pk": referral.pk, "child_id": referral.children.get().pk}


def _ocsea_api_enforcement(w: World, persona: str) -> Any:
    from datetime import timedelta

    from vigil.core import clock

    referral = _ocsea_api_referral(w, persona)
    return referral.enforcements.create(
        force_id=referral.force_id,
        enforced_on=clock.today() - timedelta(days=20),
        outcome="completed",
        warrant=False,
        family_present=True,
        recorded_by=w.users["investigator"],
    )


@_ocsea_only
def ocsea_api_enforcement(w: World, persona: str) -> dict[str, Any]:
    enforcement = _ocsea_api_enforcement(w, persona)
    return {"pk": enforcement.referral_id, "enforcement_id": enforcement.pk}


@_ocsea_only
def ocsea_api_family_member(w: World, persona: str) -> dict[str, Any]:
    enforcement = _ocsea_api_enforcement(w, persona)
    member = enforcement.family.create(
        force_id=enforcement.force_id,
        relationship="child",
        age_band="5_11",
        vulnerability="Synthetic",
        vulnerability_identified_on=enforcement.enforced_on,
    )
    return {
        "pk": enforcement.referral_id,
        "enforcement_id": enforcement.pk,
        "member_id": member.pk,
    }


def _ocsea_api_bail(w: World, persona: str) -> Any:
    """The suspect arrested 20 days ago and bailed from the next day."""
    from datetime import timedelta

    from vigil.core import clock
    from vigil.core.models import Area
    from vigil.ocsea.models import Bail

    arrested = clock.today() - timedelta(days=20)
    suspect = _ocsea_api_referral(w, persona).suspects.get()
    suspect.arrest_decision, suspect.arrest_decided_on = "arrested", arrested
    suspect.save()
    return Bail.objects.create(
        force_id=suspect.force_id,
        suspect=suspect,
        kind="bail",
        arrested_on=arrested,
        start_date=arrested + timedelta(days=1),
        area=Area.objects.filter(force_id=suspect.force_id).first(),
        recorded_by=w.users["investigator"],
    )


@_ocsea_only
def ocsea_api_bail(w: World, persona: str) -> dict[str, Any]:
    return {"pk": _ocsea_api_bail(w, persona).pk}


@_ocsea_only
def ocsea_api_rui(w: World, persona: str) -> dict[str, Any]:
    """The suspect arrested 20 days ago and released under investigation that day."""
    bail = _ocsea_api_bail(w, persona)
    bail.kind, bail.start_date = "rui", bail.arrested_on
    bail.save()
    return {"pk": bail.pk}


@_ocsea_only
def ocsea_api_condition(w: World, persona: str) -> dict[str, Any]:
    bail = _ocsea_api_bail(w, persona)
    condition = bail.conditions.create(
        force_id=bail.force_id,
        kind="curfew",
        text="Synthetic",
        victims_views="not_applicable",
        imposed_on=bail.start_date,
    )
    return {"pk": bail.pk, "condition_id": condition.pk}


@_ocsea_only
def ocsea_api_check(w: World, persona: str) -> dict[str, Any]:
    bail = _ocsea_api_bail(w, persona)
    check = bail.checks.create(
        force_id=bail.force_id,
        checked_on=bail.start_date,
        method="phone",
        result="breach",
        notes="Synthetic",
        officer=w.users["investigator"],
    )
    return {"pk": bail.pk, "check_id": check.pk}


@_ocsea_only
def ocsea_api_extension(w: World, persona: str) -> dict[str, Any]:
    """A court application awaiting the court's decision."""
    bail = _ocsea_api_bail(w, persona)
    extension = bail.extensions.create(
        force_id=bail.force_id,
        stage="court",
        authorised_on=bail.start_date,
        court_order_reference="MC/SYN",
        recorded_by=w.users["investigator"],
    )
    return {"pk": bail.pk, "extension_id": extension.pk}


def _ocsea_api_step(
    kwargs: Kwargs, allowed: set[str]
) -> tuple[Kwargs, Callable[[str], int], dict[str, Any]]:
    return (kwargs, api(allowed, ok=400, record=True), JSON)


MATRIX.update(
    {
        "api:ocsea-referral-list GET": (None, api(OCSEA_API_VIEWERS), {"data": {"view": "all"}}),
        "api:ocsea-referral-detail GET": (
            ocsea_api_referral,
            api(OCSEA_API_VIEWERS, record=True),
            PURPOSE,
        ),
        "api:ocsea-bail-list GET": (None, api(OCSEA_API_VIEWERS), {}),
        "api:ocsea-bail-detail GET": (
            ocsea_api_bail,
            api(OCSEA_API_VIEWERS, record=True),
            PURPOSE,
        ),
        "api:ocsea-support-organisation-list GET": (None, api(OCSEA_API_VIEWERS), {}),
        "api:ocsea-leaflet-list GET": (None, api(OCSEA_API_VIEWERS), {}),
    }
)
# --- end of OCSEA API ---------------------------------------------------------------------


def _names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


# --- Declared writes (vigil/writes.py): each write's page and API rows come from the registry,
# so a write is in the matrix the moment it is declared (and this fails to import until the two
# tables below say who may do it and which record it is done to). The personas holding each
# verb set, and the record each persona is sent to, are this file's own oracle.
def _declared_writes() -> dict[str, tuple[Kwargs, Callable[[str], int], dict[str, Any]]]:
    from vigil.obligations.models import Escalation, Obligation
    from vigil.ocsea.models import (
        Bail,
        BailCondition,
        BailExtension,
        ChildAtRisk,
        ConditionCheck,
        Enforcement,
        FamilyMember,
        Referral,
        Suspect,
    )
    from vigil.offenders.models import (
        ArmsAssessment,
        Breach,
        HomeVisit,
        IndefiniteReview,
        MappaAction,
        PndCheck,
        Registration,
        RiskManagementPlan,
        Transfer,
    )
    from vigil.people.models import Nominal
    from vigil.probation.models import Exchange
    from vigil.register.models import RegisterImport
    from vigil.workforce.models import Abstraction
    from vigil.writes import registry

    # who may do each declared write: this file's own oracle, by name (not the declaration's
    # verbs, so a wrong verb in a declaration fails here)
    rso_decisions = {"mosovo_supervisor"}
    who_may: dict[str, set[str]] = {
        "workforce.abstraction": TEAMWORK,
        "workforce.abstraction_review": TEAMWORK,
        "workforce.screening": {"wellbeing_lead"},
        "workforce.training": {"wellbeing_lead"},
        "workforce.exposure": EXPOSURE,
        "workforce.forecast": FORECASTERS,
        "register.upload": IMPORTERS,
        "register.import": IMPORTERS,
        "register.discard": IMPORTERS,
        "register.accept": RECONCILERS,
        "register.correction": RECONCILERS,
        "register.export": EXPORTERS,
        "probation.agreement": AGREEMENT_KEEPERS,
        "probation.exchange": RAISERS,
        "probation.answer": RAISERS,
        "probation.review": JOINT_REVIEWERS,
        "assurance.report": REPORT_MAKERS,
        "assurance.narrative": REPORT_MAKERS,
        "people.nominal": RECORDERS,
        "people.nominal_edit": RECORDERS,
        "people.limited_access": RESTRICTERS,
        "obligations.waive": WAIVERS,
        "obligations.acknowledge": TEAMWORK,
        "obligations.acknowledge_group": TEAMWORK,
        "obligations.resolve": TEAMWORK,
        "people.alias": RECORDERS,
        "people.identifier": RECORDERS,
        "people.address": RECORDERS,
        "rso.register": RSO_MANAGERS,
        "rso.registration_edit": RSO_MANAGERS,
        "rso.visit": RSO_MANAGERS,
        "rso.arms": RSO_MANAGERS,
        "rso.rmp": RSO_MANAGERS,
        "rso.arms_draft": RSO_MANAGERS,
        "rso.rmp_draft": RSO_MANAGERS,
        "rso.visit_review": RSO_REVIEWERS,
        "rso.arms_review": RSO_REVIEWERS,
        "rso.rmp_review": RSO_REVIEWERS,
        # asked of force A by force B: A's supervisors decide; B's officer may withdraw it; A's
        # offender managers see it but may not decide it (403)
        "rso.transfer_accept": RSO_MOVERS,
        "rso.transfer_decline": RSO_MOVERS | {"other_force"},
        "rso.notification": RSO_MANAGERS,
        "rso.pnd_check": RSO_MANAGERS,
        "rso.mappa_meeting": RSO_MANAGERS,
        "rso.mappa_action_done": RSO_MANAGERS,
        "rso.intelligence": RSO_MANAGERS,
        "rso.concern": RSO_MANAGERS,
        "rso.breach": RSO_MANAGERS,
        "rso.indefinite_review": RSO_MANAGERS,
        "rso.registration_end": RSO_MANAGERS,
        "rso.transfer_request": RSO_MANAGERS,
        "rso.move": RSO_MOVERS,
        "rso.pnd_assess": RSO_MANAGERS,
        "rso.breach_visor": RSO_MANAGERS,
        "rso.visit_authorise": rso_decisions,
        "rso.visit_warrant": rso_decisions,
        "rso.reactive": rso_decisions,
        "rso.visit_assess": {"head_of_pp"},
        "rso.indefinite_review_determine": {"head_of_pp"},
        "ocsea.receive": OCSEA_TRIAGERS,
        "ocsea.triage": OCSEA_TRIAGERS,
        "ocsea.risk_review": OCSEA_TRIAGERS | OCSEA_INVESTIGATORS,
        "ocsea.risk_review_rescore": OCSEA_TRIAGERS | OCSEA_INVESTIGATORS,
        "ocsea.suspect": OCSEA_TRIAGERS | OCSEA_INVESTIGATORS,
        "ocsea.intelligence": OCSEA_TRIAGERS | OCSEA_INVESTIGATORS,
        "ocsea.action": OCSEA_TRIAGERS | OCSEA_INVESTIGATORS,
        "ocsea.oversight": OCSEA_OVERSEERS,
        "ocsea.allocate": OCSEA_OVERSEERS,
        "ocsea.ratify": OCSEA_OVERSEERS,
        "ocsea.close": OCSEA_INVESTIGATORS | OCSEA_OVERSEERS,
        **{
            f"ocsea.{name}": OCSEA_INVESTIGATORS
            for name in (
                "enforcement_plan",
                "enforcement",
                "arrest_decision",
                "outcome",
                "child_safeguarded",
                "family_member",
                "family_support",
                "family_vulnerability",
                "marf",
                "condition_remove",
                "condition_check",
                "breach_action",
                "bail_end",
                "rui_review",
                "bail",
                "condition",
                "extend",
                "court_decision",
                "rebail",
            )
        },
    }
    declared = {write.name for write in registry()}
    assert declared == set(who_may), f"say who may do: {sorted(declared ^ set(who_may))}"
    # the record the page, and the API, is asked about
    subjects: dict[type, tuple[Kwargs, Kwargs]] = {
        Nominal: (nominal, nominal),
        Registration: (rso, rso),
        PndCheck: (pnd, pnd),
        HomeVisit: (visit, visit),
        Breach: (breach, breach),
        IndefiniteReview: (indefinite_review, indefinite_review),
        Referral: (ocsea_referral, ocsea_api_referral),
        Suspect: (ocsea_suspect, ocsea_api_suspect),
        ChildAtRisk: (ocsea_child, ocsea_api_child),
        Enforcement: (ocsea_enforcement, ocsea_api_enforcement),
        FamilyMember: (ocsea_family_member, ocsea_api_family_member),
        Bail: (ocsea_bail, ocsea_api_bail),
        BailCondition: (ocsea_condition, ocsea_api_condition),
        ConditionCheck: (ocsea_check, ocsea_api_check),
        BailExtension: (ocsea_extension, ocsea_api_extension),
        ArmsAssessment: (arms, arms),
        RiskManagementPlan: (rmp, rmp),
        Transfer: (transfer_in, transfer_in),
        Obligation: (obligation, obligation),
        Escalation: (escalation, escalation),
        Abstraction: (abstraction, abstraction),
        RegisterImport: (register_import, register_import),
        Exchange: (probation_exchange, probation_exchange),
        MappaAction: (mappa_action, mappa_action),
    }
    # a write whose page needs a record in a particular state, or that is done to no record
    # in the path (None: a referral received; a bail's suspect is named in the API's body)
    by_write: dict[str, tuple[Kwargs, Kwargs]] = {
        "ocsea.family_vulnerability": (ocsea_plain_family_member, ocsea_api_family_member),
        "ocsea.rebail": (ocsea_rui, ocsea_api_rui),
        "ocsea.receive": (None, None),
        "obligations.acknowledge_group": (None, None),
        "ocsea.bail": (ocsea_suspect, None),
        "rso.register": (nominal, None),
        "people.nominal": (None, None),
        "workforce.abstraction": (None, None),
        "workforce.screening": (None, None),
        "workforce.training": (None, None),
        "workforce.exposure": (None, None),
        "workforce.forecast": (None, None),
        "register.upload": (None, None),
        "register.export": (None, None),
        "probation.agreement": (None, None),
        "probation.exchange": (None, None),
        "probation.review": (probation_agreement, probation_agreement),
        "assurance.report": (None, None),
        "assurance.narrative": (assurance_report, assurance_report),
        "rso.arms_draft": (_draft("arms"), _draft("arms")),
        "rso.rmp_draft": (_draft("rmps"), _draft("rmps")),
    }
    # a write whose pages or API answer otherwise than 200, and 400 for an empty body: the
    # world's person is on the register already (the page goes to their record); a change to
    # the register record sent with a stale version; a review needs no note; a transfer is
    # found by the force it is between, not by a person's record
    # (a pair: the form, then its submission). An obligation is visible before the right to
    # waive it is asked (404, then 403); an escalation is acted on by its own rung (404 for
    # another team's supervisor); the empty acknowledgement is a complete one (302, 200).
    page_answers: dict[str, Any] = {
        "obligations.waive": record_page(VIEWERS, WAIVERS),
        "obligations.acknowledge": (
            escalated(ok=200, anonymous=302),
            escalated(ok=302, anonymous=302),
        ),
        "obligations.resolve": escalated(ok=200, anonymous=302),
        "workforce.abstraction_review": escalated(ok=200, anonymous=302),
        "rso.register": page(RSO_MANAGERS, ok=302, record=True),
        # a form that asks nothing required: its empty submission is complete (a review
        # without a note; a planned enforcement date cleared)
        **{
            name: (page(who_may[name], record=True), page(who_may[name], ok=302, record=True))
            for name in (
                "rso.visit_review",
                "rso.arms_review",
                "rso.rmp_review",
                "ocsea.enforcement_plan",
            )
        },
        "rso.transfer_accept": page(RSO_MOVERS),
        "rso.transfer_decline": page(RSO_MOVERS | {"other_force"}),
        # a decision that asks nothing more than its button: the submission is complete
        "register.import": (page(IMPORTERS), page(IMPORTERS, ok=302)),
        "register.discard": (page(IMPORTERS), page(IMPORTERS, ok=302)),
    }
    api_answers: dict[str, tuple[Callable[[str], int], dict[str, Any]]] = {
        "obligations.waive": (api_record_then(VIEWERS, WAIVERS, ok=409), STALE),
        "obligations.acknowledge": (escalated(ok=200, anonymous=401), JSON),
        "obligations.resolve": (escalated(ok=400, anonymous=401), JSON),
        "workforce.abstraction_review": (escalated(ok=400, anonymous=401), JSON),
        # an empty body asks for the five years of the inspectorate's horizon
        "workforce.forecast": (api(FORECASTERS, ok=201), JSON),
        "rso.registration_edit": (api(RSO_MANAGERS, ok=409, record=True), STALE),
        **{
            f"rso.{kind}_review": (api(RSO_REVIEWERS, record=True), JSON)
            for kind in ("visit", "arms", "rmp")
        },
        "register.import": (api(IMPORTERS), JSON),
        "register.discard": (api(IMPORTERS), JSON),
        "rso.transfer_accept": (api(RSO_MOVERS, ok=400), JSON),
        "rso.transfer_decline": (api(RSO_MOVERS | {"other_force"}, ok=400), JSON),
    }
    rows: dict[str, tuple[Kwargs, Callable[[str], int], dict[str, Any]]] = {}
    for write in registry():
        who = who_may[write.name]
        on_page, on_api = by_write.get(write.name) or subjects[write.subject]
        form = submitted = page_answers.get(write.name) or page(who, record=on_page is not None)
        if isinstance(form, tuple):
            form, submitted = form
        rows[f"{write.page} GET"] = (on_page, form, {})
        rows[f"{write.page} POST"] = (on_page, submitted, {})
        if write.api:  # else a second page of a write another declaration serves
            over_the_api = api_answers.get(write.name) or (
                api(who, ok=400, record=on_api is not None),
                JSON,
            )
            rows[f"{write.api} {write.api_method}"] = (on_api, *over_the_api)
    return rows


DECLARED_WRITES = _declared_writes()
assert not set(DECLARED_WRITES) & set(MATRIX), "a declared write is also listed by hand"
MATRIX.update(DECLARED_WRITES)


# What a person may post that is not a write to a record: signing in and out, their own second
# factor and API token, the purpose they state, and the two exports (each logged as a
# disclosure). Everything else posted is a declared write (vigil/writes.py).
NOT_RECORD_WRITES = {
    "accounts:api-token POST",
    "accounts:login POST",
    "accounts:logout POST",
    "accounts:mfa-setup POST",
    "accounts:mfa-verify POST",
    "assurance:report-download POST",
    "audit:event-export POST",
    "obligations:team-worklist-export POST",
    "people:nominal-purpose POST",
    "people:purpose POST",
}


def test_every_write_is_served_from_its_declaration() -> None:
    """A page or endpoint that takes a post, a patch or a delete is a declared write's, or one
    of the few that write no record: a hand-written write fails here."""
    posted = {key for key in MATRIX if key.split()[1] in ("POST", "PATCH", "PUT", "DELETE")}
    assert posted - set(DECLARED_WRITES) == NOT_RECORD_WRITES


def test_every_url_is_in_the_matrix() -> None:
    names = {n for n in _names() if not n.startswith("admin:")}
    missing = sorted(names - {key.split()[0] for key in MATRIX})
    assert not missing, f"Place these URLs in the access matrix: {missing}"


@pytest.mark.exhaustive
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_access(key: str, persona: str, world: World, signed_in: Any) -> None:
    name, method = key.split()
    kwargs, expected, extra = MATRIX[key]
    client = signed_in(persona)
    args = kwargs(world, persona) if kwargs else {}
    if persona != "anonymous":  # record pages ask for a purpose first (tested in test_audit)
        session = client.session
        session[SESSION_KEY] = {
            str(n.pk): {"purpose": "supervision", "detail": ""}
            for n in (world.nominal, world.limited)
        }
        session.save()
    response = getattr(client, method.lower())(reverse(name, kwargs=args), **extra)
    assert response.status_code == expected(persona), (key, persona, response.status_code)


@pytest.mark.parametrize(
    "name", ["people:nominal-detail", "people:nominal-purpose", "people:nominal-edit"]
)
def test_excluded_user_gets_404_on_limited_record(name: str, world: World, client_for: Any) -> None:
    client = client_for("excluded")
    assert client.get(reverse(name, kwargs={"pk": world.limited.pk})).status_code == 404
    # while a colleague with the same role sees it
    colleague = client_for("offender_manager")
    assert (
        colleague.get(
            reverse("people:nominal-purpose", kwargs={"pk": world.limited.pk})
        ).status_code
        == 200
    )


def test_excluded_user_gets_404_on_limited_record_over_api(world: World, client_for: Any) -> None:
    url = reverse("api:nominal-detail", kwargs={"pk": world.limited.pk})
    headers = {"X-Vigil-Purpose": "offender_management"}
    assert client_for("excluded").get(url, headers=headers).status_code == 404
    assert client_for("offender_manager").get(url, headers=headers).status_code == 200


def test_other_force_records_are_404_everywhere(world: World, client_for: Any) -> None:
    client = client_for("offender_manager")
    pk = world.other_force_nominal.pk
    assert client.get(reverse("people:nominal-purpose", kwargs={"pk": pk})).status_code == 404
    assert (
        client.get(
            reverse("api:nominal-detail", kwargs={"pk": pk}),
            headers={"X-Vigil-Purpose": "supervision"},
        ).status_code
        == 404
    )
    for query in ("Zethudsey", "Ivor"):  # beta's nominal, by name
        assert client.get(reverse("api:nominal-list"), {"q": query}).json()["count"] == 0
        assert (
            client.get(reverse("people:nominal-list"), {"q": query}).context["page"].paginator.count
            == 0
        )


def _admin_urls() -> list[tuple[str, Any]]:
    """Every admin screen: the index, and each registered model's list, add, and (for one
    instance) change, history and delete pages, with whether the model allows adding."""
    from django.contrib import admin

    urls: list[tuple[str, Any]] = [(reverse("admin:index"), True)]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append((reverse(f"{info}_changelist"), True))
        urls.append((reverse(f"{info}_add"), model_admin.has_add_permission))
        obj = model._default_manager.first()
        if obj is not None and model_admin.list_display_links is not None:  # API tokens: none
            for page_name in ("change", "history", "delete"):
                urls.append(
                    (
                        reverse(f"{info}_{page_name}", args=[obj.pk]),
                        model_admin.has_delete_permission if page_name == "delete" else True,
                    )
                )
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_only_for_system_administrators(persona: str, world: World, client_for: Any) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.get_or_create(user=world.users["offender_manager"])
    client = client_for(persona)
    sysadmin = world.users["sysadmin"]
    request = type("R", (), {"user": sysadmin})()
    for url, allowed in _admin_urls():
        permitted = allowed if isinstance(allowed, bool) else allowed(request)
        response = client.get(url)
        # anyone else is sent to the admin sign-in: no admin screen for them
        expected = (200 if permitted else 403) if persona in ADMINS else 302
        assert response.status_code == expected, (url, persona, response.status_code)


def test_admin_shows_and_offers_only_the_administrators_force(
    world: World, client_for: Any
) -> None:
    from vigil.core.models import Team

    client = client_for("sysadmin")
    other_user = world.users["other_force"]
    other_team = Team.objects.get(force__code="beta")
    users = client.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list
    assert other_user not in users
    assert (
        Team.objects.get(force__code="beta")
        not in client.get(reverse("admin:core_team_changelist")).context["cl"].result_list
    )
    # another force's records cannot be opened by id either
    change = client.get(reverse("admin:accounts_user_change", args=[other_user.pk]))
    assert change.status_code == 302  # "no such user" back to the index
    # and a membership can only name a team of the administrator's own force
    page = client.get(reverse("admin:accounts_user_change", args=[world.users["dpo"].pk]))
    choices = page.context["inline_admin_formsets"][0].formset.forms[0].fields["team"].queryset
    assert other_team not in choices
    assert choices.exists()


def test_administrators_cannot_change_their_own_roles(world: World, client_for: Any) -> None:
    client = client_for("sysadmin")
    page = client.get(reverse("admin:accounts_user_change", args=[world.users["sysadmin"].pk]))
    formset = page.context["inline_admin_formsets"][0]
    assert not formset.has_add_permission
    assert not formset.has_change_permission


def test_admin_registers_no_case_data() -> None:
    from django.contrib import admin

    labels = {m._meta.label_lower for m in admin.site._registry}
    assert not labels & {
        "people.nominal",
        "people.address",
        "people.alias",
        "people.identifier",
        "audit.auditevent",
        "audit.auditchainhead",
    }


@pytest.mark.exhaustive
@pytest.mark.parametrize(
    "persona", [p for p in PERSONAS if p not in ("anonymous", "wellbeing_lead")]
)
def test_health_data_is_the_wellbeing_leads_alone(
    persona: str, world: World, client_for: Any
) -> None:
    """Every page and endpoint that answers GET, walked as each other persona, shows no
    screening date or follow-up, and no one else's image review (R16: only the wellbeing lead
    sees individuals; an officer sees their own weeks)."""
    from decimal import Decimal

    from vigil.accounts.services import team_create
    from vigil.core.models import Area
    from vigil.obligations.models import Escalation, Obligation
    from vigil.obligations.sync import sync
    from vigil.workforce import services as workforce
    from vigil.workforce.models import FollowUp, Grade, StaffRecord

    lead = world.users["wellbeing_lead"]
    om = world.users["offender_manager"]
    area = Area.objects.filter(force_id=om.force_id).first()
    assert area is not None
    team_create(actor=None, area=area, name="Alpha wellbeing", kind="wellbeing")
    record = StaffRecord.objects.create(
        force_id=om.force_id,
        user=om,
        grade=Grade.PC,
        contracted_hours=Decimal(40),
        started_in_role=date(1998, 6, 1),
    )
    sync(record)
    workforce.screening_record(
        actor=lead, person=om, screened_on=date(1999, 7, 13), follow_up=FollowUp.OFFERED_DECLINED
    )
    due = Obligation.objects.open().get(rule_id="workforce.screening")  # 13 Jul 2000: overdue
    for rung in ("supervisor", "head_of_unit"):  # as the nightly run escalates it
        Escalation.objects.create(
            force_id=om.force_id,
            obligation=due,
            rung=rung,
            reason="overdue",
            raised_on=date(2026, 12, 1),
        )
    workforce.exposure_record(
        actor=world.users["investigator"], week_starting=date(2026, 11, 23), images_reviewed=987654
    )
    secrets = ["Offered and declined"]  # seen by no one but the lead, the person included
    if persona != "offender_manager":  # their own screening's dates are theirs to see
        secrets += [f"{om} (staff)", "13 Jul 1999", "1999-07-13", "13 Jul 2000", "2000-07-13"]
    if persona != "investigator":
        secrets.append("987654")
    client = client_for(persona)
    session = client.session
    session[SESSION_KEY] = {
        str(n.pk): {"purpose": "other", "detail": "walk"} for n in (world.nominal, world.limited)
    }
    session.save()
    walked = 0
    for key, (kwargs, _expected, extra) in MATRIX.items():
        name, method = key.split()
        if method != "GET" or name in ("api-schema", "api-docs"):  # the API's description
            continue
        with transaction.atomic():  # each page's own records (a draft, say) made afresh
            url = reverse(name, kwargs=kwargs(world, persona) if kwargs else {})
            response = client.get(url, **extra)
            transaction.set_rollback(True)
        if response.status_code != 200:
            continue
        walked += 1
        body = response.content.decode(errors="replace")
        found = [s for s in secrets if s in body]
        assert not found, (key, found)
    assert walked > 5


@pytest.mark.exhaustive
@pytest.mark.parametrize("persona", ["pcc_assurance", "performance_analyst"])
def test_a_viewer_of_aggregates_sees_no_personal_data_anywhere(
    persona: str, world: World, client_for: Any
) -> None:
    """Every page and endpoint that answers GET, walked as the PCC's assurance role and the
    performance analyst, holds none of the world's names, identifiers or addresses
    (issue 15: aggregates only, never a person)."""
    secrets = [
        "QUENBY",
        "Quenby",
        "VARLOWICK",
        "Varlowick",
        "ZETHUDSEY",
        "Zethudsey",
        "90/1234567A",
        "SYN-QUENBY",
        "SYN-VARLOWICK",
        "1 Example Street",
        "ZZ99 1AA",
    ]
    client = client_for(persona)
    walked = 0
    for key, (kwargs, _expected, extra) in MATRIX.items():
        name, method = key.split()
        if method != "GET" or name in ("api-schema", "api-docs"):  # the API's description
            continue
        with transaction.atomic():  # each page's own records made afresh
            url = reverse(name, kwargs=kwargs(world, persona) if kwargs else {})
            response = client.get(url, **extra)
            transaction.set_rollback(True)
        if response.status_code != 200:
            continue
        walked += 1
        body = response.content.decode(errors="replace")
        found = [s for s in secrets if s in body]
        assert not found, (key, found)
    assert walked > 5
