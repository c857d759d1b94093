"""Template helpers of the assurance pages and reports: a RAG rating as its tag, and an ISO
date kept in a report's figures as a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils.html import format_html

from vigil.accounts.access import has_verb

register = template.Library()

_RAG = {
    "green": ("govuk-tag--green", "Green"),
    "amber": ("govuk-tag--yellow", "Amber"),
    "red": ("govuk-tag--red", "Red"),
}


@register.simple_tag
def rag_tag(rag: str) -> str:
    css, words = _RAG.get(rag, ("govuk-tag--grey", "Not judged"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, words)


@register.simple_tag
def rag_words(rag: str) -> str:
    return _RAG.get(rag, ("", "not judged"))[1].lower()


@register.filter
def isodate(value: str | date) -> date | str:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def holds(user: Any, verb: str) -> bool:
    """Whether the user holds a verb (`{% if request.user|holds:"compare_forces" %}`)."""
    return has_verb(user, verb)
