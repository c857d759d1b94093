"""OCSEA referrals and investigations (DOMAIN.md section 2): a referral is received, triaged
with an instrument (KIRAT or the prioritisation tool), actioned within its band's time,
investigated with risk reviews (and OCSEA oversight when another team owns it), enforced, and
closed with an outcome for every suspect. Suspects arrested may be bailed (PACE ss.47ZA-47ZM)
or released under investigation; their families are offered support.

A referral is one obligation subject (its clocks, reviews, arrest decisions and family
support); each bail is another (its periods, condition checks and expiry review), so that
every bail obligation names its suspect. Every row carries its force; reads go through
`visible_to(user)`, which needs `view_ocsea` and follows the suspects' own access."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from vigil.core.models import Area, Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet
from vigil.instruments.models import Assessment
from vigil.obligations.models import RiskLevel
from vigil.people.models import Nominal

INSTRUMENT_KIND = "ocsea_prioritisation"  # the kind of instrument pack that triages referrals


class Source(models.TextChoices):
    NCA_CEOP = "nca_ceop", "NCA / CEOP"
    NCMEC = "ncmec", "NCMEC CyberTipline (via the NCA)"
    OTHER_FORCE = "other_force", "Another force"
    INTERNAL = "internal", "Internal intelligence"
    PUBLIC = "public", "Member of the public"
    OTHER = "other", "Other"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Awaiting triage"
    TRIAGED = "triaged", "Triaged"
    INVESTIGATING = "investigating", "Under investigation"
    CLOSED = "closed", "Closed"


class ActionClockStart(models.TextChoices):
    RECEIPT = "receipt", "Receipt"
    ASSESSMENT = "assessment", "Assessment"


class ReferralQuerySet(ScopedQuerySet["Referral"]):
    def restrict(self, user: Any, action: str) -> ReferralQuerySet:
        """Referrals of the user's force none of whose suspects the user is kept out of by
        limited access. The people kept from the user are few (limited access is the
        exception) and read first, as the obligations' scope reads them: as a subquery,
        PostgreSQL misjudged them by thousands and scanned every suspect in the deployment
        (95 ms at national scale, bench/); with none, the scope is the force alone."""
        referrals = self.filter(force_id=user.force_id)
        hidden = list(Nominal.objects.hidden_from(user).values_list("pk", flat=True))
        if not hidden:
            return referrals
        about_hidden = Suspect.objects.filter(referral_id=OuterRef("pk"), nominal_id__in=hidden)
        return referrals.exclude(Exists(about_hidden))


class Referral(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20, help_text="Vigil's reference, e.g. OC-2026-00042")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_reference = models.CharField(max_length=60, blank=True)
    other_references = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField()
    summary = models.TextField()
    category_a = models.PositiveIntegerField(default=0, help_text="Category A images or videos")
    category_b = models.PositiveIntegerField(default=0)
    category_c = models.PositiveIntegerField(default=0)
    ocsea_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", help_text="The OCSEA team overseeing it"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="referrals", help_text="The owning team"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ocsea_cases",
    )
    allocated_on = models.DateField(null=True, blank=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    band = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    status = models.CharField(
        max_length=15, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    linked_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="linked"
    )
    actioned_on = models.DateField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    planned_enforcement_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True)

    scope = Scope(verbs={"view": "view_ocsea"})
    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["force", "reference"], name="referral_reference_once")
        ]
        indexes = [
            models.Index(fields=["force", "status"], name="referral_force_status"),
            models.Index(fields=["team"], name="referral_team"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def owned_elsewhere(self) -> bool:
        """Owned by a team other than the OCSEA teams (R3: stays under OCSEA oversight)."""
        return self.team.kind != "ocsea"


class AgeGroup(models.TextChoices):
    ADULT = "adult", "Adult"
    CHILD = "child", "Child (under 18)"


class ArrestDecision(models.TextChoices):
    PENDING = "", "Not yet decided"
    ARRESTED = "arrested", "Arrested"
    NOT_ARRESTED = "not_arrested", "Not arrested"


class Outcome(models.TextChoices):
    NONE = "", "No outcome yet"
    CHARGED = "charged", "Charged"
    CAUTIONED = "cautioned", "Cautioned"
    NFA = "nfa", "No further action"
    OTHER = "other", "Other outcome"


class Suspect(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="suspects")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="ocsea_suspects")
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices)
    online_identifiers = models.TextField(
        blank=True, help_text="E-mail addresses, user names, IP addresses: one per line"
    )
    arrest_decision = models.CharField(
        max_length=15, choices=ArrestDecision.choices, blank=True, default=""
    )
    arrest_decided_on = models.DateField(null=True, blank=True)
    arrest_decisions = models.PositiveIntegerField(
        default=0,
        help_text="How many decisions have been recorded (each needs its own ratification)",
    )
    arrest_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arrest_rationale = models.TextField(blank=True)
    ratified_on = models.DateField(null=True, blank=True)
    ratified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratification_note = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    outcome_on = models.DateField(null=True, blank=True)
    outcome_detail = models.TextField(blank=True)

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "nominal"], name="suspect_once_per_referral"
            )
        ]

    def __str__(self) -> str:
        return str(self.nominal)

    def identifiers(self) -> set[str]:
        return {
            line.strip().lower() for line in self.online_identifiers.splitlines() if line.strip()
        }


class ChildAtRisk(VigilModel):
    """A child the referral suggests is at risk (named or described), and when safeguarded."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="children")
    description = models.CharField(max_length=200, help_text="Name, or how the child is known")
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    safeguarded_on = models.DateField(null=True, blank=True)

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "children at risk"

    def __str__(self) -> str:
        return self.description


