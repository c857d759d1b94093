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
from vigil.core.models import Force


def force_scoped(model: type[models.Model], force_id: Any) -> models.QuerySet[Any] | None:
    """The rows of `model` an administrator of `force_id` may choose from, or None if the
    model belongs to no force."""
    manager: Any = model._default_manager
    if model is Force:
        return manager.filter(pk=force_id)
    if any(f.name == "force" for f in model._meta.get_fields()):
        return manager.filter(force_id=force_id)
    return None


class VerbPermissionsMixin:
    """Every permission is one business verb (`verb`)."""

    verb = "manage_reference_data"

    def _allowed(self, request: HttpRequest, obj: Any = None) -> bool:
        return has_verb(request.user, self.verb)  # type: ignore[arg-type]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # (an inline is asked with the parent object; a model admin without one)
        return self._allowed(request, args[0] if args else None)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Choices of force-bearing records (teams, users) come from the admin's force only."""
        scoped = force_scoped(db_field.related_model, getattr(request.user, "force_id", None))
        if scoped is not None:
            kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


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


class VerbModelAdmin(VerbPermissionsMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin gated by one business verb, showing only the administrator's own force
    (`force_lookup` says how the model reaches its force), whose every save and delete writes
    an audit event in the admin's transaction."""

    force_lookup = "force"

    def get_queryset(self, request: HttpRequest) -> Any:
        force_id = getattr(request.user, "force_id", None)
        queryset = super().get_queryset(request)
        if force_id is None:
            return queryset.none()
        return queryset.filter(**{self.force_lookup: force_id})

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
