"""A staff record's screening and training follow the person's teams and roles, whether they
are still at work, and whether the force has a wellbeing team: any change to those re-syncs
the staff records it touches (the rules read them; ADR 23). Memberships change through the
accounts services and the administration's inlines alike, so this listens to the models."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from vigil.accounts.models import Membership, User
from vigil.core.models import Team, TeamKind
from vigil.obligations.sync import sync
from vigil.workforce.models import StaffRecord


def _resync(**match: Any) -> None:
    for record in StaffRecord.objects.filter(**match):
        sync(record)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _resync(user_id=instance.user_id)


# What a save of the user may change that the rules read; a save naming only other fields
# (the time of signing in, at every sign-in) re-syncs nothing.
READ_OF_THE_USER = {"is_active", "force", "force_id"}


@receiver(post_save, sender=User)
def user_changed(
    sender: Any, instance: User, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and not READ_OF_THE_USER & set(update_fields)):
        return
    _resync(user_id=instance.pk)  # signed out of work (deactivated) or back


@receiver(post_save, sender=Team)
def team_changed(sender: Any, instance: Team, **kwargs: Any) -> None:
    if instance.kind == TeamKind.WELLBEING:  # the work's owner appears (or changes)
        _resync(force_id=instance.force_id)
