"""The probation partnership's writes declared once (vigil/writes.py): the agreement, an
exchange raised and answered, a joint review; each serving its page
(vigil/probation/urls.py) and its API action (vigil/probation/api/views.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vigil.probation import services
from vigil.probation.api.serializers import (
    AgreementInputSerializer,
    AgreementSerializer,
    AnswerSerializer,
    ExchangeInputSerializer,
    ExchangeSerializer,
    JointReviewInputSerializer,
    JointReviewSerializer,
)
from vigil.probation.forms import (
    AgreementForm,
    AnswerForm,
    ExchangeForm,
    ReviewForm,
    review_input,
)
from vigil.probation.models import Agreement, Exchange
from vigil.writes import Write, WritePage, declare


class RaisePage(WritePage):
    """An exchange raised from an RSO's record (`?reference=`): its register reference
    filled in."""

    def get_form(self) -> Any:
        form = super().get_form()
        reference = self.request.GET.get("reference", "").strip()[:40]
        if self.request.method == "GET" and reference:
            form.initial["register_reference"] = reference
        return form


def _exchange_page(exchange: Any) -> str:
    return reverse("probation:exchange-detail", kwargs={"pk": exchange.pk})


def _agreement_initial(user: Any) -> dict[str, Any]:
    current = services.agreement_of(user.force_id)
    if current is None:
        from vigil.policy.pack import active as active_policy

        pack = active_policy()
        days = pack["probation.response_working_days"]
        return {
            "urgent_working_days": days["urgent"],
            "standard_working_days": days["standard"],
            "review_months": pack["probation.agreement_review_months"],
        }
    return {
        "name": current.name,
        "probation_party": current.probation_party,
        "probation_team": current.probation_team_id,
        "police_team": current.police_team_id,
        "starts_on": current.starts_on,
        "urgent_working_days": current.urgent_working_days,
        "standard_working_days": current.standard_working_days,
        "review_months": current.review_months,
        "closures": "\n".join(current.closures),
    }


AGREEMENT = declare(
    Write(
        name="probation.agreement",
        title="The agreement with the Probation Service",
        help="Makes the force's agreement, or changes its terms: the parties, the working "
        "days to answer an urgent and a standard exchange (the policy's by default), the "
        "months between joint reviews, and the days the parties close besides bank "
        "holidays. An exchange already raised keeps its due date.",
        verbs=("manage_agreement",),
        subject=None,
        subject_arg="",
        service=services.agreement_save,
        form=AgreementForm,
        serializer=AgreementInputSerializer,
        response=AgreementSerializer,
        form_kwargs=lambda nothing, user: {"user": user, "initial": _agreement_initial(user)},
        success="The agreement was saved.",
        people=lambda nothing: [],
        back=lambda nothing: reverse("probation:agreement"),
        then=lambda made: reverse("probation:agreement"),
        page="probation:agreement-edit",
        api="api:probation-agreement-list",
    )
)

RAISE = declare(
    Write(
        name="probation.exchange",
        title="Raise an exchange",
        help="Raises an exchange with the other side of the agreement (police to probation, "
        "or probation to police, by who raises it) about an RSO named by the register "
        "reference both sides hold. It is due by the agreement's working days for its "
        "priority, skipping weekends, bank holidays and the parties' closures.",
        verbs=("raise_exchange",),
        subject=None,
        subject_arg="",
        service=services.exchange_raise,
        form=ExchangeForm,
        serializer=ExchangeInputSerializer,
        response=ExchangeSerializer,
        view=RaisePage,
        success="The exchange was raised: the other side sees it now, with its due date.",
        button="Raise it",
        people=lambda nothing: [],
        back=lambda nothing: reverse("probation:index"),
        then=_exchange_page,
        page="probation:exchange-create",
        api="api:probation-exchange-list",
    )
)

ANSWER = declare(
    Write(
        name="probation.answer",
        title="Answer the exchange",
        help="The other side's answer: the exchange's clock stops (late if after its due "
        "date) and any escalation of it settles.",
        verbs=("raise_exchange",),
        subject=Exchange,
        subject_arg="exchange",
        related=("agreement", "registration"),
        service=services.exchange_answer,
        form=AnswerForm,
        serializer=AnswerSerializer,
        response=ExchangeSerializer,
        creates=False,
        context=lambda exchange: {"exchange": exchange},
        heading=lambda exchange: f"Answer: {exchange.summary}",
        success="The answer was sent.",
        button="Send the answer",
        people=lambda exchange: [],
        back=_exchange_page,
        page="probation:exchange-answer",
        api="api:probation-exchange-answer",
    )
)

REVIEW = declare(
    Write(
        name="probation.review",
        title="Record the joint review",
        help="A joint review of the agreement: the period's figures (answered in time each "
        "way, escalations, what the exchanges were about) are attached as they stand; "
        "actions with owners.",
        verbs=("record_joint_review",),
        subject=Agreement,
        subject_arg="agreement",
        service=services.review_record,
        form=ReviewForm,
        serializer=JointReviewInputSerializer,
        response=JointReviewSerializer,
        from_form=review_input,
        success="The joint review was recorded.",
        people=lambda agreement: [],
        back=lambda agreement: reverse("probation:agreement"),
        then=lambda made: reverse("probation:review-detail", kwargs={"pk": made.pk}),
        page="probation:review-create",
        api="api:probation-agreement-review",
    )
)
