"""The consultation rule for any page that shows a nominal's record (the person page, and
records about the person in other apps, such as the RSO record or a referral naming its
suspects)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from vigil.audit.purpose import stated_purpose
from vigil.people import services


def consult(request: HttpRequest, people: Any, via: str) -> HttpResponse | None:
    """Every page that shows nominals' records needs the user's stated purpose for each
    first: one question for all the people the page shows who have none yet this session
    (asked once per record per session); each showing of the page is a consultation of each
    person, logged with the purpose stated for them."""
    people = list(people) if isinstance(people, Iterable) else [people]
    unasked = [p for p in people if stated_purpose(request.session, p.pk) is None]
    if len(unasked) == 1:
        url = reverse("people:nominal-purpose", kwargs={"pk": unasked[0].pk})
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    if unasked:
        query = [("person", str(p.pk)) for p in unasked]
        query.append(("next", request.get_full_path()))
        return redirect(f"{reverse('people:purpose')}?{urlencode(query)}")
    if request.method == "GET":
        for person in people:
            services.nominal_consulted(
                actor=request.user,  # type: ignore[arg-type]
                nominal=person,
                stated=stated_purpose(request.session, person.pk),  # type: ignore[arg-type]
                via=via,
            )
    return None
