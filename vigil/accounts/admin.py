"""Admin screens for users, memberships, API token holders, authenticator devices and lockouts:
for the system administrator of the same force only (see accounts/admin_site.py)."""

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy

from vigil.accounts.admin_site import VerbModelAdmin, VerbPermissionsMixin
from vigil.accounts.models import Membership, Role, User
from vigil.core.models import Area, Force, Team

# Third-party screens that Django's model permissions would guard are replaced by verb-gated
# ones below or dropped (sign-ins are in Vigil's own audit log).
for model in (Group, TokenProxy, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class MembershipInline(VerbPermissionsMixin, admin.StackedInline):  # type: ignore[type-arg]
    """A user's teams and roles. No administrator changes their own: someone else must."""

    model = Membership
    extra = 1
    fields = ["team", "role"]
    verb = "manage_users"

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return super()._allowed(request) and obj != request.user

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super()._allowed(request)  # their own roles they may read, not change


@admin.register(User)
class UserAdmin(VerbModelAdmin, DjangoUserAdmin):  # type: ignore[misc]
    verb = "manage_users"
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_active", "last_login"]
    list_filter = ["is_active"]
    search_fields = ["username", "display_name", "email", "collar_number"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            "Person",
            {"fields": ["display_name", "first_name", "last_name", "email", "collar_number"]},
        ),
        ("Status", {"fields": ["force", "is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"fields": ["username", "password1", "password2"]})]
    readonly_fields = ["force", "last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.force_id = request.user.force_id  # type: ignore[union-attr]
        super().save_model(request, obj, form, change)


@admin.register(Role)
class RoleAdmin(VerbModelAdmin):
    """Roles and their verbs come from migrations; here they can be read, not changed."""

    list_display = ["name", "code"]
    filter_horizontal = ["verbs"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Role.objects.all()  # roles belong to no force

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TokenProxy)
class ApiTokenAdmin(VerbModelAdmin):
    """Who holds an API token, and since when: read only. A token is issued by its user for
    themselves (Your API token) or by `vigil api-token` on the server, never here, so no
    administrator sees another user's key; `vigil api-token USER --revoke` revokes one."""

    verb = "manage_users"
    force_lookup = "user__force"
    list_display = ["user", "created"]
    list_display_links = None
    actions = None

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TOTPDevice)
class TotpDeviceAdmin(VerbModelAdmin):
    """Reset a user's authenticator by deleting their device; they enrol again at sign-in."""

    verb = "manage_users"
    force_lookup = "user__force"
    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = ["user", "name", "confirmed"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


FAILURE_FIELDS = ("username", "ip_address", "failures_since_start", "attempt_time", "user_agent")


@admin.register(AccessAttempt)
class LockoutAdmin(VerbModelAdmin):
    """Sign-in failures, by account and the address they came from: why an account is
    locked (five from one address lock that pair; the account's ceiling, from every address,
    locks it everywhere). Deleting the rows unlocks it before the cool-off ends."""

    verb = "manage_users"
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    list_filter = ["username"]
    readonly_fields = FAILURE_FIELDS
    fields = list(FAILURE_FIELDS)

    def get_queryset(self, request: HttpRequest) -> Any:
        force_id: Any = getattr(request.user, "force_id", None)
        usernames = User.objects.filter(force_id=force_id).values("username")
        return AccessAttempt.objects.filter(username__in=usernames)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


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
