"""The RSO pages a week's work goes through: putting a person on the register, changing
the record, breaches, the supervisor's queue, and transfers between teams and forces."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from vigil.accounts.models import Role
from vigil.accounts.roles import RoleCode
from vigil.accounts.services import membership_add, user_create
from vigil.audit.models import AuditEvent
from vigil.audit.purpose import SESSION_KEY
from vigil.core.models import Force, Team, TeamKind
from vigil.obligations.models import Obligation
from vigil.obligations.status import obligation_status as status_of
from vigil.offenders.models import Breach, Registration, Transfer
from vigil.people import services as people


def _client(world: Any, persona: str, *nominals: Any) -> Client:
    client = Client()
    client.force_login(world.users[persona] if isinstance(persona, str) else persona)
    session = client.session
    session[SESSION_KEY] = {str(n.pk): {"purpose": "supervision", "detail": ""} for n in nominals}
    session.save()
    return client


def _date(prefix: str, day: int, month: int, year: int) -> dict[str, str]:
    return {f"{prefix}_day": str(day), f"{prefix}_month": str(month), f"{prefix}_year": str(year)}


def test_a_person_is_put_on_the_register_from_their_record(world: Any) -> None:
    om = world.users["offender_manager"]
    person = people.nominal_create(actor=om, family_name="Tremlowe", given_names="Idris")
    client = _client(world, "offender_manager", person)
    detail = client.get(reverse("people:nominal-detail", kwargs={"pk": person.pk}))
    url = reverse("offenders:registration-create", kwargs={"pk": person.pk})
    assert url in detail.content.decode()
    refused = client.post(url, {"disposal": "caution"})
    assert refused.status_code == 200
    assert "Select" in refused.content.decode() or "Enter" in refused.content.decode()
    assert not Registration.objects.filter(nominal=person).exists()
    team = om.memberships.get().team
    response = client.post(
        url,
        {
            "team": team.pk,
            "offender_manager": om.pk,
            "register_reference": "syn-77",
            **_date("conviction_date", 2, 3, 2026),
            **_date("registration_date", 9, 3, 2026),
            "disposal": "custody_6_months_or_less",
            "under_18_at_conviction": "no",
            **_date("in_community_since", 9, 3, 2026),
            "risk_level": "medium",
            "mappa_category": "1",
            "mappa_level": "1",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get(nominal=person)
    assert response.url == reverse("offenders:rso-detail", kwargs={"pk": registration.pk})
    assert registration.register_reference == "SYN-77"
    assert Obligation.objects.open().filter(subject_id=registration.pk, kind="rso.arms").exists()
    page = client.get(response.url).content.decode()
    # 7 years for 6 months or less, "beginning with the relevant date" (s.82): its last day
    # is the day before the seventh anniversary
    assert "Ends 8 Mar 2033 (its last day)" in page


def test_the_register_record_is_changed_with_a_version(world: Any) -> None:
    rso = world.registration(world.nominal)
    client = _client(world, "offender_manager", world.nominal)
    url = reverse("offenders:registration-edit", kwargs={"pk": rso.pk})
    form = {
        "risk_level": "very_high",
        "offender_manager": world.users["offender_manager"].pk,
        "register_reference": rso.register_reference,
        "mappa_category": "2",
        "mappa_level": "2",
        **_date("in_community_since", 10, 1, 2024),
    }
    stale = client.post(url, {**form, "version": rso.version - 1 if rso.version > 1 else 999})
    assert "Someone else changed this record" in stale.content.decode()
    client.post(url, {**form, "version": rso.version})
    rso.refresh_from_db()
    assert (rso.risk_level, rso.mappa_level) == ("very_high", 2)
    assert AuditEvent.objects.filter(event="rso.updated", person_id=rso.nominal_id).exists()


def test_a_breach_is_recorded_then_marked_on_visor(world: Any) -> None:
    rso = world.registration(world.nominal)
    client = _client(world, "offender_manager", world.nominal)
    client.post(
        reverse("offenders:breach-create", kwargs={"pk": rso.pk}),
        {
            **_date("identified_on", 20, 11, 2026),
            "identified_time": "14:05",
            "kind": "failed_to_notify",
            "details": "Did not notify a change of address (synthetic)",
        },
    )
    breach = Breach.objects.get(registration=rso)
    page = client.get(reverse("offenders:rso-detail", kwargs={"pk": rso.pk})).content.decode()
    assert "Not on ViSOR" in page
    client.post(
        reverse("offenders:breach-visor", kwargs={"pk": breach.pk}),
        {**_date("recorded_on", 21, 11, 2026), "recorded_time": "13:50"},
    )
    breach.refresh_from_db()
    assert str(breach.recorded_nationally_on) == "2026-11-21"
    assert f"{timezone.localtime(breach.recorded_nationally_at):%H:%M}" == "13:50"
    (due,) = Obligation.objects.filter(subject_id=rso.pk, rule_id="rso.breach.record")
    assert status_of(due, date(2026, 11, 21)) == "met_on_time"  # 10 minutes inside 24 hours


def test_the_supervisor_queue_links_each_decision_to_its_page(world: Any) -> None:
    sup = world.users["mosovo_supervisor"]
    response = _client(world, "mosovo_supervisor").get(reverse("offenders:supervisor-queue"))
    sections = response.context["sections"]
    assert set(sections) == {"reviews", "authorisations", "warrants"}
    visit = world.registration(world.nominal).visits.get()
    authorisations = _client(world, "mosovo_supervisor").get(
        reverse("offenders:supervisor-queue"), {"section": "authorisations"}
    )
    page = authorisations.content.decode()
    assert reverse("offenders:visit-authorise", kwargs={"pk": visit.pk}) in page
    assert (
        AuditEvent.objects.about(world.nominal.pk)
        .filter(event="obligation.listed", actor=sup)
        .exists()
    )
    head = _client(world, "head_of_pp").get(reverse("offenders:supervisor-queue"))
    assert set(head.context["sections"]) == {"reviews", "assessments", "indefinite"}


def test_a_transfer_between_forces_through_the_pages(world: Any) -> None:
    rso = world.registration(world.nominal)
    beta = Force.objects.get(code="beta")
    beta_team = Team.objects.get(force=beta, kind=TeamKind.MOSOVO)
    beta_sup = user_create(actor=None, username="beta.sup2", password="x" * 16, force=beta)
    membership_add(
        actor=None,
        user=beta_sup,
        team=beta_team,
        role=Role.objects.get(pk=RoleCode.MOSOVO_SUPERVISOR),
    )
    sender = _client(world, "offender_manager", world.nominal)
    sender.post(
        reverse("offenders:transfer-request", kwargs={"pk": rso.pk}),
        {"to_force": beta.pk, "reason": "Moving to Beta Town (synthetic)"},
    )
    transfer = Transfer.objects.get(registration=rso)
    receiver = Client()
    receiver.force_login(beta_sup)
    listing = receiver.get(reverse("offenders:transfer-list")).content.decode()
    assert str(world.nominal) in listing
    accept = reverse("offenders:transfer-accept", kwargs={"pk": transfer.pk})
    assert "Moving to Beta Town" in receiver.get(accept).content.decode()
    response = receiver.post(accept, {"team": beta_team.pk, "note": "Accepted"})
    assert response.url == reverse("offenders:rso-detail", kwargs={"pk": rso.pk})
    rso.refresh_from_db()
    assert rso.force_id == beta.pk
    assert sender.get(reverse("offenders:rso-detail", kwargs={"pk": rso.pk})).status_code == 404


def test_a_move_between_teams_through_the_page(world: Any) -> None:
    sup = world.users["mosovo_supervisor"]
    rso = world.registration(world.nominal)
    north = Team.objects.create(
        force_id=sup.force_id, area=rso.team.area, name="Alpha MOSOVO North", kind="mosovo"
    )
    client = _client(world, "mosovo_supervisor", world.nominal)
    url = reverse("offenders:rso-move", kwargs={"pk": rso.pk})
    assert "Alpha MOSOVO North" in client.get(url).content.decode()
    client.post(url, {"team": north.pk, "reason": "Moved north (synthetic)"})
    rso.refresh_from_db()
    assert rso.team == north
    assert rso.offender_manager is None
    assert not Obligation.objects.open().filter(subject_id=rso.pk).exclude(owner_team=north)


def test_an_arms_is_saved_as_a_draft_then_completed(world: Any) -> None:
    rso = world.registration(world.nominal)
    client = _client(world, "offender_manager", world.nominal)
    client.post(
        reverse("offenders:arms-create", kwargs={"pk": rso.pk}),
        {"summary": "Started (synthetic)", "save": "draft"},
    )
    draft = rso.arms.get(completed_on__isnull=True)
    page = client.get(reverse("offenders:rso-detail", kwargs={"pk": rso.pk})).content.decode()
    url = reverse("offenders:arms-continue", kwargs={"pk": draft.pk})
    assert url in page
    assert "Started (synthetic)" in client.get(url).content.decode()
    refused = client.post(url, {"summary": "Finished", "save": "complete"})
    assert "Enter the date the assessment was completed" in refused.content.decode()
    client.post(
        url,
        {
            "summary": "Finished (synthetic)",
            "priority": "high",
            **_date("completed_on", 20, 11, 2026),
            "save": "complete",
        },
    )
    draft.refresh_from_db()
    assert str(draft.completed_on) == "2026-11-20"
    assert client.get(url).status_code == 404  # no longer a draft


def test_a_visit_in_the_future_is_refused_beside_its_date(world: Any) -> None:
    """The service's refusal of the visit's moment is shown beside the date field (and in
    the summary, linking to it), and nothing is saved."""
    from datetime import timedelta

    from vigil.core import clock

    registration = world.nominal.registration
    visits = registration.visits.count()
    tomorrow = clock.today() + timedelta(days=1)
    url = reverse("offenders:visit-create", kwargs={"pk": registration.pk})
    page = (
        _client(world, "offender_manager", world.nominal)
        .post(
            url,
            {
                **_date("visited_on", tomorrow.day, tomorrow.month, tomorrow.year),
                "visited_time": "19:30",
                "announced": "no",
                "officers": [world.users["offender_manager"].pk],
                "access_gained": "yes",
                "outcome": "Synthetic",
            },
        )
        .content.decode()
    )
    assert 'href="#id_visited_on' in page  # the summary links to the date
    assert (  # beside the field, as well as in the summary
        '<p class="govuk-error-message" id="id_visited_on_error">'
        '<span class="govuk-visually-hidden">Error:</span> '
        "The visit must be now or in the past</p>" in page
    )
    assert registration.visits.count() == visits


def test_the_visit_form_offers_the_team_first_and_finds_anyone_else(world: Any) -> None:
    """Who attended: the officer's own team as checkboxes (namesakes told apart by collar
    number), everyone else in the force in a list to search (with their team); a visit names
    one of each."""
    om = world.users["offender_manager"]
    rso = world.registration(world.nominal)
    manager = Role.objects.get(pk=RoleCode.OFFENDER_MANAGER)
    own_team = om.memberships.get().team
    north = Team.objects.create(
        force_id=om.force_id, area=own_team.area, name="Alpha MOSOVO North", kind="mosovo"
    )
    made = {}
    for username, name, collar, team in (
        ("twin.one", "PC Sam Ward", "4411", own_team),
        ("twin.two", "PC Sam Ward", "4412", own_team),
        ("far.away", "PC Ida North", "5120", north),
    ):
        made[username] = user_create(
            actor=None,
            username=username,
            password="x" * 20,
            force=om.force,
            display_name=name,
            collar_number=collar,
        )
        membership_add(actor=None, user=made[username], team=team, role=manager)
    client = _client(world, "offender_manager", world.nominal)
    url = reverse("offenders:visit-create", kwargs={"pk": rso.pk})
    form = client.get(url).context["form"]
    team_choices = {str(v): label for v, label in form.fields["officers"].choices}
    other_choices = {str(v): label for v, label in form.fields["other_officer"].choices}
    assert team_choices[str(made["twin.one"].pk)] == "PC Sam Ward (collar 4411)"
    assert team_choices[str(made["twin.two"].pk)] == "PC Sam Ward (collar 4412)"
    assert str(made["far.away"].pk) not in team_choices
    assert other_choices[str(made["far.away"].pk)] == "PC Ida North, 5120, Alpha MOSOVO North"
    assert str(om.pk) not in other_choices
    page = client.get(url).content.decode()
    assert "data-vigil-autocomplete" in page

    nobody = client.post(url, {"visited_time": "09:00", "announced": "no", "officers": []})
    assert "Select who attended" in nobody.content.decode()
    today = timezone.localdate()
    client.post(
        url,
        {
            **_date("visited_on", today.day, today.month, today.year),
            "visited_time": "00:00",
            "announced": "no",
            "officers": [om.pk],
            "other_officer": made["far.away"].pk,
            "access_gained": "yes",
        },
    )
    visit = rso.visits.order_by("-created_at").first()
    assert visit is not None
    assert visit.visited_at.date() == today
    assert set(visit.officers.all()) == {om, made["far.away"]}
