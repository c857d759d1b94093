"""The demo's probation partnership (issue 14): the agreement with the Northmoor probation
delivery unit, a quarter of exchanges both ways (most answered in time, some late, a few
still open, one of them escalated by the nightly run), and last quarter's joint review."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from vigil.accounts.models import User
from vigil.core import clock
from vigil.core.models import Force, Team
from vigil.offenders.models import Registration
from vigil.probation import services
from vigil.probation.models import ExchangeKind

ASKS = {
    ExchangeKind.INFORMATION_REQUEST: [
        "Current address and who lives there",
        "Employment and travel since release",
        "Licence conditions in force",
    ],
    ExchangeKind.REFERRAL: ["Referral for a joint home visit", "Referral to MAPPA level 2"],
    ExchangeKind.FEEDBACK: ["Outcome of last week's visit", "Feedback on the risk review"],
    ExchangeKind.CONCERN: ["Seen near a primary school", "New relationship with a parent"],
    ExchangeKind.ESCALATION: ["No answer to our request of last month"],
}


def make_partnership(
    rng: random.Random,
    force: Force,
    *,
    head: User,
    partner: User,
    officers: list[User],
    probation_team: Team,
    police_team: Team,
    today: date,
) -> int:
    """The agreement, about ninety days of exchanges and a joint review; returns how many
    exchanges were raised."""
    agreement = services.agreement_save(
        actor=head,
        name="Northmoor Police and Northmoor PDU: information sharing and escalation",
        probation_party="Probation Service, Northmoor probation delivery unit",
        probation_team=probation_team,
        police_team=police_team,
        starts_on=today - timedelta(days=400),
        closures=[date(today.year, 12, 29)],
    )
    records = list(
        Registration.objects.filter(force=force, ended_on__isnull=True)
        .exclude(register_reference="")
        .exclude(nominal__limited_access=True)
        .select_related("offender_manager")
        .order_by("register_reference")
    )
    made = 0
    for back in range(90, 0, -3):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        with clock.frozen(_at(day)):
            record = rng.choice(records)
            from_probation = rng.random() < 0.45
            kind = rng.choice(list(ASKS))
            raiser = (
                partner if from_probation else (record.offender_manager or rng.choice(officers))
            )
            exchange = services.exchange_raise(
                actor=raiser,
                kind=kind,
                priority="urgent" if rng.random() < 0.2 else "standard",
                register_reference=record.register_reference,
                summary=rng.choice(ASKS[kind]),
                detail="Synthetic: what the other side is asked or told, in a few lines.",
            )
        made += 1
        answerer = (record.offender_manager or rng.choice(officers)) if from_probation else partner
        # most answered in time, some late, the newest few still open
        lateness = rng.choices([-1, 0, 2, 6], weights=[55, 25, 12, 8])[0]
        answered = exchange.due_on + timedelta(days=lateness)
        if answered < today - timedelta(days=2):
            with clock.frozen(_at(answered)):
                services.exchange_answer(
                    actor=answerer, exchange=exchange, answer="Synthetic answer with what is held."
                )
    with clock.frozen(_at(today - timedelta(days=35))):
        services.review_record(
            actor=head,
            agreement=agreement,
            held_on=today - timedelta(days=35),
            period_from=today - timedelta(days=130),
            period_to=today - timedelta(days=40),
            attendees="DI public protection, DS MOSOVO (police); head of PDU, SPO (probation)",
            notes="Urgent requests are answered in time; standard ones about home circumstances "
            "run late. Agreed: a weekly list of MAPPA level 2 and 3 cases (synthetic).",
            actions=[
                {
                    "action": "Share the MAPPA level 2 and 3 list every Monday",
                    "owner": "SPO, Northmoor PDU",
                    "due_on": today + timedelta(days=10),
                },
                {
                    "action": "Name a deputy for the single point of contact",
                    "owner": "DS MOSOVO Northmoor City",
                    "due_on": today - timedelta(days=5),
                },
            ],
        )
    return made


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))
