"""The evidence for each recommendation item (RECOMMENDATIONS.md): its metrics, registered
with the registry (vigil/assurance/metrics.py). The items' words and due dates are the
inspectorate's (April 2026) as the force's police and crime commissioner quoted them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from vigil.assurance.metrics import (
    COUNT,
    PERCENT,
    Metric,
    Period,
    Reading,
    Unit,
    by_team,
    met_in_time,
    overdue_now,
    register,
    worklist,
)


@dataclass(frozen=True)
class Recommendation:
    id: str
    due: date
    item: str


RECOMMENDATIONS = [
    Recommendation(
        "R1",
        date(2026, 10, 31),
        "Prioritise every referral for child and adult suspects with KIRAT and the "
        "prioritisation tool",
    ),
    Recommendation(
        "R2",
        date(2026, 10, 31),
        "Assess intelligence and risk before enforcement and throughout the investigation",
    ),
    Recommendation(
        "R3",
        date(2026, 10, 31),
        "Keep investigations allocated outside OCSEA teams under OCSEA oversight, with a "
        "central escalation policy",
    ),
    Recommendation(
        "R4",
        date(2027, 4, 30),
        "Review OCSEA staffing so that demand is met and workloads are manageable",
    ),
    Recommendation(
        "R5", date(2026, 10, 31), "Consider and record arrest and bail for every suspect"
    ),
    Recommendation(
        "R6",
        date(2026, 10, 31),
        "Check bail conditions at least once in every applicable bail period",
    ),
    Recommendation(
        "R7",
        date(2027, 4, 30),
        "Support suspects' families through third parties, with leaflets and contact details",
    ),
    Recommendation(
        "R8",
        date(2026, 10, 30),
        "Manage RSOs consistently across all teams, using ViSOR to Home Office standards",
    ),
    Recommendation(
        "R9", date(2026, 10, 30), "Collect and present data that represents what is on ViSOR"
    ),
    Recommendation(
        "R10",
        date(2026, 10, 31),
        "Forecast MOSOVO demand five years ahead, with enough offender managers and supervisors",
    ),
    Recommendation(
        "R11",
        date(2026, 10, 31),
        "Record and review abstractions; keep them from becoming regular or harming work",
    ),
    Recommendation(
        "R12",
        date(2026, 10, 31),
        "Keep outstanding ARMS assessments, plans and visits manageable, by risk level and "
        "how overdue",
    ),
    Recommendation(
        "R13", date(2026, 10, 31), "Supervisors review ARMS, plans and visits within one month"
    ),
    Recommendation(
        "R14",
        date(2026, 10, 31),
        "Visit unannounced and in pairs; authorise and assess any visit that is not",
    ),
    Recommendation(
        "R15",
        date(2026, 10, 31),
        "Manage reactively only RSOs who meet the conditions; carry out and assess PND checks",
    ),
    Recommendation(
        "R16",
        date(2026, 10, 31),
        "Screen OCSEA and MOSOVO staff every year; train supervisors in trauma-informed practice",
    ),
    Recommendation(
        "R17",
        date(2026, 10, 31),
        "Agree a strong service level with the Probation Service, with two-way review and "
        "escalation",
    ),
]


def _in_time(
    id: str, rec: str, label: str, prefixes: tuple[str, ...], seen_with: str = ""
) -> Metric:
    reader = met_in_time(*prefixes)
    return register(
        Metric(
            id,
            rec,
            label,
            PERCENT,
            "higher",
            reader,
            read_teams=reader.teams,
            seen_with=seen_with,
            drill=worklist(prefixes, "all"),
            describe="Of the work that fell due in the period, the share met by its due date.",
        )
    )


def _overdue(id: str, rec: str, label: str, prefixes: tuple[str, ...]) -> Metric:
    reader = overdue_now(*prefixes)
    return register(
        Metric(
            id,
            rec,
            label,
            COUNT,
            "lower",
            reader,
            read_teams=reader.teams,
            drill=worklist(prefixes),
            describe="Open work past its due date today.",
        )
    )


_in_time(
    "r1.assessed_in_time",
    "R1",
    "Referrals assessed with the instrument in time",
    ("ocsea.assessment",),
)
_in_time(
    "r1.actioned_in_time",
    "R1",
    "Referrals actioned within their band's time",
    ("ocsea.action",),
)
_in_time("r2.reviews_in_time", "R2", "Risk reviews done in time", ("ocsea.review",))
_overdue("r2.reviews_overdue", "R2", "Risk reviews overdue", ("ocsea.review",))
_overdue(
    "r3.oversight_overdue",
    "R3",
    "Oversight reviews of investigations held elsewhere overdue",
    ("ocsea.oversight",),
)
_in_time(
    "r5.arrest_decisions_in_time",
    "R5",
    "Arrest decisions recorded and ratified in time",
    ("ocsea.arrest",),
)
_in_time(
    "r6.condition_checks_in_time",
    "R6",
    "Bail periods with their conditions checked in time",
    ("bail.check",),
)
_overdue(
    "r6.bail_decisions_overdue",
    "R6",
    "Bails past their end without a decision",
    ("bail.expiry",),
)
_in_time(
    "r7.family_support_in_time",
    "R7",
    "Families supported and signposted in time",
    ("ocsea.family",),
)
_in_time(
    "r11.abstractions_reviewed_in_time",
    "R11",
    "Abstractions reviewed in time",
    ("workforce.abstraction",),
)
_overdue(
    "r12.rso_work_overdue",
    "R12",
    "ARMS assessments, plans and visits overdue",
    ("rso.arms.", "rso.rmp.", "rso.visit.frequency"),
)
_in_time(
    "r13.reviews_in_time",
    "R13",
    "Supervisor reviews within a month",
    ("rso.review.",),
)
_overdue(
    "r14.authorisations_overdue",
    "R14",
    "Announced or single-officer visits awaiting authorisation",
    ("rso.visit.authorise",),
)
_overdue("r15.pnd_overdue", "R15", "PND checks and assessments overdue", ("rso.pnd.",))
_in_time(
    "r16.screening_in_time",
    "R16",
    "Psychological screening and supervisors' training in time",
    ("workforce.screening", "workforce.training"),
    seen_with="manage_wellbeing",  # a colleague's screening: the wellbeing lead's
)
_in_time(
    "r17.answered_in_time",
    "R17",
    "Probation exchanges answered within the agreement",
    ("probation.response",),
)
_overdue(
    "r17.review_overdue",
    "R17",
    "Joint review of the probation agreement overdue",
    ("probation.review",),
)


# --- readings of the records -------------------------------------------------------------------


def _unreferenced_of(force_id: Any) -> Any:
    from vigil.offenders.models import Registration

    return Registration.objects.filter(
        force_id=force_id, ended_on__isnull=True, register_reference=""
    )


def _unreferenced(unit: Unit, period: Period, today: date) -> Reading:
    return Reading(unit.narrow(_unreferenced_of(unit.force_id), "team").count())


def _unreferenced_teams(force_id: Any, period: Period, today: date) -> dict[Any, Reading]:
    rows = by_team(_unreferenced_of(force_id), "team", n=Count("pk"))
    return {team: Reading(r["n"]) for team, r in rows.items()}


_COMPLIANT = Q(announced=False, officer_count__gte=2)


def _visits_of(force_id: Any, period: Period) -> Any:
    from vigil.offenders.models import HomeVisit

    return HomeVisit.objects.filter(
        force_id=force_id, completed_on__gte=period.start, completed_on__lte=period.end
    )


def _compliant_visits(unit: Unit, period: Period, today: date) -> Reading:
    visits = unit.narrow(_visits_of(unit.force_id, period), "registration__team")
    return Reading(visits.filter(_COMPLIANT).count(), visits.count())


def _compliant_visits_teams(force_id: Any, period: Period, today: date) -> dict[Any, Reading]:
    rows = by_team(
        _visits_of(force_id, period),
        "registration__team",
        n=Count("pk"),
        compliant=Count("pk", filter=_COMPLIANT),
    )
    return {team: Reading(r["compliant"], r["n"]) for team, r in rows.items()}


def _mismatches(unit: Unit, period: Period, today: date) -> Reading:
    from vigil.register.reconcile import figures

    return Reading(figures(force_id=unit.force_id, today=today)["open"])


def _reconciliation_age(unit: Unit, period: Period, today: date) -> Reading:
    from vigil.register.reconcile import latest_extract

    extract = latest_extract(unit.force_id, on=today)  # for a day gone, the one it had
    return Reading((today - extract.extract_date).days if extract else 9999)


def _staff_short(kind: str) -> Any:
    def read(unit: Unit, period: Period, today: date) -> Reading:
        from vigil.workforce.models import ForecastRun

        # the latest forecast made by then (a day gone reads the one it had)
        run = ForecastRun.objects.filter(
            force_id=unit.force_id, kind=kind, made_on__lte=today
        ).first()
        if run is None or not run.years or run.establishment is None:
            return Reading(0, 0)  # no forecast: nothing to judge
        needed = float(run.years[-1]["staff"]["p50"])
        return Reading(round(max(0.0, needed - run.establishment), 1))

    return read


register(
    Metric(
        "r4.ocsea_staff_short",
        "R4",
        "OCSEA staff short of the forecast's need (FTE, P50, last year ahead)",
        COUNT,
        "lower",
        _staff_short("ocsea"),
        counts_records=False,
        describe="The latest forecast's staff needed at its horizon less today's establishment.",
    )
)
register(
    Metric(
        "r8.unreferenced",
        "R8",
        "Open registrations without a register reference",
        COUNT,
        "lower",
        _unreferenced,
        read_teams=_unreferenced_teams,
        describe="RSOs Vigil cannot match to ViSOR.",
    )
)
register(
    Metric(
        "r9.mismatches",
        "R9",
        "Open differences with the latest register extract",
        COUNT,
        "lower",
        _mismatches,
        describe="Differences not yet accepted or marked for correction.",
    )
)
register(
    Metric(
        "r9.extract_age_days",
        "R9",
        "Days since the latest register extract was taken",
        COUNT,
        "lower",
        _reconciliation_age,
        counts_records=False,
        describe="The age of the reconciliation.",
    )
)
register(
    Metric(
        "r10.mosovo_staff_short",
        "R10",
        "MOSOVO staff short of the forecast's need (FTE, P50, last year ahead)",
        COUNT,
        "lower",
        _staff_short("mosovo"),
        counts_records=False,
        describe="The latest forecast's staff needed at its horizon less today's establishment.",
    )
)
register(
    Metric(
        "r14.visits_compliant",
        "R14",
        "Home visits unannounced and in pairs",
        PERCENT,
        "higher",
        _compliant_visits,
        read_teams=_compliant_visits_teams,
        describe="Of the visits in the period.",
    )
)
