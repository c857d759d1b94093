"""Row-level access: the one guard every record with a force goes through.

Each such model declares how its rows are scoped, once, as a class attribute `scope`:

- a **root** record (a nominal, a referral, an obligation...) names the verb each action
  needs, and its queryset refines `restrict` (limited-access lists, the suspects of a
  referral, a transfer seen by both forces);
- a **child** record (a visit, a bail extension, a family member...) names the parent it is
  scoped `through`: it is visible exactly when its parent is, for the same action;
- **reference** data of a force (areas, teams, officers, support organisations) is visible
  to anyone signed in to that force.

`ScopedQuerySet.visible_to(user, action)` applies the declaration; every page, API view,
export and selector starts from it (`vigil.accounts.access.get_visible_or_404` for one
record), so a row the user may not see is absent everywhere: a 404, never a 403 that
confirms it exists. `tests/test_scoping.py` fails for any model with a force that does not
declare its scope. (After netbox's `RestrictedQuerySet.restrict()`.)

The kernel imports nothing of Vigil: a user's verbs come from the user object (`verbs`,
which the accounts app provides).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """How one model's rows are scoped (exactly one of `verbs`, `through`, `reference`)."""

    # action -> the verb it needs; an action not named here shows nothing (a root that is
    # changed through another action must name its verb for it)
    verbs: Mapping[str, str] = field(default_factory=dict)
    through: str = ""  # the foreign key to the parent this child is scoped through
    reference: bool = False  # force reference data: anyone signed in to the force

    def __post_init__(self) -> None:
        kinds = sum((bool(self.verbs), bool(self.through), self.reference))
        if kinds > 1:
            raise ValueError("A scope is a root's verbs, a child's parent, or reference data")
        if self.verbs and "view" not in self.verbs:
            raise ValueError("A root scope names the verb for 'view'")


ROOT_WITHOUT_VERB = Scope()  # a root any member of the force may see (its restrict refines)


def scope_of(model: type[models.Model]) -> Scope | None:
    found = getattr(model, "scope", None)
    return found if isinstance(found, Scope) else None


def verbs_held(user: Any) -> frozenset[str]:
    return frozenset(getattr(user, "verbs", None) or ())


def signed_in_force(user: Any) -> Any:
    """The user's force id, or None for no user, an anonymous or inactive one, or none."""
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return None
    return getattr(user, "force_id", None)


class ScopedQuerySet(models.QuerySet[M], Generic[M]):
    """The queryset of every model with a force (see the module's docstring)."""

    def visible_to(self, user: Any, action: str = "view") -> Self:
        """The rows `user` may see and, for another action ("change", "restrict"...), act on."""
        scope = scope_of(self.model)
        if scope is None:
            raise TypeError(f"{self.model._meta.label} declares no scope")
        if scope.through:
            parent: Any = self.model._meta.get_field(scope.through).related_model
            visible = parent._default_manager.visible_to(user, action)
            return self.filter(**{f"{scope.through}__in": visible})
        force_id = signed_in_force(user)
        if force_id is None:
            return self.none()
        if scope.reference:
            return self.filter(force_id=force_id)
        if scope.verbs:
            held = verbs_held(user)
            verb = scope.verbs.get(action)
            if verb is None or verb not in held or scope.verbs["view"] not in held:
                return self.none()
        return self.restrict(user, action)

    def restrict(self, user: Any, action: str) -> Self:
        """A root's rows for a signed-in user holding the verbs: its force's. Roots with
        more to say (limited access, records seen by two forces) refine this."""
        return self.filter(force_id=user.force_id)
