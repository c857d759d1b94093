from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vigil.accounts.navigation import navigation_for


def vigil(request: HttpRequest) -> dict[str, Any]:
    """The header's user, memberships and role navigation, on every page."""
    user = getattr(request, "user", None)
    return {
        "vigil_env": settings.VIGIL_ENV,
        "navigation": navigation_for(user, request.path) if user is not None else [],
        "memberships": (
            list(user.memberships.select_related("team", "role"))
            if user is not None and user.is_authenticated
            else []
        ),
    }
