"""Real-browser tests: Debian's Chromium driven by Playwright against the live server.

In CI (CI=true) a missing browser is a failure, never a skip.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, asserts) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TABLET_PORTRAIT = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


# Chromium reports every Content-Security-Policy violation (an inline style or script, a resource
# from another origin) as a console error naming the policy.
CSP_VIOLATION = "Content Security Policy"
csp_violations: list[str] = []


def _watch_csp(context) -> None:
    def on_console(message) -> None:
        if CSP_VIOLATION in message.text:
            csp_violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium); browser tests must run in CI")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        # Every context a test opens (tablet, phone, a second user) is watched for CSP violations.
        new_context = browser.new_context

        def watched_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            _watch_csp(context)
            return context

        browser.new_context = watched_context
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def no_csp_violations():
    """Fails any browser test during which a page broke the Content-Security-Policy."""
    start = len(csp_violations)
    yield
    found = csp_violations[start:]
    del csp_violations[start:]
    if found:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(found))


@pytest.fixture
def tablet(browser):
    """A new page at tablet portrait size (768×1024), touch enabled, Chinese locale."""
    context = browser.new_context(viewport=TABLET_PORTRAIT, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def login(live_server, users):
    """login(page, "clerk") signs in through the login form."""

    def do(page, username: str):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-12345678")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return do


def has_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
