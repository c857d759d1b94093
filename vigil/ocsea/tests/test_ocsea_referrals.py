"""Referrals from receipt to outcome: intake and duplicates, triage with an instrument and
the clocks it sets, risk reviews, oversight of investigations owned elsewhere, enforcement,
arrest decisions and their ratification, family support, closure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vigil.accounts.models import Role
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.models import AuditEvent
from vigil.core.models import Area, TeamKind
from vigil.instruments.models import Assessment
from vigil.instruments.packs import get_pack
from vigil.obligations.models import Escalation
from vigil.ocsea import services
from vigil.ocsea.models import Allocation, Referral, ReferralStatus
from vigil.ocsea.tests.helpers import (
    NOW,
    TODAY,
    answers_for,
    freeze,
    ocsea_team,
    open_work,
    receive,
    triage,
    work,
)
from vigil.policy.pack import load

PACK = load()


@pytest.fixture(autouse=True)
def frozen(monkeypatch: Any) -> None:
    freeze(monkeypatch)


@pytest.fixture
def referral(world: Any) -> Referral:
    return receive(world)


@pytest.fixture
def cait(world: Any) -> Any:
    """A child abuse investigation team (outside OCSEA) with an investigator."""
    area = Area.objects.get(force=world.users["investigator"].force)
    team = team_create(actor=None, area=area, name="Alpha CAIT", kind=TeamKind.CHILD_ABUSE)
    officer = user_create(
        actor=None, username="cait_officer", password="x-very-long-pass-1", force=area.force
    )
    membership_add(actor=None, user=officer, team=team, role=Role.objects.get(pk="investigator"))
    return team, officer


# --- Intake ---------------------------------------------------------------------------------


def test_receiving_a_referral_numbers_it_and_starts_the_assessment_clock(
    world: Any, referral: Referral
) -> None:
    assert referral.reference == "OC-2026-00001"
    assert referral.status == ReferralStatus.RECEIVED
    (due,) = open_work(referral)
    assert due.rule_id == "ocsea.assessment"
    assert due.due_date == TODAY + timedelta(days=PACK["ocsea.assessment_days"])
    assert due.policy_keys == ["ocsea.assessment_days"]
    assert due.owner_team == ocsea_team(world)
    assert due.person_id == referral.suspects.get().nominal_id
    events = AuditEvent.objects.filter(event__startswith="ocsea.").values_list("event", flat=True)
    assert sorted(events) == ["ocsea.referral_received", "ocsea.suspect_added"]


def test_received_late_in_a_summer_evening_is_dated_in_london(world: Any) -> None:
    late = receive(world, received_at=datetime(2026, 7, 14, 23, 30, tzinfo=UTC))
    (due,) = open_work(late)
    assert due.due_date == date(2026, 7, 15) + timedelta(days=1)


def test_bad_intake_names_each_field(world: Any) -> None:
    with pytest.raises(ValidationError) as raised:
        services.referral_receive(
            actor=world.users["ocsea_triage"],
            intake=services.Intake(
                source="carrier pigeon",
                received_at=NOW + timedelta(days=1),
                summary=" ",
                ocsea_team=ocsea_team(world),
                suspects=[services.SuspectDetails(age_group="")],
            ),
        )
    assert set(raised.value.message_dict) == {
        "source",
        "received_at",
        "summary",
        "age_group",
        "family_name",
    }
    assert not Referral.objects.exists()


def test_only_triage_may_receive(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.referral_receive(
            actor=world.users["offender_manager"],
            intake=services.Intake(
                source="public",
                received_at=NOW,
                summary="x",
                ocsea_team=ocsea_team(world),
                suspects=[services.SuspectDetails(age_group="adult", family_name="X")],
            ),
        )


def test_a_second_referral_on_the_same_person_is_linked(world: Any, referral: Referral) -> None:
    suspect = referral.suspects.get()
    again = receive(world, nominal=suspect.nominal)
    assert again.linked_to == referral
    assert again.reference == "OC-2026-00002"


def test_a_shared_online_identifier_links_referrals(world: Any) -> None:
    first = receive(world, family_name="Ashdown", identifiers="syn.user@example.test\n10.0.0.7")
    second = receive(world, family_name="Unknown", identifiers=" SYN.USER@example.test ")
    third = receive(world, family_name="Elsewhere", identifiers="someone@example.test")
    assert second.linked_to == first
    assert third.linked_to is None


# --- Triage and the action clock -----------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "days"), [("very_high", 1), ("high", 7), ("medium", 14), ("low", 30)]
)
def test_the_band_sets_the_action_clock_from_receipt(
    world: Any, referral: Referral, band: str, days: int
) -> None:
    review = triage(world, referral, band)
    referral.refresh_from_db()
    assert referral.band == band
    assert referral.status == ReferralStatus.TRIAGED
    assert review.assessment.pack_version == get_pack("kirat").version
    (assessment,) = work(referral, "ocsea.assessment")
    assert assessment.met_date == TODAY
    (action,) = open_work(referral, "ocsea.action")
    assert action.due_date == TODAY + timedelta(days=days)
    assert action.risk_level == band
    assert action.policy_keys == ["ocsea.action_days_by_band", "ocsea.action_clock_starts"]


def test_the_clock_starts_at_receipt_or_at_assessment(
    world: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    first = receive(world, received_at=NOW - timedelta(days=3))
    freeze(monkeypatch)
    triage(world, first, "high")
    (action,) = open_work(first, "ocsea.action")
    assert action.due_date == TODAY - timedelta(days=3) + timedelta(days=7)  # from receipt
    policy = tmp_path / "force.toml"
    policy.write_text('[ocsea.action_clock_starts]\nvalue = "assessment"\n')
    settings.VIGIL_POLICY = str(policy)
    second = receive(world, family_name="Second", received_at=NOW - timedelta(days=3))
    triage(world, second, "high")
    (action,) = open_work(second, "ocsea.action")
    assert action.due_date == TODAY + timedelta(days=7)  # from the assessment today


def test_a_child_suspect_needs_a_pack_for_children(world: Any) -> None:
    child = receive(world, family_name="Younger", age_group="child")
    with pytest.raises(ValidationError) as raised:
        triage(world, child, "high", pack_code="kirat")
    assert "pack_code" in raised.value.message_dict
    review = triage(world, child, "medium", pack_code="prioritisation-tool")
    assert review.band == "medium"


def test_triage_once_then_reviews(world: Any, referral: Referral) -> None:
    triage(world, referral, "low")
    with pytest.raises(ValidationError):
        triage(world, referral, "low")


def test_an_override_forces_the_band_and_is_kept(world: Any, referral: Referral) -> None:
    pack = get_pack("kirat")
    answers = answers_for(pack, "low")
    answers["contact_offending"] = "evidence"
    review = services.referral_triage(
        actor=world.users["ocsea_triage"], referral=referral, pack_code="kirat", answers=answers
    )
    assert review.band == "very_high"
    assert review.assessment.override_item == "contact_offending"


def test_action_meets_the_clock(world: Any, referral: Referral) -> None:
    triage(world, referral, "high")
    services.action_record(
        actor=world.users["investigator"],
        referral=referral,
        actioned_on=TODAY,
        action_taken="Intelligence checks and a visit to the address",
    )
    (action,) = work(referral, "ocsea.action")
    assert action.met_date == TODAY


# --- Reviews --------------------------------------------------------------------------------


def test_reviews_every_period_and_on_new_intelligence(world: Any, referral: Referral) -> None:
    triage(world, referral, "medium")
    (periodic,) = open_work(referral, "ocsea.review.periodic")
    assert periodic.due_date == TODAY + timedelta(days=PACK["ocsea.risk_review_days"])
    services.intelligence_record(
        actor=world.users["investigator"],
        referral=referral,
        received_on=TODAY,
        summary="A second platform reports the same account",
    )
    (intel,) = open_work(referral, "ocsea.review.intelligence")
    assert intel.due_date == TODAY + timedelta(days=PACK["ocsea.intelligence_review_days"])
    review = services.risk_review_record(
        actor=world.users["investigator"],
        referral=referral,
        kind="intelligence",
        reviewed_on=TODAY,
        notes="The new report shows contact with a child",
        band="high",
    )
    assert review.previous_band == "medium"
    assert not open_work(referral, "ocsea.review.intelligence")
    (periodic,) = open_work(referral, "ocsea.review.periodic")
    assert periodic.due_date == TODAY + timedelta(days=PACK["ocsea.risk_review_days"])
    referral.refresh_from_db()
    assert referral.band == "high"
    (action,) = open_work(referral, "ocsea.action")
    assert action.due_date == TODAY + timedelta(days=7)
    assert Escalation.objects.filter(
        obligation__subject_id=referral.pk, reason="risk_rise"
    ).exists()


def test_a_review_needs_notes_and_triage_first(world: Any, referral: Referral) -> None:
    with pytest.raises(ValidationError) as raised:
        services.risk_review_record(
            actor=world.users["investigator"],
            referral=referral,
            kind="periodic",
            reviewed_on=TODAY + timedelta(days=1),
            notes="",
        )
    assert set(raised.value.message_dict) == {"kind", "reviewed_on", "notes"}


def test_a_review_can_rerun_the_instrument(world: Any, referral: Referral) -> None:
    triage(world, referral, "low")
    review = services.risk_review_record(
        actor=world.users["investigator"],
        referral=referral,
        kind="periodic",
        reviewed_on=TODAY,
        notes="Re-scored after device examination",
        pack_code="kirat",
        answers=answers_for(get_pack("kirat"), "high"),
    )
    assert review.band == "high"
    assert review.assessment is not None
    assert Assessment.objects.filter(subject_id=referral.pk).count() == 2


def test_a_review_before_enforcement(world: Any, referral: Referral) -> None:
    triage(world, referral, "high")
    planned = TODAY + timedelta(days=10)
    services.enforcement_plan(
        actor=world.users["investigator"], referral=referral, planned_on=planned
    )
    (pre,) = open_work(referral, "ocsea.review.pre_enforcement")
    assert pre.due_date == planned
    (arrest,) = open_work(referral, "ocsea.arrest.decision")
    assert arrest.due_date == planned
    # The triage review today is more than 7 days before: it does not count.
    assert pre.met_date is None


def test_an_enforcement_without_a_review_in_the_window_stays_open(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    triage(world, referral, "high")
    freeze(monkeypatch, TODAY + timedelta(days=8), NOW + timedelta(days=8))
    services.enforcement_record(
        actor=world.users["investigator"],
        referral=referral,
        enforced_on=TODAY + timedelta(days=8),
        outcome="completed",
        warrant_reference="W/SYN/1",
    )
    (pre,) = open_work(referral, "ocsea.review.pre_enforcement")
    assert pre.due_date == TODAY + timedelta(days=8)
    (action,) = work(referral, "ocsea.action")
    assert action.met_date == TODAY + timedelta(days=8)  # late: high is 7 days


# --- Oversight (R3) -------------------------------------------------------------------------


def test_an_investigation_owned_elsewhere_is_overseen(
    world: Any, referral: Referral, cait: Any
) -> None:
    team, officer = cait
    triage(world, referral, "medium")
    supervisor = world.users["ocsea_supervisor"]
    services.referral_allocate(actor=supervisor, referral=referral, team=team, officer=officer)
    (oversight,) = open_work(referral, "ocsea.oversight")
    assert oversight.due_date == TODAY + timedelta(days=PACK["ocsea.oversight_review_days"])
    assert oversight.owner_team == ocsea_team(world)
    (action,) = open_work(referral, "ocsea.action")
    assert action.owner_team == team
    assert action.owner_user == officer
    services.oversight_review_record(
        actor=supervisor, referral=referral, reviewed_on=TODAY, notes="Direction: PND checks"
    )
    (met,) = [o for o in work(referral, "ocsea.oversight") if o.met_date]
    assert met.met_date == TODAY
    (oversight,) = open_work(referral, "ocsea.oversight")
    assert oversight.due_date == TODAY + timedelta(days=28)
    # Back to OCSEA: no more oversight reviews.
    services.referral_allocate(
        actor=supervisor,
        referral=referral,
        team=ocsea_team(world),
        officer=world.users["investigator"],
    )
    assert not open_work(referral, "ocsea.oversight")
    assert Allocation.objects.filter(referral=referral).count() == 2


def test_the_ocsea_supervisor_sees_work_owned_elsewhere_and_its_escalations(
    world: Any, referral: Referral, cait: Any, monkeypatch: Any
) -> None:
    from vigil.obligations.selectors import WorklistFilters, escalation_list, team_worklist
    from vigil.obligations.services import daily_run

    team, officer = cait
    triage(world, referral, "medium")
    supervisor = world.users["ocsea_supervisor"]
    services.referral_allocate(actor=supervisor, referral=referral, team=team, officer=officer)
    (action,) = open_work(referral, "ocsea.action")
    assert action.oversight_team == ocsea_team(world)
    overseen = team_worklist(user=supervisor, filters=WorklistFilters(), today=TODAY)
    assert overseen.filter(pk=action.pk).exists()
    freeze(monkeypatch, TODAY + timedelta(days=20), NOW + timedelta(days=20))
    daily_run()
    assert escalation_list(user=supervisor).filter(obligation=action).exists()
    # Back in OCSEA's hands, the work is simply the team's own.
    services.referral_allocate(
        actor=supervisor, referral=referral, team=ocsea_team(world), officer=None
    )
    (action,) = open_work(referral, "ocsea.action")
    assert action.oversight_team is None


def test_allocation_checks_team_and_officer(world: Any, referral: Referral, cait: Any) -> None:
    team, _ = cait
    with pytest.raises(ValidationError) as raised:
        services.referral_allocate(
            actor=world.users["ocsea_supervisor"],
            referral=referral,
            team=team,
            officer=world.users["offender_manager"],
        )
    assert "officer" in raised.value.message_dict
    with pytest.raises(PermissionDenied):
        services.referral_allocate(
            actor=world.users["investigator"], referral=referral, team=team, officer=None
        )


# --- Arrest decisions (R5) ------------------------------------------------------------------


def _enforced(world: Any, referral: Referral, family: bool = False) -> Any:
    triage(world, referral, "high")
    services.risk_review_record(
        actor=world.users["investigator"],
        referral=referral,
        kind="pre_enforcement",
        reviewed_on=TODAY,
        notes="Ready",
    )
    return services.enforcement_record(
        actor=world.users["investigator"],
        referral=referral,
        enforced_on=TODAY,
        outcome="completed",
        warrant_reference="W/SYN/2",
        devices_seized=3,
        family_present=family,
    )


def test_a_decision_not_to_arrest_is_ratified_by_another(world: Any, referral: Referral) -> None:
    _enforced(world, referral)
    (pre,) = work(referral, "ocsea.review.pre_enforcement")
    assert pre.met_date == TODAY
    (decision,) = open_work(referral, "ocsea.arrest.decision")
    assert decision.due_date == TODAY
    suspect = referral.suspects.get()
    with pytest.raises(ValidationError) as raised:
        services.arrest_decision_record(
            actor=world.users["investigator"],
            suspect=suspect,
            decision="not_arrested",
            decided_on=TODAY,
        )
    assert "rationale" in raised.value.message_dict
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Voluntary interview arranged; no access to children",
    )
    (ratify,) = open_work(referral, "ocsea.arrest.ratify")
    assert ratify.due_date == TODAY + timedelta(days=PACK["ocsea.non_arrest_ratify_days"])
    services.arrest_ratify(actor=world.users["ocsea_supervisor"], suspect=suspect, note="Agreed")
    assert not open_work(referral, "ocsea.arrest.ratify")
    assert not open_work(referral, "ocsea.arrest.decision")


def test_a_supervisor_cannot_ratify_their_own_decision(world: Any, referral: Referral) -> None:
    _enforced(world, referral)
    suspect = referral.suspects.get()
    supervisor = world.users["ocsea_supervisor"]
    services.arrest_decision_record(
        actor=supervisor,
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Hospitalised",
    )
    with pytest.raises(ValidationError):
        services.arrest_ratify(actor=supervisor, suspect=suspect, note="Agreed")


def test_a_ratification_is_dated_when_it_was_made(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    """Ratified on the 2nd day, recorded on the 10th: met in time, on the day it was made."""
    _enforced(world, referral)
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Voluntary interview arranged",
    )
    freeze(monkeypatch, TODAY + timedelta(days=10), NOW + timedelta(days=10))
    supervisor = world.users["ocsea_supervisor"]
    for ratified_on, field, message in (
        (TODAY + timedelta(days=11), "ratified_on", "must be today or in the past"),
        (TODAY - timedelta(days=1), "ratified_on", "on or after 28 Nov 2026, the day of"),
    ):
        with pytest.raises(ValidationError) as raised:
            services.arrest_ratify(
                actor=supervisor, suspect=suspect, note="Agreed", ratified_on=ratified_on
            )
        assert list(raised.value.message_dict) == [field]
        assert message in raised.value.message_dict[field][0]
    services.arrest_ratify(
        actor=supervisor, suspect=suspect, note="Agreed", ratified_on=TODAY + timedelta(days=2)
    )
    suspect.refresh_from_db()
    assert suspect.ratified_on == TODAY + timedelta(days=2)
    (ratify,) = work(referral, "ocsea.arrest.ratify")
    assert ratify.met_date == TODAY + timedelta(days=2)
    assert ratify.met_date <= ratify.due_date  # in time, though recorded after it was due
    event = AuditEvent.objects.get(event="ocsea.non_arrest_ratified")
    assert event.changes["ratified_on"]["after"] == "2026-11-30"


def test_a_ratification_without_a_date_is_dated_today(world: Any, referral: Referral) -> None:
    _enforced(world, referral)
    suspect = referral.suspects.get()
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Hospitalised",
    )
    services.arrest_ratify(actor=world.users["ocsea_supervisor"], suspect=suspect, note="Agreed")
    suspect.refresh_from_db()
    assert suspect.ratified_on == TODAY


# --- Family support (R7) ---------------------------------------------------------------------


def test_family_support_after_enforcement(world: Any, referral: Referral) -> None:
    from vigil.ocsea.models import Leaflet, SupportOrganisation

    enforcement = _enforced(world, referral, family=True)
    due = {o.rule_id: o for o in open_work(referral) if o.kind == "ocsea.family"}
    assert set(due) == {"ocsea.family.signpost", "ocsea.family.leaflet", "ocsea.family.welfare"}
    assert due["ocsea.family.signpost"].due_date == TODAY + timedelta(days=1)
    member = services.family_member_add(
        actor=world.users["investigator"],
        enforcement=enforcement,
        relationship="child",
        age_band="5_11",
        vulnerability="Disclosed contact by the suspect",
        vulnerability_identified_on=TODAY,
    )
    (marf,) = open_work(referral, "ocsea.family.marf")
    assert marf.due_date == TODAY + timedelta(days=PACK["ocsea.marf_days"])
    organisation = SupportOrganisation.objects.create(force=referral.force, name="Synthetic Aid")
    leaflet = Leaflet.objects.create(force=referral.force, title="Support for families")
    services.family_support_record(
        actor=world.users["investigator"],
        enforcement=enforcement,
        support_signposted_on=TODAY,
        support_organisation=organisation,
        leaflet_given_on=TODAY,
        leaflet=leaflet,
        welfare_pack_on=TODAY,
    )
    services.marf_record(
        actor=world.users["investigator"], member=member, submitted_on=TODAY, reference="MARF/1"
    )
    assert not [o for o in open_work(referral) if o.kind == "ocsea.family"]


def test_a_vulnerability_found_later_raises_a_marf(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    """A family member recorded at enforcement with no vulnerability; one found on the 5th
    day: the MARF is due within the policy's days of that day (`ocsea.marf_days`)."""
    enforcement = _enforced(world, referral, family=True)
    member = services.family_member_add(
        actor=world.users["investigator"],
        enforcement=enforcement,
        relationship="stepchild",
        age_band="12_17",
    )
    assert not work(referral, "ocsea.family.marf")
    freeze(monkeypatch, TODAY + timedelta(days=6), NOW + timedelta(days=6))
    found = TODAY + timedelta(days=5)
    member = services.family_vulnerability_record(
        actor=world.users["investigator"],
        member=member,
        vulnerability="Disclosed online contact by the suspect",
        vulnerability_identified_on=found,
    )
    (marf,) = open_work(referral, "ocsea.family.marf")
    assert marf.due_date == found + timedelta(days=PACK["ocsea.marf_days"])
    assert marf.policy_keys == ["ocsea.marf_days"]
    event = AuditEvent.objects.get(event="ocsea.family_vulnerability_recorded")
    assert event.action == "alteration"
    assert event.person_id == referral.suspects.get().nominal_id
    assert event.changes["vulnerability_identified_on"] == {
        "before": None,
        "after": found.isoformat(),
    }
    services.marf_record(
        actor=world.users["investigator"], member=member, submitted_on=found, reference="MARF/9"
    )
    assert not open_work(referral, "ocsea.family.marf")


