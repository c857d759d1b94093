"""The force and national demo scales are sized sensibly: checked on the scale table and the
sizing functions alone, without generating anything (a force takes minutes, the nation most
of an hour: those belong to `make bench`, never to the suite)."""

from __future__ import annotations

from typing import Any

import pytest

from vigil.demo import scales
from vigil.demo.generator import SCALE_NAMES
from vigil.demo.rso import RISK_MIX


def test_the_command_offers_every_scale() -> None:
    assert SCALE_NAMES == ("small", "force", "national")


def test_force_scale_is_one_force_of_about_4500_rsos_and_60_managers() -> None:
    force = scales.scale("force")
    assert len(force.forces) == 1
    (northmoor,) = force.forces
    assert northmoor.code == "northmoor"
    assert force.rsos == 4_500
    assert 55 <= northmoor.managers <= 65
    assert northmoor.teams >= 4  # several MOSOVO teams, each in its own area
    assert northmoor.supervisors == northmoor.teams
    assert len(set(northmoor.areas)) == northmoor.teams
    # the supervisor's team holds about 5,000 open obligations: ~750 RSOs at ~6.5 each
    assert all(700 <= n <= 800 for n in northmoor.team_rsos)
    assert sum(northmoor.team_rsos) == northmoor.rsos
    # a caseload an offender manager could carry
    for rsos, managers in zip(northmoor.team_rsos, northmoor.team_managers, strict=True):
        assert 50 <= rsos / managers <= 100


def test_national_scale_is_43_forces_of_70000_rsos_with_a_few_large_ones() -> None:
    national = scales.scale("national")
    sizes = [f.rsos for f in national.forces]
    assert len(sizes) == 43
    assert national.rsos == sum(scales.national_sizes()) == 70_000
    assert national.forces[0] == scales.scale("force").forces[0]  # Northmoor, exactly
    assert len({f.code for f in national.forces}) == 43
    assert len({f.name for f in national.forces}) == 43
    assert all("(synthetic)" in f.name for f in national.forces)
    assert max(sizes) < 8_000
    assert sum(1 for n in sizes if n >= 4_000) in range(2, 8)  # a few large forces
    assert min(sizes) >= 500
    for force in national.forces:
        assert force.teams >= 2
        assert sum(force.team_rsos) == force.rsos
        assert len(set(force.areas)) == force.teams
        assert all(m >= 2 for m in force.team_managers)
    assert 900 <= sum(f.managers for f in national.forces) <= 1_100


@pytest.mark.parametrize(("total", "weights"), [(10, [1.0, 1.0, 1.0]), (70_000, [3.0, 2.0, 0.5])])
def test_apportion_sums_exactly(total: int, weights: list[float]) -> None:
    shares = scales.apportion(total, weights)
    assert sum(shares) == total
    assert shares == sorted(shares, reverse=True)


def test_risk_mix_is_the_realistic_one() -> None:
    assert dict(RISK_MIX) == {"very_high": 2, "high": 18, "medium": 30, "low": 50}


def test_an_unknown_scale_is_refused() -> None:
    with pytest.raises(KeyError):
        scales.scale("galactic")


# --- OCSEA at scale: sizing, planning, and a tiny run of the bulk path ---------------------


def test_ocsea_work_is_sized_with_the_force() -> None:
    (northmoor,) = scales.scale("force").forces
    assert northmoor.referrals_per_year == 2_000
    assert northmoor.referrals == 10_000  # five years
    # an investigator for about 100 referrals a year; triage, supervision, the CAIT
    assert northmoor.ocsea_investigators == 20
    assert northmoor.ocsea_triage == northmoor.ocsea_supervisors == 3
    assert northmoor.cait_investigators == 5
    national = scales.scale("national")
    assert 150_000 <= national.referrals <= 160_000  # about 31,000 a year
    assert all(f.referrals_per_year >= 200 for f in national.forces)
    assert all(f.ocsea_investigators >= 2 for f in national.forces)


@pytest.mark.parametrize("code", ["kirat", "prioritisation-tool"])
def test_the_demo_answers_score_every_band(code: str) -> None:
    import random

    from vigil.demo.ocsea_plan import BANDS, answers_for
    from vigil.instruments.packs import get_pack

    pack = get_pack(code)
    rng = random.Random(3)
    for band in BANDS:
        answers = [answers_for(pack, band, rng) for _ in range(5)]
        assert {pack.score(a).band for a in answers} == {band}
        assert len({tuple(sorted(a.items())) for a in answers}) > 1  # not one set of answers


