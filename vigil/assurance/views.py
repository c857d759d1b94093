"""Aggregate figures: counts only, never a name or identifier. Read through each domain's
selectors; no domain imports this app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import verb_required
from vigil.people.selectors import nominal_figures


@login_required
@verb_required("view_aggregates")
def figures(request: HttpRequest) -> HttpResponse:
    return render(request, "assurance/figures.html", nominal_figures(user=request.user))
