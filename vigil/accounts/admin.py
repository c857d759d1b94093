from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from vigil.accounts.models import Membership, Role, User
from vigil.core.admin_site import VerbModelAdmin

# Third-party screens that Django's model permissions would guard are replaced by verb-gated
# ones below or dropped (sign-ins are in Vigil's own audit log).
for model in (Group, TokenProxy, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 1
    fields = ["team", "role"]

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        from vigil.accounts.access import has_verb

        return has_verb(request.user, "manage_users")  # type: ignore[arg-type]

    has_view_permission = _allowed
    has_add_permission = _allowed
    has_change_permission = _allowed
    has_delete_permission = _allowed


@admin.register(User)
class UserAdmin(VerbModelAdmin, DjangoUserAdmin):  # type: ignore[misc]
    verb = "manage_users"
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "force", "is_active", "last_login"]
    list_filter = ["force", "is_active"]
    search_fields = ["username", "display_name", "email", "collar_number"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Person",
            {
                "fields": [
                    "display_name",
                    "first_name",
                    "last_name",
                    "email",
                    "collar_number",
                    "force",
                ]
            },
        ),
        ("Status", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "force", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Role)
class RoleAdmin(VerbModelAdmin):
    """Roles and their verbs come from migrations; here they can be read, not changed."""

    list_display = ["name", "code"]
    filter_horizontal = ["verbs"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TokenProxy)
class ApiTokenAdmin(VerbModelAdmin, TokenAdmin):  # type: ignore[misc]
    verb = "manage_users"


@admin.register(TOTPDevice)
class TotpDeviceAdmin(VerbModelAdmin):
    """Reset a user's authenticator by deleting their device; they enrol again at sign-in."""

    verb = "manage_users"
    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


@admin.register(AccessAttempt)
class LockoutAdmin(VerbModelAdmin):
    """Sign-in failures; deleting a row unlocks the account before the cool-off ends."""

    verb = "manage_users"
    list_display = ["username", "failures_since_start", "attempt_time", "ip_address"]
    readonly_fields = [
        "username",
        "failures_since_start",
        "attempt_time",
        "ip_address",
        "user_agent",
        "path_info",
        "get_data",
        "post_data",
    ]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
