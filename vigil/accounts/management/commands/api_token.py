"""`vigil api-token USERNAME`: issues (or replaces) a user's API token and prints it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.accounts.models import User
from vigil.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Issue a new API token for a user (the old one stops working)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        token = api_token_create(actor=None, user=user)
        self.stdout.write(token.key)
