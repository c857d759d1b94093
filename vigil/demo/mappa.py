"""The demo's MAPPA level 2 and 3 cases (issue 14): for each RSO managed at level 2 or 3, the
last meeting about them, held within the level's review weeks, with the actions it agreed
(the older ones done, the rest open), so their next reviews and actions are in officers'
work."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from vigil.core import clock
from vigil.core.models import Force
from vigil.offenders import services
from vigil.offenders.models import Registration

ACTIONS = [
    ("Joint unannounced home visit with the probation practitioner", "Police"),
    ("Share the licence conditions with the neighbourhood team", "Probation"),
    ("Check the new partner's children are known to children's services", "Children's services"),
    ("Review the exclusion zone after the change of address", "Probation"),
    ("Request the device examination results", "Police"),
]


def make_mappa(rng: random.Random, force: Force, chair: str, today: date) -> int:
    """A meeting for each RSO at MAPPA level 2 or 3; returns how many."""
    made = 0
    for record in (
        Registration.objects.filter(force=force, ended_on__isnull=True, mappa_level__in=(2, 3))
        .select_related("offender_manager", "nominal")
        .order_by("register_reference", "pk")
    ):
        officer = record.offender_manager
        if officer is None:
            continue
        weeks = 16 if record.mappa_level == 2 else 8
        held = today - timedelta(days=rng.randint(7, weeks * 7 - 3))
        agreed = rng.sample(ACTIONS, rng.randint(1, 3))
        with clock.frozen(_at(held)):
            meeting = services.mappa_meeting_record(
                actor=officer,
                registration=record,
                level=record.mappa_level,
                held_on=held,
                chair=chair,
                summary="Risk of serious harm reviewed with probation and children's services "
                "(synthetic).",
                actions=[
                    {
                        "description": what,
                        "agency": agency,
                        "owner": officer if agency == "Police" else None,
                        "due_on": held + timedelta(days=rng.choice([7, 14, 28])),
                    }
                    for what, agency in agreed
                ],
            )
        for action in meeting.actions.all():
            done = action.due_on - timedelta(days=rng.randint(0, 3))
            if done < today - timedelta(days=5) and rng.random() < 0.8:
                with clock.frozen(_at(done)):
                    services.mappa_action_done(
                        actor=officer,
                        action=action,
                        done_on=done,
                        outcome="Done and recorded (synthetic).",
                    )
        made += 1
    return made


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(14, 0)))
