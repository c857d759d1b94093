"""The OCSEA write pages with more to them than one form (vigil/writes.py `WritePage`): the
instrument chosen before its questions, a suspect found by a search, and a referral received
for a person already on record. The guard, the purpose question and the save are the base's;
each declaration in vigil/ocsea/writes.py names its page in `view`."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render

from vigil.accounts.access import get_visible_or_404
from vigil.ocsea import forms as f
from vigil.ocsea import selectors
from vigil.people import selectors as people_selectors
from vigil.people import services as people_services
from vigil.people.models import Nominal
from vigil.writes import WritePage


class _Page(WritePage):
    @property
    def form_class(self) -> Any:  # the declaration's form, with this page's own arguments
        return self.write.form


class InstrumentPage(_Page):
    """Step 1 chooses the instrument when more than one suits the suspects (`?pack_code=`);
    step 2 is the instrument itself, a section per fieldset, built by the declaration's form
    from the pack."""

    def handle(self) -> HttpResponse:
        suitable = selectors.suitable_packs(self.subject)
        code = self.request.GET.get("pack_code") or (suitable[0].code if len(suitable) == 1 else "")
        self.pack: Any = next((p for p in suitable if p.code == code), None)
        if self.pack is None:
            choice = f.PackChoiceForm(self.request.GET or None, packs=suitable)
            return render(
                self.request,
                "ocsea/pack_choice.html",
                {"form": choice, "referral": self.subject, "title": "Choose the instrument"},
            )
        return super().handle()

    def get_title(self) -> str:
        return f"{self.write.title} with {self.pack.name}"

    def get_form(self) -> Any:
        return self.form_class(self.pack, self.posted, initial=self.write.initial(self.subject))

    def get_context_data(self, form: Any) -> dict[str, Any]:
        return {**super().get_context_data(form), "pack": self.pack}


PICKER_SIZE = 20  # people offered at most by the "Add a suspect" search


class SuspectPage(_Page):
    """Add a suspect: search the person records the user may see (the search and the people
    it shows are logged, as on the people pages) and choose one, or enter a new person."""

    def handle(self) -> HttpResponse:
        request: Any = self.request
        self.query = " ".join(request.GET.get("q", "").split())[:100]
        self.matches: list[Nominal] = []
        self.found = 0
        if request.method == "POST":
            # The choice made from the search shown (and logged) before: the search is not
            # run and logged again on every save; only the person chosen, if visible.
            chosen = request.POST.get("nominal", "")
            with suppress(ValidationError, ValueError):  # not a person's id: none chosen
                self.matches = list(Nominal.objects.visible_to(request.user).filter(pk=chosen))
            self.found = len(self.matches)
        elif self.query:
            results = people_selectors.nominal_list(user=request.user, query=self.query)
            self.found = results.count()
            self.matches = list(results[:PICKER_SIZE])
            people_services.nominal_searched(
                actor=request.user,
                query=self.query,
                result_count=self.found,
                shown=self.matches,
                via="ocsea add a suspect",
            )
        return super().handle()

    def get_form(self) -> Any:
        return self.form_class(
            self.posted,
            user=self.request.user,
            matches=self.matches,
            chosen=bool(self.request.POST.get("nominal")),
        )

    def get_context_data(self, form: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(form),
            "query": self.query,
            "found": self.found,
            "shown": len(self.matches),
            "size": PICKER_SIZE,
        }


class ReceivePage(_Page):
    """Receive a referral; from a person's record (`?nominal=`) it is about them, so the page
    asks the purpose for them and does not ask for their details again."""

    def get_people(self) -> list[Nominal]:
        self.nominal = None
        if pk := self.request.GET.get("nominal"):
            self.nominal = get_visible_or_404(Nominal, self.request.user, pk)
        return [self.nominal] if self.nominal else []

    def get_form(self) -> Any:
        return self.form_class(
            self.posted,
            user=self.request.user,
            nominal=self.nominal,
            initial=self.write.initial(None),
        )

    def get_context_data(self, form: Any) -> dict[str, Any]:
        return {**super().get_context_data(form), "nominal": self.nominal}
