"""Reads of obligations and escalations: My work, the team worklist, the risk level x
overdue band table. Each starts from `Obligation.objects.visible_to(user)`; statuses come
from status.py's filters, never from a second definition."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Min, Q, QuerySet, Value, When

from vigil.accounts.access import has_verb, verbs_of
from vigil.accounts.models import Membership, User
from vigil.obligations import status as st
from vigil.obligations.models import Escalation, Obligation, RiskLevel
from vigil.obligations.registry import decision_sections, subjects, waiting_for
from vigil.policy.pack import active as active_policy

RISK_RANK = Case(
    When(risk_level=RiskLevel.VERY_HIGH, then=Value(4)),
    When(risk_level=RiskLevel.HIGH, then=Value(3)),
    When(risk_level=RiskLevel.MEDIUM, then=Value(2)),
    When(risk_level=RiskLevel.LOW, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)
RISKS_HIGH_FIRST = [RiskLevel.VERY_HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW]


def user_team_ids(user: Any) -> list[Any]:
    return list(Membership.objects.filter(user=user).values_list("team_id", flat=True))


def _annotated(queryset: QuerySet[Obligation]) -> QuerySet[Obligation]:
    return queryset.select_related("owner_team", "owner_user").annotate(risk_rank=RISK_RANK)


def my_work(*, user: Any, today: date) -> dict[str, Any]:
    """The user's own open obligations: overdue (by risk, then most overdue), then due soon;
    and the work waiting for their role in their teams (`waiting`, with `waiting_count`):
    work owned by a team rather than a person (the queues of `registry.decides`: a supervisor's
    reviews, the triage queue, ratifications) that the user holds the verb to act on,
    overdue or due soon, most overdue first."""
    visible = _annotated(Obligation.objects.visible_to(user).open())
    mine = visible.filter(owner_user=user)
    overdue = mine.filter(st.overdue_q(today)).order_by("-risk_rank", "due_date", "pk")
    due_soon = mine.filter(st.status_q(st.DUE_SOON, today)).order_by("due_date", "-risk_rank")
    held = verbs_of(user)
    rules = [prefix for prefix, verb in waiting_for().items() if verb in held]
    waiting = visible.none()
    if rules:
        waiting = (
            visible.filter(owner_user__isnull=True)
            .filter(_teams_q(user_team_ids(user)))
            .filter(reduce(or_, (Q(rule_id__startswith=prefix) for prefix in rules)))
            .filter(st.overdue_q(today) | st.status_q(st.DUE_SOON, today))
            .order_by("due_date", "-risk_rank", "pk")
        )
    return {
        "overdue": list(overdue[:200]),
        "due_soon": list(due_soon[:200]),
        "waiting": list(waiting[:200]),
        "waiting_count": waiting.count() if rules else 0,
    }


@dataclass(frozen=True)
class WorklistFilters:
    status: str = ""  # a status code, "open" (default) or "all"
    kind: str = ""  # a kind or a kind prefix ("rso.visit", "rso")
    # rule id prefixes, comma-separated ("rso.arms.,rso.rmp."): the work a figure counts
    rules: str = ""
    risk: str = ""
    team: str = ""  # a team id, "mine" or "all"; none: the user's default (`default_team`)
    area: str = ""
    owner: str = ""
    sort: str = "due"


RULE_PREFIX = re.compile(r"[a-z][a-z_]*(\.[a-z_]+)*\.?")


def rule_prefixes_q(rules: str) -> Q:
    """The work of these rule id prefixes (comma-separated, at most twelve); a malformed
    list matches nothing."""
    prefixes = [p.strip() for p in rules.split(",") if p.strip()][:12]
    if not prefixes or not all(RULE_PREFIX.fullmatch(p) for p in prefixes):
        return Q(pk__in=[])
    found = Q()
    for prefix in prefixes:
        found |= Q(rule_id__startswith=prefix)
    return found


SORTS = {
    "due": ("due_date", "-risk_rank", "pk"),
    "-due": ("-due_date", "-risk_rank", "pk"),
    "risk": ("-risk_rank", "due_date", "pk"),
    "subject": ("subject_label", "due_date", "pk"),
    "owner": ("owner_user__username", "due_date", "pk"),
    "kind": ("kind", "due_date", "pk"),
}


def _ids(value: str, kind: Callable[[str], Any]) -> list[Any]:
    """A filter's id as a one-item list, or an empty list (matching nothing) if malformed."""
    try:
        return [kind(value)]
    except ValueError:
        return []


