"""For data migrations that add business verbs and grant them to roles (so each app's
migration states only its verbs and grants). Keep this stable: migrations import it."""

from __future__ import annotations

from typing import Any


def grant_verbs(apps: Any, verbs: dict[str, str], grants: dict[str, list[str]]) -> None:
    Verb = apps.get_model("accounts", "Verb")
    Role = apps.get_model("accounts", "Role")
    for code, description in verbs.items():
        Verb.objects.update_or_create(code=code, defaults={"description": description})
    for role_code, codes in grants.items():
        Role.objects.get(pk=role_code).verbs.add(*codes)


def remove_verbs(apps: Any, verbs: dict[str, str]) -> None:
    apps.get_model("accounts", "Verb").objects.filter(code__in=verbs).delete()
