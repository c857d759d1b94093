"""What the RSO notifies and what is learnt about them: notifications (a change of home address
into the address history), PND checks and their assessment, intelligence, and breaches with
their entry on ViSOR."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from vigil.accounts.models import User
from vigil.audit.services import atomic
from vigil.core import clock
from vigil.obligations.sync import sync
from vigil.offenders.models import (
    Breach,
    BreachKind,
    ChangeKind,
    Intelligence,
    Notification,
    NotificationKind,
    PndCheck,
    Registration,
)
from vigil.offenders.services._common import (
    _decided,
    _ends_reactive,
    _lock_open,
    _not_future,
    _recorded,
    _registration_set,
    _require,
)
from vigil.people import services as people_services
from vigil.people.models import Address, AddressKind, Nominal


@atomic
def notification_record(
    *,
    actor: User,
    registration: Registration,
    kind: str,
    made_on: date,
    details: str = "",
    change_kind: str = "",
    changed_on: date | None = None,
    address_kind: str = "",
    address_line_1: str = "",
    address_line_2: str = "",
    address_town: str = "",
    address_postcode: str = "",
) -> Notification:
    """Records a notification made in person. A notification of a change names what changed
    and when: that dates it (s.84: within 3 days beginning with the change).

    - A new home address (or no fixed abode) is entered into the person's address history,
      from the day of the change, through the people service (which audits it), unless the
      history already has a home address from that day. It also calls for an ARMS review.
    - A release from custody is the day the person came into the community, if the record
      still has them in custody (s.83(6)): recorded in the same step."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if kind not in NotificationKind.values:
        errors["kind"] = "Select the kind of notification"
    _not_future(errors, "made_on", made_on, "date")
    if kind == NotificationKind.CHANGE:
        if change_kind not in ChangeKind.values:
            errors["change_kind"] = "Select what changed"
        if changed_on is None:
            errors["changed_on"] = "Enter the date of the change"
        elif changed_on > made_on:
            errors["changed_on"] = "The change must be on or before the date it was notified"
    else:
        if change_kind:
            errors["change_kind"] = "Only a notification of a change says what changed"
        if changed_on:
            errors["changed_on"] = "Only a notification of a change has a date of the change"
    address = {
        "kind": address_kind,
        "line_1": address_line_1,
        "line_2": address_line_2,
        "town": address_town,
        "postcode": address_postcode,
    }
    moving = change_kind == ChangeKind.HOME_ADDRESS and changed_on is not None and not errors
    if moving:
        assert changed_on is not None
        if not any(address.values()) and _home_from(registration.nominal, changed_on):
            moving = False  # the history has it already
        elif address_kind not in (AddressKind.HOME, AddressKind.NO_FIXED_ABODE):
            errors["address_kind"] = "Select whether the new address is a home or no fixed abode"
    elif any(address.values()):
        errors["address_kind"] = "Only a notification of a change of home address gives one"
    if errors:
        raise ValidationError(errors)
    notification = Notification.objects.create(
        force_id=registration.force_id,
        registration=registration,
        kind=kind,
        made_on=made_on,
        change_kind=change_kind,
        changed_on=changed_on,
        details=details.strip(),
        recorded_by=actor,
    )
    _recorded(actor, notification)
    if moving:
        try:
            with transaction.atomic():
                people_services.address_add(
                    actor=actor,
                    nominal=registration.nominal,
                    valid_from=changed_on,  # type: ignore[arg-type]
                    **address,
                )
        except ValidationError as exc:
            raise ValidationError(
                {f"address_{name}": messages for name, messages in exc.message_dict.items()}
            ) from None
    if change_kind == ChangeKind.RELEASE and registration.in_community_since is None:
        _registration_set(
            actor,
            registration,
            "rso.updated",
            "Notified release from custody",
            in_community_since=changed_on,
        )
    sync(registration)
    return notification


def _home_from(nominal: Nominal, day: date) -> bool:
    return Address.objects.filter(
        nominal=nominal,
        kind__in=(AddressKind.HOME, AddressKind.NO_FIXED_ABODE),
        valid_from=day,
    ).exists()


@atomic
def pnd_check_record(
    *,
    actor: User,
    registration: Registration,
    checked_on: date,
    result: str,
    requested_on: date | None = None,
) -> PndCheck:
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "checked_on", checked_on, "date")
    if not result.strip():
        errors["result"] = "Enter the result of the check"
    if requested_on is not None and requested_on > checked_on:
        errors["requested_on"] = "The request must be on or before the result"
    if errors:
        raise ValidationError(errors)
    check = PndCheck.objects.create(
        force_id=registration.force_id,
        registration=registration,
        requested_on=requested_on,
        checked_on=checked_on,
        result=result.strip(),
        checked_by=actor,
    )
    _recorded(actor, check)
    sync(registration)
    return check


