"""The admin screens: for system administrators (users, memberships, tokens, reference
data), gated by business verbs rather than Django's model permissions, and audited.

No case data is registered here: nominals and the audit log have their own pages, with the
access chokepoint and consultation logging the admin does not have."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from vigil.accounts.access import has_any_verb, has_verb
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record


class VigilAdminSite(admin.AdminSite):
    site_header = "Vigil administration"
    site_title = "Vigil administration"
    index_title = "Users and reference data"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active) and has_any_verb(
            request.user,
            "manage_users",
            "manage_reference_data",  # type: ignore[arg-type]
        )


class VerbModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose every permission is one business verb, and whose every save and
    delete writes an audit event in the admin's transaction."""

    verb = "manage_reference_data"

    def _allowed(self, request: HttpRequest) -> bool:
        return has_verb(request.user, self.verb)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = {}
            if change and form.changed_data:
                before = {k: form.initial.get(k) for k in form.changed_data}
            super().save_model(request, obj, form, change)
            audit_record(
                actor=request.user,
                action=AuditAction.ALTERATION if change else AuditAction.COLLECTION,
                event=f"{obj._meta.label_lower}.{'changed' if change else 'created'}_in_admin",
                obj=obj,
                changes={
                    k: {"before": _plain(before.get(k)), "after": _plain(form.cleaned_data.get(k))}
                    for k in form.changed_data
                    if k != "password"
                },
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a user's memberships) are audited like the record they belong to."""
        with transaction.atomic():
            deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
            for obj in deleted:
                audit_record(
                    actor=request.user,
                    action=AuditAction.ERASURE,
                    event=f"{obj._meta.label_lower}.deleted_in_admin",
                    obj=obj,
                )
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                audit_record(
                    actor=request.user,
                    action=AuditAction.COLLECTION,
                    event=f"{obj._meta.label_lower}.created_in_admin",
                    obj=obj,
                    changes={"created": {"before": None, "after": str(obj)}},
                )
            initial = {id(f.instance): f.initial for f in formset.forms}
            for obj, fields in formset.changed_objects:
                before = initial.get(id(obj), {})
                audit_record(
                    actor=request.user,
                    action=AuditAction.ALTERATION,
                    event=f"{obj._meta.label_lower}.changed_in_admin",
                    obj=obj,
                    changes={
                        name: {
                            "before": _plain(before.get(name)),
                            "after": _plain(getattr(obj, name, None)),
                        }
                        for name in fields
                    },
                )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action=AuditAction.ERASURE,
                event=f"{obj._meta.label_lower}.deleted_in_admin",
                obj=obj,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple) or (
        hasattr(value, "__iter__") and not isinstance(value, str | bytes | dict)
    ):
        try:
            return [str(v) for v in value]
        except TypeError:
            return str(value)
    return value
