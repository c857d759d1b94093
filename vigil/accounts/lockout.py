"""Sign-in lockout by the pair (username, client address), with a higher ceiling for the
account from every address (ADR 14).

Locking by username alone let anyone lock any officer out with five wrong passwords. Here
the failures of one username from one address lock that pair after `AXES_FAILURE_LIMIT`
(`VIGIL_LOCKOUT_FAILURES`, 5): the officer at their own desk is not locked out by someone
guessing elsewhere. The account as a whole locks after `VIGIL_LOCKOUT_ACCOUNT_FAILURES`
(default 25) failures from any addresses, so a password is not guessed slowly from many.
django-axes counts the failures (`AXES_LOCKOUT_PARAMETERS` lists both ways of counting, in
this order); this handler only decides which count meets which limit."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum

PAIR, ACCOUNT = 0, 1  # the order of AXES_LOCKOUT_PARAMETERS


def _sum(attempts: Any) -> int:
    return int(attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)


class PairThenAccountHandler(AxesDatabaseHandler):  # type: ignore[misc]
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count against the pair's limit: the pair's own, or the limit
        itself once the account has reached its higher ceiling."""
        counts = [_sum(a) for a in self.get_user_attempts(request, credentials)]
        pair = counts[PAIR] if counts else 0
        account = counts[ACCOUNT] if len(counts) > ACCOUNT else 0
        if account >= settings.VIGIL_LOCKOUT_ACCOUNT_FAILURES:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair
