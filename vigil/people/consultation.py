"""The consultation rule for any page that shows a nominal's record (the person page, and
records about the person in other apps, such as the RSO record)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from vigil.audit.purpose import stated_purpose
from vigil.people import services


def consult(request: HttpRequest, nominal: Any, via: str) -> HttpResponse | None:
    """Every page that shows a nominal's record needs the user's stated purpose first (asked
    once per record per session); each showing of the page is a consultation event."""
    stated = stated_purpose(request.session, nominal.pk)
    if stated is None:
        purpose_url = reverse("people:nominal-purpose", kwargs={"pk": nominal.pk})
        return redirect(f"{purpose_url}?{urlencode({'next': request.get_full_path()})}")
    if request.method == "GET":
        services.nominal_consulted(
            actor=request.user,  # type: ignore[arg-type]
            nominal=nominal,
            stated=stated,
            via=via,
        )
    return None
