"""The register record of a registered sex offender (RSO) and the work on it: home visits,
ARMS assessments and risk management plans, each reviewed by a supervisor.

Every row carries its force. Reads go through `Registration.objects.visible_to(user)`, which
follows the nominal's own access (force, limited-access lists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models

from vigil.core.dates import add_years, last_day_beginning_with
from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import ROOT_WITHOUT_VERB, Scope, ScopedQuerySet
from vigil.obligations.models import RiskLevel
from vigil.people.models import Nominal


class Disposal(models.TextChoices):
    """The disposal that set the notification period (SOA 2003 s.82); keys of the policy's
    `rso.notification_period_years`."""

    CUSTODY_30_PLUS = "custody_30_months_or_more", "Imprisonment for 30 months or more"
    CUSTODY_6_TO_30 = "custody_6_to_30_months", "Imprisonment for more than 6 and under 30 months"
    CUSTODY_6_OR_LESS = "custody_6_months_or_less", "Imprisonment for 6 months or less"
    HOSPITAL_RESTRICTION = (
        "hospital_restriction_order",
        "Admitted to hospital subject to a restriction order",
    )
    HOSPITAL_ORDER = "hospital_order", "Admitted to hospital without a restriction order"
    CAUTION = "caution", "Caution"
    CONDITIONAL_DISCHARGE = "conditional_discharge", "Conditional discharge"
    OTHER = "other", "Another disposal"


class ManagementMode(models.TextChoices):
    ACTIVE = "active", "Active"
    REACTIVE = "reactive", "Reactive"


class StaticTool(models.TextChoices):
    NONE = "", "Not assessed"
    RM2000 = "rm2000", "Risk Matrix 2000/S"
    OSP_DC = "osp_dc", "OSP/DC"
    OSP_IIC = "osp_iic", "OSP/IIC"


def reference_key(value: str | None) -> str:
    """A register reference as it is matched: without case or spaces ("syn 1" is "SYN1")."""
    return "".join((value or "").split()).casefold()


class Registration(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    nominal = models.OneToOneField(Nominal, on_delete=models.PROTECT, related_name="registration")
    register_reference = models.CharField(
        max_length=40, blank=True, help_text="ViSOR / MAPPS reference"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="registrations")
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    registration_date = models.DateField(help_text="The relevant date the requirement began")
    conviction_date = models.DateField()
    disposal = models.CharField(max_length=30, choices=Disposal.choices)
    discharge_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a conditional discharge: its length in months, the notification period",
    )
    under_18_at_conviction = models.BooleanField(default=False)
    in_community_since = models.DateField(
        null=True,
        blank=True,
        help_text="Release or registration in the community; empty in custody",
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    mappa_category = models.PositiveSmallIntegerField(default=1)
    mappa_level = models.PositiveSmallIntegerField(default=1)
    static_tool = models.CharField(max_length=10, choices=StaticTool.choices, blank=True)
    static_band = models.CharField(max_length=20, blank=True)
    static_date = models.DateField(null=True, blank=True)
    management_mode = models.CharField(
        max_length=10, choices=ManagementMode.choices, default=ManagementMode.ACTIVE
    )
    ended_on = models.DateField(null=True, blank=True)
    reactive_since = models.DateField(null=True, blank=True)
    reactive_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reactive_rationale = models.TextField(blank=True)

    scope = Scope(through="nominal")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["nominal__family_name", "nominal__given_names"]
        indexes = [
            models.Index(fields=["force", "team"], name="registration_force_team"),
            models.Index(fields=["offender_manager"], name="registration_om"),
        ]

    def __str__(self) -> str:
        return str(self.nominal)

    def notification_months(self, pack: Any) -> int:
        """The notification period in months (SOA 2003 s.82): 0 means indefinite; a fixed
        period of the table is halved for someone under 18 on the relevant date (7 years: 3
        years 6 months, s.82(2)); a conditional discharge lasts the period of the discharge,
        whatever the age."""
        if self.disposal == Disposal.CONDITIONAL_DISCHARGE:
            return int(self.discharge_months or 0)
        months = 12 * int(pack["rso.notification_period_years"][self.disposal])
        return months // 2 if self.under_18_at_conviction else months

    def notification_ends(self, pack: Any) -> date | None:
        """The last day of a fixed notification period, "the period ... beginning with the
        relevant date" (s.82(1)): 10 years from 16 January 2020 ends on 15 January 2030. None
        when indefinite."""
        months = self.notification_months(pack)
        if not months:
            return None
        return last_day_beginning_with(self.registration_date, months=months)

    def initial_notification_from(self) -> date | None:
        """The first day of the s.83(1) period: the relevant date, or, for someone in custody,
        detained in hospital or abroad on it, the day they came into the community (s.83(6)).
        None while still in custody."""
        if self.in_community_since is None:
            return None
        return max(self.registration_date, self.in_community_since)

    def indefinite_review_eligibility(self, pack: Any) -> ReviewEligibility | None:
        """When an indefinite requirement may first be reviewed on application (s.91B): the
        day after the end of the period of 15 years (8 if under 18 on the relevant date)
        beginning with the day the initial notification is given; after a refusal, 8 years
        after the determination (s.91D). None for a fixed period. The notifications and
        reviews must be prefetched or are read here."""
        if self.notification_months(pack) != 0:
            return None
        years = pack["rso.indefinite_review_years"]
        reviews = [] if self._state.adding else self.indefinite_reviews.all()
        refusals = [
            r.decided_on
            for r in reviews
            if r.decided_on is not None and r.outcome == ReviewOutcome.CONTINUED
        ]
        if refusals:
            refused = max(refusals)
            return ReviewEligibility(
                add_years(refused, years["after_refusal"]),
                f"{years['after_refusal']} years after the application was refused on "
                f"{refused:%-d %b %Y} (s.91D)",
            )
        notifications = [] if self._state.adding else self.notifications.all()
        initial = min(
            (n.made_on for n in notifications if n.kind == NotificationKind.INITIAL), default=None
        )
        n = years["under_18" if self.under_18_at_conviction else "adult"]
        if initial is None:
            return ReviewEligibility(
                None,
                f"No initial notification is recorded: the {n} years before a review run "
                "from the day it is given (s.91B(2))",
            )
        return ReviewEligibility(
            last_day_beginning_with(initial, months=12 * n) + timedelta(days=1),
            f"The day after {n} years beginning with the initial notification on "
            f"{initial:%-d %b %Y} (s.91B(2))",
        )


@dataclass(frozen=True)
class ReviewEligibility:
    """The first day an RSO may apply for review of an indefinite requirement, and why: `on`
    is None when it cannot yet be known."""

    on: date | None
    reason: str


class Reviewable(VigilModel):
    """A piece of work a supervisor reviews within the policy's period (R13)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Drafted(Reviewable):
    """Work written over time: a draft (no completion date yet) → complete → reviewed. Only
    complete work counts for the rules; `completed_by` is the author throughout."""

    completed_on = models.DateField(null=True, blank=True)  # type: ignore[assignment]

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.completed_on is None


