from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vigil.core.admin_site import VerbModelAdmin
from vigil.core.models import Area, Force, Team


@admin.register(Force)
class ForceAdmin(VerbModelAdmin):
    """An administrator sees and renames their own force; forces are made by `vigil bootstrap`."""

    force_lookup = "pk"
    list_display = ["name", "code"]
    readonly_fields = ["code", "version"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Area)
class AreaAdmin(VerbModelAdmin):
    list_display = ["name", "force"]
    search_fields = ["name"]
    readonly_fields = ["version"]


@admin.register(Team)
class TeamAdmin(VerbModelAdmin):
    list_display = ["name", "kind", "area", "force"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["force", "version"]
