"""Staff, their capacity and their abstractions (issue 13; DOMAIN.md section 4)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from vigil.accounts.access import has_verb
from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet

# Who wellbeing's rules cover (R16): the members of OCSEA and MOSOVO teams are screened; their
# supervisors (by role) have trauma-informed training. One definition for the rules, services
# and pages.
SCREENED_TEAMS = ("ocsea", "mosovo")
SUPERVISOR_ROLES = ("mosovo_supervisor", "ocsea_supervisor")


class Grade(models.TextChoices):
    PC = "pc", "Police constable"
    DC = "dc", "Detective constable"
    PS = "ps", "Police sergeant"
    DS = "ds", "Detective sergeant"
    INSPECTOR = "inspector", "Inspector"
    DI = "di", "Detective inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"
    STAFF = "staff", "Police staff"
    STAFF_MANAGER = "staff_manager", "Police staff manager"


def _teams_of(user: Any) -> Any:
    return user.memberships.values("team_id")


class StaffQuerySet(ScopedQuerySet["StaffRecord"]):
    def restrict(self, user: Any, action: str) -> StaffQuerySet:
        """A role that reads the force's work sees every staff record of the force; a
        supervisor, those of the people in their teams."""
        staff = self.filter(force_id=user.force_id)
        if has_verb(user, "view_force_work"):
            return staff
        return staff.filter(user__memberships__team_id__in=_teams_of(user)).distinct()


class StaffRecord(VigilModel):
    """A member of staff's employment facts for capacity: grade, contracted hours, when they
    started in the role, their supervisor. Their teams are their memberships."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_record"
    )
    grade = models.CharField(max_length=20, choices=Grade.choices)
    contracted_hours = models.DecimalField(
        max_digits=4, decimal_places=1, help_text="Contracted hours a week"
    )
    started_in_role = models.DateField()
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope = Scope(verbs={"view": "view_workforce", "change": "manage_users"})
    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["user__display_name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_hours__gt=0) & Q(contracted_hours__lte=60),
                name="staff_contracted_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_grade_display()})"


class AbstractionReason(VigilModel):
    """Why staff are taken from the team's work (reference data a force keeps)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)

    scope = Scope(reference=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="abstraction_reason_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AbstractionQuerySet(ScopedQuerySet["Abstraction"]):
    def restrict(self, user: Any, action: str) -> AbstractionQuerySet:
        """The force's for a role that reads the force's work; else those of the user's
        teams."""
        found = self.filter(force_id=user.force_id)
        if has_verb(user, "view_force_work"):
            return found
        return found.filter(team_id__in=_teams_of(user))


class Abstraction(VigilModel):
    """Hours a member of staff is taken away from the team's work (a course, a court
    warning, mutual aid), from one date to another: recorded with its reason and who asked
    for it, and reviewed by a manager within the policy's days (R11). A future one is
    scheduled: it counts against capacity only on its dates."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="abstractions"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    reason = models.ForeignKey(AbstractionReason, on_delete=models.PROTECT, related_name="+")
    requested_by = models.CharField(
        max_length=150, help_text="Who asked for the officer (a department, a court, a person)"
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_on = models.DateField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    scope = Scope(verbs={"view": "view_workforce", "change": "manage_abstractions"})
    objects = AbstractionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-created_at"]
        indexes = [models.Index(fields=["person", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="abstraction_ends_after"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="abstraction_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.hours} hours, {self.starts_on:%-d %b %Y}"


class ForecastKind(models.TextChoices):
    MOSOVO = "mosovo", "MOSOVO: the register and offender managers"
    OCSEA = "ocsea", "OCSEA: referrals and investigators"


class ForecastRun(VigilModel):
    """One run of the force's five-year demand forecast (R10, R4): what went in, the method
    its backtest chose and how well it did, and the years it forecast with P10, P50 and P90.
    Kept, so this year's forecast can be set beside last year's and beside what happened."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ForecastKind.choices)
    made_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    horizon_years = models.PositiveSmallIntegerField()
    source = models.CharField(
        max_length=20, help_text="records: the force's own records; aggregate: counts only"
    )
    method = models.CharField(max_length=80)
    backtest_mae = models.FloatField(null=True, blank=True)
    backtest_mape = models.FloatField(null=True, blank=True)
    backtest_origins = models.PositiveSmallIntegerField(default=0)
    backtest = models.JSONField(
        default=dict,
        blank=True,
        help_text="The baselines' errors on the same years, how often the band held, and "
        "(when the force's history is short) the methods on a public national series",
    )
    policy_version = models.CharField(max_length=64)
    inputs = models.JSONField(default=dict, help_text="The series and rates it was given")
    years = models.JSONField(default=list, help_text="Each year ahead, with its bands")
    establishment = models.FloatField(
        null=True, blank=True, help_text="Full-time equivalents today, net of abstractions"
    )

    scope = Scope(verbs={"view": "view_workforce"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-made_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.made_on:%-d %b %Y}"


class FollowUp(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    OFFERED_TAKEN_UP = "taken_up", "Offered and taken up"
    OFFERED_DECLINED = "declined", "Offered and declined"


class ScreeningRecord(VigilModel):
    """That a member of staff had their psychological screening, when, and whether follow-up
    support was offered and taken up (R16). Never the result: this is health information,
    kept to the minimum, and only the wellbeing lead sees a person's."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_on = models.DateField()
    follow_up = models.CharField(max_length=12, choices=FollowUp.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(verbs={"view": "manage_wellbeing"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-screened_on"]

    def __str__(self) -> str:  # also the audit log's name for it: no date, no follow-up
        return f"Screening of {self.person}"


class TrainingRecord(VigilModel):
    """A supervisor's trauma-informed training, and when (R16)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainings"
    )
    completed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(verbs={"view": "manage_wellbeing"})
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self) -> str:
        return f"Trauma-informed training of {self.person}, {self.completed_on:%-d %b %Y}"


class ExposureQuerySet(ScopedQuerySet["ExposureEntry"]):
    def restrict(self, user: Any, action: str) -> ExposureQuerySet:
        """One's own (the wellbeing lead reads everyone's totals on the wellbeing page)."""
        return self.filter(force_id=user.force_id, person=user)


class ExposureEntry(VigilModel):
    """How much indecent-image review an OCSEA officer did in a week (optional, their own
    record), for the wellbeing lead's view of exposure: the volume, never what was seen."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="exposures"
    )
    week_starting = models.DateField(help_text="The Monday of the week")
    images_reviewed = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    scope = Scope(verbs={"view": "record_exposure"})
    objects = ExposureQuerySet.as_manager()

    class Meta:
        ordering = ["-week_starting"]
        constraints = [
            models.UniqueConstraint(fields=["person", "week_starting"], name="exposure_one_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.person}: week of {self.week_starting:%-d %b %Y}"
