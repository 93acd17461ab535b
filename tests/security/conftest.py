import pytest
from hypothesis import settings

from tests.security.world import build_world

# The property tests are bounded by their examples (max_examples on each), never by time, and
# keep no example database in the tree: a failure prints the example that falsified it.
settings.register_profile("suite", database=None, deadline=None)
settings.load_profile("suite")


@pytest.fixture
def world(users):
    """One record of each main model (see tests/security/world.py)."""
    return build_world(users)
