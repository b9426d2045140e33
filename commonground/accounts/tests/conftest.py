import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_cache():
    """Throttles and cached sessions live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