class ArmsAssessment(Drafted):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="arms")
    priority = models.CharField(
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        help_text="The priority for work it gives",
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = "ARMS assessment"

    def __str__(self) -> str:
        if self.completed_on is None:
            return "ARMS (draft)"
        return f"ARMS {self.completed_on:%d %b %Y}"


class RiskManagementPlan(Drafted):
    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="rmps")
    visit_frequency_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: the policy's frequency for the risk level"
    )
    actions = models.TextField(blank=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = "risk management plan"

    def __str__(self) -> str:
        if self.completed_on is None:
            return "RMP (draft)"
        return f"RMP {self.completed_on:%d %b %Y}"


class HomeVisit(Reviewable):
    """A home visit. Announced or single-officer visits need a supervisor's authorisation
    with a rationale, later assessed by a manager (R14)."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField()
    announced = models.BooleanField(default=False)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    officer_count = models.PositiveSmallIntegerField(default=2)
    access_gained = models.BooleanField(default=True)
    outcome = models.TextField(blank=True)
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authorisation_rationale = models.TextField(blank=True)
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessment = models.TextField(blank=True)
    warrant_decided_on = models.DateField(null=True, blank=True)
    warrant_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    warrant_decision = models.TextField(
        blank=True, help_text="Whether to apply for a s.96B entry warrant, and why"
    )

    class Meta:
        ordering = ["-visited_at"]

    def __str__(self) -> str:
        return f"Home visit {self.completed_on:%d %b %Y}"

    @property
    def compliant(self) -> bool:
        return not self.announced and self.officer_count >= 2


class NotificationKind(models.TextChoices):
    INITIAL = "initial", "Initial notification (s.83)"
    CHANGE = "change", "Notification of a change (s.84)"
    PERIODIC = "periodic", "Periodic notification (s.85)"
    TRAVEL = "travel", "Notification of travel"


class ChangeKind(models.TextChoices):
    """What a notification of a change (s.84) is about."""

    NAME = "name", "Name"
    HOME_ADDRESS = "home_address", "Home address"
    OTHER_ADDRESS = "other_address", "Another address stayed at for 7 days or more"
    RELEASE = "release", "Release from custody or detention"
    HOUSEHOLD = "household", "Residing or staying with a child"
    OTHER = "other", "Another detail (for example bank or passport details)"


class Notification(VigilModel):
    """A notification the RSO made in person at a police station. A notification of a
    change says what changed and when, which sets the date it was due by (s.84)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    made_on = models.DateField()
    change_kind = models.CharField(max_length=20, choices=ChangeKind.choices, blank=True)
    changed_on = models.DateField(
        null=True, blank=True, help_text="For a change: the date the change happened"
    )
    details = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.made_on:%d %b %Y}"


