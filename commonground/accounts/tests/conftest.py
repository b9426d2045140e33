import pytest
from django.core.cache import cache

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def fresh_cache():
    """Throttles and cached sessions live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
