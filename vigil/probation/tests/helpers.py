"""The test world's agreement with the Probation Service, and exchanges under it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from vigil.core.models import Team, TeamKind
from vigil.obligations.sync import sync
from vigil.probation.models import (
    POLICE_LADDER,
    PROBATION_LADDER,
    Agreement,
    Direction,
    Exchange,
)


def agreement(world: Any) -> Agreement:
    return agreement_for(world.users["offender_manager"].force_id)


def agreement_for(force_id: Any) -> Agreement:
    """The force's agreement, made directly (as the service would, with its obligations)."""
    made, _ = Agreement.objects.get_or_create(
        force_id=force_id,
        defaults={
            "name": "Alpha and Alpha PDU agreement (test)",
            "probation_party": "Alpha probation delivery unit",
            "probation_team": Team.objects.get(force_id=force_id, kind=TeamKind.PROBATION_PARTNER),
            "police_team": Team.objects.get(force_id=force_id, kind=TeamKind.HEADQUARTERS),
            "starts_on": date(2026, 1, 5),
            "urgent_working_days": 1,
            "standard_working_days": 5,
            "review_months": 3,
            "police_ladder": POLICE_LADDER,
            "probation_ladder": PROBATION_LADDER,
        },
    )
    sync(made)  # as the service would
    return made


def exchange(
    world: Any,
    nominal: Any = None,
    *,
    direction: str = Direction.TO_PROBATION,
    raised_on: date = date(2026, 11, 30),
    days: int = 5,
) -> Exchange:
    registration = (nominal or world.nominal).registration
    made = Exchange.objects.create(
        force_id=registration.force_id,
        agreement=agreement(world),
        direction=direction,
        kind="information_request",
        priority="standard",
        registration=registration,
        shared_as=f"{registration.nominal} ({registration.register_reference})",
        summary="Current address and employment (test)",
        detail="Synthetic",
        raised_by=world.users[
            "offender_manager" if direction == Direction.TO_PROBATION else "probation_partner"
        ],
        raised_on=raised_on,
        due_on=raised_on + timedelta(days=days + 2),
    )
    sync(made)
    return made
