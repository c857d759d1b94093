"""The base model every Vigil record stands on, and the organisation: force, area, team."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models

from vigil.core.scoping import Scope, ScopedQuerySet


class VigilModel(models.Model):
    """UUID key (no guessable sequence in URLs), creation and update times, and a version
    number for optimistic concurrency: a service writes only if the version it read is still
    the stored one, so two officers editing one record never silently lose an update."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Force(VigilModel):
    """A territorial police force. Every record that can name a person carries its force."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(VigilModel):
    """A local policing area or a command within a force."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=200)

    scope = Scope(reference=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["force__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="area_unique_name_in_force")
        ]

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    OCSEA = "ocsea", "OCSEA"
    CHILD_ABUSE = "child_abuse", "Child abuse investigation"
    MOSOVO = "mosovo", "MOSOVO"
    LOCAL_POLICING = "local_policing", "Local policing"
    PROBATION_PARTNER = "probation_partner", "Probation partner"
    PCC_OFFICE = "pcc_office", "PCC office"
    WELLBEING = "wellbeing", "Wellbeing"
    HEADQUARTERS = "headquarters", "Headquarters"


class Team(VigilModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="teams")
    # Denormalised from the area so that scoping by force is one indexed predicate.
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=TeamKind.choices)

    scope = Scope(reference=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["force__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="team_unique_name_in_force")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.force_id = self.area.force_id
        super().save(*args, **kwargs)
