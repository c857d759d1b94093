"""The audit log in words: an event's code ("rso.visit_recorded") as people say it ("RSO:
visit recorded"), the code kept beside it for those who search by it."""

from __future__ import annotations

from django import template

register = template.Library()

# What an event is about (the part before the dot), and terms said as people say them.
_SUBJECTS = {
    "nominal": "Person",
    "rso": "RSO",
    "ocsea": "OCSEA",
    "user": "User",
    "obligation": "Obligation",
    "obligations": "Obligations",
    "escalation": "Escalation",
    "escalations": "Escalations",
    "audit": "Audit log",
    "job": "Background work",
    "instrument": "Assessment tool",
    "force": "Force",
    "area": "Area",
    "team": "Team",
    "policy": "Policy",
}
_PHRASES = {"non_arrest": "non-arrest", "signed_in": "signed in"}  # said before the words
_WORDS = {
    "api": "API",
    "mfa": "two-factor",
    "pnd": "PND",
    "arms": "ARMS",
    "rmp": "RMP",
    "marf": "MARF",
    "rui": "RUI",
    "visor": "ViSOR",
}


@register.filter
def event_words(code: str) -> str:
    """ "user.signed_in" is "User: signed in"; "ocsea.non_arrest_ratified" is "OCSEA:
    non-arrest ratified"; an unknown subject is said as written."""
    subject, _, rest = code.partition(".")
    for phrase, words in _PHRASES.items():
        rest = rest.replace(phrase, words)
    said = " ".join(_WORDS.get(word, word) for word in rest.split("_"))
    head = _SUBJECTS.get(subject, subject.replace("_", " ").capitalize())
    return f"{head}: {said}" if said else head
