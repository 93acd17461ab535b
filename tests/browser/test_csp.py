"""The Content-Security-Policy holds in a real browser: every role's menu pages and a record of
each on the demo data, and the admin's pages, at tablet portrait size (768×1024), without a
single violation in the console (the autouse watch of conftest.py fails the test on one)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.browser.conftest import CSP_VIOLATION, csp_violations

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "demo12345"
ROLES = (
    "clerk",
    "as_manager",
    "sales",
    "gm",
    "finance",
    "warehouse",
    "logistics",
    "techdept",
    "tech1",
    "qc",
    "rnd",
    "production",
    "purchasing",
    "deptmgr",
    "leader",
)
# Links that download a file rather than show a page.
DOWNLOADS = (".pdf", "/print/", "/archive/", "/export", ".csv", ".xlsx", "/file/")


@pytest.fixture
def demo(reference_data, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=io.StringIO())


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"{username} could not sign in"


def show(page, url: str) -> None:
    # "load": the page is parsed, its styles applied and its deferred scripts run, which is
    # when Chromium reports a violation.
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status < 500, f"{url}: {response and response.status}"


def links(page, selector: str) -> list[str]:
    hrefs = (a.get_attribute("href") or "" for a in page.locator(selector).all())
    return [h for h in hrefs if h.startswith("/") and not any(d in h for d in DOWNLOADS)]


def test_it_shows_every_roles_pages_without_a_csp_violation(tablet, live_server, demo):
    base = live_server.url
    seen = {"/"}  # each page once, as the first role that has it in its menu (the templates are shared)
    for username in ROLES:
        sign_in(tablet, base, username)
        menu = links(tablet, "#main-menu nav a")
        assert menu, f"{username} has a menu"
        for menu_link in menu:
            if menu_link in seen:
                continue
            seen.add(menu_link)
            show(tablet, base + menu_link)
            # The first record of a list: its detail page, with its steps, facts and badges.
            for record in links(tablet, "main table a")[:1]:
                if record not in seen:
                    seen.add(record)
                    show(tablet, base + record)
    print("SEEN", len(seen), sorted(seen))
    assert len(seen) > 30


def test_the_admin_works_under_its_allowance(tablet, live_server, demo):
    from warranty.models import Appraisal

    base = live_server.url
    sign_in(tablet, base, "admin")
    appraisal = Appraisal.objects.order_by("pk").first()
    assert appraisal is not None
    pages = [
        reverse("admin:index"),
        reverse("admin:aftersales_customer_changelist"),
        reverse("admin:aftersales_site_add"),  # the customer's autocomplete (select2)
        reverse("admin:warranty_appraisal_change", args=[appraisal.pk]),
        # simple-history's list: the one inline style the admin's allowance admits by its hash.
        reverse("admin:warranty_appraisal_history", args=[appraisal.pk]),
    ]
    for url in pages:
        show(tablet, base + url)
        assert tablet.locator("#content").count() == 1, url


def test_the_browser_refuses_inline_style_and_script_and_the_watch_sees_it(tablet, live_server):
    """The control: without it, a watch that saw nothing would look like a clean site."""
    tablet.goto(f"{live_server.url}/login/")
    with tablet.expect_console_message(lambda m: CSP_VIOLATION in m.text):
        tablet.evaluate("document.body.setAttribute('style', 'color: rgb(255, 0, 0)')")
    with tablet.expect_console_message(lambda m: CSP_VIOLATION in m.text):
        tablet.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
            " document.body.appendChild(s); }"
        )
    assert tablet.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    assert tablet.evaluate("window.injected") is None
    assert len(csp_violations) == 2 and all("/login/" in v for v in csp_violations)
    csp_violations.clear()  # seen and expected: the autouse watch must not fail this test
