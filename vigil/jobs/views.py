"""Pages to watch background work: the recent jobs, and one job's progress (a page a person
can leave and come back to; it refreshes itself while the job runs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404, verb_required
from vigil.jobs.models import Job
from vigil.jobs.selectors import job_list
from vigil.jobs.services import result_url

REFRESH_SECONDS = 3


@login_required
@verb_required("run_jobs")
def job_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(job_list(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
@verb_required("run_jobs")
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    job = get_visible_or_404(Job, request.user, pk, related=("requested_by",))
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "refresh": REFRESH_SECONDS if job.in_progress else None,
            "result_url": result_url(job),
        },
    )