def _teams_q(teams: list[Any], prefix: str = "") -> Q:
    """Work the teams own, or oversee for another team (OCSEA oversight, R3). The second arm
    is added only for teams that oversee open work: an OR across two columns keeps SQLite
    from the open-work index, and most teams (MOSOVO's) oversee nothing."""
    owned = Q(**{f"{prefix}owner_team_id__in": teams})
    if Obligation.objects.open().filter(oversight_team_id__in=teams).exists():
        return owned | Q(**{f"{prefix}oversight_team_id__in": teams})
    return owned


def default_team(user: Any) -> str:
    """Where a user's team views open: a role that reads the whole force's work (the head of
    public protection: `view_force_work`) on every team, anyone else on their own teams (and
    the work they oversee). Sitting in a headquarters team, the head would otherwise open on
    nothing."""
    return "all" if has_verb(user, "view_force_work") else "mine"


def showing(user: Any, filters: WorklistFilters) -> str:
    """What a team view shows, in words, for its heading: "Northmoor Police, all teams",
    "Your teams: Northmoor North MOSOVO", or the teams and area chosen."""
    from vigil.core.models import Area, Team

    team = filters.team or default_team(user)
    if team == "all":
        shown = f"{user.force.name}, all teams"
    elif team == "mine":
        names = Team.objects.filter(pk__in=user_team_ids(user)).order_by("name")
        shown = "Your teams: " + (", ".join(t.name for t in names) or "none")
    else:
        chosen = Team.objects.visible_to(user).filter(pk__in=_ids(team, uuid.UUID))
        shown = ", ".join(t.name for t in chosen.order_by("name")) or "No team"
    if filters.area:
        areas = Area.objects.visible_to(user).filter(pk__in=_ids(filters.area, uuid.UUID))
        shown += " (" + ", ".join(a.name for a in areas.order_by("name")) + ")"
    if filters.rules:
        shown += ": the work a figure of the performance dashboard counts"
    return shown


def team_worklist(*, user: Any, filters: WorklistFilters, today: date) -> QuerySet[Obligation]:
    obligations = _annotated(Obligation.objects.visible_to(user).current())
    team = filters.team or default_team(user)
    status = filters.status or "open"
    if status == "open":
        obligations = obligations.filter(met_date__isnull=True, waived_at__isnull=True)
    elif status == "overdue":
        obligations = obligations.filter(st.overdue_q(today))
    elif status != "all":
        obligations = obligations.filter(st.status_q(status, today))
    if filters.kind:
        obligations = obligations.filter(
            Q(kind=filters.kind) | Q(kind__startswith=f"{filters.kind}.")
        )
    if filters.rules:
        obligations = obligations.filter(rule_prefixes_q(filters.rules))
    if filters.risk:
        obligations = obligations.filter(risk_level="" if filters.risk == "none" else filters.risk)
    if team == "mine":  # the user's teams' work, and the work they oversee
        obligations = obligations.filter(_teams_q(user_team_ids(user)))
    elif team != "all":
        obligations = obligations.filter(owner_team_id__in=_ids(team, uuid.UUID))
    if filters.area:
        obligations = obligations.filter(owner_team__area_id__in=_ids(filters.area, uuid.UUID))
    if filters.owner:
        obligations = obligations.filter(owner_user_id__in=_ids(filters.owner, int))
    return obligations.order_by(*SORTS.get(filters.sort, SORTS["due"]))


@dataclass(frozen=True)
class BandCell:
    risk: str
    status: str
    count: int


@dataclass(frozen=True)
class BandRow:
    risk: str
    label: str
    cells: list[BandCell]
    total: int


def risk_band_table(
    *, user: Any, filters: WorklistFilters, today: date
) -> tuple[list[st.Band], list[BandRow], BandRow]:
    """Open overdue obligations counted by risk level and overdue band (HMICFRS R12), in one
    grouped query: each obligation's band is the one whose status filter holds it (the one
    status function's filters, as one CASE), counted by risk level and band."""
    pack = active_policy()
    base = team_worklist(
        user=user,
        filters=WorklistFilters(
            status="overdue",
            kind=filters.kind,
            rules=filters.rules,
            team=filters.team,
            area=filters.area,
            owner=filters.owner,
        ),
        today=today,
    )
    return band_table(base, today=today, pack=pack)


