from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from vigil.obligations import registry
from vigil.obligations.presentation import StatusView, band_tag, overdue_legend, status_view

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
