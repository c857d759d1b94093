"""The rule registry: each domain registers small functions that, given a subject and the
policy pack, say which obligations the subject should have now.

    @rule("offenders.registration")
    def home_visits(rso, pack): yield Due(...)

A rule reads the subject's records and returns `Due` items; it writes nothing. `sync`
reconciles them with what is stored. Rules must be pure and cheap: they run inside every
service write that touches the subject."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models

from vigil.policy.pack import PolicyPack


@dataclass(frozen=True)
class Due:
    """One obligation a rule derives."""

    kind: str  # what kind of work, for worklists and the risk x band table ("rso.visit")
    label: str  # what is due, in the users' words ("Home visit")
    rule_id: str  # which rule ("rso.visit.frequency")
    key: str  # which occurrence ("2026-11-03", or a record's id)
    due_date: date
    owner_team_id: Any
    policy_keys: tuple[str, ...]  # the policy rules that set the date
    owner_user_id: Any = None
    risk_level: str = ""
    met_date: date | None = None
    oversight_team_id: Any = None  # a team overseeing work another team owns
    # A deadline the policy states in hours is due at a time: `due_at` (aware), with
    # `due_date` its London date; `met_at`, when the record knows the time it was met.
    due_at: datetime | None = None
    met_at: datetime | None = None


Rule = Callable[[Any, PolicyPack], Iterable[Due]]


@dataclass
class Subject:
    """How to read a kind of subject: its label, force, person and, for bulk sync, which
    related rows to fetch with it."""

    model: type[models.Model]
    label: Callable[[Any], str]
    person_id: Callable[[Any], Any]
    related: tuple[str, ...] = ()
    rules: list[Rule] = field(default_factory=list)
    url_name: str = ""  # the page of one subject, reversed with its pk
    # The lookup from a subject to the people (nominals) it is about: "nominal",
    # "suspects__nominal". A subject, and so each of its obligations, is hidden from a user
    # kept out of any of them (`ObligationQuerySet.visible_to`); and a write to one of their
    # records re-syncs the subject, whose rules and label read them (`sync.sync_persons`).
    person_path: str = ""
    # A subject whose work is itself sensitive (a member of staff's screening, R16): seen
    # only by holders of this verb and by the person it is owned by (`visible_to`).
    seen_with: str = ""


_subjects: dict[str, Subject] = {}


def subject(
    model: type[models.Model],
    *,
    label: Callable[[Any], str],
    person_id: Callable[[Any], Any],
    related: tuple[str, ...] = (),
    url_name: str = "",
    person_path: str = "",
    seen_with: str = "",
) -> Subject:
    """Registers a model whose records have obligations, the page that shows one, and the
    people whose records feed its rules."""
    key = model._meta.label_lower
    if key not in _subjects:
        _subjects[key] = Subject(
            model,
            label,
            person_id,
            related,
            url_name=url_name,
            person_path=person_path,
            seen_with=seen_with,
        )
    return _subjects[key]


def rule(model: type[models.Model]) -> Callable[[Rule], Rule]:
    """Registers a rule for a subject model (registered first with `subject`)."""

    def decorator(fn: Rule) -> Rule:
        registered = _subjects[model._meta.label_lower]
        if fn not in registered.rules:
            registered.rules.append(fn)
        return fn

    return decorator


def subjects() -> dict[str, Subject]:
    return dict(_subjects)


def subject_for(model_label: str) -> Subject:
    return _subjects[model_label]


def subject_url(subject_type: str, subject_id: Any) -> str:
    """The page of an obligation's subject (its record), or "" when it has none."""
    registered = _subjects.get(subject_type)
    if registered is None or not registered.url_name:
        return ""
    from django.urls import reverse

    return reverse(registered.url_name, kwargs={"pk": subject_id})


_kinds: dict[str, str] = {}


def kinds(labels: dict[str, str]) -> None:
    """A domain names its kinds of work, for worklist filters ("rso.visit": "Home visits")."""
    _kinds.update(labels)


def kind_labels() -> dict[str, str]:
    return dict(sorted(_kinds.items(), key=lambda item: item[1]))


@dataclass(frozen=True)
class Action:
    """The page where a kind of work is done, for a link from every list that shows it."""

    url_name: str  # "offenders:visit-create"
    title: str  # "Record the visit"
    verbs: tuple[str, ...]  # who may do it (the page's own verbs: a link no one can follow is
    # not shown)
    # the page takes the subject's id; "key": the record the work is on (the occurrence's key,
    # up to any ":" that numbers its repeats: "<suspect id>:2")
    by: str = "subject"

    def url(self, obligation: Any) -> str:
        from django.urls import reverse

        pk = obligation.subject_id if self.by == "subject" else obligation.key.split(":")[0]
        return reverse(self.url_name, kwargs={"pk": pk})


_actions: dict[str, Action] = {}


def done_on(actions: dict[str, Action]) -> None:
    """A domain names, by rule id (or its prefix), the page where its work is done."""
    _actions.update(actions)


def action_for(rule_id: str) -> Action | None:
    """The page for a rule's work: the longest prefix declared."""
    found = [prefix for prefix in _actions if rule_id.startswith(prefix)]
    return _actions[max(found, key=len)] if found else None


@dataclass(frozen=True)
class Decisions:
    """One section of a supervisor's decision queue: the work of these rules (ids or
    prefixes) that the holders of `verb` decide."""

    key: str  # "reviews", the section's query parameter
    label: str  # "Reviews of ARMS, plans and visits"
    rules: tuple[str, ...]
    verb: str


_queues: dict[str, list[Decisions]] = {}


def decides(queue: str, sections: list[Decisions]) -> None:
    """A domain declares its supervisors' decision queue ("rso", "ocsea"), a section per
    kind of decision; `obligations.selectors.decision_queue` reads it for a user."""
    _queues[queue] = list(sections)


def decision_sections(queue: str) -> list[Decisions]:
    return list(_queues.get(queue, []))


def waiting_for() -> dict[str, str]:
    """The work a team's role decides rather than a person (every queue's rules), by rule id
    or prefix, and the verb of those who decide it: My work shows it to them under "Waiting
    for your team" (the supervisor's reviews, the triage queue, ratifications)."""
    return {rule: d.verb for sections in _queues.values() for d in sections for rule in d.rules}


_rule_names: dict[str, str] = {}


def names_rules(names: dict[str, str]) -> None:
    """A domain names each of its rules in the users' words, by rule id ("rso.visit.frequency":
    "How often home visits are due"): lists show the name, never the identifier, linked to the
    policy that sets the date."""
    _rule_names.update(names)


def rule_name(rule_id: str) -> str:
    """The rule's name; an unnamed rule (a test's) reads as its identifier in words."""
    return _rule_names.get(rule_id) or rule_id.replace(".", " ").replace("_", " ").capitalize()


def rule_names() -> dict[str, str]:
    return dict(_rule_names)
