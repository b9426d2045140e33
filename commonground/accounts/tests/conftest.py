import pytest
from django.core.cache import cache

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def mail_at_once(settings):
    """Mail goes through the task queue; here the queue runs each task as it is queued."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def fresh_cache():
    """Throttles and cached sessions live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
