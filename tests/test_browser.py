"""The main job in a real browser (Debian's Chromium driven by Playwright), with axe-core
checking every page it visits for WCAG 2.2 AA violations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def database_snapshot(django_db_setup: Any, django_db_blocker: Any) -> str:
    """The test database as the session built it (migrations' rows and the test world).
    Live-server tests flush the database after each test, which the audit triggers refuse:
    they are switched off for this throwaway database, and each test starts from the
    snapshot again."""
    from django.db import connection

    from vigil.audit.testing import disable_audit_triggers

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            disable_audit_triggers(cursor)
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def browser_world(transactional_db: Any, database_snapshot: str) -> None:
    from django.db import connection

    from vigil.accounts.models import User

    if not User.objects.exists():
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.all().delete()  # remade by the flush's post_migrate, other ids
        connection.creation.deserialize_db_from_string(database_snapshot)


@pytest.fixture
def page(live_server: Any, monkeypatch: Any, browser_world: None) -> Iterator[Any]:
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


def test_sign_in_reach_my_work_find_and_view_a_person(live_server: Any, page: Any) -> None:
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


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_add_a_person_with_an_address_using_only_the_keyboard(live_server: Any, page: Any) -> None:
    _sign_in(page, live_server.url, "offender_manager")
    page.goto(live_server.url + "/people/new/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add person").press("Enter")  # empty: errors by field
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_role("link", name="Enter the family name").is_visible()
    assert_accessible(page)
    page.get_by_label("Family name").fill("Thistlamere")
    page.get_by_label("Given names").fill("Hester")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1987")
    page.get_by_label("Female").check()
    with page.expect_navigation():
        page.get_by_label("Female").press("Enter")
    # the person just added is shown at once: their creator is not asked why (ADR 21)
    assert "/purpose/" not in page.url
    assert "THISTLAMERE, Hester" in page.content()
    assert "Tue 3 Mar 1987" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Add an address").click()
    assert_accessible(page)
    page.get_by_label("Home address").check()
    page.get_by_label("Address line 1").fill("7 Specimen Close")
    page.get_by_label("Town or city").fill("Alpha")
    page.get_by_label("Postcode").fill("zz99 3ab")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2024")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "7 Specimen Close" in page.content()
    assert "ZZ99 3AB" in page.content()
    assert_accessible(page)


def test_the_dpo_searches_the_audit_log(live_server: Any, page: Any) -> None:
    _sign_in(page, live_server.url, "dpo")
    with page.expect_navigation():
        page.get_by_role("link", name="Audit log").first.click()
    assert_accessible(page)
    page.get_by_label("Person").fill("Quenby")
    with page.expect_navigation():
        page.get_by_label("Person").press("Enter")
    assert "nominal.created" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Export these events as CSV").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Policy").first.click()
    assert "rso.home_visit_months" in page.content()
    assert_accessible(page)


def test_the_supervisor_works_the_team_list_and_escalations(live_server: Any, page: Any) -> None:
    _sign_in(page, live_server.url, "mosovo_supervisor")
    assert "escalation" in page.content()  # My work says an escalation waits
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Team work").first.click()
    assert "QUENBY, Adrian" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Risk and overdue table").click()
    assert_accessible(page)
    page.goto(live_server.url + "/work/teams/")
    assert "Work by team" in page.content()
    assert_accessible(page)
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="High risk, all overdue").click()
    assert "Home visit" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Home visit for QUENBY, Adrian", exact=True).click()
    assert "Why it is due then" in page.content()
    assert_accessible(page)
    page.goto(live_server.url + "/work/escalations/")
    assert "Escalations by team and kind of work" in page.content()  # groups, not names
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Home visits")).first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Acknowledge").first.click()
    assert "Escalation acknowledged" in page.content()
    assert_accessible(page)


PHONE = {"width": 390, "height": 844}


def assert_fits(page: Any) -> None:
    """Nothing wider than the viewport: the page does not scroll sideways, and no table is
    wider than the space it has (a table cut off inside a scrolling box hides its columns)."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    cut = page.evaluate(
        "() => [...document.querySelectorAll('table')].filter("
        "t => t.offsetWidth > t.parentElement.clientWidth + 1).map(t => t.outerHTML.slice(0, 80))"
    )
    assert not cut, (page.url, cut)


