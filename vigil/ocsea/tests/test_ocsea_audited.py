"""Every write of OCSEA work writes its audit events (DPA 2018 s.62), each naming the person,
and only those; a new service function fails here until it is listed."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from vigil.accounts.models import Role
from vigil.accounts.services import membership_add, team_create, user_create
from vigil.audit.chain import verify_chain
from vigil.audit.models import AuditEvent
from vigil.core.models import Area, TeamKind
from vigil.instruments.packs import get_pack
from vigil.obligations.testing import assert_nothing_stale
from vigil.ocsea import services
from vigil.ocsea.models import Bail, Leaflet, Referral, SupportOrganisation
from vigil.ocsea.services import ConditionDetails, ExtensionDetails
from vigil.ocsea.tests.helpers import TODAY, answers_for, freeze, receive, triage

Case = tuple[Callable[[Any], dict[str, Any]], Callable[[Any, dict[str, Any]], Any], list[str]]


@pytest.fixture(autouse=True)
def _frozen(monkeypatch: Any) -> None:
    freeze(monkeypatch)


def inv(w: Any) -> Any:
    return w.users["investigator"]


def sup(w: Any) -> Any:
    return w.users["ocsea_supervisor"]


def received(w: Any) -> dict[str, Any]:
    return {"referral": receive(w, family_name="Audit")}


def triaged(w: Any) -> dict[str, Any]:
    referral = receive(w, family_name="Audit")
    triage(w, referral, "medium")
    return {"referral": referral, "suspect": referral.suspects.get()}


def enforced(w: Any, *, family: bool = True) -> dict[str, Any]:
    context = triaged(w)
    context["enforcement"] = services.enforcement_record(
        actor=inv(w),
        referral=context["referral"],
        enforced_on=TODAY,
        outcome="completed",
        warrant_reference="W/1",
        family_present=family,
    )
    return context


def with_member(w: Any) -> dict[str, Any]:
    context = enforced(w)
    context["member"] = services.family_member_add(
        actor=inv(w),
        enforcement=context["enforcement"],
        relationship="child",
        age_band="under_5",
        vulnerability="Synthetic",
        vulnerability_identified_on=TODAY,
    )
    return context


def with_plain_member(w: Any) -> dict[str, Any]:
    """A family member recorded without a vulnerability (one is found later)."""
    context = enforced(w)
    context["member"] = services.family_member_add(
        actor=inv(w), enforcement=context["enforcement"], relationship="child", age_band="5_11"
    )
    return context


def not_arrested(w: Any) -> dict[str, Any]:
    context = enforced(w)
    services.arrest_decision_record(
        actor=inv(w),
        suspect=context["suspect"],
        decision="not_arrested",
        decided_on=TODAY,
        rationale="Voluntary attendance",
    )
    return context


def arrested(w: Any) -> dict[str, Any]:
    context = triaged(w)
    services.arrest_decision_record(
        actor=inv(w), suspect=context["suspect"], decision="arrested", decided_on=TODAY
    )
    context["area"] = Area.objects.get(force=context["referral"].force)
    return context


def bailed(w: Any) -> dict[str, Any]:
    context = arrested(w)
    context["bail"] = services.bail_begin(
        actor=inv(w),
        suspect=context["suspect"],
        kind="bail",
        area=context["area"],
        conditions=[ConditionDetails(kind="curfew", text="20:00-07:00", victims_views="sought")],
    )
    return context


def checked(w: Any) -> dict[str, Any]:
    context = bailed(w)
    bail = context["bail"]
    context["check"] = services.condition_check_record(
        actor=inv(w),
        bail=bail,
        checked_on=bail.start_date,
        method="home_visit",
        result="breach",
        notes="Out after curfew",
    )
    return context


def applied_to_court(w: Any) -> dict[str, Any]:
    context = bailed(w)
    bail = context["bail"]
    for stage, rank in (("inspector", "inspector"), ("superintendent", "superintendent")):
        services.bail_extend(actor=inv(w), bail=bail, details=_extension(stage, rank, bail))
    context["extension"] = services.bail_extend(
        actor=inv(w),
        bail=bail,
        details=ExtensionDetails(
            stage="court", authorised_on=bail.start_date, court_order_reference="MC/1"
        ),
    )
    return context


def _extension(stage: str, rank: str, bail: Bail) -> ExtensionDetails:
    return ExtensionDetails(
        stage=stage,
        authorised_on=bail.start_date,
        authoriser_name="Synthetic",
        authoriser_rank=rank,
        grounds_to_suspect=True,
        further_time_needed=True,
        diligent_and_expeditious=True,
        bail_necessary_and_proportionate=True,
    )


def under_investigation(w: Any) -> dict[str, Any]:
    context = arrested(w)
    context["bail"] = services.bail_begin(
        actor=inv(w),
        suspect=context["suspect"],
        kind="rui",
        area=context["area"],
        released_on=TODAY,
    )
    return context


def cait(w: Any) -> dict[str, Any]:
    context = triaged(w)
    area = Area.objects.get(force=context["referral"].force)
    team = team_create(actor=None, area=area, name="Audit CAIT", kind=TeamKind.CHILD_ABUSE)
    officer = user_create(actor=None, username="audit.cait", password="x" * 16, force=area.force)
    membership_add(actor=None, user=officer, team=team, role=Role.objects.get(pk="investigator"))
    context.update(team=team, officer=officer)
    return context


def elsewhere(w: Any) -> dict[str, Any]:
    context = cait(w)
    services.referral_allocate(
        actor=sup(w), referral=context["referral"], team=context["team"], officer=None
    )
    return context


def _cases() -> dict[str, Case]:
    return {
        "referral_receive": (
            lambda w: {},
            lambda w, c: receive(w, family_name="Newperson"),
            ["nominal.created", "ocsea.suspect_added", "ocsea.referral_received"],
        ),
        "suspect_add": (
            received,
            lambda w, c: services.suspect_add(
                actor=w.users["ocsea_triage"],
                referral=c["referral"],
                details=services.SuspectDetails(age_group="adult", nominal=w.nominal),
            ),
            ["ocsea.suspect_added"],
        ),
        "referral_triage": (
            received,
            lambda w, c: triage(w, c["referral"], "low"),
            ["instrument.assessment_recorded", "ocsea.referral_triaged"],
        ),
        "risk_review_record": (
            triaged,
            lambda w, c: services.risk_review_record(
                actor=inv(w),
                referral=c["referral"],
                kind="periodic",
                reviewed_on=TODAY,
                notes="Re-scored",
                pack_code="kirat",
                answers=answers_for(get_pack("kirat"), "high"),
            ),
            ["instrument.assessment_recorded", "ocsea.risk_reviewed"],
        ),
        "intelligence_record": (
            triaged,
            lambda w, c: services.intelligence_record(
                actor=inv(w), referral=c["referral"], received_on=TODAY, summary="New"
            ),
            ["ocsea.intelligence_recorded"],
        ),
        "referral_allocate": (
            cait,
            lambda w, c: services.referral_allocate(
                actor=sup(w), referral=c["referral"], team=c["team"], officer=c["officer"]
            ),
            ["ocsea.investigation_allocated"],
        ),
        "action_record": (
            triaged,
            lambda w, c: services.action_record(
                actor=inv(w), referral=c["referral"], actioned_on=TODAY, action_taken="Checks"
            ),
            ["ocsea.action_recorded"],
        ),
        "enforcement_plan": (
            triaged,
            lambda w, c: services.enforcement_plan(
                actor=inv(w), referral=c["referral"], planned_on=TODAY + timedelta(days=5)
            ),
            ["ocsea.enforcement_planned"],
        ),
        "oversight_review_record": (
            elsewhere,
            lambda w, c: services.oversight_review_record(
                actor=sup(w), referral=c["referral"], reviewed_on=TODAY, notes="On track"
            ),
            ["ocsea.oversight_reviewed"],
        ),
        "enforcement_record": (
            triaged,
            lambda w, c: services.enforcement_record(
                actor=inv(w),
                referral=c["referral"],
                enforced_on=TODAY,
                outcome="completed",
                warrant=False,
            ),
            ["ocsea.enforcement_recorded"],
        ),
        "arrest_decision_record": (
            enforced,
            lambda w, c: services.arrest_decision_record(
                actor=inv(w), suspect=c["suspect"], decision="arrested", decided_on=TODAY
            ),
            ["ocsea.arrest_decided"],
        ),
        "arrest_ratify": (
            not_arrested,
            lambda w, c: services.arrest_ratify(actor=sup(w), suspect=c["suspect"], note="Agreed"),
            ["ocsea.non_arrest_ratified"],
        ),
        "outcome_record": (
            triaged,
            lambda w, c: services.outcome_record(
                actor=inv(w), suspect=c["suspect"], outcome="nfa", outcome_on=TODAY
            ),
            ["ocsea.outcome_recorded"],
        ),
        "referral_close": (
            lambda w: _with_outcome(triaged(w), w),
            lambda w, c: services.referral_close(
                actor=inv(w), referral=c["referral"], closed_on=TODAY, note="NFA"
            ),
            ["ocsea.referral_closed"],
        ),
        "child_safeguarded": (
            received,
            lambda w, c: services.child_safeguarded(
                actor=inv(w), child=c["referral"].children.get(), safeguarded_on=TODAY
            ),
            ["ocsea.child_safeguarded"],
        ),
        "family_member_add": (
            enforced,
            lambda w, c: services.family_member_add(
                actor=inv(w), enforcement=c["enforcement"], relationship="partner", age_band="adult"
            ),
            ["ocsea.family_member_recorded"],
        ),
        "family_vulnerability_record": (
            with_plain_member,
            lambda w, c: services.family_vulnerability_record(
                actor=inv(w),
                member=c["member"],
                vulnerability="Synthetic: disclosed contact",
                vulnerability_identified_on=TODAY,
            ),
            ["ocsea.family_vulnerability_recorded"],
        ),
        "family_support_record": (
            enforced,
            lambda w, c: services.family_support_record(
                actor=inv(w),
                enforcement=c["enforcement"],
                support_signposted_on=TODAY,
                support_organisation=SupportOrganisation.objects.create(
                    force=c["referral"].force, name="Synthetic Aid"
                ),
                leaflet_given_on=TODAY,
                leaflet=Leaflet.objects.create(force=c["referral"].force, title="Synthetic"),
                welfare_pack_on=TODAY,
            ),
            ["ocsea.family_support_recorded"],
        ),
        "marf_record": (
            with_member,
            lambda w, c: services.marf_record(
                actor=inv(w), member=c["member"], submitted_on=TODAY, reference="MARF/1"
            ),
            ["ocsea.marf_submitted"],
        ),
        "bail_begin": (
            arrested,
            lambda w, c: services.bail_begin(
                actor=inv(w),
                suspect=c["suspect"],
                kind="bail",
                area=c["area"],
                conditions=[
                    ConditionDetails(kind="curfew", text="20:00-07:00", victims_views="sought")
                ],
            ),
            ["ocsea.bail_started", "ocsea.bail_condition_imposed"],
        ),
        "bail_condition_add": (
            bailed,
            lambda w, c: services.bail_condition_add(
                actor=inv(w),
                bail=c["bail"],
                details=ConditionDetails(
                    kind="exclusion", text="Not to enter X", victims_views="sought"
                ),
                imposed_on=TODAY,
            ),
            ["ocsea.bail_condition_imposed"],
        ),
        "bail_condition_remove": (
            bailed,
            lambda w, c: services.bail_condition_remove(
                actor=inv(w),
                condition=c["bail"].conditions.get(),
                removed_on=c["bail"].start_date,
            ),
            ["ocsea.bail_condition_removed"],
        ),
        "condition_check_record": (
            bailed,
            lambda w, c: services.condition_check_record(
                actor=inv(w),
                bail=c["bail"],
                checked_on=c["bail"].start_date,
                method="phone",
                result="complied",
            ),
            ["ocsea.bail_conditions_checked"],
        ),
        "breach_action_record": (
            checked,
            lambda w, c: services.breach_action_record(
                actor=inv(w), check=c["check"], actioned_on=c["check"].checked_on, action="Arrested"
            ),
            ["ocsea.bail_breach_actioned"],
        ),
        "bail_extend": (
            bailed,
            lambda w, c: services.bail_extend(
                actor=inv(w),
                bail=c["bail"],
                details=_extension("inspector", "inspector", c["bail"]),
            ),
            ["ocsea.bail_extended"],
        ),
        "court_decision_record": (
            applied_to_court,
            lambda w, c: services.court_decision_record(
                actor=inv(w),
                extension=c["extension"],
                decided_on=c["bail"].start_date,
                end_date=c["bail"].start_date + timedelta(days=365),
            ),
            ["ocsea.bail_court_decided"],
        ),
        "bail_end": (
            bailed,
            lambda w, c: services.bail_end(
                actor=inv(w), bail=c["bail"], ended_on=c["bail"].start_date, reason="rui"
            ),
            ["ocsea.bail_ended", "ocsea.bail_started"],
        ),
        "bail_from_rui": (
            under_investigation,
            lambda w, c: services.bail_from_rui(
                actor=inv(w),
                rui=c["bail"],
                bailed_on=TODAY,
                conditions=[
                    ConditionDetails(kind="curfew", text="20:00-07:00", victims_views="sought")
                ],
            ),
            ["ocsea.bail_ended", "ocsea.bail_started", "ocsea.bail_condition_imposed"],
        ),
        "rui_review_record": (
            under_investigation,
            lambda w, c: services.rui_review_record(
                actor=inv(w), bail=c["bail"], reviewed_on=TODAY, notes="Awaiting forensics"
            ),
            ["ocsea.rui_reviewed"],
        ),
    }


def _with_outcome(context: dict[str, Any], w: Any) -> dict[str, Any]:
    services.outcome_record(
        actor=inv(w), suspect=context["suspect"], outcome="nfa", outcome_on=TODAY
    )
    return context


@pytest.mark.parametrize("name", sorted(_cases()))
def test_ocsea_write_is_audited(name: str, world: Any, monkeypatch: Any) -> None:
    setup, write, events = _cases()[name]
    if name in (
        "condition_check_record",
        "breach_action_record",
        "bail_condition_remove",
        "bail_extend",
        "court_decision_record",
        "bail_end",
    ):
        # bail starts the day after arrest: do the bail's work on its first day
        freeze(monkeypatch, TODAY + timedelta(days=1))
    context = setup(world)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    write(world, context)
    new = AuditEvent.objects.filter(seq__gt=before).order_by("seq")
    assert [e.event for e in new] == events
    assert all(e.person_id for e in new)
    assert verify_chain().ok
    assert_nothing_stale()


def test_every_ocsea_service_write_is_listed() -> None:
    found = {
        name
        for name, fn in inspect.getmembers(services, inspect.isfunction)
        if fn.__module__.startswith(f"{services.__name__}.") and not name.startswith("_")
    }
    assert found == set(_cases())


def test_ending_a_bail_as_charged_records_the_outcome_in_the_same_audited_write(
    world: Any, monkeypatch: Any
) -> None:
    freeze(monkeypatch, TODAY + timedelta(days=1))
    context = bailed(world)
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    services.bail_end(
        actor=inv(world), bail=context["bail"], ended_on=TODAY + timedelta(days=1), reason="charged"
    )
    new = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.event for e in new] == ["ocsea.bail_ended", "ocsea.outcome_recorded"]
    assert new[1].changes["outcome"] == {"before": "", "after": "charged"}
    assert {e.person_id for e in new} == {context["suspect"].nominal_id}
    assert verify_chain().ok


def test_a_refused_write_leaves_nothing(world: Any) -> None:
    referral = receive(world, family_name="Refused")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.referral_triage(
            actor=world.users["ocsea_triage"], referral=referral, pack_code="kirat", answers={}
        )
    assert AuditEvent.objects.count() == before
    assert not Referral.objects.get(pk=referral.pk).reviews.exists()
