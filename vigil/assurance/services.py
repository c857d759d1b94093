"""Taking the monthly snapshots (`vigil snapshot`): every metric for every force, for a
month, kept once (taking it again replaces that month's figures with the same reading)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from vigil.assurance import evidence  # noqa: F401  (registers the metrics)
from vigil.assurance.metrics import Period, Unit, metrics, read_all, read_units_all
from vigil.assurance.models import AssuranceReport, MetricSnapshot, ReportKind
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record
from vigil.core import clock
from vigil.core.exceptions import ConflictError
from vigil.core.models import Area, Force, Team
from vigil.policy.pack import active as active_policy


def snapshot_month(month: date, *, forces: Any = None) -> int:
    """Every metric of every force, and of each of its areas and teams where the metric reads
    for them, for the month (its work that fell due in it; open work as at its last day, or
    today for the current month); returns how many were kept. A force's month is written in
    one transaction, replacing what an earlier run kept for it."""
    pack = active_policy()
    period = Period.of_month(month)
    as_at = min(period.end, clock.today())
    now = clock.now()
    kept = 0
    for force in forces if forces is not None else Force.objects.order_by("code"):
        teams = dict(Team.objects.filter(force=force).values_list("pk", "area_id"))
        everyone = metrics()
        readings = read_all(everyone, Unit(force.pk), period, as_at)
        units = read_units_all(everyone, force.pk, teams, period, as_at)
        snaps = []
        for metric in everyone:
            for unit, reading in {
                Unit(force.pk): readings[metric.id],
                **units.get(metric.id, {}),
            }.items():
                snaps.append(
                    MetricSnapshot(
                        force=force,
                        unit=unit.key,
                        metric=metric.id,
                        month=period.start,
                        numerator=float(reading.numerator),
                        denominator=reading.denominator,
                        value=reading.value,
                        rag=metric.rag(reading.value, pack),
                        policy_version=pack.version,
                        taken_at=now,
                    )
                )
        with transaction.atomic():
            MetricSnapshot.objects.filter(force=force, month=period.start).delete()
            MetricSnapshot.objects.bulk_create(snaps, batch_size=1000)
        kept += len(snaps)
    return kept


# --- reports (the PCC's assurance report, the monthly performance pack) ---------------------

REPORT_DAYS = 90  # the PCC report's period unless one is chosen (the scorecard's default)


def _figures_of(
    kind: str, force_id: Any, today: date, days: int, pack: Any, month: date
) -> dict[str, Any]:
    """A report's figures as the API gives them to one who sees aggregates only (a report
    goes beyond the force: no count under the policy's smallest is in it). A monthly pack's
    are of its month: its scorecard and dashboards as of the month's last day, or today."""
    from vigil.assurance.api.serializers import RowSerializer
    from vigil.assurance.dashboard import dashboard, dashboard_data
    from vigil.assurance.selectors import scorecard_for

    smallest = pack["workforce.smallest_count"]
    as_of = min(Period.of_month(month).end, today) if kind == ReportKind.MONTHLY_PACK else today
    rows = scorecard_for(force_id=force_id, today=as_of, days=days, pack=pack, smallest=smallest)
    figures: dict[str, Any] = {
        "smallest": smallest,
        "days": days,
        "scorecard": RowSerializer(rows, many=True).data,
    }
    if kind == ReportKind.MONTHLY_PACK:
        units = [Unit(force_id)] + [
            Unit(force_id, area.pk) for area in Area.objects.filter(force_id=force_id)
        ]
        figures["dashboards"] = []
        for unit, name in zip(units, _unit_names(units), strict=True):
            made = dashboard(unit=unit, today=today, smallest=smallest, pack=pack, month=month)
            figures["dashboards"].append(dashboard_data(made, name))
    return json.loads(json.dumps(figures, cls=DjangoJSONEncoder))


def _unit_names(units: list[Unit]) -> list[str]:
    areas = dict(Area.objects.filter(pk__in=[u.area_id for u in units]).values_list("pk", "name"))
    return [f"{areas[u.area_id]} area" if u.area_id else "The whole force" for u in units]


def _title(kind: str, force: Force, today: date, month: date) -> str:
    if kind == ReportKind.MONTHLY_PACK:
        so_far = f" (so far, as of {today:%-d %B})" if Period.of_month(month).end >= today else ""
        return f"{force.name}: monthly performance pack, {month:%B %Y}{so_far}"
    return f"{force.name}: assurance report to the police and crime commissioner, {today:%-d %B %Y}"