class BreachKind(models.TextChoices):
    FAILED_TO_NOTIFY = "failed_to_notify", "Failed to notify on time"
    FALSE_INFORMATION = "false_information", "Gave false information"
    TRAVEL = "travel", "Travelled without notifying"
    ORDER = "order", "Breached a prevention or risk order"
    OTHER = "other", "Another breach of the notification requirements"


class Breach(VigilModel):
    """A breach of the notification requirements: recorded on local and national systems
    (ViSOR) within the policy's hours of being identified, and a significant change that
    calls for an ARMS review."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="breaches"
    )
    identified_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=BreachKind.choices)
    details = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_nationally_on = models.DateField(
        null=True, blank=True, help_text="The date it was recorded on ViSOR"
    )
    recorded_nationally_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was recorded on ViSOR (empty on entries made before times were kept)",
    )
    recorded_nationally_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_taken = models.TextField(blank=True)
    returned_to_active = models.BooleanField(
        default=False, help_text="It ended reactive management"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-identified_at"]

    def __str__(self) -> str:
        return f"Breach {self.identified_at:%d %b %Y}"


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the receiving force"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the sending force"


class TransferQuerySet(ScopedQuerySet["Transfer"]):
    def restrict(self, user: Any, action: str) -> TransferQuerySet:
        """Both forces see a transfer between them (the receiving force only what it needs to
        accept it: the pages show no more than that), less those of people the user is kept
        out of: a limited-access record of the user's force, or one that has left it (its
        lists now name the receiving force's people)."""
        force_id = user.force_id
        left = models.Q(
            from_force_id=force_id, registration__nominal__limited_access=True
        ) & ~models.Q(registration__nominal__force_id=force_id)
        return (
            self.filter(models.Q(from_force_id=force_id) | models.Q(to_force_id=force_id))
            .exclude(registration__nominal__in=Nominal.objects.hidden_from(user))
            .exclude(left)
        )


class Transfer(VigilModel):
    """A move of an RSO's management to another team (done at once) or another force (asked
    of the receiving force, which accepts or declines). The record, its history and its open
    obligations move; met obligations stay as the sending team's history."""

    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="transfers"
    )
    status = models.CharField(max_length=10, choices=TransferStatus.choices)
    from_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    to_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="+")
    from_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.TextField()
    requested_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    scope = ROOT_WITHOUT_VERB  # both forces' people, whatever their roles (restrict)
    objects = TransferQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_registration",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer {self.requested_on:%d %b %Y}"

    @property
    def between_forces(self) -> bool:
        return self.from_force_id != self.to_force_id


