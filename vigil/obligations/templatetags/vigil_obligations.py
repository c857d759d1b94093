from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from vigil.accounts.access import has_any_verb
from vigil.obligations import registry
from vigil.obligations.presentation import (
    StatusView,
    band_label,
    band_tag,
    overdue_legend,
    status_view,
)

register = template.Library()


@register.simple_tag
def obligation_status(obligation: Any, today: date) -> StatusView:
    """{% obligation_status o today as s %}: s.label, s.tag_class, s.hint (one definition)."""
    return status_view(obligation, today)


@register.simple_tag
def subject_url(obligation: Any) -> str:
    """{% subject_url o as url %}: the page of the record the obligation is about, or ""."""
    return registry.subject_url(obligation.subject_type, obligation.subject_id)


@register.inclusion_tag("obligations/_overdue_legend.html")
def overdue_key() -> dict[str, Any]:
    """The key to the overdue tags' colours: each band of the policy in its colour."""
    return {"legend": overdue_legend()}


@register.filter
def tag_of(status: str) -> str:
    return band_tag(status)


@register.filter
def label_of(status: str) -> str:
    return band_label(status)


@register.inclusion_tag("obligations/_rule.html")
def rule_link(obligation: Any) -> dict[str, Any]:
    """The rule that set an obligation's date, by name, linked to the policy entry behind it."""
    keys = obligation.policy_keys or []
    return {"name": registry.rule_name(obligation.rule_id), "policy_key": keys[0] if keys else ""}


@register.simple_tag(takes_context=True)
def obligation_action(context: Any, obligation: Any) -> dict[str, str] | None:
    """{% obligation_action o as act %}: the page where the work is done (act.url,
    act.title), when the user may do it; None otherwise."""
    found = registry.action_for(obligation.rule_id)
    if found is None or not has_any_verb(context.get("user"), *found.verbs):
        return None
    return {"url": found.url(obligation), "title": found.title}


@register.filter
def heat(count: int, most: int) -> int:
    """A count's shade in a heat map, 0 (none) to 4 (the table's most), in even steps."""
    if not count or not most:
        return 0
    return max(1, min(4, -(-4 * count // most)))
