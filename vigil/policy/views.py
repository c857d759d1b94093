from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.policy.pack import active


@login_required
def policy_detail(request: HttpRequest) -> HttpResponse:
    """The active policy: every threshold with its source and confidence (no case data)."""
    return render(request, "policy/policy_detail.html", {"pack": active()})
