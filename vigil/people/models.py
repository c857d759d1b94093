"""Nominals: the people Vigil's records are about, with aliases, identifiers and addresses.

A nominal is the most sensitive kind of record Vigil holds. Every read goes through
`Nominal.objects.visible_to(user, action)`: the user's force only, and a limited-access
record only for those on its "restricted to" list (when it has one) and never for those on
its "excluded from" list.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from vigil.core.models import Force, VigilModel
from vigil.core.scoping import Scope, ScopedQuerySet

VIEW_VERBS = {
    "view": "view_nominal",
    "change": "record_nominal",
    "restrict": "manage_limited_access",
}


class NominalQuerySet(ScopedQuerySet["Nominal"]):
    def restrict(self, user: Any, action: str) -> NominalQuerySet:
        """The user's force's nominals, less limited-access ones whose lists keep them out."""
        return self.filter(force_id=user.force_id).exclude(_limited_against(user))

    def hidden_from(self, user: Any) -> NominalQuerySet:
        """Limited-access nominals of the user's force that the user must not learn about,
        whatever their roles: the audit log hides these people's events from them too."""
        force_id: Any = getattr(user, "force_id", None)
        # Only a record with a list can keep anyone out: look among those few, not through
        # every record of the force.
        listed = Q(pk__in=Nominal.restricted_to.through.objects.values("nominal_id")) | Q(
            pk__in=Nominal.excluded_from.through.objects.values("nominal_id")
        )
        return self.filter(force_id=force_id).filter(listed).filter(_limited_against(user))

    def search(self, text: str) -> NominalQuerySet:
        """Every word in a name or alias, or the whole text as an identifier or postcode."""
        text = " ".join(text.split())
        whole = Q(identifiers__value__iexact=text) | Q(addresses__postcode__iexact=text)
        words = Q()
        for word in text.split():
            words &= (
                Q(family_name__icontains=word)
                | Q(given_names__icontains=word)
                | Q(aliases__family_name__icontains=word)
                | Q(aliases__given_names__icontains=word)
            )
        return self.filter(whole | words).distinct()


def _limited_against(user: Any) -> Q:
    """True for a nominal whose limited-access lists keep `user` out: excluded from it, or
    not on its "restricted to" list when it has one."""
    restricted = Nominal.restricted_to.through.objects.filter(nominal_id=OuterRef("pk"))
    excluded = Nominal.excluded_from.through.objects.filter(
        nominal_id=OuterRef("pk"), user_id=user.pk
    )
    return Q(Exists(excluded)) | (
        Q(Exists(restricted)) & ~Q(Exists(restricted.filter(user_id=user.pk)))
    )


class Sex(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other or not recorded"


class Nominal(VigilModel):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="nominals")
    family_name = models.CharField(max_length=100)
    given_names = models.CharField(max_length=150)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.OTHER)
    review_date = models.DateField(
        help_text="When the record is next reviewed for retention (MoPI)."
    )
    limited_access = models.BooleanField(default=False)
    limited_access_reason = models.CharField(max_length=300, blank=True)
    restricted_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    excluded_from = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(verbs=VIEW_VERBS)
    objects = NominalQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        indexes = [models.Index(fields=["force", "family_name"], name="nominal_force_family")]

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"

    @property
    def person_id(self) -> Any:
        return self.pk


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    BIRTH_NAME = "birth_name", "Birth or previous name"
    NICKNAME = "nickname", "Nickname"
    ONLINE = "online", "Online identity"


class Alias(VigilModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="aliases")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.ALIAS)
    family_name = models.CharField(max_length=100, blank=True)
    given_names = models.CharField(max_length=150, blank=True)

    scope = Scope(through="nominal")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_names"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}".strip(", ")


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC number"
    CRO = "cro", "CRO number"
    VISOR = "visor", "ViSOR reference"
    MAPPS = "mapps", "MAPPS reference"
    NI = "ni", "National Insurance number"
    LOCAL = "local", "Local force reference"


class Identifier(VigilModel):
    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="identifiers")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    value = models.CharField(max_length=40)

    scope = Scope(through="nominal")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kind", "value"], name="identifier_unique_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class AddressKind(models.TextChoices):
    HOME = "home", "Home address"
    SECONDARY = "secondary", "Other address stayed at"
    NO_FIXED_ABODE = "nfa", "No fixed abode (where usually found)"
    WORK = "work", "Work or study"


class Address(VigilModel):
    """An address the nominal lives at or uses, with the dates it applied (history is kept:
    a new home address ends the previous one rather than overwriting it)."""

    nominal = models.ForeignKey(Nominal, on_delete=models.CASCADE, related_name="addresses")
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.HOME)
    line_1 = models.CharField(max_length=150)
    line_2 = models.CharField(max_length=150, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=10, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    scope = Scope(through="nominal")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="address_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None
