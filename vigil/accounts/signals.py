"""Security events in the audit log: sign-in, sign-out, failed sign-in, lockout."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from vigil.audit.models import AuditAction
from vigil.audit.services import audit_record


def _security(event: str, actor: Any, **detail: Any) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.SECURITY, event=event, detail=detail)


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _security("user.signed_in", user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _security("user.signed_out", user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    _security("user.sign_in_failed", None, username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    _security("user.locked_out", None, username=(username or "")[:150])
