"""Security headers on every response, the Chinese error pages with DEBUG off, and a log in which a
refusal is one line while a server error keeps its traceback."""

import base64
import hashlib
import io
import logging
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import include, path
from django.views.defaults import server_error

from aftersales.logfilters import RefusalWithoutTraceback
from aftersales.workflow import TransitionRefused

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def _forbidden(request):
    raise PermissionDenied("needs servicedesk.view_slaboard")


def _missing(request):
    raise Http404("no such case")


def _conflict(request):
    raise TransitionRefused("already approved")


def _broken(request):
    raise RuntimeError("the database went away")


# Views that refuse or fail in each way, in front of the real site (the error pages link to it).
urlpatterns = [
    path("refuse/403/", _forbidden),
    path("refuse/404/", _missing),
    path("refuse/409/", _conflict),
    path("fail/500/", _broken),
    path("", include("aftersales.site_urls")),
]


def csp(response) -> dict[str, set[str]]:
    """The Content-Security-Policy header as {directive: {sources}} (django-csp does not keep an order)."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_sends_the_policy_on_pages_for_anyone_and_for_a_signed_in_user(client, client_for):
    assert csp(client.get("/login/")) == POLICY
    assert csp(client_for("clerk").get("/")) == POLICY
    assert csp(client.get("/nope/")) == POLICY


@pytest.mark.django_db
def test_it_sends_the_other_security_headers_in_the_development_profile(client):
    response = client.get("/login/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # HSTS and the HTTPS redirect belong to production: a trial on http://127.0.0.1 keeps working.
    assert "Strict-Transport-Security" not in response and response.status_code == 200


@pytest.mark.django_db
def test_it_allows_the_admin_only_the_hashed_inline_style(django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-12345678")
    c = Client()
    c.force_login(admin)
    policy = csp(c.get("/admin/"))
    assert policy.pop("style-src") == {"'self'", "'unsafe-hashes'", f"'sha256-{_hash('border-top: 0')}'"}
    assert policy == {k: v for k, v in POLICY.items() if k != "style-src"}, "scripts stay 'self' in the admin too"


def test_the_admins_allowance_covers_every_inline_style_of_the_admins_templates(settings):
    """A new inline style after an upgrade of Django or simple-history fails here, not in a user's console."""
    import django.contrib.admin
    import simple_history

    allowed = set(settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE["style-src"])
    for package in (django.contrib.admin, simple_history):
        for template in Path(package.__file__).parent.glob("templates/**/*.html"):
            for value in re.findall(r'\sstyle="([^"]*)"', template.read_text()):
                assert f"'sha256-{_hash(value)}'" in allowed, f'{template}: style="{value}"'


def _hash(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_served_templates_have_no_inline_script_or_style():
    """Printable forms (…/print/…) go to WeasyPrint only, never to a browser: their <style> may stay."""
    inline = re.compile(r"""\sstyle=["']|<style|\son[a-z]+=["']|javascript:|<script(?![^>]*\ssrc=)""", re.I)
    found = [
        f"{template.relative_to(ROOT)}:{number}: {line.strip()}"
        for template in sorted((ROOT / "templates").rglob("*.html"))
        if "print" not in template.relative_to(ROOT / "templates").parts
        for number, line in enumerate(template.read_text().splitlines(), 1)
        if inline.search(line)
    ]
    assert not found, "\n".join(found)


# --- the error pages as a user sees them (DEBUG off) -----------------------------------------


@pytest.mark.django_db
def test_it_shows_the_chinese_404_page_for_an_unknown_address(client, settings):
    settings.DEBUG = False
    response = client.get("/nope/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "页面不存在" in html and "我的待办" in html
    assert "URLconf" not in html and "Page not found" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_it_shows_the_chinese_403_page_for_a_refusal(client_for, settings):
    settings.DEBUG = False
    response = client_for("clerk").get("/refuse/403/")
    assert response.status_code == 403 and "无权操作" in response.content.decode()


def test_the_500_page_renders_without_a_request_context(rf, settings):
    settings.DEBUG = False
    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and "系统错误" in html and "/static/css/app.css" in html


@pytest.mark.django_db
def test_a_bad_host_gets_the_chinese_400_page(client, settings):
    settings.DEBUG = False
    response = client.get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "请求无效" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_gets_the_chinese_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "clerk", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403 and "页面已过期" in html and "CSRF verification failed" not in html


# --- the log -----------------------------------------------------------------------------------


@pytest.fixture
def console():
    """What the console handler of settings.LOGGING writes, as text."""
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RefusalWithoutTraceback) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_it_logs_a_refusal_as_one_line_without_traceback(client_for, console, caplog):
    c = client_for("clerk")
    assert c.get("/refuse/403/").status_code == 403
    assert c.get("/refuse/404/").status_code == 404
    assert c.get("/refuse/409/").status_code == 409
    assert c.get("/login/", HTTP_HOST="evil.example").status_code == 400
    # Django hands the PermissionDenied and the bad host to the log with their exceptions…
    assert {r.levelname for r in caplog.records} == {"WARNING", "ERROR"}
    assert sorted(r.status_code for r in caplog.records) == [400, 403, 404, 409]
    # …and the log keeps one line each, with the exception's reason where it says one.
    lines = console.getvalue().splitlines()
    assert "Traceback" not in console.getvalue()
    assert len(lines) == 4, lines
    assert "Forbidden (Permission denied): /refuse/403/ (needs servicedesk.view_slaboard)" in lines
    assert any("/refuse/409/" in line for line in lines)
    assert any("evil.example" in line for line in lines)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_it_keeps_the_traceback_of_a_server_error(console, settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fail/500/")
    assert response.status_code == 500 and "系统错误" in response.content.decode()
    text = console.getvalue()
    assert "Internal Server Error: /fail/500/" in text
    assert "Traceback" in text and "RuntimeError: the database went away" in text
