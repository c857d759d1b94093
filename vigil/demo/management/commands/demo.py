"""`vigil demo --scale {small,force,national} --seed N`: the synthetic demo organisation."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.core.models import Force
from vigil.demo.generator import SCALE_NAMES, generate

HELP = """Create the synthetic demo organisation (refuses if it already exists).

Scales: small (2 forces, 200 RSOs and 60 OCSEA referrals, under a minute; every record
written through the services, in one transaction); force (1 force, 4,500 RSOs, 6 MOSOVO
teams, 60 offender managers, 10,000 OCSEA referrals over five years; about 10 minutes);
national (43 forces, 70,000 RSOs, about 155,000 OCSEA referrals; hours on two cores,
bench/results/). The same seed gives the same people.

At the force and national scales the per-role logins and the organisation go through the
services; other staff, nominals, the RSO history and the OCSEA referrals are bulk-inserted,
each created record with the audit event its service would write (one hash chain; `vigil
audit-verify` holds), staff sharing one password hash. Obligations are derived by the
engine's sync_all at the end, never written by the demo. A transaction per force: an
interrupted run leaves whole forces (and `vigil sync-obligations` completes the sync). A
progress line goes to stderr."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALE_NAMES, default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any force exists already."
        )

    def handle(self, *args: Any, scale: str, seed: int, if_empty: bool, **options: Any) -> None:
        if settings.VIGIL_ENV == "production":
            raise CommandError("The demo organisation is never created in production.")
        if Force.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds an organisation: demo not loaded.")
                return
            raise CommandError("The database already holds an organisation.")
        started = time.monotonic()
        result = generate(scale=scale, seed=seed, progress=lambda m: self.stdout.write(f"… {m}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(result.forces)} forces, {result.nominals} nominals, "
                f"{result.registrations} registered sex offenders, "
                f"{result.referrals} OCSEA referrals in {time.monotonic() - started:.0f} s."
            )
        )
