"""The partnership with the Probation Service (R17; DOMAIN.md section 5; issue 14): the
service level agreement as data, and the exchanges both sides raise and answer on one
working-day clock.

A probation partner signs in with their own role and sees the exchanges of their force's
agreement (what is shared: the person's name and register reference, and the exchange),
nothing else of the person. A police officer sees the exchanges about the records they may
open."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from vigil.accounts.access import hidden_persons
from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet


class ExchangeKind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    INFORMATION_REQUEST = "information_request", "Information request"
    FEEDBACK = "feedback", "Feedback"
    CONCERN = "concern", "Concern"
    ESCALATION = "escalation", "Escalation"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    STANDARD = "standard", "Standard"


class Direction(models.TextChoices):
    TO_PROBATION = "to_probation", "Police to probation"
    TO_POLICE = "to_police", "Probation to police"


# the rungs of the escalation ladder, as the obligation engine names them, then the board
RUNGS = ("owner", "supervisor", "head_of_unit", "board")
POLICE_LADDER = {
    "owner": "Case officer",
    "supervisor": "DS",
    "head_of_unit": "DI / head of unit",
    "board": "Strategic management board",
}
PROBATION_LADDER = {
    "owner": "Probation practitioner",
    "supervisor": "SPO",
    "head_of_unit": "Head of the probation delivery unit",
    "board": "Strategic management board",
}


class Agreement(VigilModel):
    """The force's service level agreement with the Probation Service."""

    force = models.OneToOneField(Force, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    probation_party = models.CharField(
        max_length=200, help_text="The probation delivery unit or region that is party to it"
    )
    probation_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The team whose members are the probation partners",
    )
    police_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The team that owns the partnership for the force (its reviews)",
    )
    starts_on = models.DateField()
    urgent_working_days = models.PositiveSmallIntegerField()
    standard_working_days = models.PositiveSmallIntegerField()
    review_months = models.PositiveSmallIntegerField()
    closures = models.JSONField(
        default=list, blank=True, help_text="Days the parties close besides bank holidays"
    )
    police_ladder = models.JSONField(default=dict)
    probation_ladder = models.JSONField(default=dict)

    scope = Scope(verbs={"view": "view_partnership", "change": "manage_agreement"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def working_days(self, priority: str) -> int:
        return (
            self.urgent_working_days if priority == Priority.URGENT else self.standard_working_days
        )

    def closure_days(self) -> set[date]:
        return {date.fromisoformat(d) for d in self.closures}

    def rung_title(self, side: str, rung: str) -> str:
        ladder = self.police_ladder if side == "police" else self.probation_ladder
        defaults = POLICE_LADDER if side == "police" else PROBATION_LADDER
        return str(ladder.get(rung) or defaults[rung])


class ExchangeQuerySet(ScopedQuerySet["Exchange"]):
    def restrict(self, user: Any, action: str) -> ExchangeQuerySet:
        """The force's exchanges: a probation partner's, all of the agreement's (what is
        shared with it); a police officer's, those about people they may learn of."""
        found = self.filter(force_id=user.force_id)
        for source in hidden_persons(user):
            hidden = list(source.values_list("pk", flat=True))
            if hidden:
                found = found.exclude(registration__nominal_id__in=hidden)
        return found


class Exchange(VigilModel):
    """One exchange under the agreement: raised by one side, answered by the other, due by
    the agreement's working days for its priority."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="exchanges")
    direction = models.CharField(max_length=15, choices=Direction.choices)
    kind = models.CharField(max_length=25, choices=ExchangeKind.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    registration = models.ForeignKey(
        "offenders.Registration", on_delete=models.PROTECT, related_name="exchanges"
    )
    shared_as = models.CharField(
        max_length=200, help_text="How the person is named to the other side: name, reference"
    )
    summary = models.CharField(max_length=200)
    detail = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField()
    due_on = models.DateField(help_text="The agreement's working days from the day raised")
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    scope = Scope(verbs={"view": "view_partnership", "answer": "raise_exchange"})
    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-created_at"]
        indexes = [models.Index(fields=["force", "direction", "answered_on"], name="exchange_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def answering_side(self) -> str:
        return "probation" if self.direction == Direction.TO_PROBATION else "police"

    @property
    def raising_side(self) -> str:
        return "police" if self.direction == Direction.TO_PROBATION else "probation"


def side_of(user: Any, agreement: Agreement) -> str:
    """Which side of the agreement a user is on: "probation" for a member of its probation
    team, else "police"."""
    return (
        "probation"
        if user.memberships.filter(team_id=agreement.probation_team_id).exists()
        else "police"
    )


class JointReview(VigilModel):
    """A joint review of the agreement: the period's figures attached when it is recorded,
    what was discussed, and actions with owners."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    period_from = models.DateField()
    period_to = models.DateField()
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    figures = models.JSONField(default=dict)  # as they stood when the review was recorded
    actions = models.JSONField(default=list)  # [{action, owner, due_on}]
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="agreement")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Joint review {self.held_on:%-d %b %Y}"
