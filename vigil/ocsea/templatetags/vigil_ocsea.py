"""Template helpers for OCSEA pages."""

from __future__ import annotations

from datetime import date

from django import template

from vigil.obligations.presentation import relative

register = template.Library()


@register.simple_tag
def relative_to(due: date, today: date) -> str:
    """'in 3 days', 'due today', '12 days overdue' beside a date."""
    return relative(due, today)
