"""`vigil demo-logins`: prints the demo's logins, one per role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from vigil.accounts.models import Membership


class Command(BaseCommand):
    help = "Print the demo logins (one per role) and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Membership.objects.select_related("user", "role", "team", "team__force").order_by(
            "team__force__name", "user__username"
        )
        self.stdout.write(f"Demo logins (password for all: {settings.VIGIL_DEMO_PASSWORD}):")
        for m in rows:
            self.stdout.write(
                f"  {m.user.username:<20} {m.role.name:<28} {m.team.name} ({m.team.force.code})"
            )