def test_record_a_visit_on_a_phone(live_server: Any, page: Any) -> None:
    """From My work to a saved visit at 390 x 844: every page fits the screen, and the visit
    takes 8 interactions or fewer (the purpose question included)."""
    import time

    page.set_viewport_size(PHONE)
    _sign_in(page, live_server.url, "offender_manager")
    assert_fits(page)
    started = time.monotonic()
    interactions = 0

    def act(step: Any) -> None:
        nonlocal interactions
        interactions += 1
        step()

    with page.expect_navigation():
        act(page.get_by_role("link", name="Record the visit").first.click)
    if "/purpose/" in page.url:
        assert_fits(page)
        act(page.get_by_label("Managing this person as an offender").check)
        with page.expect_navigation():
            act(page.get_by_role("button", name="Continue").click)
    assert_accessible(page)
    assert_fits(page)
    # the date is today's unless changed; midnight is never in the future
    act(lambda: page.get_by_label("Time of the visit").fill("00:00"))
    act(page.get_by_role("group", name="Was the visit announced?").get_by_label("No").check)
    act(page.get_by_role("group", name="Was access to the home gained?").get_by_label("Yes").check)
    act(lambda: page.get_by_label("Outcome and notes").fill("Seen at home (synthetic)."))
    with page.expect_navigation():
        act(page.get_by_role("button", name="Save").click)
    assert "The visit was recorded" in page.content()
    assert interactions <= 8, interactions
    assert time.monotonic() - started < 60
    assert_accessible(page)
    assert_fits(page)  # the RSO record, with its tables


def test_the_pages_people_live_in_fit_a_phone(live_server: Any, page: Any) -> None:
    """At 390 x 844, the pages each persona lives in do not scroll sideways or cut a column."""
    page.set_viewport_size(PHONE)
    for persona, paths in (
        ("offender_manager", ["/", "/rso/"]),
        (
            "mosovo_supervisor",
            ["/work/team/", "/work/risk-bands/", "/rso/queue/", "/workforce/abstractions/"],
        ),
        ("ocsea_supervisor", ["/ocsea/bail/", "/ocsea/investigations/", "/work/escalations/"]),
        ("head_of_pp", ["/work/team/", "/work/teams/", "/workforce/", "/workforce/forecast/"]),
        ("wellbeing_lead", ["/workforce/wellbeing/"]),
    ):
        page.context.clear_cookies()
        _sign_in(page, live_server.url, persona)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.url == live_server.url + path, page.url  # not sent elsewhere
            assert_fits(page)


def test_the_supervisor_works_the_queue_by_keyboard(live_server: Any, page: Any) -> None:
    _sign_in(page, live_server.url, "mosovo_supervisor")
    with page.expect_navigation():
        page.get_by_role("link", name="Supervisor queue").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Visit authorisations").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Authorise a non-compliant visit for QUENBY, Adrian").click()
    if "/purpose/" in page.url:
        page.get_by_label("Supervision or quality assurance").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").press("Enter")  # empty: the field is named
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Rationale").fill("Announced: a known risk to a lone officer (synthetic)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").press("Enter")
    assert "Authorisation recorded" in page.content()
    assert_accessible(page)
    page.goto(live_server.url + "/rso/transfers/")
    assert_accessible(page)


def test_put_a_person_on_the_register(live_server: Any, page: Any) -> None:
    _sign_in(page, live_server.url, "offender_manager")
    page.goto(live_server.url + "/people/new/")
    page.get_by_label("Family name").fill("Wrexlowe")
    page.get_by_label("Given names").fill("Amos")
    page.get_by_label("Male", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Add person").click()
    assert "/purpose/" not in page.url  # the user's own new record (ADR 21)
    with page.expect_navigation():
        page.get_by_role("link", name="Put on the sex offenders register").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Put on the register").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)


def test_receive_and_triage_a_referral_by_keyboard(live_server: Any, page: Any) -> None:
    """The triage officer's main job: a referral received, then prioritised with the
    instrument, every answer chosen from the keyboard; then the investigator's bail view."""
    _sign_in(page, live_server.url, "ocsea_triage")
    with page.expect_navigation():
        page.get_by_role("link", name="Referrals").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Receive a referral").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Receive the referral").press("Enter")
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("NCA / CEOP").check()
    page.get_by_label("Summary of the referral").fill("Synthetic: a platform reports uploads")
    page.get_by_label("Suspect's family name").fill("Brackwater")
    page.get_by_label("Suspect's given names").fill("Nils")
    page.get_by_label("Adult", exact=True).check()
    page.get_by_label("OCSEA team").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Receive the referral").press("Enter")
    if "/purpose/" in page.url:
        page.get_by_label("An investigation I am working on").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert "Assessment due" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Triage", exact=True).press("Enter")
    assert_accessible(page)
    # Every question: Tab into its radios and pick the first answer with the keyboard.
    for group in page.locator("fieldset .govuk-radios").all():
        group.locator("input").first.focus()
        page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Complete the assessment").press("Enter")
    assert "Triaged: low band" in page.content(), page.content()[:2000]
    assert "Action due (low band)" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "investigator")
    with page.expect_navigation():
        page.get_by_role("link", name="Bail").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Investigations").first.click()
    assert_accessible(page)


