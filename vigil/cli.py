"""The `vigil` command: Django's management commands and Vigil's own, under one name
(`vigil migrate`, `vigil demo`, `vigil audit-verify`, `vigil check --deploy`, ...)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "vigil"
    # Vigil's own commands are named with hyphens on the command line (audit-verify) and
    # with underscores as Django modules (audit_verify).
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)
