"""Authentication and the security posture: lockout, idle expiry, MFA, headers, settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, World
from vigil.audit.models import AuditEvent

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_and_reach_my_work(world: World) -> None:
    client = Client()
    response = _login(client, "offender_manager", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("obligations:my-work")).status_code == 200
    assert AuditEvent.objects.filter(event="user.signed_in").exists()


def test_lockout_after_five_failures_for_fifteen_minutes(world: World) -> None:
    client = Client()
    for _ in range(4):
        assert _login(client, "investigator", "wrong-password-1").status_code == 200
    assert _login(client, "investigator", "wrong-password-1").status_code == 429
    # even the right password is refused from that address while locked
    assert _login(Client(), "investigator", PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(event="user.locked_out").exists()
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="investigator")
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - timedelta(minutes=16)
    )  # fifteen minutes on, the lock has lifted
    assert _login(Client(), "investigator", PASSWORD).status_code == 302


def test_session_expires_after_fifteen_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_session_idle_expiry_signs_the_user_out(world: World) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    _login(client, "offender_manager", PASSWORD)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("obligations:my-work"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@override_settings(VIGIL_MFA_REQUIRED=True)
def test_mfa_is_enforced_when_required(world: World) -> None:
    client = Client()
    _login(client, "offender_manager", PASSWORD)
    response = client.get(reverse("obligations:my-work"))
    assert response.status_code == 302
    assert "/accounts/mfa/verify/" in response["Location"]
    assert client.get(reverse("api:me")).status_code == 403
    # no device yet: verify sends the user to set one up
    response = client.get(reverse("accounts:mfa-verify"))
    assert "/accounts/mfa/setup/" in response["Location"]
    assert client.get(reverse("accounts:mfa-setup")).status_code == 200
    device = TOTPDevice.objects.get(user=world.users["offender_manager"])
    wrong = client.post(reverse("accounts:mfa-setup"), {"token": "000000"})
    assert wrong.status_code == 200
    assert b"not right" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # django-otp delays the next try after a failure
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post(reverse("accounts:mfa-setup"), {"token": f"{code:06d}"})
    assert response.status_code == 302
    assert client.get(reverse("obligations:my-work")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 200
    assert AuditEvent.objects.filter(event="user.mfa_enrolled").exists()


def test_security_headers(world: World, client_for: Any) -> None:
    response = client_for("offender_manager").get(reverse("obligations:my-work"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]


def test_healthz(db: Any, client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    with mock.patch("vigil.core.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_error_pages_show_no_stack_trace(world: World, client_for: Any) -> None:
    from django.shortcuts import render as real_render

    client = client_for("offender_manager")
    client.raise_request_exception = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content

    def failing(request: Any, template: str, *args: Any, **kwargs: Any) -> Any:
        if template == "obligations/my_work.html":
            raise RuntimeError("secret internal detail")
        return real_render(request, template, *args, **kwargs)

    with mock.patch("vigil.obligations.views.render", side_effect=failing):
        response = client.get(reverse("obligations:my-work"))
    assert response.status_code == 500
    assert b"secret internal detail" not in response.content
    assert b"Traceback" not in response.content
    assert b"problem with the service" in response.content


def _run_vigil(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIGIL_", "DATABASE_URL", "SECRET_KEY"))
    }
    return subprocess.run(
        [sys.executable, os.path.join(ROOT, "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


PRODUCTION = {
    "VIGIL_ENV": "production",
    "SECRET_KEY": "k" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "vigil.example.police.uk",
    "DATABASE_URL": "sqlite:////tmp/vigil-deploy-check.sqlite3",
    "VIGIL_VAR_DIR": "/tmp/vigil-deploy-check",
}


def test_check_deploy_prints_no_warnings_under_production_settings() -> None:
    result = _run_vigil(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"VIGIL_ENV": "staging"}, "VIGIL_ENV"),
        ({**PRODUCTION, "SECRET_KEY": ""}, "SECRET_KEY"),
        ({**PRODUCTION, "SECRET_KEY": "short"}, "SECRET_KEY"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({**PRODUCTION, "VIGIL_MFA_REQUIRED": "false"}, "VIGIL_MFA_REQUIRED"),
        ({**PRODUCTION, "VIGIL_DEBUG": "true"}, "VIGIL_DEBUG"),
        ({"VIGIL_SESSION_IDLE_MINUTES": "fifteen"}, "VIGIL_SESSION_IDLE_MINUTES"),
        ({"VIGIL_LOCKOUT_FAILURES": "0"}, "VIGIL_LOCKOUT_FAILURES"),
        ({"VIGIL_DEBUG": "maybe"}, "VIGIL_DEBUG"),
        ({"DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL"),
    ],
)
def test_bad_settings_stop_the_start_naming_the_variable(
    env: dict[str, str], variable: str
) -> None:
    result = _run_vigil({"VIGIL_VAR_DIR": "/tmp/vigil-settings-test", **env}, "check")
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_requires_mfa_by_default() -> None:
    result = _run_vigil(
        PRODUCTION,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.VIGIL_MFA_REQUIRED)",
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_activity_extends_the_session_so_expiry_is_idle_not_absolute(world: World) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    _login(client, "offender_manager", PASSWORD)
    key = client.session.session_key
    # fourteen idle minutes on: one minute left
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(reverse("obligations:my-work")).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(minutes=14)


@override_settings(VIGIL_MFA_REQUIRED=True)
def test_mfa_also_guards_the_admin_screens(world: World) -> None:
    client = Client()
    _login(client, "sysadmin", PASSWORD)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:mfa-verify"))


def test_an_expired_api_token_is_refused(world: World, settings: Any) -> None:
    from rest_framework.authtoken.models import Token

    from vigil.accounts.services import api_token_create

    token = api_token_create(actor=None, user=world.users["offender_manager"])
    headers = {"Authorization": f"Token {token.key}"}
    assert Client().get(reverse("api:me"), headers=headers).status_code == 200
    Token.objects.filter(pk=token.pk).update(
        created=token.created - timedelta(days=settings.VIGIL_API_TOKEN_DAYS, seconds=1)
    )
    response = Client().get(reverse("api:me"), headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_failed_sign_ins_are_logged_without_what_was_typed(world: World) -> None:
    _login(Client(), "offender_manager", "wrong-password-1")
    known = AuditEvent.objects.get(event="user.sign_in_failed")
    assert known.detail == {"username": "offender_manager"}
    assert known.force_id == world.users["offender_manager"].force_id
    _login(Client(), "my-password-typed-in-the-wrong-box", "x")
    unknown = AuditEvent.objects.filter(event="user.sign_in_failed").order_by("-seq").first()
    assert unknown is not None
    assert unknown.detail == {"account": "unknown"}
    assert unknown.force_id is None


def test_a_user_issues_their_own_api_token_and_no_administrator_sees_one(
    world: World,
) -> None:
    from django.test import Client
    from django.urls import reverse
    from rest_framework.authtoken.models import Token

    from vigil.audit.models import AuditEvent

    om = world.users["offender_manager"]
    client = Client()
    client.force_login(om)
    url = reverse("accounts:api-token")
    assert "You have no API token" in client.get(url).content.decode()
    issued = client.post(url, {"action": "issue"}).content.decode()
    key = Token.objects.get(user=om).key
    assert key in issued  # shown once, on issue
    assert key not in client.get(url).content.decode()  # and never again
    assert (
        client.get(reverse("api:me"), headers={"Authorization": f"Token {key}"}).status_code == 200
    )
    assert AuditEvent.objects.filter(event="user.api_token_issued", actor_id=om.pk).exists()
    client.post(url, {"action": "revoke"})
    assert not Token.objects.filter(user=om).exists()
    admin = Client()
    admin.force_login(world.users["sysadmin"])
    assert admin.get(reverse("admin:authtoken_tokenproxy_add")).status_code == 403
    assert admin.post(reverse("admin:authtoken_tokenproxy_add"), {"user": om.pk}).status_code == 403
    assert not Token.objects.filter(user=om).exists()


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_someone_elsewhere_cannot_lock_an_officer_out(world: World, settings: Any) -> None:
    """Five wrong passwords from one address lock that (username, address) pair only: the
    officer at their own desk still signs in."""
    attacker = _from("198.51.100.7")
    for _ in range(5):
        _login(attacker, "investigator", "wrong-password-1")
    assert _login(_from("198.51.100.7"), "investigator", PASSWORD).status_code == 429
    assert _login(_from("192.0.2.10"), "investigator", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(event="user.locked_out").exists()


def test_the_account_locks_everywhere_at_its_ceiling(world: World, settings: Any) -> None:
    """Guessing from many addresses meets the account's higher ceiling, and the account is
    locked from every address; the system administrator sees why, by address, and unlocks."""
    settings.VIGIL_LOCKOUT_ACCOUNT_FAILURES = 8
    for n in range(8):
        _login(_from(f"203.0.113.{n}"), "investigator", "wrong-password-1")  # 1 each
    assert _login(_from("192.0.2.10"), "investigator", PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    admin = Client()
    admin.force_login(world.users["sysadmin"])
    listing = admin.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "203.0.113.0" in listing
    AccessAttempt.objects.filter(username="investigator").delete()  # what the admin's delete does
    assert _login(_from("192.0.2.10"), "investigator", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        ("dpo", "audit:event-list"),
        ("pcc_assurance", "assurance:figures"),
        ("performance_analyst", "assurance:figures"),
        ("sysadmin", "admin:index"),
        ("wellbeing_lead", "workforce:wellbeing"),
        ("offender_manager", "obligations:my-work"),
        ("head_of_pp", "obligations:my-work"),
    ],
)
def test_each_role_starts_on_its_own_page(client_for: Any, persona: str, lands_on: str) -> None:
    """A role with no caseload is not told "you have nothing due": it starts on its own page
    (after signing in, and at /), and My work is not in its navigation."""
    client = client_for(persona)
    answer = client.get(reverse("obligations:my-work"))
    page = client.get(reverse(lands_on)).content.decode()
    if lands_on == "obligations:my-work":
        assert answer.status_code == 200
        assert ">My work<" in page
    else:
        assert answer.status_code == 302
        assert answer["Location"] == reverse(lands_on)
        assert ">My work<" not in page