def test_a_vulnerability_found_later_is_checked(world: Any, referral: Referral) -> None:
    enforcement = _enforced(world, referral, family=True)
    investigator = world.users["investigator"]
    member = services.family_member_add(
        actor=investigator, enforcement=enforcement, relationship="child", age_band="under_5"
    )
    with pytest.raises(ValidationError) as raised:
        services.family_vulnerability_record(
            actor=investigator,
            member=member,
            vulnerability=" ",
            vulnerability_identified_on=TODAY - timedelta(days=1),
        )
    assert raised.value.message_dict == {
        "vulnerability": ["Describe the vulnerability"],
        "vulnerability_identified_on": [
            "The date must be on or after 28 Nov 2026, the day of the enforcement"
        ],
    }
    with pytest.raises(ValidationError) as raised:
        services.family_vulnerability_record(
            actor=investigator,
            member=member,
            vulnerability="Synthetic",
            vulnerability_identified_on=TODAY + timedelta(days=1),
        )
    assert list(raised.value.message_dict) == ["vulnerability_identified_on"]
    member.refresh_from_db()
    assert member.vulnerability_identified_on is None
    assert not AuditEvent.objects.filter(event="ocsea.family_vulnerability_recorded").exists()
    services.family_vulnerability_record(
        actor=investigator,
        member=member,
        vulnerability="Synthetic",
        vulnerability_identified_on=TODAY,
    )
    with pytest.raises(ValidationError) as raised:
        services.family_vulnerability_record(
            actor=investigator,
            member=member,
            vulnerability="Another",
            vulnerability_identified_on=TODAY,
        )
    assert "is already recorded" in raised.value.message_dict["vulnerability"][0]
    with pytest.raises(PermissionDenied):
        services.family_vulnerability_record(
            actor=world.users["ocsea_triage"],
            member=member,
            vulnerability="Synthetic",
            vulnerability_identified_on=TODAY,
        )


