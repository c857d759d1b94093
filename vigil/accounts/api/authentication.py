from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from vigil.accounts.middleware import is_verified, mfa_required


class VerifiedSessionAuthentication(SessionAuthentication):
    """Session authentication that, when two-factor authentication is required, accepts only
    a session whose user has verified a device in it."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if mfa_required() and not is_verified(user):
            raise exceptions.AuthenticationFailed("Two-factor authentication is required.")
        return result


class VerifiedSessionScheme(SessionScheme):
    """Describes VerifiedSessionAuthentication in the OpenAPI schema as cookie auth."""

    target_class = "vigil.accounts.api.authentication.VerifiedSessionAuthentication"
