"""Obligations: something must happen to a subject by a date, someone owns it, a rule says so.

Rules in each domain derive a subject's obligations from its records (`registry.py`);
`sync.sync(subject)` reconciles the stored ones with them inside every service write. An
obligation's status is never stored: `status.py` computes it from the dates, and gives the
matching SQL filter for each status from the same band table.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from vigil.accounts.access import has_verb, hidden_persons
from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet
from vigil.obligations.registry import subjects
from vigil.policy.models import PolicyVersion


def _local(instant: Any) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(instant):%H:%M on %d %b %Y}"


class RiskLevel(models.TextChoices):
    """Risk of serious harm (MAPPA), also used for KIRAT bands. Ordered: higher is worse."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


RISK_ORDER = {
    "": 0,
    RiskLevel.LOW: 1,
    RiskLevel.MEDIUM: 2,
    RiskLevel.HIGH: 3,
    RiskLevel.VERY_HIGH: 4,
}


class ObligationQuerySet(ScopedQuerySet["Obligation"]):
    def current(self) -> ObligationQuerySet:
        """Obligations still in force (not withdrawn because the records no longer call for
        them)."""
        return self.filter(withdrawn_at__isnull=True)

    def open(self) -> ObligationQuerySet:
        return self.current().filter(met_date__isnull=True, waived_at__isnull=True)

    def restrict(self, user: Any, action: str) -> ObligationQuerySet:
        """Obligations of the user's force whose subject the user may see: an obligation is
        visible exactly when its subject is. A subject is hidden when the user is kept out
        of any of the people it is about (the registry's `person_path`: a referral's every
        suspect, a bail's referral's every suspect), and an obligation naming a hidden
        person is hidden whatever its subject. A subject registered `seen_with` a verb shows
        its work only to holders of the verb and to the person who owns it."""
        obligations = self.filter(force_id=user.force_id)
        for label, registered in subjects().items():
            # a subject whose work only one verb sees (a person's screening: the wellbeing
            # lead's), besides the person it is owned by
            if registered.seen_with and not has_verb(user, registered.seen_with):
                obligations = obligations.exclude(Q(subject_type=label) & ~Q(owner_user_id=user.pk))
        for source in hidden_persons(user):
            # Few people are kept from anyone (limited access is the exception): read them
            # once, and leave every obligation query without subqueries when there are none.
            hidden = list(source.values_list("pk", flat=True))
            if not hidden:
                continue
            obligations = obligations.exclude(person_id__in=hidden)
            for label, registered in subjects().items():
                if not registered.person_path:
                    continue
                about_hidden = registered.model._default_manager.filter(
                    **{f"{registered.person_path}__in": hidden}
                ).values("pk")
                obligations = obligations.exclude(subject_type=label, subject_id__in=about_hidden)
        return obligations


class Obligation(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=80)
    subject_id = models.UUIDField()
    subject_label = models.CharField(max_length=200)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=60, db_index=True)
    label = models.CharField(max_length=200, help_text="What is due, in the users' words")
    rule_id = models.CharField(max_length=80)
    key = models.CharField(max_length=80, help_text="Which occurrence of the rule this is")
    due_date = models.DateField(db_index=True)
    due_at = models.DateTimeField(
        null=True, blank=True, help_text="For a deadline in hours: the moment it is due"
    )
    met_date = models.DateField(null=True, blank=True)
    met_at = models.DateTimeField(
        null=True, blank=True, help_text="When the record knows it: the moment it was met"
    )
    owner_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="obligations")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
    )
    oversight_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overseen_obligations",
        help_text="A team that oversees work another team owns (OCSEA oversight, R3)",
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    policy_keys = models.JSONField(default=list, help_text="The policy rules that set the date")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    waived_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiver_role = models.CharField(max_length=60, blank=True)
    waiver_rationale = models.TextField(blank=True)

    scope = Scope(verbs={"view": "view_nominal"})
    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule_id", "key"],
                name="obligation_one_per_occurrence",
            ),
            models.CheckConstraint(
                condition=Q(waived_at__isnull=True) | ~Q(waiver_rationale=""),
                name="obligation_waiver_has_rationale",
            ),
        ]
        indexes = [
            models.Index(fields=["force", "owner_team", "due_date"], name="obligation_team_due"),
            # Open work only (about one row in seven): the team worklist, the risk x band
            # table and the force's team table read a team's open work, not its history.
            models.Index(
                fields=["force", "owner_team", "due_date"],
                condition=Q(
                    met_date__isnull=True, waived_at__isnull=True, withdrawn_at__isnull=True
                ),
                name="obligation_open_team_due",
            ),
            # Work overseen for another team (OCSEA oversight of investigations owned elsewhere).
            models.Index(
                fields=["oversight_team", "due_date"],
                condition=Q(
                    oversight_team__isnull=False,
                    met_date__isnull=True,
                    waived_at__isnull=True,
                    withdrawn_at__isnull=True,
                ),
                name="obligation_open_oversight",
            ),
            # What was open at a past day's close (a month gone, as it closed): open now, or
            # met, waived or withdrawn since (`status.open_at_rows_q`), each found by an index
            # rather than a scan of the force's history.
            models.Index(
                fields=["force", "met_date"],
                condition=Q(met_date__isnull=False),
                name="obligation_met",
            ),
            models.Index(
                fields=["force", "waived_at"],
                condition=Q(waived_at__isnull=False),
                name="obligation_waived",
            ),
            models.Index(
                fields=["force", "withdrawn_at"],
                condition=Q(withdrawn_at__isnull=False),
                name="obligation_withdrawn",
            ),
            models.Index(fields=["owner_user", "due_date"], name="obligation_owner_due"),
            models.Index(fields=["subject_type", "subject_id"], name="obligation_subject"),
        ]

    def __str__(self) -> str:
        if self.due_at is not None:
            return f"{self.label} for {self.subject_label} by {_local(self.due_at)}"
        return f"{self.label} for {self.subject_label} by {self.due_date:%d %b %Y}"


