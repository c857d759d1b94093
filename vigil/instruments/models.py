"""A completed instrument (KIRAT, the prioritisation tool): what was answered, under which
version of which pack, and what it came to.

An assessment keeps its answers, the points each answer scored, the total, the band, any
override that forced the band, and the pack's code, name, version and digest at the time: a
later change to the pack never rewrites what an assessor found."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from vigil.core.models import Force, VigilModel
from vigil.core.scoping import ROOT_WITHOUT_VERB, ScopedQuerySet


class AssessmentQuerySet(ScopedQuerySet["Assessment"]):
    def restrict(self, user: Any, action: str) -> AssessmentQuerySet:
        """An assessment is visible exactly when what it assesses is (its `subject_type` is
        the subject model's label, e.g. "ocsea.referral")."""
        found = self.filter(force_id=user.force_id)
        visible = models.Q(pk__in=[])
        for label in found.values_list("subject_type", flat=True).distinct().order_by():
            try:
                subject: Any = apps.get_model(label)
            except (LookupError, ValueError):
                continue  # a subject no longer known: nothing of it is shown
            if not hasattr(subject._default_manager, "visible_to"):
                continue
            visible |= models.Q(
                subject_type=label,
                subject_id__in=subject._default_manager.visible_to(user, action).values("pk"),
            )
        return found.filter(visible)


class Assessment(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    pack_code = models.SlugField(max_length=60)
    pack_name = models.CharField(max_length=200)
    pack_version = models.CharField(max_length=40)
    pack_digest = models.CharField(max_length=64, help_text="SHA-256 of the pack file as used")
    subject_type = models.CharField(max_length=80, help_text="What it assesses ('ocsea.referral')")
    subject_id = models.UUIDField()
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    answers = models.JSONField(default=dict, help_text="Item id -> option id")
    item_points = models.JSONField(default=dict, help_text="Item id -> points scored")
    flags = models.JSONField(default=list, help_text="Flags the answers raised")
    score = models.IntegerField()
    band = models.CharField(max_length=20)
    band_label = models.CharField(max_length=60)
    timescale_key = models.CharField(
        max_length=120, blank=True, help_text="The policy key the band's timescale comes from"
    )
    override_item = models.CharField(max_length=60, blank=True)
    override_reason = models.CharField(max_length=300, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField()
    notes = models.TextField(blank=True)

    scope = ROOT_WITHOUT_VERB  # the subject's scope decides (restrict)
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["assessed_at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="assessment_subject")]

    def __str__(self) -> str:
        return f"{self.pack_name} {self.pack_version}: {self.band_label}"