def pack_month(month: date | str | None, today: date) -> date:
    """The month a monthly pack is of (its first day): the one named ("2026-11" or a day in
    it), this month or one of the last `MONTHS_BACK`; by default the month just gone, the
    one the monthly performance meeting looks back on."""
    from vigil.assurance.selectors import MONTH_ERROR, months_gone

    if not month:
        return months_gone(today)[0]
    try:
        first = (date.fromisoformat(f"{month}-01") if isinstance(month, str) else month).replace(
            day=1
        )
    except ValueError:
        first = None
    if first is None or first not in {today.replace(day=1), *months_gone(today)}:
        raise ValidationError({"month": f"{MONTH_ERROR}, as 2026-11"})
    return first


@atomic
def report_make(
    *,
    actor: Any,
    kind: str,
    days: int = REPORT_DAYS,
    narrative: str = "",
    force: Force | None = None,
    month: date | str | None = None,
) -> AssuranceReport:
    """Makes and keeps a report of the actor's force (a scheduled run names its force and has
    no actor): the PCC's report as of today; the monthly pack of its `month` (`pack_month`),
    a month gone as it closed. Its figures are kept with it."""
    from vigil.assurance.selectors import PERIODS

    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        errors["kind"] = "Choose the PCC report or the monthly pack"
    if days not in PERIODS:
        errors["days"] = f"Choose a period of {', '.join(map(str, PERIODS))} days"
    today = clock.today()
    first = today.replace(day=1)  # the PCC's report is as of today, whatever month is given
    if kind == ReportKind.MONTHLY_PACK:
        try:
            first = pack_month(month, today)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    force = force or Force.objects.get(pk=actor.force_id)
    pack = active_policy()
    as_of = min(Period.of_month(first).end, today) if kind == ReportKind.MONTHLY_PACK else today
    period = Period.days_to(as_of, days)
    report = AssuranceReport.objects.create(
        force=force,
        kind=kind,
        title=_title(kind, force, today, first),
        period_start=period.start,
        period_end=period.end,
        figures=_figures_of(kind, force.pk, today, days, pack, first),
        narrative=narrative.strip(),
        narrative_by=actor if narrative.strip() else None,
        narrative_at=clock.now() if narrative.strip() else None,
        made_by=actor,
        made_at=clock.now(),
        policy_version=pack.version,
    )
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="assurance.report_made",
        obj=report,
        force_id=force.pk,
        detail={
            "kind": kind,
            "days": days,
            "title": report.title,
            **({"month": first.isoformat()[:7]} if kind == ReportKind.MONTHLY_PACK else {}),
        },
    )
    return report


@atomic
def report_narrative(
    *, actor: Any, report: AssuranceReport, narrative: str, expected_version: int
) -> AssuranceReport:
    """The force's narrative of a report, changed; the figures stay as made."""
    report = AssuranceReport.objects.select_for_update().get(pk=report.pk)
    if report.version != expected_version:
        raise ConflictError("Someone changed the narrative since you opened it: read it again.")
    before = report.narrative
    report.narrative = narrative.strip()
    report.narrative_by = actor
    report.narrative_at = clock.now()
    report.version += 1
    report.save(
        update_fields=["narrative", "narrative_by", "narrative_at", "version", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditAction.ALTERATION,
        event="assurance.narrative_changed",
        obj=report,
        force_id=report.force_id,
        changes={"narrative": [before, report.narrative]},
    )
    return report


@atomic
def report_exported(
    *,
    actor: Any,
    report: AssuranceReport,
    fmt: str,
    recipients: list[str],
    justification: str = "",
) -> None:
    """A copy of a report made (downloaded, or written out by `vigil report`): a
    disclosure of the force's figures to the recipients given."""
    audit_record(
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="assurance.report_exported",
        obj=report,
        force_id=report.force_id,
        detail={"format": fmt, "title": report.title},
        recipients=recipients,
        justification=justification,
    )


def default_recipient(report: AssuranceReport) -> str:
    if report.kind == ReportKind.PCC:
        return "The office of the police and crime commissioner"
    return "The force's monthly performance meeting"
