"""The workforce writes declared once (vigil/writes.py): each serves its page
(vigil/workforce/urls.py) and its API action (vigil/workforce/api/views.py)."""

from __future__ import annotations

from django.urls import reverse

from vigil.core import clock
from vigil.jobs.api.serializers import JobSerializer
from vigil.workforce import services
from vigil.workforce.api.serializers import (
    AbstractionInputSerializer,
    AbstractionReviewSerializer,
    AbstractionSerializer,
    ExposureInputSerializer,
    ExposureSerializer,
    ForecastRequestSerializer,
    ScreeningInputSerializer,
    ScreeningSerializer,
    TrainingInputSerializer,
    TrainingSerializer,
)
from vigil.workforce.forms import (
    AbstractionForm,
    AbstractionReviewForm,
    ExposureForm,
    ForecastRequestForm,
    ScreeningForm,
    TrainingForm,
)
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


def _wellbeing_page(made: object) -> str:
    return reverse("workforce:wellbeing")


SCREENING = declare(
    Write(
        name="workforce.screening",
        title="Record a psychological screening",
        help="That a member of an OCSEA or MOSOVO team was screened, when, and whether "
        "follow-up support was offered and taken up: never the result (R16).",
        verbs=("manage_wellbeing",),
        subject=None,
        subject_arg="",
        service=services.screening_record,
        form=ScreeningForm,
        form_kwargs=lambda nothing, user: {"user": user},
        serializer=ScreeningInputSerializer,
        response=ScreeningSerializer,
        success="The screening was recorded.",
        people=lambda nothing: [],
        back=_wellbeing_page,
        then=_wellbeing_page,
        page="workforce:screening-create",
        api="api:workforce-screening-list",
    )
)

TRAINING = declare(
    Write(
        name="workforce.training",
        title="Record trauma-informed training",
        help="A supervisor's trauma-informed training (R16).",
        verbs=("manage_wellbeing",),
        subject=None,
        subject_arg="",
        service=services.training_record,
        form=TrainingForm,
        form_kwargs=lambda nothing, user: {"user": user},
        serializer=TrainingInputSerializer,
        response=TrainingSerializer,
        success="The training was recorded.",
        people=lambda nothing: [],
        back=_wellbeing_page,
        then=_wellbeing_page,
        page="workforce:training-create",
        api="api:workforce-training-list",
    )
)


def _exposure_page(made: object) -> str:
    return reverse("workforce:exposure")


EXPOSURE = declare(
    Write(
        name="workforce.exposure",
        title="Record a week's image review",
        help="An OCSEA officer's own record of how much indecent-image review they did in a "
        "week (optional): the volume, never what was seen. A second record of the same week "
        "replaces the first.",
        verbs=("record_exposure",),
        subject=None,
        subject_arg="",
        service=services.exposure_record,
        form=ExposureForm,
        serializer=ExposureInputSerializer,
        response=ExposureSerializer,
        success="The week was recorded.",
        people=lambda nothing: [],
        back=_exposure_page,
        then=_exposure_page,
        page="workforce:exposure-create",
        api="api:workforce-exposure-list",
    )
)


def _forecast_page(made: object) -> str:
    return reverse("workforce:forecast")


FORECAST = declare(
    Write(
        name="workforce.forecast",
        title="Make a new forecast",
        help="Queues the force's demand forecast as background work (`vigil forecast`) and "
        "answers the job, to watch at /api/v1/jobs/{id}/; the forecast runs it makes are at "
        "/api/v1/workforce/forecasts/. One already waiting or running is refused, naming it.",
        verbs=("run_forecast",),
        subject=None,
        subject_arg="",
        service=services.forecast_request,
        form=ForecastRequestForm,
        serializer=ForecastRequestSerializer,
        response=JobSerializer,
        success="The forecast was queued: this page shows its progress.",
        button="Make the forecast",
        people=lambda nothing: [],
        back=_forecast_page,
        then=lambda job: reverse("jobs:job-detail", kwargs={"pk": job.pk}),
        page="workforce:forecast-request",
        api="api:workforce-forecast-list",
    )
)
