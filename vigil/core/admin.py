from django.contrib import admin

from vigil.core.admin_site import VerbModelAdmin
from vigil.core.models import Area, Force, Team


@admin.register(Force)
class ForceAdmin(VerbModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    readonly_fields = ["version"]


@admin.register(Area)
class AreaAdmin(VerbModelAdmin):
    list_display = ["name", "force"]
    list_filter = ["force"]
    search_fields = ["name"]
    readonly_fields = ["version"]


@admin.register(Team)
class TeamAdmin(VerbModelAdmin):
    list_display = ["name", "kind", "area", "force"]
    list_filter = ["force", "kind"]
    search_fields = ["name"]
    readonly_fields = ["force", "version"]
