"""`vigil api-token USERNAME [--revoke]`: issues (or replaces) a user's API token and prints
it once, or revokes it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.models import User
from vigil.accounts.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Issue a new API token for a user (the old one stops working)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Revoke the token, issue none")

    def handle(self, *args: Any, username: str, revoke: bool, **options: Any) -> None:
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        if revoke:
            api_token_revoke(actor=None, user=user)
            self.stdout.write(f"Revoked {username}'s API token.")
            return
        token = api_token_create(actor=None, user=user)
        self.stdout.write(token.key)
