"""The header navigation, by the verbs the user holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from vigil.accounts.access import verbs_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, verbs any of which shows the item; empty = everyone signed in)
_ITEMS: list[tuple[str, str, tuple[str, ...]]] = [
    ("My work", "obligations:my-work", ()),
    ("Team work", "obligations:team-worklist", ("view_team_work",)),
    ("People", "people:nominal-list", ("view_nominal",)),
    ("Referrals", "ocsea:triage-queue", ("view_ocsea",)),
    ("Investigations", "ocsea:investigation-list", ("view_ocsea",)),
    ("Bail", "ocsea:bail-dashboard", ("view_ocsea",)),
    ("RSOs", "offenders:rso-list", ("manage_rso", "review_rso_work")),
    (
        "Supervisor queue",
        "offenders:supervisor-queue",
        (
            "review_rso_work",
            "authorise_visit",
            "assess_visit_authorisation",
            "determine_indefinite_review",
        ),
    ),
    ("Probation", "probation:index", ("view_partnership",)),
    (
        "National register",
        "register:index",
        ("import_register", "reconcile_register", "export_register"),
    ),
    ("Decisions", "ocsea:decision-queue", ("oversee_investigations",)),
    ("Staff", "workforce:capacity", ("view_workforce",)),
    ("Wellbeing", "workforce:wellbeing", ("manage_wellbeing",)),
    ("Image review", "workforce:exposure", ("record_exposure",)),
    ("Figures", "assurance:figures", ("view_aggregates",)),
    ("Audit log", "audit:event-list", ("view_audit",)),
    ("Administration", "admin:index", ("manage_users", "manage_reference_data")),
    ("Background work", "jobs:job-list", ("run_jobs",)),
    ("Policy", "policy:policy-detail", ()),
    ("API", "api-docs", ()),
]


# Where each person starts, by the first of these verbs they hold: anyone who works on
# records starts on their work; the roles with no caseload on their own page rather than an
# empty "My work" (issue 12). Anyone else (no verbs yet) starts on My work.
_LANDINGS: list[tuple[str, str]] = [
    ("view_nominal", "obligations:my-work"),
    ("view_partnership", "probation:index"),  # a probation partner: their exchanges
    ("manage_wellbeing", "workforce:wellbeing"),
    ("view_audit", "audit:event-list"),
    ("view_aggregates", "assurance:figures"),
    ("manage_users", "admin:index"),
    ("manage_reference_data", "admin:index"),
]


def landing_for(user: Any) -> str:
    """The URL name of the page a signed-in user starts on (after signing in, and at /)."""
    verbs = verbs_of(user)
    for verb, name in _LANDINGS:
        if verb in verbs:
            return name
    return "obligations:my-work"


def navigation_for(user: Any, path: str) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    verbs = verbs_of(user)
    lands_elsewhere = landing_for(user) != "obligations:my-work"
    shown = [
        (label, reverse(name))
        for label, name, needs in _ITEMS
        if (not needs or verbs.intersection(needs))
        and not (name == "obligations:my-work" and lands_elsewhere)
    ]
    # the item whose address is the longest start of the path is the current one, so
    # /rso/queue/ is the queue, not the register at /rso/
    matching = [url for _, url in shown if (path == url if url == "/" else path.startswith(url))]
    current = max(matching, key=len, default=None)
    return [NavItem(label, url, url == current) for label, url in shown]
