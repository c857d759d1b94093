"""The workforce writes declared once (vigil/writes.py): each serves its page
(vigil/workforce/urls.py) and its API action (vigil/workforce/api/views.py)."""

from __future__ import annotations

from django.urls import reverse

from vigil.core import clock
from vigil.workforce import services
from vigil.workforce.api.serializers import (
    AbstractionInputSerializer,
    AbstractionReviewSerializer,
    AbstractionSerializer,
)
from vigil.workforce.forms import AbstractionForm, AbstractionReviewForm
from vigil.workforce.models import Abstraction
from vigil.writes import Write, declare


def _abstraction_page(abstraction: Abstraction) -> str:
    return reverse("workforce:abstraction-detail", kwargs={"pk": abstraction.pk})


ABSTRACTION = declare(
    Write(
        name="workforce.abstraction",
        title="Record an abstraction",
        help="Hours a member of one of your teams is taken from its work (past, current or "
        "scheduled); the manager's review falls due.",
        verbs=("manage_abstractions",),
        subject=None,
        subject_arg="",
        service=services.abstraction_record,
        form=AbstractionForm,
        form_kwargs=lambda nothing, user: {
            "user": user,
            "initial": {"starts_on": clock.today(), "ends_on": clock.today()},
        },
        serializer=AbstractionInputSerializer,
        response=AbstractionSerializer,
        success="The abstraction was recorded.",
        people=lambda nothing: [],
        back=lambda nothing: reverse("workforce:abstraction-list"),
        then=_abstraction_page,
        page="workforce:abstraction-create",
        api="api:workforce-abstraction-list",
    )
)

ABSTRACTION_REVIEW = declare(
    Write(
        name="workforce.abstraction_review",
        title="Review the abstraction",
        help="A manager's review within the policy's days: necessary, not becoming regular, "
        "the work covered. Not one's own.",
        verbs=("manage_abstractions",),
        subject=Abstraction,
        subject_arg="abstraction",
        action="change",
        related=("person", "team", "reason"),
        service=services.abstraction_review,
        form=AbstractionReviewForm,
        serializer=AbstractionReviewSerializer,
        response=AbstractionSerializer,
        versioned=True,
        creates=False,
        initial=lambda abstraction: {"version": abstraction.version},
        context=lambda abstraction: {"abstraction": abstraction},
        success="The review was recorded.",
        people=lambda abstraction: [],
        back=_abstraction_page,
        page="workforce:abstraction-review",
        api="api:workforce-abstraction-review",
    )
)
