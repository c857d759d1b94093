"""The API's chokepoint: every viewset over a nominal-bearing model starts from
`visible_to(user, action)`, so an invisible row is a 404 exactly as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from vigil.accounts.api.permissions import HasVerb


class ScopedViewSetMixin:
    """Set `model` and `required_verbs` (by action). A declared write finds its own record,
    through the scope action it declares (vigil/writes.py)."""

    permission_classes = [HasVerb]
    model: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        view: Any = self
        return self.model._default_manager.visible_to(view.request.user, "view")


class ScopedGenericViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    pass
