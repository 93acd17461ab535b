"""Security headers on every response."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client

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
