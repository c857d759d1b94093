"""`vigil bootstrap`: the first force, its headquarters team and a system administrator, on
an empty production database. Everything after that is done in the admin screens."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vigil.accounts.models import Role
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import (
    area_create,
    force_create,
    membership_add,
    team_create,
    user_create,
)
from vigil.core.models import Force, TeamKind


class Command(BaseCommand):
    help = "Create the first force, a headquarters team and a system administrator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force-code", required=True, help="Short code, e.g. northmoor")
        parser.add_argument("--force-name", required=True)
        parser.add_argument("--admin", required=True, help="The administrator's username")
        parser.add_argument(
            "--password-env",
            default="VIGIL_BOOTSTRAP_PASSWORD",
            help="Environment variable holding the password (else it is asked for)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Force.objects.exists():
            raise CommandError("A force exists already: use the admin screens.")
        password = os.environ.get(options["password_env"]) or getpass.getpass("Password: ")
        try:
            with transaction.atomic():
                force = force_create(
                    actor=None, code=options["force_code"], name=options["force_name"]
                )
                area = area_create(actor=None, force=force, name="Force headquarters")
                team = team_create(
                    actor=None,
                    area=area,
                    name="Public protection headquarters",
                    kind=TeamKind.HEADQUARTERS,
                )
                admin = user_create(
                    actor=None, username=options["admin"], password=password, force=force
                )
                membership_add(
                    actor=None, user=admin, team=team, role=Role.objects.get(pk=RoleCode.SYSADMIN)
                )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {force.name} and system administrator {admin.username}. "
                "Sign in and add areas, teams and users at /admin/."
            )
        )
