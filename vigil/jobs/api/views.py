"""Background work over the API: the jobs a user may watch, and one job's progress."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins

from vigil.accounts.api.viewsets import ScopedGenericViewSet
from vigil.jobs.api.serializers import JobSerializer
from vigil.jobs.models import Job


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):  # type: ignore[misc]
    """Background jobs (a full obligation sync, the nightly run): status and progress."""

    model = Job
    serializer_class = JobSerializer
    required_verbs = ("run_jobs",)
    http_method_names = ["get", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("requested_by").order_by("-created_at")