def band_table(
    overdue: QuerySet[Obligation], *, today: date, pack: Any
) -> tuple[list[st.Band], list[BandRow], BandRow]:
    """Overdue obligations counted by risk level and overdue band, in one grouped query: each
    obligation's band is the one whose days past due hold it on `today` (the one status
    function's band filters, as one CASE). The team worklist's table and the performance
    dashboard's (`overdue` is the work overdue on `today`, or as a past day closed)."""
    bands = st.overdue_bands(pack)
    band_of = Case(
        *(When(st.band_days_q(band, today), then=Value(band.status)) for band in bands),
        default=Value(""),
        output_field=CharField(),
    )
    grouped = (
        overdue.order_by()
        .annotate(band=band_of)
        .values("risk_level", "band")
        .annotate(n=Count("pk"))
    )
    counts = {(row["risk_level"], row["band"]): row["n"] for row in grouped}
    rows = []
    for risk in [*RISKS_HIGH_FIRST, ""]:
        cells = [BandCell(risk or "none", b.status, counts.get((risk, b.status), 0)) for b in bands]
        label = RiskLevel(risk).label if risk else "Not assessed"
        rows.append(BandRow(risk or "none", str(label), cells, sum(c.count for c in cells)))
    rows = [r for r in rows if r.risk != "none" or r.total]
    totals = BandRow(
        "",
        "All risk levels",
        [BandCell("", b.status, sum(r.cells[i].count for r in rows)) for i, b in enumerate(bands)],
        sum(r.total for r in rows),
    )
    return bands, rows, totals


def escalation_list(*, user: Any, open_only: bool = True) -> QuerySet[Escalation]:
    """Escalations on obligations the user can see, for those who act on escalations: a
    supervisor's own rung on the work their teams own or oversee."""
    if not has_verb(user, "act_on_escalations"):
        return Escalation.objects.none()
    escalations = Escalation.objects.filter(
        obligation__in=Obligation.objects.visible_to(user).values("pk")
    ).select_related(
        "obligation",
        "obligation__owner_team",
        "obligation__owner_user",
        "acknowledged_by",
        "resolved_by",
    )
    if not has_verb(user, "act_on_head_escalations"):
        # a supervisor's own rung, on their own teams' work
        escalations = escalations.filter(
            _teams_q(user_team_ids(user), prefix="obligation__"), rung="supervisor"
        )
    if open_only:
        escalations = escalations.filter(resolved_at__isnull=True)
    return escalations.order_by("raised_on", "pk")


@dataclass(frozen=True)
class EscalationGroup:
    """Escalations of one rung, team, kind of work and reason: a row of the escalations
    page, and what a person acknowledges together (ADR 20)."""

    rung: str
    rung_label: str
    team_id: Any
    team: str
    kind: str
    kind_label: str
    reason: str
    reason_label: str
    total: int
    new: int  # not yet acknowledged
    oldest: date

    @property
    def query(self) -> str:
        """The group as the escalations page's filter (and the acknowledgement's)."""
        from urllib.parse import urlencode

        return urlencode(
            {"rung": self.rung, "team": self.team_id, "kind": self.kind, "reason": self.reason}
        )


@dataclass(frozen=True)
class EscalationFilters:
    rung: str = ""
    team: str = ""
    kind: str = ""
    reason: str = ""

    def __bool__(self) -> bool:
        return any((self.rung, self.team, self.kind, self.reason))

    def among(self, groups: list[EscalationGroup]) -> EscalationGroup | None:
        """The group of `groups` these filters name exactly, if it is there."""
        wanted = (self.rung, self.team, self.kind, self.reason)
        return next(
            (g for g in groups if (g.rung, str(g.team_id), g.kind, g.reason) == wanted), None
        )


def in_group(escalations: QuerySet[Escalation], group: EscalationFilters) -> QuerySet[Escalation]:
    """The escalations of one group (each part given narrows it; a malformed team id
    matches nothing)."""
    if group.rung:
        escalations = escalations.filter(rung=group.rung)
    if group.team:
        escalations = escalations.filter(obligation__owner_team_id__in=_ids(group.team, uuid.UUID))
    if group.kind:
        escalations = escalations.filter(obligation__kind=group.kind)
    if group.reason:
        escalations = escalations.filter(reason=group.reason)
    return escalations


def to_acknowledge(*, user: Any, group: EscalationFilters) -> QuerySet[Escalation]:
    """The escalations of a group that wait for acknowledgement and that the user acts on,
    as on one acknowledged alone (`services.may_act_on`): the head of unit's, any; a
    supervisor's, the work their teams own or oversee. What the group's page counts and what
    acknowledging it takes."""
    waiting = in_group(escalation_list(user=user), group).filter(acknowledged_at__isnull=True)
    if not has_verb(user, "act_on_head_escalations"):
        waiting = waiting.filter(_teams_q(user_team_ids(user), "obligation__"))
    return waiting