class ReviewKind(models.TextChoices):
    TRIAGE = "triage", "Triage"
    PERIODIC = "periodic", "Periodic review"
    PRE_ENFORCEMENT = "pre_enforcement", "Before enforcement"
    INTELLIGENCE = "intelligence", "On new intelligence"


class RiskReview(VigilModel):
    """An intelligence and risk review (R2): at triage the instrument sets the band; a later
    review may re-run the instrument or keep the band, and a changed band moves the clocks."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    band = models.CharField(max_length=10, choices=RiskLevel.choices)
    previous_band = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    notes = models.TextField(blank=True)

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reviewed_on:%d %b %Y}"


class Intelligence(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="intelligence")
    received_on = models.DateField()
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "created_at"]
        verbose_name_plural = "intelligence"

    def __str__(self) -> str:
        return f"Intelligence {self.received_on:%d %b %Y}"


class Allocation(VigilModel):
    """Who owned the investigation from when: the allocation history."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated_on = models.DateField()
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["allocated_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.team} from {self.allocated_on:%d %b %Y}"


class OversightReview(VigilModel):
    """An OCSEA supervisor's review of an investigation another team owns (R3)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="oversight")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField()

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "created_at"]

    def __str__(self) -> str:
        return f"Oversight review {self.reviewed_on:%d %b %Y}"


class EnforcementOutcome(models.TextChoices):
    COMPLETED = "completed", "Completed: suspect present"
    SUSPECT_ABSENT = "suspect_absent", "Suspect not present"
    NO_TRACE = "no_trace", "Suspect not traced at the address"
    OTHER = "other", "Other"


class SupportOrganisation(VigilModel):
    """Reference data kept by the force: who a suspect's family can be signposted to."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    scope = Scope(reference=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="support_org_once_in_force")
        ]

    def __str__(self) -> str:
        return self.name


