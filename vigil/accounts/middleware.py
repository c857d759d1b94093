"""Two-factor authentication, required of every signed-in user when VIGIL_MFA_REQUIRED."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

# Paths a signed-in but unverified user may still reach: to verify, set up a device, or leave.
_OPEN_PREFIXES = ("/accounts/login", "/accounts/logout", "/accounts/mfa/", "/static/", "/healthz")


def mfa_required() -> bool:
    return bool(getattr(settings, "VIGIL_MFA_REQUIRED", False))


def is_verified(user: object) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            mfa_required()
            and user.is_authenticated
            and not is_verified(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Two-factor authentication is required."}, status=403
                )
            return redirect(
                f"{reverse('accounts:mfa-verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
