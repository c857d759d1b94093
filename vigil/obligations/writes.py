"""The obligation engine's writes declared once (vigil/writes.py): a waiver, and a
supervisor's acknowledgement and resolution of an escalation. Each serves its page
(vigil/obligations/urls.py) and its API action (vigil/obligations/api/views.py).

These declarations, like the pages, sit above the engine: the engine itself (models, status,
sync, services, selectors) names no person-holding app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse

from vigil.obligations import selectors, services
from vigil.obligations.api.serializers import (
    AcknowledgeSerializer,
    EscalationSerializer,
    GroupAcknowledgementSerializer,
    GroupAcknowledgeSerializer,
    ObligationSerializer,
    ResolveSerializer,
    WaiveSerializer,
)
from vigil.obligations.forms import ConfirmForm, GroupAcknowledgeForm, ResolveForm, WaiveForm
from vigil.obligations.models import Escalation, Obligation
from vigil.writes import Write, WritePage, declare


class WaivePage(WritePage):
    """Only a role the policy allows for the obligation's kind is offered the waiver."""

    def guard(self) -> HttpResponse | None:
        if not services.may_waive(self.request.user, self.subject):  # type: ignore[arg-type]
            raise PermissionDenied
        return None


WAIVE = declare(
    Write(
        name="obligations.waive",
        title="Waive an obligation",
        heading=lambda obligation: f"Waive: {obligation.label}",
        help="Only a role the policy allows for its kind, with a rationale; the authoriser's "
        "role is recorded.",
        verbs=("view_nominal",),
        subject=Obligation,
        subject_arg="obligation",
        service=services.obligation_waive,
        versioned=True,
        form=WaiveForm,
        serializer=WaiveSerializer,
        response=ObligationSerializer,
        creates=False,
        success="The obligation was waived.",
        initial=lambda obligation: {"version": obligation.version},
        # the obligation names its subject, not the person's record (as its own page does)
        people=lambda obligation: [],
        back=lambda obligation: reverse(
            "obligations:obligation-detail", kwargs={"pk": obligation.pk}
        ),
        view=WaivePage,
        template="obligations/waive.html",
        context=lambda obligation: {"obligation": obligation},
        page="obligations:obligation-waive",
        api="api:obligation-waive",
    )
)


def _acted_on_by(user: Any) -> Q:
    """An escalation in the user's list: their own rung on their teams' work."""
    return Q(pk__in=selectors.escalation_list(user=user, open_only=False).values("pk"))


ON_THE_ESCALATION: dict[str, Any] = {
    "verbs": ("act_on_escalations",),
    "subject": Escalation,
    "subject_arg": "escalation",
    "related": ("obligation",),
    "where": _acted_on_by,
    "response": EscalationSerializer,
    "creates": False,
    "people": lambda escalation: [],
    "back": lambda escalation: reverse("obligations:escalation-list"),
    "context": lambda escalation: {"escalation": escalation},
}
ACKNOWLEDGE = declare(
    Write(
        name="obligations.acknowledge",
        title="Acknowledge an escalation",
        heading=lambda escalation: f"Acknowledge: {escalation.obligation.label}",
        help="Seen and being dealt with.",
        service=services.escalation_acknowledge,
        form=ConfirmForm,
        serializer=AcknowledgeSerializer,
        success="Escalation acknowledged.",
        template="obligations/acknowledge.html",
        page="obligations:escalation-acknowledge",
        api="api:escalation-acknowledge",
        **ON_THE_ESCALATION,
    )
)
RESOLVE = declare(
    Write(
        name="obligations.resolve",
        title="Resolve an escalation",
        heading=lambda escalation: f"Resolve: {escalation.obligation.label}",
        help="What was done.",
        service=services.escalation_resolve,
        form=ResolveForm,
        serializer=ResolveSerializer,
        success="Escalation resolved.",
        template="obligations/resolve.html",
        page="obligations:escalation-resolve",
        api="api:escalation-resolve",
        **ON_THE_ESCALATION,
    )
)


class GroupAcknowledgePage(WritePage):
    """The group comes from the escalations page's filter (rung, team, kind, reason): the
    page says how many of it wait, and asks why they are acknowledged together."""

    def get_form(self) -> Any:
        group = {
            name: self.request.GET.get(name, "") for name in ("rung", "team", "kind", "reason")
        }
        return self.write.form(self.posted, initial=group)

    def get_context_data(self, form: Any) -> dict[str, Any]:
        data = form.data if form.is_bound else form.initial
        group = selectors.EscalationFilters(
            **{name: str(data.get(name, "")) for name in ("rung", "team", "kind", "reason")}
        )
        waiting = selectors.to_acknowledge(user=self.request.user, group=group)
        return {
            **super().get_context_data(form),
            "waiting": waiting.count(),
            "group": group.among(selectors.escalation_groups(user=self.request.user)),
        }


ACKNOWLEDGE_GROUP = declare(
    Write(
        name="obligations.acknowledge_group",
        title="Acknowledge a group of escalations",
        help="Every escalation of one rung, team, kind of work and reason that waits for "
        "acknowledgement and that you act on, as one decision with its reason (ADR 20).",
        verbs=("act_on_escalations",),
        subject=None,
        subject_arg="",
        service=services.escalations_acknowledge_group,
        form=GroupAcknowledgeForm,
        serializer=GroupAcknowledgeSerializer,
        response=GroupAcknowledgementSerializer,
        success=lambda decision: f"{decision.count} escalations acknowledged.",
        people=lambda nothing: [],
        back=lambda nothing: reverse("obligations:escalation-list"),
        view=GroupAcknowledgePage,
        template="obligations/acknowledge_group.html",
        page="obligations:escalation-group-acknowledge",
        api="api:escalation-acknowledgement-list",
    )
)
