"""The daily e-mail digest (issue 15): each person's own work that became overdue since
their last digest and is due this week, a supervisor's escalations; sent once a day after
its record is committed, tried again when sending failed; naming no one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail

from vigil.obligations.digest import send_digests
from vigil.obligations.models import Digest, DigestStatus, Escalation, Obligation
from vigil.obligations.tests.helpers import work_like

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)  # a Monday


def _work(world: Any, owner: Any, due: list[date]) -> list[Obligation]:
    return [
        work_like(
            world,
            rule_id="rso.visit.frequency",
            kind="rso.visit",
            label="Home visit",
            due_date=day,
            owner_user=owner,
        )
        for day in due
    ]


def _with_email(world: Any, *personas: str) -> None:
    for persona in personas:
        user = world.users[persona]
        user.email = f"{persona}@alpha.vigil.example"
        user.save(update_fields=["email"])


def test_a_person_is_told_of_their_own_work_once_a_day(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    overdue, soon, later, old = _work(
        world,
        om,
        [
            TODAY - timedelta(days=1),
            TODAY + timedelta(days=3),
            TODAY + timedelta(days=7),
            date(2026, 1, 5),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)  # each message goes when its record commits
    (message,) = [m for m in mail.outbox if m.to == [om.email]]
    assert message.subject.startswith("Vigil: 1 overdue, ")
    assert f"/work/obligations/{overdue.pk}/" in message.body
    assert f"/work/obligations/{soon.pk}/" in message.body
    assert f"/work/obligations/{later.pk}/" not in message.body  # 7 days on: next week
    assert f"/work/obligations/{old.pk}/" not in message.body  # overdue long before: told then
    # it names no one: not the record, not the person
    for secret in (overdue.subject_label, "QUENBY", "Quenby", "SYN-QUENBY"):
        assert secret not in message.body
        assert secret not in message.subject
    kept = Digest.objects.get(user=om, day=TODAY)
    assert (kept.status, kept.overdue, kept.since) == (
        DigestStatus.SENT,
        1,
        TODAY - timedelta(days=1),
    )
    # a second run the same day sends nothing again
    with django_capture_on_commit_callbacks(execute=True):
        again = send_digests(TODAY)
    assert again.already_sent >= 1
    assert len([m for m in mail.outbox if m.to == [om.email]]) == 1


def test_the_next_digest_tells_what_became_overdue_since_the_last(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    friday, saturday = TODAY + timedelta(days=4), TODAY + timedelta(days=5)
    (missed,) = _work(world, om, [friday])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    mail.outbox.clear()
    # no digest at the weekend: Monday's tells of Friday's and Saturday's work gone overdue
    monday = TODAY + timedelta(days=7)
    Digest.objects.filter(user=om).update(day=friday - timedelta(days=1))  # Thursday's
    (sat,) = _work(world, om, [saturday])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(monday)
    (message,) = [m for m in mail.outbox if m.to == [om.email]]
    assert message.subject.startswith("Vigil: 2 overdue")
    assert str(missed.pk) in message.body
    assert str(sat.pk) in message.body


def test_a_failed_send_is_kept_and_tried_again(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    _work(world, om, [TODAY + timedelta(days=1)])

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("The relay refused (synthetic)")

    monkeypatch.setattr("vigil.obligations.digest.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    kept = Digest.objects.get(user=om, day=TODAY)
    assert kept.status == DigestStatus.FAILED
    assert "refused" in kept.error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    assert [m.to for m in mail.outbox] == [[om.email]]
    assert Digest.objects.get(user=om, day=TODAY).status == DigestStatus.SENT


def test_nothing_is_sent_before_its_record_is_committed(world: Any) -> None:
    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    _work(world, om, [TODAY + timedelta(days=1)])
    run = send_digests(TODAY)  # inside the test's transaction, never committed
    assert run.queued == 1
    assert not mail.outbox
    assert Digest.objects.get(user=om).status == DigestStatus.PENDING


def test_a_supervisor_is_told_of_the_escalations_they_act_on(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = world.users["mosovo_supervisor"]
    _with_email(world, "mosovo_supervisor", "ocsea_supervisor")
    escalation = world.escalation()
    Escalation.objects.filter(pk=escalation.pk).update(raised_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    (message,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert "Escalations raised since" in message.body
    assert "to the supervisor" in message.body
    # another team's supervisor does not act on it, and has nothing else to be told
    assert not [m for m in mail.outbox if m.to == ["ocsea_supervisor@alpha.vigil.example"]]


def test_no_address_no_digest(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    om = world.users["offender_manager"]
    _work(world, om, [TODAY + timedelta(days=1)])
    with django_capture_on_commit_callbacks(execute=True):
        run = send_digests(TODAY)
    assert not Digest.objects.filter(user=om).exists()
    assert run.sent == run.queued == 0


def test_an_escalation_is_told_once(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    """Raised by the night's run before the morning's digest: in that digest, not the next."""
    supervisor = world.users["mosovo_supervisor"]
    _with_email(world, "mosovo_supervisor")
    Escalation.objects.filter(pk=world.escalation().pk).update(raised_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY + timedelta(days=1))
    told = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert len(told) >= 1
    assert "Escalations raised since" in told[0].body
    assert all("Escalations raised since" not in m.body for m in told[1:])


def test_a_label_naming_someone_is_never_sent(world: Any) -> None:
    from vigil.obligations.digest import contents_for

    om = world.users["offender_manager"]
    (work,) = _work(world, om, [TODAY + timedelta(days=2)])
    Obligation.objects.filter(pk=work.pk).update(kind="unregistered.kind", label="Visit QUENBY")
    contents = contents_for(om, TODAY, None)
    assert [i.label for i in contents.due_this_week if str(work.pk) in i.link] == ["Work"]


def test_a_digest_being_sent_by_another_run_is_not_sent_twice(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from vigil.core import clock

    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    _work(world, om, [TODAY + timedelta(days=1)])
    Digest.objects.create(
        user=om, day=TODAY, since=TODAY, status=DigestStatus.PENDING, as_of=clock.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = send_digests(TODAY)
    assert run.already_sent == 1
    assert not [m for m in mail.outbox if m.to == [om.email]]


def test_work_recorded_overdue_after_the_last_digest_is_told(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    om = world.users["offender_manager"]
    _with_email(world, "offender_manager")
    _work(world, om, [TODAY + timedelta(days=1)])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY)
    mail.outbox.clear()
    # recorded the next day, already three days overdue (a late entry)
    (late,) = _work(world, om, [TODAY - timedelta(days=2)])
    with django_capture_on_commit_callbacks(execute=True):
        send_digests(TODAY + timedelta(days=1))
    (message,) = [m for m in mail.outbox if m.to == [om.email]]
    assert str(late.pk) in message.body
