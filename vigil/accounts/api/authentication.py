from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from drf_spectacular.authentication import SessionScheme, TokenScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request

from vigil.accounts.middleware import is_verified, mfa_required
from vigil.core import clock


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused once the token is older than
    VIGIL_API_TOKEN_DAYS. A user issues their own (Your API token, after two-factor
    authentication); `vigil api-token` on the server issues one for an integration."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        max_age = timedelta(days=settings.VIGIL_API_TOKEN_DAYS)
        if token.created < clock.now() - max_age:
            raise exceptions.AuthenticationFailed("Token has expired: ask for a new one.")
        return user, token


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


class ExpiringTokenScheme(TokenScheme):
    target_class = "vigil.accounts.api.authentication.ExpiringTokenAuthentication"