def escalation_groups(*, user: Any, open_only: bool = True) -> list[EscalationGroup]:
    """The user's escalations (`escalation_list`) counted by rung, owning team, kind of work
    and reason, in one grouped query: those with the most waiting for acknowledgement first.
    A backlog of hundreds is a handful of rows (ADR 20)."""
    from vigil.obligations.models import EscalationReason, Rung
    from vigil.obligations.registry import kind_labels

    rows = (
        escalation_list(user=user, open_only=open_only)
        .order_by()
        .values(
            "rung",
            "obligation__owner_team_id",
            "obligation__owner_team__name",
            "obligation__kind",
            "reason",
        )
        .annotate(
            total=Count("pk"),
            new=Count("pk", filter=Q(acknowledged_at__isnull=True)),
            oldest=Min("raised_on"),
        )
    )
    kinds, rungs, reasons = kind_labels(), dict(Rung.choices), dict(EscalationReason.choices)
    groups = [
        EscalationGroup(
            rung=row["rung"],
            rung_label=str(rungs.get(row["rung"], row["rung"])),
            team_id=row["obligation__owner_team_id"],
            team=row["obligation__owner_team__name"],
            kind=row["obligation__kind"],
            kind_label=kinds.get(row["obligation__kind"], row["obligation__kind"]),
            reason=row["reason"],
            reason_label=str(reasons.get(row["reason"], row["reason"])),
            total=row["total"],
            new=row["new"],
            oldest=row["oldest"],
        )
        for row in rows
    ]
    return sorted(groups, key=lambda g: (-g.new, g.oldest, g.team, g.kind_label, g.rung))


@dataclass(frozen=True)
class TeamRow:
    team_id: Any
    team: str
    open: int
    cells: list[BandCell]
    overdue: int


def team_table(*, user: Any, kind: str, today: date) -> tuple[list[st.Band], list[TeamRow]]:
    """Open and overdue obligations by owning team across the force, each overdue band counted
    with its status filter, in one grouped query (the head of public protection's view)."""
    pack = active_policy()
    bands = st.overdue_bands(pack)
    work = team_worklist(user=user, filters=WorklistFilters(kind=kind, team="all"), today=today)
    aggregates: dict[str, Any] = {
        band.status: Count("pk", filter=st.status_q(band.status, today, pack)) for band in bands
    }
    grouped = (
        work.order_by()
        .values("owner_team_id", "owner_team__name")
        .annotate(open_count=Count("pk"), **aggregates)
        .order_by("owner_team__name")
    )
    rows = []
    for g in grouped:
        cells = [BandCell("", b.status, g[b.status]) for b in bands]
        rows.append(
            TeamRow(
                g["owner_team_id"],
                g["owner_team__name"],
                g["open_count"],
                cells,
                sum(c.count for c in cells),
            )
        )
    return bands, rows


def about_person(person_id: Any) -> Q:
    """The obligations about a person: those naming them, and those of every subject they
    are one of the people of (the registry's `person_path`)."""
    about = Q(person_id=person_id)
    for label, registered in subjects().items():
        if registered.person_path:
            about |= Q(
                subject_type=label,
                subject_id__in=registered.model._default_manager.filter(
                    **{registered.person_path: person_id}
                ).values("pk"),
            )
    return about


def owners_kept_out(person_id: Any) -> list[Any]:
    """Officers who own open work about this person but may not see it: after a change of
    the person's limited-access lists, none may remain (no one owns work they cannot
    open)."""
    work = Obligation.objects.current().open().filter(about_person(person_id))
    owners = User.objects.filter(pk__in=work.exclude(owner_user=None).values("owner_user"))
    return [
        owner
        for owner in owners.order_by("username")
        if work.filter(owner_user=owner)
        .exclude(pk__in=Obligation.objects.visible_to(owner).values("pk"))
        .exists()
    ]


@dataclass(frozen=True)
class QueueSection:
    key: str
    label: str
    items: list[Obligation]
    count: int
    overdue: int


def decision_queue(
    *, user: Any, today: date, queue: str, limit: int = 100
) -> dict[str, QueueSection]:
    """The user's queue of decisions of a domain (`registry.decides`), a section per kind
    they may make: open obligations of their teams (the whole force for the head of unit),
    earliest due first, then by risk. Each section holds its first `limit` items and its
    counts."""
    sections: dict[str, QueueSection] = {}
    mine = [d for d in decision_sections(queue) if has_verb(user, d.verb)]
    if not mine:
        return sections
    work = Obligation.objects.visible_to(user).open()
    if not has_verb(user, "act_on_head_escalations"):
        work = work.filter(owner_team_id__in=user_team_ids(user))
    for decision in mine:
        matching = Q()
        for prefix in decision.rules:
            matching |= Q(rule_id__startswith=prefix)
        items = work.filter(matching)
        sections[decision.key] = QueueSection(
            key=decision.key,
            label=decision.label,
            items=list(
                items.select_related("owner_team", "owner_user")
                .annotate(risk_rank=RISK_RANK)
                .order_by("due_date", "-risk_rank", "pk")[:limit]
            ),
            count=items.count(),
            overdue=items.filter(st.overdue_q(today)).count(),
        )
    return sections
