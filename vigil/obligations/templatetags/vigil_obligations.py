from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from vigil.obligations import registry
from vigil.obligations.presentation import StatusView, status_view

register = template.Library()


@register.simple_tag
def obligation_status(obligation: Any, today: date) -> StatusView:
    """{% obligation_status o today as s %}: s.label, s.tag_class, s.hint (one definition)."""
    return status_view(obligation, today)


@register.simple_tag
def subject_url(obligation: Any) -> str:
    """{% subject_url o as url %}: the page of the record the obligation is about, or ""."""
    return registry.subject_url(obligation.subject_type, obligation.subject_id)
