"""Access: which verbs a user holds, and the one chokepoint pages use to fetch a record.

Row-level access is each model's declared scope (vigil/core/scoping.py), applied by
`visible_to(user, action)`. Pages and the API fetch single records through
`get_visible_or_404`, API lists through `ScopedViewSetMixin` (vigil/accounts/api/viewsets.py)
and exports through their selectors: each starts from `visible_to`, so a row the user may not
see is a 404 everywhere, never a 403 that confirms it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from vigil.accounts.models import User

AnyUser = User | AnonymousUser


def verbs_of(user: AnyUser | None) -> frozenset[str]:
    """The verbs a user holds through all their memberships (cached on the user object)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    return user.verbs


def has_verb(user: AnyUser | None, verb: str) -> bool:
    return verb in verbs_of(user)


def has_any_verb(user: AnyUser | None, *verbs: str) -> bool:
    return bool(verbs_of(user).intersection(verbs))


M = TypeVar("M", bound=models.Model)


def get_visible_or_404(
    model: type[M],
    user: AnyUser,
    pk: Any,
    action: str = "view",
    *,
    related: tuple[str, ...] = (),
    where: Q | None = None,
    **within: Any,
) -> M:
    """The chokepoint for one record, pages and API alike: 404 unless the model's scope
    (`visible_to(user, action)`, vigil/core/scoping.py) holds it, and, given `within`
    (`bail=bail`), unless it belongs to the record in the path; given `where` (a draft still
    a draft), unless it meets it. A child record is found through its own scope: no caller
    re-implements "through its parent"."""
    manager: Any = model._default_manager
    try:
        found = manager.visible_to(user, action).filter(where or Q(), **within)
        obj: M = (found.select_related(*related) if related else found).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:  # type: ignore[attr-defined]
        raise Http404("No such record.") from exc
    return obj


# Apps that hold people's records register how to tell which people a user must not learn
# about (limited-access records they are kept out of). Records about those people elsewhere
# (audit events, obligations) are hidden from the user too, whatever the user's roles; the
# lower layers cannot import the apps that hold people, so they ask here.
HiddenPersons = Callable[[Any], "models.QuerySet[Any]"]
_hidden_person_sources: list[HiddenPersons] = []


def register_hidden_persons(source: HiddenPersons) -> HiddenPersons:
    _hidden_person_sources.append(source)
    return source


def hidden_persons(user: Any) -> list[models.QuerySet[Any]]:
    """Querysets of the ids of people `user` must not learn about."""
    return [source(user) for source in _hidden_person_sources]


ViewFunc = Callable[..., HttpResponse]


def verb_required(*verbs: str) -> Callable[[ViewFunc], ViewFunc]:
    """A page needs at least one of these verbs; without them the answer is 403.

    (403, not 404, because the page itself is no secret; records behind it are scoped.)
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_any_verb(request.user, *verbs):  # type: ignore[arg-type]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_verbs = verbs  # type: ignore[attr-defined]
        return wrapped

    return decorator
