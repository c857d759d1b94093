"""Writes to the organisation: forces, areas and teams (reference data, audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record, field_changes, snapshot
from vigil.core.models import Area, Force, Team


@transaction.atomic
def force_create(*, actor: Any, code: str, name: str) -> Force:
    force = Force.objects.create(code=code, name=name)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="force.created",
        obj=force,
        force_id=force.pk,
        changes=field_changes({}, snapshot(force, ("code", "name"))),
    )
    return force


@transaction.atomic
def area_create(*, actor: Any, force: Force, name: str) -> Area:
    area = Area.objects.create(force=force, name=name)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="area.created",
        obj=area,
        changes=field_changes({}, {"name": name}),
    )
    return area


@transaction.atomic
def team_create(*, actor: Any, area: Area, name: str, kind: str) -> Team:
    team = Team.objects.create(area=area, force=area.force, name=name, kind=kind)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="team.created",
        obj=team,
        changes=field_changes({}, {"name": name, "kind": kind, "area": area.name}),
    )
    return team