def _plans(seed: int, count: int) -> list[Any]:
    """Lives planned without a database: staff, teams and areas stand in as names."""
    import random
    from datetime import UTC, datetime, timedelta

    from vigil.demo.ocsea_plan import Deck, Knobs, Planner, Staff
    from vigil.policy.pack import active

    staff = Staff(
        teams={"ocsea": "ocsea", "cait": "cait", "lpa": "lpa"},
        triage=["triage"],
        supervisors=["supervisor", "head"],
        investigators={"ocsea": ["inv1", "inv2"], "cait": ["cait1"], "lpa": []},
        areas=["north", "south"],
    )
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    rng = random.Random(seed)
    planner = Planner(rng, staff, active(), now.date(), now, 3, 2)
    deck = Deck(rng, count)
    ages = sorted((rng.uniform(0, 5 * 365) for _ in range(count)), reverse=True)
    return [
        planner.plan(i, now - timedelta(days=age), deck.draw(), Knobs())
        for i, age in enumerate(ages)
    ]


def test_planned_referrals_have_the_realistic_mix_and_are_deterministic() -> None:
    from collections import Counter

    lives = _plans(5, 1_000)
    assert [(life.received_at, life.band, life.closed) for life in lives] == [
        (life.received_at, life.band, life.closed) for life in _plans(5, 1_000)
    ]
    triaged = [life for life in lives if life.triaged_at]
    bands = Counter(life.band for life in triaged)
    share = {band: bands[band] / len(triaged) for band in bands}
    assert share["very_high"] == pytest.approx(0.10, abs=0.02)
    assert share["high"] == pytest.approx(0.25, abs=0.02)
    assert share["medium"] == pytest.approx(0.35, abs=0.02)
    assert share["low"] == pytest.approx(0.30, abs=0.02)
    children = sum(life.suspects[0].age_group == "child" for life in lives)
    assert 60 <= children <= 140  # about one in ten
    assert all(
        life.pack_code
        == {"adult": "kirat", "child": "prioritisation-tool"}[life.suspects[0].age_group]
        for life in triaged
    )
    sources = Counter(life.source for life in lives)
    assert sources.most_common(1)[0][0] == "nca_ceop"
    assert {"ncmec", "other_force", "internal", "public"} <= set(sources)
    # most older referrals are closed; the last months' are mostly open
    old = [life for life in lives if (lives[-1].received_at - life.received_at).days > 730]
    assert sum(life.closed is not None for life in old) / len(old) > 0.97
    recent = lives[-20:]
    assert sum(life.closed is None for life in recent) > 10
    suspects = [s for life in lives for s in life.suspects]
    decided = Counter(s.decision for s in suspects if s.decision)
    assert decided["arrested"] > decided["not_arrested"] > 0  # some not arrested
    custody = [c for s in suspects for c in s.custody]
    assert {c.kind for c in custody} == {"bail", "rui"}
    stages = Counter(e.stage for c in custody for e in c.extensions)
    assert stages["inspector"] > stages["superintendent"] > stages["court"] > 0


