"""The obligation rules of OCSEA referrals, investigations and bail (DOMAIN.md section 2),
each date from the policy.

A referral: the instrument completed after receipt; police action within the band's time
(from receipt or assessment, as the policy says); intelligence and risk reviews every period
while open, within days of new intelligence and before each enforcement; OCSEA oversight
reviews while another team owns it (R3); an arrest decision for every suspect at enforcement
and a supervisor's ratification of each decision not to arrest (R5); support for the
suspect's family after enforcement and a MARF for each vulnerability found (R7).

A bail: a decision before each applicable bail period ends; its conditions checked in every
period (R6); action on a breach a check finds; reviews of a release under investigation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from vigil.core import clock
from vigil.obligations.registry import (
    Action,
    Decisions,
    Due,
    decides,
    done_on,
    kinds,
    names_rules,
    rule,
    subject,
)
from vigil.ocsea import bail as bail_clock
from vigil.ocsea.models import (
    ArrestDecision,
    Bail,
    BailKind,
    Referral,
    ReferralStatus,
    ReviewKind,
)
from vigil.policy.pack import PolicyPack

kinds(
    {
        "ocsea.assessment": "Referral assessments (KIRAT)",
        "ocsea.action": "Police action after referral",
        "ocsea.review": "Intelligence and risk reviews",
        "ocsea.oversight": "OCSEA oversight reviews",
        "ocsea.arrest": "Arrest decisions and ratification",
        "ocsea.family": "Support for suspects' families",
        "bail.expiry": "Bail expiry decisions",
        "bail.check": "Bail condition checks",
        "bail.breach": "Action on bail breaches",
        "bail.rui": "Reviews of release under investigation",
    }
)

done_on(
    {
        "ocsea.assessment": Action(
            "ocsea:referral-triage", "Triage the referral", ("triage_referral",)
        ),
        "ocsea.arrest.ratify": Action(
            "ocsea:arrest-ratify", "Ratify or not", ("oversee_investigations",), by="key"
        ),
        "ocsea.oversight": Action(
            "ocsea:oversight-create", "Record the review", ("oversee_investigations",)
        ),
    }
)

# The decisions on OCSEA work that fall to a supervisor (the OCSEA decision queue).
decides(
    "ocsea",
    [
        Decisions(
            "ratify",
            "Decisions not to arrest, to ratify",
            ("ocsea.arrest.ratify",),
            "oversee_investigations",
        ),
        Decisions(
            "oversight",
            "Oversight of investigations held by other teams",
            ("ocsea.oversight",),
            "oversee_investigations",
        ),
        Decisions(
            "triage", "Referrals waiting for triage", ("ocsea.assessment",), "triage_referral"
        ),
    ],
)

names_rules(
    {
        "ocsea.assessment": "KIRAT after receipt",
        "ocsea.action": "Police action by KIRAT band",
        "ocsea.review.periodic": "Intelligence and risk reviews",
        "ocsea.review.intelligence": "Risk review after new intelligence",
        "ocsea.review.pre_enforcement": "Risk review before enforcement",
        "ocsea.oversight": "Oversight of investigations held by other teams",
        "ocsea.arrest.decision": "An arrest decision for each suspect",
        "ocsea.arrest.ratify": "Ratifying a decision not to arrest",
        "ocsea.family.signpost": "Support for the suspect's family",
        "ocsea.family.leaflet": "Support for the suspect's family",
        "ocsea.family.welfare": "A welfare pack for the suspect's family",
        "ocsea.family.marf": "A MARF for a child at risk",
        "bail.expiry": "A decision before bail ends (PACE s.47ZB)",
        "bail.expiry.refused": "A decision after the court refused an extension",
        "bail.check": "Bail conditions checked in every period",
        "bail.breach": "Action on a bail breach",
        "bail.rui.review": "Reviews of release under investigation",
    }
)

subject(
    Referral,
    label=lambda r: f"{r.reference} (referral)",
    person_id=lambda r: _primary_person(r),
    related=(
        "team",
        "suspects",
        "reviews",
        "intelligence",
        "allocations",
        "allocations__team",
        "oversight",
        "enforcements",
        "enforcements__family",
    ),
    url_name="ocsea:referral-detail",
    person_path="suspects__nominal",
)

subject(
    Bail,
    label=lambda b: f"{b.suspect.nominal} ({b.get_kind_display().lower()})",
    person_id=lambda b: b.suspect.nominal_id,
    related=(
        "suspect",
        "suspect__nominal",
        "suspect__referral",
        "extensions",
        "conditions",
        "checks",
        "rui_reviews",
    ),
    url_name="ocsea:bail-detail",
    person_path="suspect__referral__suspects__nominal",  # visible with its referral
)


def _primary_person(r: Referral) -> Any:
    suspects = sorted(r.suspects.all(), key=lambda s: s.created_at)
    return suspects[0].nominal_id if suspects else None


def _overseer(r: Referral) -> Any:
    """The OCSEA team overseeing work another team owns (R3): its supervisors see the work
    and its escalations."""
    return r.ocsea_team_id if r.team_id != r.ocsea_team_id else None


def _owner(r: Referral) -> dict[str, Any]:
    return {
        "owner_team_id": r.team_id,
        "owner_user_id": r.officer_id,
        "oversight_team_id": _overseer(r),
        "risk_level": r.band,
    }


def _triage(r: Referral) -> dict[str, Any]:
    """Triage work: the OCSEA team's, for whoever on it picks it up."""
    return {"owner_team_id": r.ocsea_team_id, "owner_user_id": None, "risk_level": r.band}


