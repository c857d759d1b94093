"""Users, their memberships (team + role), and roles as bundles of business verbs."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from vigil.core.models import Force, Team, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet


class UserQuerySet(ScopedQuerySet["User"]):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user...) over the scoped queryset."""


class Verb(models.Model):
    """A business permission (`view_nominal`, `export_audit`). Created by migrations."""

    code = models.SlugField(max_length=60, primary_key=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Role(models.Model):
    """A bundle of verbs that a membership confers. Created by migrations."""

    code = models.SlugField(max_length=60, primary_key=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    verbs = models.ManyToManyField(Verb, related_name="roles", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Belongs to one force; never sees another force's records."""

    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    display_name = models.CharField(max_length=150, blank=True)
    collar_number = models.CharField(max_length=20, blank=True)

    scope = Scope(reference=True)  # the officers of one's own force (names, to allocate)
    objects: ClassVar[ScopedUserManager] = ScopedUserManager()

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def verbs(self) -> frozenset[str]:
        """The verbs the user holds through all their memberships (read once per object);
        none for an inactive user."""
        if not self.is_active:
            return frozenset()
        cached: frozenset[str] | None = self.__dict__.get("_vigil_verbs")
        if cached is None:
            cached = frozenset(
                User.objects.filter(pk=self.pk, memberships__role__verbs__isnull=False).values_list(
                    "memberships__role__verbs__code", flat=True
                )
            )
            self.__dict__["_vigil_verbs"] = cached
        return cached


class Membership(VigilModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")

    class Meta:
        ordering = ["user__username", "team__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "role"], name="membership_unique_user_team_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} · {self.team}"