class Leaflet(VigilModel):
    """Reference data: a leaflet with contact details given to a suspect's family."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    edition = models.CharField(max_length=40, blank=True)
    organisation = models.ForeignKey(
        SupportOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    active = models.BooleanField(default=True)

    scope = Scope(reference=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.edition})" if self.edition else self.title


class Enforcement(VigilModel):
    """A warrant or other enforcement, and the support offered to the suspect's family."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="enforcements")
    enforced_on = models.DateField()
    warrant = models.BooleanField(default=True)
    warrant_reference = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(max_length=20, choices=EnforcementOutcome.choices)
    devices_seized = models.PositiveIntegerField(default=0)
    children_safeguarded = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    family_present = models.BooleanField(
        default=False, help_text="The suspect lives with or has contact with family members"
    )
    support_signposted_on = models.DateField(null=True, blank=True)
    support_organisation = models.ForeignKey(
        SupportOrganisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    leaflet_given_on = models.DateField(null=True, blank=True)
    leaflet = models.ForeignKey(
        Leaflet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    welfare_pack_on = models.DateField(null=True, blank=True)

    scope = Scope(through="referral")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enforced_on", "created_at"]

    def __str__(self) -> str:
        return f"Enforcement {self.enforced_on:%d %b %Y}"


class Relationship(models.TextChoices):
    PARTNER = "partner", "Partner or spouse"
    CHILD = "child", "Child"
    STEPCHILD = "stepchild", "Stepchild"
    PARENT = "parent", "Parent or carer"
    SIBLING = "sibling", "Sibling"
    OTHER_CHILD = "other_child", "Other child in contact"
    OTHER_ADULT = "other_adult", "Other adult"


class AgeBand(models.TextChoices):
    UNDER_5 = "under_5", "Under 5"
    AGE_5_11 = "5_11", "5 to 11"
    AGE_12_17 = "12_17", "12 to 17"
    ADULT = "adult", "18 or over"


class FamilyMember(VigilModel):
    """A household member or family in contact (no name needed: relationship and age band),
    and any vulnerability found, with the multi-agency referral form (MARF) it calls for."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    enforcement = models.ForeignKey(Enforcement, on_delete=models.PROTECT, related_name="family")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices)
    lives_with_suspect = models.BooleanField(default=True)
    vulnerability_identified_on = models.DateField(null=True, blank=True)
    vulnerability = models.TextField(blank=True)
    marf_submitted_on = models.DateField(null=True, blank=True)
    marf_reference = models.CharField(max_length=60, blank=True)

    scope = Scope(through="enforcement")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} ({self.get_age_band_display()})"


# --- Bail (PACE 1984 ss.47ZA-47ZM) ------------------------------------------------------------


class BailKind(models.TextChoices):
    BAIL = "bail", "Pre-charge bail"
    RUI = "rui", "Released under investigation"


class BailEnd(models.TextChoices):
    CHARGED = "charged", "Charged"
    NFA = "nfa", "No further action"
    RUI = "rui", "Released under investigation"
    BAILED = "bailed", "Bailed (from RUI)"
    OTHER = "other", "Other"


class Bail(VigilModel):
    """A suspect's pre-charge bail (with its statutory clock) or release under
    investigation (no conditions, no statutory clock, a local review date)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    suspect = models.ForeignKey(Suspect, on_delete=models.PROTECT, related_name="bails")
    kind = models.CharField(max_length=5, choices=BailKind.choices)
    arrested_on = models.DateField(null=True, blank=True)
    start_date = models.DateField(
        help_text="Bail start date (the day after arrest, s.47ZB(4)(a)); for RUI, the release"
    )
    designated = models.BooleanField(
        default=False, help_text="An NCA, SFO, FCA or HMRC case: the first period is 6 months"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=BailEnd.choices, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    continues = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continued_by",
        help_text="For a bail from release under investigation: the release it followed",
    )
    rebailed_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a bail from release under investigation: the day of release on bail "
        "(the clock still runs from the bail start date, the day after the arrest: ADR 13)",
    )
    rearrested_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the suspect was arrested again for the offence, if they were: "
        "it does not move the bail start date (ADR 13)",
    )

    scope = Scope(through="suspect")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "created_at"]
        indexes = [models.Index(fields=["force", "area", "ended_on"], name="bail_force_area_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def in_force_from(self) -> date:
        """The first day of this bail or release: the day of release on bail for a bail from
        release under investigation, otherwise the start date."""
        return self.rebailed_on or self.start_date

    def clock_extensions(self) -> list[BailExtension]:
        """The extensions that set this bail's applicable bail periods. The applicable bail
        period is the person's, for the offence they were arrested for (PACE s.47ZB): a bail
        from release under investigation continues the clock of the arrest, with the
        extensions granted on any earlier bail after that arrest (ADR 13)."""
        own = list(self.extensions.all())
        if self.continues_id is None:
            return own
        earlier = BailExtension.objects.filter(
            bail__suspect_id=self.suspect_id,
            bail__arrested_on=self.arrested_on,
            bail__kind=BailKind.BAIL,
            bail__created_at__lt=self.created_at,
        ).exclude(bail_id=self.pk)
        return [*earlier, *own]


class Rank(models.TextChoices):
    """Police ranks in order, for the authority an extension of bail needs."""

    CONSTABLE = "constable", "Constable"
    SERGEANT = "sergeant", "Sergeant"
    INSPECTOR = "inspector", "Inspector"
    CHIEF_INSPECTOR = "chief_inspector", "Chief inspector"
    SUPERINTENDENT = "superintendent", "Superintendent"
    CHIEF_SUPERINTENDENT = "chief_superintendent", "Chief superintendent"
    ACC = "acc", "Assistant chief constable"
    DCC = "dcc", "Deputy chief constable"
    CHIEF_CONSTABLE = "chief_constable", "Chief constable"


RANK_ORDER = {code: position for position, code in enumerate(Rank.values)}


class ExtensionStage(models.TextChoices):
    INSPECTOR = "inspector", "Inspector's extension (to 6 months)"
    SUPERINTENDENT = "superintendent", "Superintendent's extension (to 9 months)"
    COURT = "court", "Magistrates' court extension"


class BailExtension(VigilModel):
    """An extension of the applicable bail period: by an inspector (s.47ZD), a superintendent
    (s.47ZDA) or a magistrates' court (ss.47ZF-47ZG). A court application made in time and not
    yet decided keeps the period running (s.47ZJ): `court_end_date` is empty until then."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    bail = models.ForeignKey(Bail, on_delete=models.PROTECT, related_name="extensions")
    stage = models.CharField(max_length=15, choices=ExtensionStage.choices)
    authorised_on = models.DateField(help_text="Authorised, or for the court applied for")
    authoriser_name = models.CharField(max_length=150, blank=True)
    authoriser_rank = models.CharField(max_length=25, choices=Rank.choices, blank=True)
    grounds_to_suspect = models.BooleanField(default=False)
    further_time_needed = models.BooleanField(default=False)
    diligent_and_expeditious = models.BooleanField(default=False)
    bail_necessary_and_proportionate = models.BooleanField(default=False)
    court_order_reference = models.CharField(max_length=60, blank=True)
    court_decided_on = models.DateField(null=True, blank=True)
    court_end_date = models.DateField(null=True, blank=True)
    court_refused = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(through="bail")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["authorised_on", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.authorised_on:%d %b %Y}"

    @property
    def court_pending(self) -> bool:
        return (
            self.stage == ExtensionStage.COURT
            and self.court_end_date is None
            and not self.court_refused
        )


class ConditionKind(models.TextChoices):
    RESIDENCE = "residence", "Reside at an address"
    CURFEW = "curfew", "Curfew"
    NO_CONTACT = "no_contact", "No contact with named people"
    NO_UNSUPERVISED_CONTACT = "no_unsupervised_contact", "No unsupervised contact with children"
    EXCLUSION = "exclusion", "Not to enter an area or place"
    DEVICES = "devices", "Internet-enabled devices"
    PASSPORT = "passport", "Surrender passport"
    REPORTING = "reporting", "Report to a police station"
    OTHER = "other", "Other"


class VictimViews(models.TextChoices):
    SOUGHT = "sought", "Sought"
    NOT_PRACTICABLE = "not_practicable", "Not practicable"
    NOT_APPLICABLE = "not_applicable", "No victim affected"


class BailCondition(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    bail = models.ForeignKey(Bail, on_delete=models.PROTECT, related_name="conditions")
    kind = models.CharField(max_length=30, choices=ConditionKind.choices)
    text = models.TextField()
    protects = models.CharField(
        max_length=200, blank=True, help_text="The people or places it protects"
    )
    victims_views = models.CharField(max_length=20, choices=VictimViews.choices)
    imposed_on = models.DateField()
    removed_on = models.DateField(null=True, blank=True)

    scope = Scope(through="bail")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["imposed_on", "created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def in_force_on(self, day: date) -> bool:
        return self.imposed_on <= day and (self.removed_on is None or self.removed_on >= day)


class CheckMethod(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Telephone"
    DEVICE = "device", "Device check"
    PARTNER = "partner", "Partner agency"
    OTHER = "other", "Other"


class CheckResult(models.TextChoices):
    COMPLIED = "complied", "Complying"
    BREACH = "breach", "Breach found"
    NO_CONTACT = "no_contact", "Could not check"


class ConditionCheck(VigilModel):
    """A proactive check of bail conditions (R6). A breach found raises an action."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    bail = models.ForeignKey(Bail, on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField()
    method = models.CharField(max_length=15, choices=CheckMethod.choices)
    result = models.CharField(max_length=15, choices=CheckResult.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    breach_actioned_on = models.DateField(null=True, blank=True)
    breach_action = models.TextField(blank=True)

    scope = Scope(through="bail")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["checked_on", "created_at"]

    def __str__(self) -> str:
        return f"Condition check {self.checked_on:%d %b %Y}"


class RuiReview(VigilModel):
    """A review of a suspect released under investigation (local cadence)."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    bail = models.ForeignKey(Bail, on_delete=models.PROTECT, related_name="rui_reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField()

    scope = Scope(through="bail")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "created_at"]

    def __str__(self) -> str:
        return f"RUI review {self.reviewed_on:%d %b %Y}"