def test_printed_pages_carry_the_marking_and_no_controls(live_server: Any, page: Any) -> None:
    """Printed, a worklist loses its navigation, buttons, filters and written-out link
    addresses; every printed page is marked OFFICIAL-SENSITIVE (the @page margin boxes)."""
    _sign_in(page, live_server.url, "mosovo_supervisor")
    page.goto(live_server.url + "/work/team/")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "sel => [...document.querySelectorAll(sel)].filter("
        "e => getComputedStyle(e).display !== 'none').length",
        ".govuk-service-navigation, .govuk-button, .vigil-filter-bar, .govuk-footer",
    )
    assert shown == 0
    after = page.evaluate(
        "() => [...document.querySelectorAll('main a')].map("
        "a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none')"
    )
    assert after == []
    marked = page.evaluate(
        "() => [...document.styleSheets].flatMap(s => [...s.cssRules]).filter("
        "r => r instanceof CSSPageRule).map(r => r.cssText).join(' ')"
    )
    assert marked.count("OFFICIAL-SENSITIVE") == 2  # the top and the foot of each page
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_charts_are_drawn_under_the_strict_csp(live_server: Any, browser_world: None) -> None:
    """The charts come from the app's own static files and draw with the Content Security
    Policy enforced (the other browser tests bypass it to inject axe-core); each keeps its
    table, and the risk x band table is a heat map."""
    import os

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        strict = browser.new_context().new_page()
        refused: list[str] = []
        strict.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        strict.on("pageerror", lambda e: refused.append(str(e)))
        _sign_in(strict, live_server.url, "head_of_pp")
        strict.goto(live_server.url + "/work/teams/")
        strict.wait_for_selector("figure.vigil-chart canvas")
        drawn = strict.evaluate(
            "() => { const c = document.querySelector('figure.vigil-chart canvas');"
            " return [c.width, c.getAttribute('role'), c.getAttribute('aria-label')]; }"
        )
        assert drawn[0] > 0
        assert drawn[1] == "img"
        assert "Open work by team" in drawn[2]  # names the table that holds its figures
        assert strict.locator("table[data-vigil-chart]").count() == 1
        strict.goto(live_server.url + "/work/risk-bands/")
        assert strict.locator(".vigil-heat-map [class*='vigil-heat--']").count() > 0
        strict.context.clear_cookies()
        _sign_in(strict, live_server.url, "offender_manager")  # the visit form's autocomplete
        strict.get_by_role("link", name="Record the visit").first.click()
        if "/purpose/" in strict.url:
            strict.get_by_label("Managing this person as an offender").check()
            strict.get_by_role("button", name="Continue").click()
        strict.wait_for_selector(".autocomplete__wrapper input")
        assert refused == []
        browser.close()


def test_every_administration_page_passes_axe(live_server: Any, page: Any) -> None:
    """The system administrator's screens (Django's admin, themed in templates/admin and
    static/vigil/admin.css) pass the same checks as Vigil's pages: each app, each list, each
    add form and the first record of each list."""
    _sign_in(page, live_server.url, "sysadmin")
    page.goto(live_server.url + "/admin/")
    assert_accessible(page)
    lists = sorted(
        {
            href
            for href in page.eval_on_selector_all(
                "#content-main a", "links => links.map(a => a.getAttribute('href'))"
            )
            if href and href.count("/") == 4  # /admin/<app>/<model>/
        }
    )
    assert lists
    visited = 0
    for url in lists:
        page.goto(live_server.url + url)
        assert_accessible(page)
        visited += 1
        more = page.eval_on_selector_all(
            "#result_list tbody a, .object-tools a.addlink",
            "links => links.map(a => a.getAttribute('href'))",
        )
        firsts = [h for h in more if h.endswith("/change/")][:1] + [
            h for h in more if h.endswith("/add/")
        ][:1]
        for href in firsts:
            page.goto(live_server.url + href)
            assert_accessible(page)
            visited += 1
    assert visited > len(lists)


