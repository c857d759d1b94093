"""Pages about the instruments in force: the list of loaded packs, and one pack in full (its
questions, answers and points, overrides and bands, with the timescale each band takes from
the policy pack). No case data: assessments are shown by the domain that asked for them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import verb_required
from vigil.instruments.packs import Pack, UnknownPackError, available_packs, get_pack
from vigil.instruments.packs import policy_timescale as timescale_of
from vigil.policy.pack import active as active_policy


def band_rows(pack: Pack) -> list[dict[str, Any]]:
    """Each band with the score range it covers and its timescale's current policy value."""
    policy = active_policy()
    rows = []
    for n, band in enumerate(pack.bands):
        value, unit = timescale_of(policy, band.timescale) if band.timescale else (None, "")
        upper = pack.bands[n + 1].min_score - 1 if n + 1 < len(pack.bands) else None
        rows.append(
            {"band": band, "upper": upper, "timescale_value": value, "timescale_unit": unit}
        )
    return rows


def override_rows(pack: Pack) -> list[dict[str, Any]]:
    """Each override in words: the question, the answers that trigger it, the band."""
    rows = []
    for override in pack.overrides:
        item = pack.item(override.item)
        rows.append(
            {
                "item": item,
                "options": [item.option(o) for o in override.options],
                "band": pack.band(override.band),
                "reason": override.reason,
            }
        )
    return rows


@login_required
@verb_required("view_ocsea")
def pack_list(request: HttpRequest) -> HttpResponse:
    return render(request, "instruments/pack_list.html", {"packs": available_packs()})


@login_required
@verb_required("view_ocsea")
def pack_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        pack = get_pack(code)
    except UnknownPackError:
        raise Http404("No such instrument.") from None
    return render(
        request,
        "instruments/pack_detail.html",
        {
            "pack": pack,
            "bands": band_rows(pack),
            "overrides": override_rows(pack),
            "policy": active_policy(),
        },
    )
