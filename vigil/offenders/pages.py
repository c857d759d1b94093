"""The RSO write pages with more to them than one form (vigil/writes.py `WritePage`): work
written over time (saved as a draft or completed), a person put on the register from their
record, and a transfer declined or withdrawn. Each declaration in vigil/offenders/writes.py
names its page in `view`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from vigil.accounts.access import has_verb
from vigil.offenders import selectors
from vigil.offenders.models import Registration
from vigil.writes import WritePage


class DraftPage(WritePage):
    """ARMS assessments and plans are written over time: the page saves a draft ("Save as a
    draft") or completes it; the service says what completion needs."""

    def get_input(self, form: Any) -> dict[str, Any]:
        return {**super().get_input(form), "as_draft": self.request.POST.get("save") == "draft"}

    def get_context_data(self, form: Any) -> dict[str, Any]:
        return {**super().get_context_data(form), "can_draft": True}


class RegisterPage(WritePage):
    """Put a person on the register from their record; one already on it goes to it."""

    def guard(self) -> HttpResponse | None:
        existing = Registration.objects.filter(nominal=self.subject).first()
        if existing is None:
            return None
        messages.info(self.request, "This person is already on the register.")
        return redirect("offenders:rso-detail", pk=existing.pk)


class TransferDeclinePage(WritePage):
    """The receiving force declines a transfer; the sending force withdraws its request: each
    held to its own verb before the form is shown."""

    def guard(self) -> HttpResponse | None:
        if not has_verb(
            self.request.user, selectors.transfer_decline_verb(self.subject, self.request.user)
        ):
            raise PermissionDenied("Your roles do not allow this decision.")
        return None

    def get_title(self) -> str:
        user: Any = self.request.user
        incoming = self.subject.to_force_id == user.force_id
        return "Decline the transfer" if incoming else "Withdraw the request"
