"""Shared test steps for OCSEA: a referral received, answers that give a chosen band."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from vigil.core import clock
from vigil.core.models import Team, TeamKind
from vigil.instruments.packs import Pack, get_pack
from vigil.obligations.models import Obligation
from vigil.ocsea import services
from vigil.ocsea.models import Referral

TODAY = date(2026, 11, 28)
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def freeze(monkeypatch: Any, today: date = TODAY, now: datetime = NOW) -> None:
    monkeypatch.setattr(clock, "today", lambda: today)
    monkeypatch.setattr(clock, "now", lambda: now)


def answers_for(pack: Pack, band: str) -> dict[str, str]:
    """Answers that score `band` without an override: the lowest option everywhere, raised
    item by item (leaving override items alone) until the score reaches the band."""
    override_items = {o.item for o in pack.overrides}
    items = [item for section in pack.sections for item in section.items]
    answers = {item.id: min(item.options, key=lambda o: o.points).id for item in items}
    target = next(b for b in pack.bands if b.code == band)
    for item in items:
        if pack.score(answers).score >= target.min_score:
            break
        if item.id in override_items:
            continue
        answers[item.id] = max(item.options, key=lambda o: o.points).id
    assert pack.score(answers).band == band, f"no answers give {band}"
    return answers


def ocsea_team(world: Any) -> Team:
    return Team.objects.get(force=world.users["ocsea_triage"].force, kind=TeamKind.OCSEA)


def receive(
    world: Any,
    *,
    family_name: str = "Tarrant",
    received_at: datetime = NOW,
    age_group: str = "adult",
    identifiers: str = "",
    nominal: Any = None,
) -> Referral:
    return services.referral_receive(
        actor=world.users["ocsea_triage"],
        intake=services.Intake(
            source="nca_ceop",
            received_at=received_at,
            summary="Synthetic: uploads of indecent images reported by a platform",
            ocsea_team=ocsea_team(world),
            source_reference="NCA-SYN-1",
            category_a=2,
            category_c=10,
            suspects=[
                services.SuspectDetails(
                    age_group=age_group,
                    nominal=nominal,
                    family_name=family_name,
                    given_names="Syn",
                    online_identifiers=identifiers,
                )
            ],
            children=[services.ChildDetails(description="Unknown girl, about 12", age=12)],
        ),
    )


def triage(world: Any, referral: Referral, band: str, pack_code: str = "kirat") -> Any:
    pack = get_pack(pack_code)
    return services.referral_triage(
        actor=world.users["ocsea_triage"],
        referral=referral,
        pack_code=pack_code,
        answers=answers_for(pack, band),
    )


def open_work(subject: Any, rule_id: str = "") -> list[Obligation]:
    found = Obligation.objects.open().filter(subject_id=subject.pk)
    if rule_id:
        found = found.filter(rule_id=rule_id)
    return list(found.order_by("due_date", "key"))


def work(subject: Any, rule_id: str) -> list[Obligation]:
    return list(
        Obligation.objects.current()
        .filter(subject_id=subject.pk, rule_id=rule_id)
        .order_by("due_date", "key")
    )
