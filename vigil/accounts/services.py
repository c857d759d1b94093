"""Writes to the organisation (forces, areas and teams: reference data), users, memberships and
API tokens, each audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from vigil.accounts.models import Membership, Role, User
from vigil.audit.models import AuditAction
from vigil.audit.services import atomic, audit_record, field_changes, snapshot
from vigil.core.models import Area, Force, Team


@atomic
def force_create(*, actor: Any, code: str, name: str) -> Force:
    force = Force.objects.create(code=code, name=name)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="force.created",
        obj=force,
        force_id=force.pk,
        changes=field_changes({}, snapshot(force, ("code", "name"))),
    )
    return force


@atomic
def area_create(*, actor: Any, force: Force, name: str) -> Area:
    area = Area.objects.create(force=force, name=name)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="area.created",
        obj=area,
        changes=field_changes({}, {"name": name}),
    )
    return area


@atomic
def team_create(*, actor: Any, area: Area, name: str, kind: str) -> Team:
    team = Team.objects.create(area=area, force=area.force, name=name, kind=kind)
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="team.created",
        obj=team,
        changes=field_changes({}, {"name": name, "kind": kind, "area": area.name}),
    )
    return team


@atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    force: Force | None,
    display_name: str = "",
    email: str = "",
    collar_number: str = "",
) -> User:
    user = User(
        username=username,
        force=force,
        display_name=display_name,
        email=email,
        collar_number=collar_number,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action=AuditAction.COLLECTION,
        event="user.created",
        obj=user,
        force_id=user.force_id,
        changes=field_changes(
            {}, {"username": username, "display_name": display_name, "force": str(force or "")}
        ),
    )
    return user


@atomic
def membership_add(*, actor: Any, user: User, team: Team, role: Role) -> Membership:
    if user.force_id != team.force_id:
        raise ValidationError({"team": "The team must belong to the user's force"})
    membership, created = Membership.objects.get_or_create(user=user, team=team, role=role)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.ALTERATION,
            event="user.membership_added",
            obj=user,
            force_id=user.force_id,
            changes={"membership": {"before": None, "after": f"{role.name} · {team.name}"}},
        )
    return membership


@atomic
def api_token_create(*, actor: Any, user: User) -> Token:
    """Issues (or replaces) the user's API token. The old token stops working at once."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(
        actor=actor,
        action=AuditAction.SECURITY,
        event="user.api_token_issued",
        obj=user,
        force_id=user.force_id,
    )
    return token


@atomic
def api_token_revoke(*, actor: Any, user: User) -> None:
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            actor=actor,
            action=AuditAction.SECURITY,
            event="user.api_token_revoked",
            obj=user,
            force_id=user.force_id,
        )
