"""The system administrator's workforce screens: staff records (grade, contracted hours,
start in role, supervisor) and the reasons an abstraction may give. Abstractions themselves
are recorded and reviewed on Vigil's own pages."""

from typing import Any

from django.contrib import admin

from vigil.accounts.admin_site import VerbModelAdmin
from vigil.obligations.sync import sync
from vigil.workforce.models import AbstractionReason, StaffRecord


@admin.register(StaffRecord)
class StaffRecordAdmin(VerbModelAdmin):
    verb = "manage_users"
    list_display = ["user", "grade", "contracted_hours", "started_in_role", "supervisor"]
    list_filter = ["grade"]
    search_fields = ["user__username", "user__display_name", "user__collar_number"]
    readonly_fields = ["version"]

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync(obj)  # the screening and training it is due (rules.py)


@admin.register(AbstractionReason)
class AbstractionReasonAdmin(VerbModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    readonly_fields = ["version"]