def test_signposting_needs_the_organisation(world: Any, referral: Referral) -> None:
    enforcement = _enforced(world, referral, family=True)
    with pytest.raises(ValidationError) as raised:
        services.family_support_record(
            actor=world.users["investigator"],
            enforcement=enforcement,
            support_signposted_on=TODAY,
            leaflet_given_on=TODAY + timedelta(days=1),
        )
    assert set(raised.value.message_dict) == {"support_organisation", "leaflet_given_on", "leaflet"}


# --- Outcome and closure -------------------------------------------------------------------


def test_closing_needs_every_outcome_and_ends_the_clocks(world: Any, referral: Referral) -> None:
    _enforced(world, referral)
    suspect = referral.suspects.get()
    with pytest.raises(ValidationError) as raised:
        services.referral_close(
            actor=world.users["investigator"], referral=referral, closed_on=TODAY, note="Done"
        )
    assert "closed_on" in raised.value.message_dict
    services.arrest_decision_record(
        actor=world.users["investigator"],
        suspect=suspect,
        decision="arrested",
        decided_on=TODAY,
    )
    services.outcome_record(
        actor=world.users["investigator"], suspect=suspect, outcome="charged", outcome_on=TODAY
    )
    services.referral_close(
        actor=world.users["investigator"], referral=referral, closed_on=TODAY, note="Charged"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert not open_work(referral)
    with pytest.raises(ValidationError):
        services.intelligence_record(
            actor=world.users["investigator"], referral=referral, received_on=TODAY, summary="x"
        )


# --- Edge cases -------------------------------------------------------------------------------


def test_a_referral_naming_an_adult_and_a_child_can_be_triaged(world: Any) -> None:
    mixed = receive(world, family_name="Adultson")
    services.suspect_add(
        actor=world.users["ocsea_triage"],
        referral=mixed,
        details=services.SuspectDetails(age_group="child", family_name="Childson"),
    )
    from vigil.ocsea.selectors import suitable_packs

    assert [p.code for p in suitable_packs(mixed)] == ["prioritisation-tool", "kirat"]
    assert triage(world, mixed, "medium", pack_code="kirat").band == "medium"


def test_a_suspect_known_only_online_is_received(world: Any) -> None:
    referral = services.referral_receive(
        actor=world.users["ocsea_triage"],
        intake=services.Intake(
            source="ncmec",
            received_at=NOW,
            summary="Synthetic: CyberTipline report naming an account only",
            ocsea_team=ocsea_team(world),
            suspects=[
                services.SuspectDetails(age_group="adult", online_identifiers="syn_user_77\n")
            ],
        ),
    )
    nominal = referral.suspects.get().nominal
    assert nominal.family_name == services.UNIDENTIFIED
    assert "syn_user_77" in nominal.given_names


def test_closing_never_hides_late_work(world: Any, referral: Referral, monkeypatch: Any) -> None:
    triage(world, referral, "very_high")
    suspect = referral.suspects.get()
    services.outcome_record(
        actor=world.users["investigator"], suspect=suspect, outcome="nfa", outcome_on=TODAY
    )
    later = TODAY + timedelta(days=3)
    freeze(monkeypatch, later, NOW + timedelta(days=3))
    with pytest.raises(ValidationError) as raised:
        services.referral_close(
            actor=world.users["investigator"], referral=referral, closed_on=later, note="NFA"
        )
    assert "Police action" in raised.value.message_dict["closed_on"][0]
    (action,) = open_work(referral, "ocsea.action")
    from vigil.obligations.services import obligation_waive

    obligation_waive(
        actor=world.users["ocsea_supervisor"],
        obligation=action,
        rationale="No further action decided at triage: no police action needed",
        expected_version=action.version,
    )
    services.referral_close(
        actor=world.users["investigator"], referral=referral, closed_on=later, note="NFA"
    )
    (waived,) = work(referral, "ocsea.action")
    assert waived.waived_at is not None  # the record of what was late, and why
    assert not open_work(referral)  # the periodic review not yet due closes with it


def test_closing_needs_triage(world: Any, referral: Referral) -> None:
    services.outcome_record(
        actor=world.users["investigator"],
        suspect=referral.suspects.get(),
        outcome="nfa",
        outcome_on=TODAY,
    )
    with pytest.raises(ValidationError) as raised:
        services.referral_close(
            actor=world.users["ocsea_supervisor"], referral=referral, closed_on=TODAY, note="x"
        )
    assert "Triage" in raised.value.message_dict["closed_on"][0]


def test_a_new_decision_not_to_arrest_needs_its_own_ratification(
    world: Any, referral: Referral
) -> None:
    _enforced(world, referral)
    suspect = referral.suspects.get()
    for rationale in ("First rationale", "Second rationale, same day"):
        services.arrest_decision_record(
            actor=world.users["investigator"],
            suspect=suspect,
            decision="not_arrested",
            decided_on=TODAY,
            rationale=rationale,
        )
        assert len(open_work(referral, "ocsea.arrest.ratify")) == 1
        services.arrest_ratify(actor=world.users["ocsea_supervisor"], suspect=suspect, note="OK")
        assert not open_work(referral, "ocsea.arrest.ratify")
    assert len(work(referral, "ocsea.arrest.ratify")) == 2


def test_lowering_the_band_never_moves_an_overdue_clock(
    world: Any, referral: Referral, monkeypatch: Any
) -> None:
    triage(world, referral, "very_high")  # action due tomorrow
    later = TODAY + timedelta(days=5)
    freeze(monkeypatch, later, NOW + timedelta(days=5))
    services.risk_review_record(
        actor=world.users["investigator"],
        referral=referral,
        kind="periodic",
        reviewed_on=later,
        notes="Lower on review",
        band="low",
    )
    (action,) = open_work(referral, "ocsea.action")
    assert action.due_date == TODAY + timedelta(days=1)  # still overdue, not 30 days on
    from vigil.ocsea.selectors import referral_clock

    referral.refresh_from_db()
    assert "keeps its earlier date" in referral_clock(referral, PACK).explanation


def test_lowering_the_band_in_time_moves_the_clock(world: Any, referral: Referral) -> None:
    triage(world, referral, "high")
    services.risk_review_record(
        actor=world.users["investigator"],
        referral=referral,
        kind="periodic",
        reviewed_on=TODAY,
        notes="Lower on review",
        band="medium",
    )
    (action,) = open_work(referral, "ocsea.action")
    assert action.due_date == TODAY + timedelta(days=14)


def test_enforcement_on_another_day_settles_the_plan(world: Any, referral: Referral) -> None:
    triage(world, referral, "high")
    services.enforcement_plan(
        actor=world.users["investigator"], referral=referral, planned_on=TODAY + timedelta(days=3)
    )
    services.enforcement_record(
        actor=world.users["investigator"],
        referral=referral,
        enforced_on=TODAY,
        outcome="completed",
        warrant=False,
    )
    # The plan for another day asks for nothing more; the triage today met today's review.
    assert not open_work(referral, "ocsea.review.pre_enforcement")
    referral.refresh_from_db()
    assert referral.planned_enforcement_on is None


def test_an_allocation_cannot_be_dated_before_the_last(
    world: Any, referral: Referral, cait: Any
) -> None:
    team, officer = cait
    supervisor = world.users["ocsea_supervisor"]
    services.referral_allocate(actor=supervisor, referral=referral, team=team, officer=officer)
    with pytest.raises(ValidationError) as raised:
        services.referral_allocate(
            actor=supervisor,
            referral=referral,
            team=ocsea_team(world),
            officer=None,
            allocated_on=TODAY - timedelta(days=1),
        )
    assert "allocated_on" in raised.value.message_dict


def test_a_link_to_a_referral_the_user_cannot_open_is_not_named(world: Any) -> None:
    from vigil.accounts.models import User
    from vigil.ocsea.views import _links
    from vigil.people import services as people

    person = people.nominal_create(
        actor=world.users["ocsea_triage"], family_name="Secretta", given_names="Jo"
    )
    first = receive(world, nominal=person, identifiers="shared@example.test")
    people.nominal_set_limited_access(
        actor=world.users["ocsea_supervisor"],
        nominal=person,
        limited=True,
        reason="Synthetic",
        excluded_from=[world.users["ocsea_triage"]],
        expected_version=person.version,
    )
    second = receive(world, family_name="Other", identifiers="shared@example.test")
    assert second.linked_to == first

    class Request:
        user: User = world.users["ocsea_triage"]

    shown = _links(Request(), second)  # type: ignore[arg-type]
    assert shown == {"linked_to": None, "linked": [], "linked_hidden": 1}
