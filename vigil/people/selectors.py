"""Reads of nominal records, each starting from `visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth

from vigil.accounts.access import get_visible_or_404
from vigil.people.models import Address, Nominal, NominalQuerySet


def nominal_list(*, user: Any, query: str = "") -> NominalQuerySet:
    nominals = Nominal.objects.visible_to(user, "view")
    if query.strip():
        nominals = nominals.search(query.strip())
    return nominals.prefetch_related(
        "identifiers",
        Prefetch(
            "addresses",
            queryset=Address.objects.filter(valid_to__isnull=True),
            to_attr="current_addresses",
        ),
    ).order_by("family_name", "given_names", "id")


def nominal_get(*, user: Any, pk: Any, action: str = "view") -> Nominal:
    """One nominal, or Http404 if the user may not see it (the chokepoint)."""
    return get_visible_or_404(Nominal, user, pk, action)


def nominal_record(nominal: Nominal) -> dict[str, Any]:
    """Everything the record page shows, in few queries."""
    return {
        "aliases": list(nominal.aliases.all()),
        "identifiers": list(nominal.identifiers.all()),
        "addresses": list(nominal.addresses.all()),
        "restricted_to": list(nominal.restricted_to.all()),
        "excluded_from": list(nominal.excluded_from.all()),
    }


def nominal_figures(*, user: Any) -> dict[str, Any]:
    """Counts of the user's force's nominal records (for those who see aggregates only).

    Limited-access records are counted too: a count names no one."""
    force_id = getattr(user, "force_id", None)
    nominals = Nominal.objects.filter(force_id=force_id) if force_id else Nominal.objects.none()
    totals = nominals.aggregate(
        total=Count("id"), limited=Count("id", filter=Q(limited_access=True))
    )
    by_month = (
        nominals.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")[:12]
    )
    return {"totals": totals, "by_month": list(by_month)}