class Rung(models.TextChoices):
    OWNER = "owner", "Owner"
    SUPERVISOR = "supervisor", "Supervisor"
    HEAD_OF_UNIT = "head_of_unit", "Head of unit"


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    RISK_RISE = "risk_rise", "Risk rose"


class GroupAcknowledgementQuerySet(ScopedQuerySet["GroupAcknowledgement"]):
    def restrict(self, user: Any, action: str) -> GroupAcknowledgementQuerySet:
        """As the escalations they acknowledged: the head of unit's, the whole force's; a
        supervisor's, those on the work their teams own or oversee (an OCSEA overseer's on an
        investigation another team holds)."""
        decisions = self.filter(force_id=user.force_id)
        if has_verb(user, "act_on_head_escalations"):
            return decisions
        teams = user.memberships.values("team_id")
        overseen = Escalation.objects.filter(obligation__oversight_team_id__in=teams)
        return decisions.filter(
            Q(team_id__in=teams) | Q(pk__in=overseen.values("acknowledged_with_id"))
        )


class GroupAcknowledgement(VigilModel):
    """Escalations acknowledged together, as one decision with its reason: a group of the
    escalations list (a rung, a team, a kind of work, a reason), typically a backlog raised
    at once (ADR 20). Each escalation acknowledged points to it."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rung = models.CharField(max_length=20, choices=Rung.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=60)
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    note = models.TextField(help_text="Why they are acknowledged together, and what happens next")
    count = models.PositiveIntegerField()

    scope = Scope(verbs={"view": "act_on_escalations"})
    objects = GroupAcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.count} escalations acknowledged ({self.get_rung_display()}, {self.team})"


class Escalation(VigilModel):
    """An obligation brought to the next rung of its ladder: acknowledged, then resolved."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="escalations")
    rung = models.CharField(max_length=20, choices=Rung.choices)
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    detail = models.CharField(max_length=200, blank=True)
    raised_on = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_with = models.ForeignKey(
        GroupAcknowledgement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations",
        help_text="When acknowledged with its group, the group's decision",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    scope = Scope(through="obligation")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["raised_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "rung", "reason", "detail"], name="escalation_once_per_rung"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_rung_display()}: {self.obligation}"


class DailyRun(models.Model):
    """One run of `vigil daily`, for people to see that the time-based work happened."""

    run_date = models.DateField(db_index=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Daily run {self.run_date}"


class DigestStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Digest(models.Model):
    """A person's daily e-mail digest (`vigil digest`): what became overdue since the last,
    what is due this week and, for a supervisor, the escalations raised. One a person a
    day; it holds counts, never a name (the e-mail links to the work in Vigil)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    since = models.DateField(help_text="Work that became overdue from this day on")
    overdue = models.PositiveIntegerField(default=0)
    due_this_week = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=DigestStatus.choices)
    # the moment its contents were read: the next digest tells what came after it
    as_of = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user} on {self.day}"
