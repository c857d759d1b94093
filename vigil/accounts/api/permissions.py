from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from vigil.accounts.access import has_any_verb


class HasVerb(BasePermission):
    """Needs one of the verbs the action's handler names (a declared write's,
    vigil/writes.py), else one of the view's `required_verbs` (a tuple, or a dict by
    action)."""

    message = "Your roles do not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        handler = getattr(view, getattr(view, "action", None) or "", None)
        required = getattr(handler, "required_verbs", None) or getattr(view, "required_verbs", ())
        if isinstance(required, dict):
            required = required.get(getattr(view, "action", None) or "", required.get("*", ()))
        if not required:
            return bool(request.user and request.user.is_authenticated)
        return has_any_verb(request.user, *required)
