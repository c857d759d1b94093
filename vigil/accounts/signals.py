"""Security events in the audit log: sign-in, sign-out, failed sign-in, lockout."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from vigil.accounts.models import User
from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record


def _security(event: str, actor: Any, force_id: Any = None, **detail: Any) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditAction.SECURITY, event=event, force_id=force_id, detail=detail
        )


def _named_account(username: str | None) -> tuple[Any, dict[str, Any]]:
    """The force and the username of the account a failed sign-in named. What was typed is
    kept only when it is an account's username: a mistyped field may hold a password."""
    account = User.objects.filter(username=username or "").only("pk", "force_id").first()
    if account is None:
        return None, {"account": "unknown"}
    return account.force_id, {"username": account.username}


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _security("user.signed_in", user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _security("user.signed_out", user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    force_id, detail = _named_account(credentials.get("username"))
    _security("user.sign_in_failed", None, force_id, **detail)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    force_id, detail = _named_account(username)
    _security("user.locked_out", None, force_id, **detail)
