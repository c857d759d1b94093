"""`vigil demo --scale small --seed N`: the synthetic demo organisation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.core.models import Force
from vigil.demo.generator import SCALES, generate


class Command(BaseCommand):
    help = "Create the synthetic demo organisation (refuses if it already exists)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
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
        result = generate(scale=scale, seed=seed, progress=lambda m: self.stdout.write(f"… {m}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(result.forces)} forces, {result.nominals} nominals, "
                f"{result.registrations} registered sex offenders."
            )
        )
