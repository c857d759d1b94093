"""The main job in a real browser (Debian's Chromium driven by Playwright), with axe-core
checking every page it visits for WCAG 2.2 AA violations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server: Any, monkeypatch: Any) -> Iterator[Any]:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(bypass_csp=True)  # to inject axe-core; the app's CSP
        yield context.new_page()  # is tested in test_security.py
        browser.close()


def assert_accessible(page: Any) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    violations = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert not violations, f"{page.url}: {violations}"


def test_sign_in_reach_my_work_find_and_view_a_person(
    live_server: Any, page: Any, django_db_setup: Any
) -> None:
    from django.db import connection

    from conftest import _build_world
    from vigil.accounts.models import User
    from vigil.audit.testing import disable_audit_triggers

    with connection.cursor() as cursor:
        disable_audit_triggers(cursor)  # the live-server test's database is flushed after it
    if not User.objects.filter(username="offender_manager").exists():
        _build_world()  # a transactional test starts from an empty database
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)
    page.get_by_label("Username").fill("offender_manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("link", name="People").first.click()
    assert_accessible(page)
    page.get_by_label("Search by name").fill("Quenby")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="QUENBY, Adrian").click()
    assert "/purpose/" in page.url
    assert_accessible(page)
    page.get_by_label("Managing this person as an offender").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "QUENBY" in page.content()
    assert_accessible(page)
