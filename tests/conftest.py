"""Shared fixtures: the reference data of fixtures/, one user per role (the demo usernames), a
logged-in client per role."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from aftersales.roles import ROLES, group

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# Every test database starts with the real working calendar (deadlines are counted on the 调休
# schedule) and the SLA policies. The other reference files (departments, office cities,
# products) are left out: tests build exactly the master data they assert on, with the same codes.
TEST_DATABASE_FIXTURES = ("working_hours.json", "calendar.json", "sla_policies.json")


def load_reference_data(*names: str) -> None:
    """`manage.py loaddata` of the named files of fixtures/, or all of them (as `make run` does)."""
    paths = [FIXTURES_DIR / name for name in names] if names else sorted(FIXTURES_DIR.glob("*.json"))
    call_command("loaddata", *map(str, paths), verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once per test database (per xdist worker), after the migrations."""
    with django_db_blocker.unblock():
        load_reference_data(*TEST_DATABASE_FIXTURES)


@pytest.fixture
def reference_data(db):
    """All of fixtures/ in this test's database: what seed_demo expects to find."""
    load_reference_data()


def make_user(username: str, role_key: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-12345678", **extra)
    if role_key:
        user.groups.add(group(role_key))
    return user


@pytest.fixture
def users(db):
    """{'clerk': <User clerk>, 'as_manager': ..., 'technician': tech1, 'tech2': ...}: one per role."""
    result = {}
    for role in ROLES:
        for username in role.demo_usernames:
            user = make_user(username, role.key, last_name=username)
            result.setdefault(role.key, user)
            result[username] = user
    return result


@pytest.fixture
def client_for(client, users):
    """client_for("clerk") → a test client logged in as that role's user."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(users[username])
        return c

    return make


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counts (aftersales.ratelimit) do not carry from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    """Compile the translations when the .po is newer than the .mo (tests read Chinese text)."""
    from pathlib import Path

    base = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"
    po, mo = base / "django.po", base / "django.mo"
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        import subprocess

        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