def test_every_page_in_each_personas_navigation_passes_axe(live_server: Any, page: Any) -> None:
    """Each persona's first screen and every page their navigation offers pass axe (WCAG 2.2
    AA and best practice); the API's reference (Swagger UI) is a vendor page, left out."""
    personas = [
        "offender_manager",
        "mosovo_supervisor",
        "ocsea_triage",
        "investigator",
        "ocsea_supervisor",
        "head_of_pp",
        "dpo",
        "pcc_assurance",
        "wellbeing_lead",
    ]
    seen: set[str] = set()
    for persona in personas:
        page.context.clear_cookies()
        _sign_in(page, live_server.url, persona)
        assert_accessible(page)  # the first screen
        links = page.eval_on_selector_all(
            ".govuk-service-navigation__link", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in links:
            if href in seen or href.startswith("/api/") or href.startswith("/admin/"):
                continue
            seen.add(href)
            page.goto(live_server.url + href)
            assert_accessible(page)
    assert len(seen) >= 12


def test_a_supervisor_records_and_another_reviews_an_abstraction(
    live_server: Any, page: Any
) -> None:
    """The supervisor's workforce job in the browser: an abstraction recorded with its
    reason, found waiting for review, and reviewed by the head of unit; each page passes axe."""
    from vigil.accounts.models import User
    from vigil.workforce.models import AbstractionReason

    om = User.objects.get(username="offender_manager")
    AbstractionReason.objects.create(force_id=om.force_id, name="Court attendance")
    _sign_in(page, live_server.url, "mosovo_supervisor")
    with page.expect_navigation():
        page.get_by_role("link", name="Staff").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Abstractions").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Record an abstraction").click()
    assert_accessible(page)
    page.get_by_label("Who is abstracted").select_option(value=str(om.pk))
    # the supervisor's one team is chosen already
    page.get_by_label("Hours away from the team's work").fill("7.5")
    page.get_by_label("Reason").select_option(label="Court attendance")
    page.get_by_label("Who asked for the officer").fill("Crown Court (synthetic)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "The abstraction was recorded" in page.content()
    assert "Waiting for a manager" in page.content()
    assert_accessible(page)
    page.context.clear_cookies()
    _sign_in(page, live_server.url, "head_of_pp")
    page.goto(live_server.url + "/workforce/abstractions/?show=waiting")
    with page.expect_navigation():
        page.get_by_role("link", name=str(om)).first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Review the abstraction").click()
    page.get_by_label("What the review found").fill("Necessary; visits covered (synthetic)")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").press("Enter")
    assert "The review was recorded" in page.content()
    assert_accessible(page)


def test_a_supervisor_imports_an_extract_and_an_officer_reconciles(
    live_server: Any, page: Any
) -> None:
    """The register's main job: an extract uploaded, checked, previewed and imported, then
    a difference the import leaves marked for correction; each page passes axe."""
    from vigil.offenders.models import Registration
    from vigil.register.tests.test_import import quenby, visor_csv

    data = visor_csv(quenby(RoSH="VERY HIGH", **{"Management Type": "REACTIVE"}))
    _sign_in(page, live_server.url, "mosovo_supervisor")
    with page.expect_navigation():
        page.get_by_role("link", name="National register").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Upload an extract").click()
    assert_accessible(page)
    page.get_by_label("Register extract").set_input_files(
        {"name": "visor.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_label("The ViSOR example").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    assert "Checked: ready to import" in page.content()  # the tests' tasks run at once
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="To update (1)").click()
    assert "High → Very high" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Import 0 new and 1 update").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    assert "0 added, 1 updated" in page.content()
    assert Registration.objects.get(register_reference="SYN-QUENBY").risk_level == "very_high"

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "offender_manager")
    page.goto(live_server.url + "/register/reconciliation/?kind=management_mode")
    assert "Reactive management is a supervisor's decision" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Mark the register for correction").first.click()
    if "/purpose/" in page.url:
        page.get_by_label("Data quality or register reconciliation").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_label("What the register should hold, and how you know").fill(
        "Actively managed: seen on a visit last week (synthetic)"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Mark for correction").press("Enter")
    assert "Marked for correction" in page.content()
    assert "Marked for correction (1)" in page.content()
    assert_accessible(page)


def test_an_officer_raises_an_exchange_and_the_probation_partner_answers(
    live_server: Any, page: Any
) -> None:
    """The partnership's main job: an officer raises an exchange with probation, the partner
    lands on it in their exchanges and answers it; each page passes axe."""
    from vigil.accounts.models import User
    from vigil.probation.models import Exchange
    from vigil.probation.tests.helpers import agreement_for

    agreement_for(User.objects.get(username="offender_manager").force_id)
    _sign_in(page, live_server.url, "offender_manager")
    with page.expect_navigation():
        page.get_by_role("link", name="Probation").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Raise an exchange").click()
    assert_accessible(page)
    page.get_by_label("Register reference of the RSO").fill("SYN-QUENBY")
    page.get_by_label("Information request").check()
    page.get_by_label("Urgent").check()
    page.get_by_label("What it is about, in a line").fill("Current address (synthetic)")
    page.get_by_label("What you are asking or telling the other side").fill("What do you hold?")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise it").click()
    assert "Waiting for probation" in page.content()
    assert_accessible(page)

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "probation_partner")
    assert page.get_by_role("heading", level=1).inner_text() == "Exchanges with the police"
    assert "QUENBY, Adrian (SYN-QUENBY)" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Current address (synthetic)").click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Answer it").click()
    page.get_by_label("Your answer").fill("Lives alone at the address held (synthetic)")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the answer").press("Enter")
    assert "The answer was sent" in page.content()
    assert_accessible(page)
    assert Exchange.objects.get().answered_on is not None


