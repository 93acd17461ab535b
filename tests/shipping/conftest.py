import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    """Assert on the English msgids, whether or not the Chinese catalogue is compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