@atomic
def pnd_assess(*, actor: User, check: PndCheck, assessment: str) -> PndCheck:
    _require(actor, "manage_rso")
    current = PndCheck.objects.select_for_update().get(pk=check.pk)
    if current.assessed_on is not None:
        raise ValidationError({"assessment": "This result has already been assessed"})
    if not assessment.strip():
        raise ValidationError({"assessment": "Enter your assessment of the result"})
    current.assessed_on, current.assessed_by = clock.today(), actor
    current.assessment = assessment.strip()
    return _decided(
        actor,
        current,
        "rso.pnd_assessed",
        current.assessment,
        {"assessed_on": {"before": None, "after": current.assessed_on}},
    )


@atomic
def intelligence_record(
    *,
    actor: User,
    registration: Registration,
    received_on: date,
    source: str,
    grading: str,
    summary: str,
) -> Intelligence:
    """Records intelligence. On a reactively managed RSO it returns them to active
    management, with a risk review due within the policy's days (the rules)."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    _not_future(errors, "received_on", received_on, "date")
    if not source.strip():
        errors["source"] = "Enter where the intelligence came from"
    if not summary.strip():
        errors["summary"] = "Enter a summary of the intelligence"
    if errors:
        raise ValidationError(errors)
    entry = Intelligence.objects.create(
        force_id=registration.force_id,
        registration=registration,
        received_on=received_on,
        source=source.strip(),
        grading=grading.strip().upper(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    _recorded(actor, entry)
    _ends_reactive(actor, registration, entry, "New intelligence")
    sync(registration)
    return entry


@atomic
def breach_record(
    *,
    actor: User,
    registration: Registration,
    identified_at: datetime,
    kind: str,
    details: str,
    action_taken: str = "",
) -> Breach:
    """Records a breach of the notification requirements as it is identified: it is then
    due on ViSOR within the policy's hours, and calls for an ARMS review. On a reactively
    managed RSO it returns them to active management."""
    _require(actor, "manage_rso")
    registration = _lock_open(registration)
    errors: dict[str, str] = {}
    if identified_at > clock.now():
        errors["identified_at"] = "The breach must have been identified now or in the past"
    if kind not in BreachKind.values:
        errors["kind"] = "Select the kind of breach"
    if not details.strip():
        errors["details"] = "Enter what the breach was"
    if errors:
        raise ValidationError(errors)
    breach = Breach.objects.create(
        force_id=registration.force_id,
        registration=registration,
        identified_at=identified_at,
        kind=kind,
        details=details.strip(),
        action_taken=action_taken.strip(),
        recorded_by=actor,
    )
    _recorded(actor, breach)
    _ends_reactive(actor, registration, breach, "A breach of the notification requirements")
    sync(registration)
    return breach


@atomic
def breach_recorded_nationally(
    *,
    actor: User,
    breach: Breach,
    recorded_at: datetime | None = None,
    recorded_on: date | None = None,
) -> Breach:
    """Says when the breach was recorded on ViSOR (the national register), meeting its
    obligation: due within the policy's hours of its identification, so the time counts
    (`recorded_at`). Given only the day (`recorded_on`, as API clients before times were
    kept), it is judged by the day."""
    _require(actor, "manage_rso")
    current = Breach.objects.select_for_update().get(pk=breach.pk)
    errors: dict[str, str] = {}
    if (recorded_at is None) == (recorded_on is None):
        errors["recorded_at"] = "Enter when the breach was recorded on ViSOR"
    elif current.recorded_nationally_on is not None:
        errors["recorded_at"] = "This breach is already recorded on ViSOR"
    elif recorded_at is not None and recorded_at > clock.now():
        errors["recorded_at"] = "The time must be now or in the past"
    elif recorded_at is not None and recorded_at < current.identified_at:
        errors["recorded_at"] = "The time must be after the breach was identified"
    elif recorded_on is not None and recorded_on > clock.today():
        errors["recorded_on"] = "The date must be today or in the past"
    elif recorded_on is not None and recorded_on < clock.localdate(current.identified_at):
        errors["recorded_on"] = "The date must be on or after the breach was identified"
    if errors:
        raise ValidationError(errors)
    current.recorded_nationally_at, current.recorded_nationally_by = recorded_at, actor
    current.recorded_nationally_on = (
        clock.localdate(recorded_at) if recorded_at is not None else recorded_on
    )
    return _decided(
        actor,
        current,
        "rso.breach_recorded_nationally",
        "",
        {
            "recorded_nationally_on": {"before": None, "after": current.recorded_nationally_on},
            "recorded_nationally_at": {"before": None, "after": recorded_at},
        },
    )
