import pytest

from aftersales import events


@pytest.fixture
def without_field_service(monkeypatch):
    """The service desk on its own: no app opens a service job for an on-site decision, so the
    desk confirms dispatch and arrival itself (tests/integration runs them together)."""
    monkeypatch.setitem(events._handlers, events.CaseDecided, [])
