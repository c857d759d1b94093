"""The API's chokepoint: every viewset over a nominal-bearing model starts from
`visible_to(user, action)`, so an invisible row is a 404 exactly as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from vigil.accounts.api.permissions import HasVerb


class ScopedViewSetMixin:
    """Set `model`, `required_verbs` (by action) and optionally `scope_action` by action."""

    permission_classes = [HasVerb]
    model: Any = None
    scope_actions: dict[str, str] = {}

    def get_queryset(self) -> QuerySet[Any]:
        view: Any = self
        scope = self.scope_actions.get(view.action or "", "view")
        return self.model._default_manager.visible_to(view.request.user, scope)


class ScopedGenericViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    pass