@pytest.fixture
def no_organisation(db: Any) -> None:
    """As if the database held no organisation: the session's users and forces renamed out
    of the way (they cannot be deleted: audit events refer to them)."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from vigil.accounts.models import User
    from vigil.core.models import Force

    User.objects.update(username=Concat(Value("old-"), F("username")))
    Force.objects.update(code=Concat(Value("old-"), F("code")))


# Each bulk-inserted record and the event its service writes for it: once, or (a write to a
# referral or what hangs from it) once for each suspect on the referral, as the services do.
EVENTS = [
    ("ocsea.Referral", "ocsea.referral_received", "self"),
    ("ocsea.Suspect", "ocsea.suspect_added", ""),
    ("instruments.Assessment", "instrument.assessment_recorded", ""),
    ("ocsea.Intelligence", "ocsea.intelligence_recorded", "referral"),
    ("ocsea.OversightReview", "ocsea.oversight_reviewed", "referral"),
    ("ocsea.Enforcement", "ocsea.enforcement_recorded", "referral"),
    ("ocsea.FamilyMember", "ocsea.family_member_recorded", "enforcement__referral"),
    ("ocsea.Bail", "ocsea.bail_started", ""),
    ("ocsea.BailCondition", "ocsea.bail_condition_imposed", ""),
    ("ocsea.ConditionCheck", "ocsea.bail_conditions_checked", ""),
    ("ocsea.BailExtension", "ocsea.bail_extended", ""),
    ("ocsea.RuiReview", "ocsea.rui_reviewed", ""),
    ("ocsea.SupportOrganisation", "ocsea.supportorganisation.created_in_admin", ""),
    ("ocsea.Leaflet", "ocsea.leaflet.created_in_admin", ""),
]


def test_a_tiny_force_run_creates_referrals_obligations_and_their_events(
    no_organisation: None, settings: Any
) -> None:
    """The force scale's path (scaled.py with ocsea.py's bulk writer), scaled down: every
    record has its service's audit event, and the engine derives the obligations."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    from django.apps import apps
    from django.db.models import Count, Q

    from vigil.audit.chain import verify_chain
    from vigil.audit.models import AuditEvent
    from vigil.demo.scaled import generate_scaled
    from vigil.obligations.models import Obligation
    from vigil.ocsea.models import Bail, Referral, RiskReview, Suspect

    northmoor = scales.plan_force(
        "northmoor", "Northmoor Police (synthetic)", 60, scales.NORTHMOOR_AREAS, 25
    )
    plan = scales.Scale("tiny", "one small force", (northmoor,))
    result = generate_scaled(scale_name="force", seed=2, progress=lambda m: None, plan=plan)
    assert result.registrations == 60
    assert result.referrals == 125  # 25 a year for five years
    referrals = Referral.objects.filter(force__code="northmoor")
    assert referrals.count() == 125
    assert referrals.filter(status="closed").count() > 100  # most older ones closed
    assert referrals.exclude(status="closed").exists()
    assert referrals.filter(linked_to__isnull=False).exists()
    triaged = RiskReview.objects.filter(referral__in=referrals, kind="triage")
    assessments = apps.get_model("instruments", "Assessment").objects.filter(
        subject_type="ocsea.referral", subject_id__in=referrals.values("pk")
    )
    assert assessments.count() == triaged.count() == referrals.exclude(band="").count()
    assert set(assessments.values_list("pack_code", flat=True)) <= {"kirat", "prioritisation-tool"}
    assert all(a.pack_digest and a.answers and a.band for a in assessments)
    for subject in ("ocsea.referral", "ocsea.bail"):
        assert Obligation.objects.filter(subject_type=subject, force__code="northmoor").exists()
    assert Obligation.objects.open().filter(subject_type="ocsea.referral").exists()

    def events(name: str) -> list[str]:
        return sorted(AuditEvent.objects.filter(event=name).values_list("object_id", flat=True))

    def records(model: Any, via: str = "", **where: Any) -> list[str]:
        """Each record's id, once for each suspect its event names (`via`: the way from the
        record to its referral)."""
        rows = model.objects.filter(**where)
        if not via:
            return sorted(str(pk) for pk in rows.values_list("pk", flat=True))
        suspects = Count("suspects" if via == "self" else f"{via}__suspects")
        return sorted(
            str(pk) for pk, n in rows.annotate(n=suspects).values_list("pk", "n") for _ in range(n)
        )

    for label, event, via in EVENTS:
        model = apps.get_model(label)
        ids = records(model, via)
        assert ids, label
        assert events(event) == ids, label  # its event, naming it (for each suspect)
    assert events("ocsea.referral_triaged") == records(RiskReview, "referral", kind="triage")
    periodic = records(
        RiskReview, "referral", kind__in=["periodic", "pre_enforcement", "intelligence"]
    )
    assert events("ocsea.risk_reviewed") == periodic
    new_people = Suspect.objects.filter(referral__in=referrals, nominal__registration=None)
    created = set(events("nominal.created"))
    assert {str(s.nominal_id) for s in new_people} <= created
    assert events("ocsea.referral_closed") == records(Referral, "self", status="closed")
    # a closed referral leaves no work behind (the service refuses to close one that would)
    closed = referrals.filter(status="closed")
    bails = Bail.objects.filter(suspect__referral__in=closed)
    left = Obligation.objects.open().filter(
        Q(subject_type="ocsea.referral", subject_id__in=closed.values("pk"))
        | Q(subject_type="ocsea.bail", subject_id__in=bails.values("pk"))
    )
    assert not left.exists(), list(left.values_list("rule_id", "subject_label"))
    assert verify_chain().ok