def test_the_analyst_reads_the_dashboard_and_makes_the_pccs_report(
    live_server: Any, page: Any
) -> None:
    """Assurance's main job: the performance analyst reads the force's performance, narrows
    it to a team and to last month as it closed, makes the PCC's report with the force's
    narrative and downloads it; the PCC's assurance role reads it and downloads its PDF; each
    page passes axe."""
    from vigil.assurance.models import AssuranceReport
    from vigil.audit.models import AuditAction, AuditEvent

    _sign_in(page, live_server.url, "performance_analyst")
    with page.expect_navigation():
        page.get_by_role("link", name="Figures").first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Force performance").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Force performance"
    assert_accessible(page)
    page.get_by_label("Team").select_option(label="Alpha mosovo (Alpha City)")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    assert "Alpha mosovo, as of" in page.content()
    page.get_by_label("Month").select_option(index=1)  # last month, as it closed
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    assert "as it closed" in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Reports").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Make a report").click()
    assert_accessible(page)
    page.get_by_label("PCC assurance report").check()
    page.get_by_label("The last 90 days").check()
    page.get_by_label("The force's narrative (optional)").fill("On track (synthetic).")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the report").press("Enter")
    assert "The report was made" in page.content()
    assert "On track (synthetic)." in page.content()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Download as CSV").click()
    assert_accessible(page)
    page.get_by_label("Who will receive this export?").fill("The PCC's office (synthetic)")
    page.get_by_label("Why is it being disclosed?").fill("The quarter's assurance report")
    with page.expect_download() as csv:
        page.get_by_role("button", name="Download as CSV").click()
    assert csv.value.suggested_filename.endswith(".csv")

    page.context.clear_cookies()
    _sign_in(page, live_server.url, "pcc_assurance")
    page.goto(live_server.url + "/figures/reports/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("assurance report to the police")).click()
    assert "Change the narrative" not in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="Download as PDF").click()
    page.get_by_label("Who will receive this export?").fill("The PCC (synthetic)")
    page.get_by_label("Why is it being disclosed?").fill("The PCC's own copy")
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download as PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    report = AssuranceReport.objects.get()
    assert (
        AuditEvent.objects.filter(object_id=str(report.pk), action=AuditAction.DISCLOSURE).count()
        == 2
    )