def _oversight(r: Referral) -> dict[str, Any]:
    """Oversight and ratification: the OCSEA team's supervisors."""
    return {"owner_team_id": r.ocsea_team_id, "owner_user_id": None, "risk_level": r.band}


def received_on(r: Referral) -> date:
    return clock.localdate(r.received_at)


def _reviews(r: Referral) -> list[Any]:
    return sorted(r.reviews.all(), key=lambda v: (v.reviewed_on, v.created_at))


def _closed(r: Referral) -> bool:
    return r.status == ReferralStatus.CLOSED


def _first_enforcement(r: Referral) -> date | None:
    dates = [e.enforced_on for e in r.enforcements.all()]
    return min(dates) if dates else None


@rule(Referral)
def assessment(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """The instrument (KIRAT or the prioritisation tool) completed within the policy's days of
    receipt (R1): met by the triage review."""
    triage = [v for v in _reviews(r) if v.kind == ReviewKind.TRIAGE]
    if _closed(r) and not triage:
        return
    yield Due(
        kind="ocsea.assessment",
        label="Complete the referral's assessment (KIRAT or the prioritisation tool)",
        rule_id="ocsea.assessment",
        key="triage",
        due_date=received_on(r) + timedelta(days=pack["ocsea.assessment_days"]),
        met_date=triage[0].reviewed_on if triage else None,
        policy_keys=("ocsea.assessment_days",),
        **_triage(r),
    )


def action_clock(r: Referral, pack: PolicyPack) -> tuple[date, date, str] | None:
    """When police action is due: (start, due date, what started it), or None before the
    first assessment. The policy says whether the clock runs from receipt or from the
    assessment; each band sets its days from that start. A review that changes the band
    moves the date, except that a clock already overdue when the band is lowered stays as it
    was: lowering the band never hides late action."""
    reviews = _reviews(r)
    triage = [v for v in reviews if v.kind == ReviewKind.TRIAGE]
    if not triage or not r.band:
        return None
    if pack["ocsea.action_clock_starts"] == "assessment":
        start, started_by = triage[0].reviewed_on, "assessment"
    else:
        start, started_by = received_on(r), "receipt"
    days = pack["ocsea.action_days_by_band"]
    due = None
    for review in reviews[reviews.index(triage[0]) :]:
        moved = start + timedelta(days=days[review.band])
        if due is None or moved < due or due >= review.reviewed_on:
            due = moved
    assert due is not None
    return start, due, started_by


@rule(Referral)
def action(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """Police action within the band's days (very high 1, high 7, medium 14, low 30 by
    default): met by the first action recorded or the first enforcement."""
    clock_ = action_clock(r, pack)
    if clock_ is None:
        return
    _, due, _ = clock_
    done = [d for d in (r.actioned_on, _first_enforcement(r)) if d is not None]
    if _closed(r) and not done:
        return
    yield Due(
        kind="ocsea.action",
        label=f"Police action ({r.get_band_display().lower()} band)",
        rule_id="ocsea.action",
        key="action",
        due_date=due,
        met_date=min(done) if done else None,
        policy_keys=("ocsea.action_days_by_band", "ocsea.action_clock_starts"),
        **_owner(r),
    )


@rule(Referral)
def risk_reviews(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """An intelligence and risk review every period after triage while the investigation is
    open (R2); each met by the next review of any kind."""
    reviews = _reviews(r)
    if not reviews:
        return
    days = pack["ocsea.risk_review_days"]
    for previous, following in zip(reviews, [*reviews[1:], None], strict=True):
        if following is None and _closed(r):
            return
        yield Due(
            kind="ocsea.review",
            label="Intelligence and risk review",
            rule_id="ocsea.review.periodic",
            key=f"after:{previous.pk}",
            due_date=previous.reviewed_on + timedelta(days=days),
            met_date=following.reviewed_on if following else None,
            policy_keys=("ocsea.risk_review_days",),
            **_owner(r),
        )


@rule(Referral)
def intelligence_reviews(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """New intelligence on an open investigation calls for a review within the policy's days:
    met by the first review recorded after it and dated on or after the day it came in."""
    reviews = _reviews(r)
    for item in r.intelligence.all():
        after = [
            v.reviewed_on
            for v in reviews
            if v.reviewed_on >= item.received_on and v.created_at > item.created_at
        ]
        if _closed(r) and not after:
            continue
        yield Due(
            kind="ocsea.review",
            label=f"Risk review after new intelligence of {item.received_on:%-d %b %Y}",
            rule_id="ocsea.review.intelligence",
            key=str(item.pk),
            due_date=item.received_on + timedelta(days=pack["ocsea.intelligence_review_days"]),
            met_date=after[0] if after else None,
            policy_keys=("ocsea.intelligence_review_days",),
            **_owner(r),
        )


def pre_enforcement_review(r: Referral, on: date, pack: PolicyPack) -> date | None:
    """The latest review within the policy's days before (or on) an enforcement date."""
    window = timedelta(days=pack["ocsea.pre_enforcement_review_days"])
    within = [v.reviewed_on for v in _reviews(r) if on - window <= v.reviewed_on <= on]
    return max(within) if within else None


@rule(Referral)
def pre_enforcement_reviews(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """A review within the policy's days before each enforcement (R2), due on its day: for a
    planned enforcement and for each one carried out."""
    days = [e.enforced_on for e in r.enforcements.all()]
    if r.planned_enforcement_on and r.planned_enforcement_on not in days and not _closed(r):
        days.append(r.planned_enforcement_on)
    for day in sorted(set(days)):
        yield Due(
            kind="ocsea.review",
            label=f"Risk review before enforcement on {day:%-d %b %Y}",
            rule_id="ocsea.review.pre_enforcement",
            key=day.isoformat(),
            due_date=day,
            met_date=pre_enforcement_review(r, day, pack),
            policy_keys=("ocsea.pre_enforcement_review_days",),
            **_owner(r),
        )


def _external_spells(r: Referral) -> list[tuple[date, date | None]]:
    """The spells a team outside OCSEA owned the investigation: (from, to), `to` None for
    the current one."""
    spells: list[tuple[date, date | None]] = []
    since = None
    for allocation in sorted(r.allocations.all(), key=lambda a: (a.allocated_on, a.created_at)):
        if allocation.team.kind == "ocsea":
            if since is not None:
                spells.append((since, allocation.allocated_on))
            since = None
        elif since is None:
            since = allocation.allocated_on
    if since is not None:
        spells.append((since, None))
    return spells


@rule(Referral)
def oversight_reviews(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """While a team outside OCSEA owns the investigation, an OCSEA supervisor reviews it every
    period (R3), from the day it passed out of OCSEA. Each spell outside OCSEA keeps its
    reviews as history; a review missed before the spell ended stays owed (for a supervisor
    to waive, with the reason), and one not yet due when it ended is owed no more."""
    days = pack["ocsea.oversight_review_days"]
    for since, until in _external_spells(r):
        reviews = sorted(
            (
                o
                for o in r.oversight.all()
                if o.reviewed_on >= since and (until is None or o.reviewed_on <= until)
            ),
            key=lambda o: (o.reviewed_on, o.created_at),
        )
        previous, key = since, f"from:{since.isoformat()}"
        for review in reviews:
            yield Due(
                kind="ocsea.oversight",
                label="OCSEA oversight review",
                rule_id="ocsea.oversight",
                key=key,
                due_date=previous + timedelta(days=days),
                met_date=review.reviewed_on,
                policy_keys=("ocsea.oversight_review_days",),
                **_oversight(r),
            )
            previous, key = review.reviewed_on, f"after:{review.pk}"
        due = previous + timedelta(days=days)
        ended = until if until is not None else (r.closed_on if _closed(r) else None)
        if ended is None or due < ended:  # still due, or missed before the spell ended
            yield Due(
                kind="ocsea.oversight",
                label="OCSEA oversight review",
                rule_id="ocsea.oversight",
                key=key,
                due_date=due,
                policy_keys=("ocsea.oversight_review_days",),
                **_oversight(r),
            )


@rule(Referral)
def arrest_decisions(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """An arrest decision for every suspect by the (first, or planned) enforcement (R5); a
    decision not to arrest ratified by a supervisor within the policy's days."""
    by = _first_enforcement(r) or r.planned_enforcement_on
    suspects = sorted(r.suspects.all(), key=lambda s: s.created_at)
    for n, suspect in enumerate(suspects, start=1):
        # Not named: the referral's work carries its first suspect's access, not this one's.
        who = "the suspect" if len(suspects) == 1 else f"suspect {n} of {len(suspects)}"
        decided = suspect.arrest_decided_on
        if by is not None and not (_closed(r) and decided is None):
            yield Due(
                kind="ocsea.arrest",
                label=f"Arrest decision for {who}",
                rule_id="ocsea.arrest.decision",
                key=str(suspect.pk),
                due_date=by,
                met_date=decided,
                policy_keys=(),
                **_owner(r),
            )
        if suspect.arrest_decision == ArrestDecision.NOT_ARRESTED and decided is not None:
            yield Due(
                kind="ocsea.arrest",
                label=f"Ratify the decision not to arrest {who}",
                rule_id="ocsea.arrest.ratify",
                key=f"{suspect.pk}:{suspect.arrest_decisions}",
                due_date=decided + timedelta(days=pack["ocsea.non_arrest_ratify_days"]),
                met_date=suspect.ratified_on,
                policy_keys=("ocsea.non_arrest_ratify_days",),
                **_oversight(r),
            )


@rule(Referral)
def family_support(r: Referral, pack: PolicyPack) -> Iterator[Due]:
    """Where the suspect lives with or has contact with family: support signposted, a leaflet
    given and a welfare pack issued after enforcement; a MARF for each vulnerability (R7)."""
    for enforcement in r.enforcements.all():
        if not enforcement.family_present:
            continue
        day = enforcement.enforced_on
        for what, label, key, met in (
            (
                "signpost",
                "Signpost support to the suspect's family",
                "ocsea.family_signpost_days",
                enforcement.support_signposted_on,
            ),
            (
                "leaflet",
                "Give the family a support leaflet",
                "ocsea.family_signpost_days",
                enforcement.leaflet_given_on,
            ),
            (
                "welfare",
                "Issue the family a welfare pack",
                "ocsea.welfare_pack_days",
                enforcement.welfare_pack_on,
            ),
        ):
            yield Due(
                kind="ocsea.family",
                label=label,
                rule_id=f"ocsea.family.{what}",
                key=str(enforcement.pk),
                due_date=day + timedelta(days=pack[key]),
                met_date=met,
                policy_keys=(key,),
                **_owner(r),
            )
        for member in enforcement.family.all():
            if member.vulnerability_identified_on is None:
                continue
            yield Due(
                kind="ocsea.family",
                label=f"Submit a MARF ({member})",
                rule_id="ocsea.family.marf",
                key=str(member.pk),
                due_date=member.vulnerability_identified_on
                + timedelta(days=pack["ocsea.marf_days"]),
                met_date=member.marf_submitted_on,
                policy_keys=("ocsea.marf_days",),
                **_owner(r),
            )


# --- Bail -------------------------------------------------------------------------------------


def _bail_owner(b: Bail) -> dict[str, Any]:
    referral = b.suspect.referral
    return {
        "owner_team_id": referral.team_id,
        "owner_user_id": referral.officer_id,
        "oversight_team_id": _overseer(referral),
        "risk_level": referral.band,
    }


def bail_periods(b: Bail, pack: PolicyPack) -> list[bail_clock.Period]:
    """The bail's applicable bail periods: for a bail from release under investigation, the
    clock of the arrest it continues (ADR 13), earlier periods included."""
    return bail_clock.periods(b.start_date, b.designated, b.clock_extensions(), pack)


@rule(Bail)
def bail_expiry(b: Bail, pack: PolicyPack) -> Iterator[Due]:
    """Before each applicable bail period ends (by the policy's lead time), a decision:
    extend with the right authority, charge, no further action or release under
    investigation. Met by the extension (or court application) that began the next period, or
    by the end. A court's refusal calls for a decision at once (the period has run out). A
    bail from release under investigation owes nothing for periods that ended before it."""
    if b.kind != BailKind.BAIL:
        return
    lead = timedelta(days=pack["bail.expiry_review_lead_days"])
    periods = bail_periods(b, pack)
    for i, period in enumerate(periods):
        if period.end is None or period.end < b.in_force_from:
            continue
        following = periods[i + 1] if i + 1 < len(periods) else None
        if following is not None:
            met = following.began_on
        else:
            met = b.ended_on
            if met is None:
                applied = [e.authorised_on for e in b.extensions.all() if e.court_refused]
                met = min((d for d in applied if d <= period.end), default=None)
        yield Due(
            kind="bail.expiry",
            label=f"Bail decision before the period ends on {period.end:%-d %b %Y}",
            rule_id="bail.expiry",
            key=period.key,
            due_date=period.end - lead,
            met_date=met,
            policy_keys=("bail.expiry_review_lead_days", *period.policy_keys),
            **_bail_owner(b),
        )
    last = periods[-1]
    for refused in b.extensions.all():
        if not refused.court_refused or refused.court_decided_on is None:
            continue
        if last.end is not None and refused.authorised_on > last.end:
            continue  # applied for after the period it would have extended
        yield Due(
            kind="bail.expiry",
            label="Bail decision after the court refused to extend (charge, no further action "
            "or release under investigation)",
            rule_id="bail.expiry.refused",
            key=str(refused.pk),
            due_date=refused.court_decided_on,
            met_date=b.ended_on,
            policy_keys=(),
            **_bail_owner(b),
        )


CHECKED = ("complied", "breach")  # "could not check" is no proactive check (R6)


@rule(Bail)
def condition_checks(b: Bail, pack: PolicyPack) -> Iterator[Due]:
    """Bail conditions checked at least the policy's number of times in every applicable bail
    period in which conditions applied (R6), due by the period's end. A check missed in a
    past period stays owed (a supervisor may waive it, with the reason); a bail that ends
    before a period's end owes that period nothing more."""
    if b.kind != BailKind.BAIL:
        return
    needed = int(pack["bail.condition_checks_per_period"])
    conditions = list(b.conditions.all())
    ended = b.ended_on
    for period in bail_periods(b, pack):
        if period.end is None or (ended is not None and period.start > ended):
            continue
        cut_short = ended is not None and ended < period.end
        upto = ended if cut_short else period.end
        assert upto is not None
        if not any(
            c.imposed_on <= upto and (c.removed_on is None or c.removed_on >= period.start)
            for c in conditions
        ):
            continue
        checks = sorted(
            c.checked_on
            for c in b.checks.all()
            if c.result in CHECKED and period.start <= c.checked_on <= upto
        )
        for n in range(needed):
            met = checks[n] if n < len(checks) else None
            if met is None and cut_short:
                continue
            yield Due(
                kind="bail.check",
                label=f"Check bail conditions ({period.start:%-d %b} to {period.end:%-d %b %Y})",
                rule_id="bail.check",
                key=f"{period.key}:{n + 1}",
                due_date=period.end,
                met_date=met,
                policy_keys=("bail.condition_checks_per_period", *period.policy_keys),
                **_bail_owner(b),
            )


@rule(Bail)
def breach_actions(b: Bail, pack: PolicyPack) -> Iterator[Due]:
    """A breach a check finds calls for action within the policy's days."""
    for check in b.checks.all():
        if check.result != "breach":
            continue
        yield Due(
            kind="bail.breach",
            label=f"Act on the bail breach found on {check.checked_on:%-d %b %Y}",
            rule_id="bail.breach",
            key=str(check.pk),
            due_date=check.checked_on + timedelta(days=pack["bail.breach_action_days"]),
            met_date=check.breach_actioned_on,
            policy_keys=("bail.breach_action_days",),
            **_bail_owner(b),
        )


@rule(Bail)
def rui_reviews(b: Bail, pack: PolicyPack) -> Iterator[Due]:
    """A suspect released under investigation has no statutory clock: Vigil keeps a review
    every policy period from release, each met by the next review, until the RUI ends."""
    if b.kind != BailKind.RUI:
        return
    days = pack["bail.rui_review_days"]
    previous, key = b.start_date, "release"
    for review in sorted(b.rui_reviews.all(), key=lambda v: (v.reviewed_on, v.created_at)):
        yield Due(
            kind="bail.rui",
            label="Review of release under investigation",
            rule_id="bail.rui.review",
            key=key,
            due_date=previous + timedelta(days=days),
            met_date=review.reviewed_on,
            policy_keys=("bail.rui_review_days",),
            **_bail_owner(b),
        )
        previous, key = review.reviewed_on, f"after:{review.pk}"
    if b.ended_on is None:
        yield Due(
            kind="bail.rui",
            label="Review of release under investigation",
            rule_id="bail.rui.review",
            key=key,
            due_date=previous + timedelta(days=days),
            policy_keys=("bail.rui_review_days",),
            **_bail_owner(b),
        )