class PndCheck(VigilModel):
    """A Police National Database check: its result, then an officer's assessment of it."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="pnd_checks"
    )
    requested_on = models.DateField(
        null=True, blank=True, help_text="When the check was asked of the PND user"
    )
    checked_on = models.DateField(help_text="When the result came back")
    result = models.TextField()
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessment = models.TextField(blank=True)

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_on"]
        verbose_name = "PND check"

    def __str__(self) -> str:
        return f"PND check {self.checked_on:%d %b %Y}"


class Intelligence(VigilModel):
    """An intelligence entry on the RSO: the trigger for risk reviews, and for leaving
    reactive management."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="intelligence"
    )
    received_on = models.DateField()
    source = models.CharField(max_length=120)
    grading = models.CharField(max_length=10, help_text="For example 3x5x2 grading: B2 4")
    summary = models.TextField()
    returned_to_active = models.BooleanField(
        default=False, help_text="It ended reactive management"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on"]
        verbose_name_plural = "intelligence"

    def __str__(self) -> str:
        return f"Intelligence {self.received_on:%d %b %Y}"


class RiskSource(models.TextChoices):
    REGISTERED = "registered", "Put on the register"
    CHANGED = "changed", "Risk level changed"
    ARMS = "arms", "ARMS assessment"
    RECORDED = "recorded", "Level held when the history began"


class RiskLevelEntry(VigilModel):
    """The risk level in force from a date: the dated history reactive management reads
    ("assessed low risk throughout" the policy's years). Written by putting a person on the
    register, each change of the level, and each completed ARMS (its priority)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="risk_history"
    )
    effective_on = models.DateField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    source = models.CharField(max_length=12, choices=RiskSource.choices)
    arms = models.ForeignKey(
        "ArmsAssessment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_to_active = models.BooleanField(
        default=False, help_text="A rise that ended reactive management"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_on", "-created_at"]
        verbose_name = "risk level history entry"
        verbose_name_plural = "risk level history"

    def __str__(self) -> str:
        return f"{self.get_level_display()} from {self.effective_on:%d %b %Y}"


class Concern(VigilModel):
    """A concern about an RSO short of intelligence or a breach (a partner's worry, an
    officer's observation): it counts against reactive management, and returns a reactively
    managed RSO to active management with a risk review."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="concerns"
    )
    raised_on = models.DateField()
    details = models.TextField()
    returned_to_active = models.BooleanField(
        default=False, help_text="It ended reactive management"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-created_at"]

    def __str__(self) -> str:
        return f"Concern {self.raised_on:%d %b %Y}"


class ReviewOutcome(models.TextChoices):
    DISCHARGED = "discharged", "Discharged: the requirements end"
    CONTINUED = "continued", "Continued: the requirements remain"


class IndefiniteReview(VigilModel):
    """An RSO's application for review of an indefinite notification requirement (SOA 2003
    ss.91A-F): the force determines it within the policy's weeks; a refusal sets the next
    date the RSO may apply."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="indefinite_reviews"
    )
    applied_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=ReviewOutcome.choices, blank=True)
    rationale = models.TextField(blank=True)

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on"]
        verbose_name = "review of an indefinite requirement"

    def __str__(self) -> str:
        return f"Application for review {self.applied_on:%d %b %Y}"


class MappaMeeting(VigilModel):
    """A MAPPA level 2 or 3 meeting about the RSO (multi-agency management): when it was
    held, the next review it set, and the actions it agreed (`MappaAction`), each an
    obligation until done."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="mappa_meetings"
    )
    level = models.PositiveSmallIntegerField(help_text="2 or 3")
    held_on = models.DateField()
    next_review_on = models.DateField(
        help_text="The review the meeting set (by default the policy's weeks for the level)"
    )
    chair = models.CharField(max_length=150)
    summary = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="registration")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "MAPPA meeting"

    def __str__(self) -> str:
        return f"MAPPA level {self.level} meeting {self.held_on:%-d %b %Y}"


class MappaAction(VigilModel):
    """An action a MAPPA meeting agreed: what, which agency, the officer who sees it done
    (the police owner, or the offender manager for another agency's), and by when."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(MappaMeeting, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=300)
    agency = models.CharField(max_length=100, help_text="Police, Probation, children's services...")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The police officer who owns it, or sees another agency's done",
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(blank=True)

    scope = Scope(through="meeting")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        verbose_name = "MAPPA action"

    def __str__(self) -> str:
        return f"MAPPA action: {self.description[:60]}"
