"""Fixtures of the communities' tests."""

import pytest


@pytest.fixture
def touch_at_once(request, monkeypatch):
    """Draw the progress tokens a write asks for at once, not when the test's transaction commits (it never
    does): for tests of which writes keep the snapshots fresh. A test that asks for
    `django_capture_on_commit_callbacks` sees when they are drawn instead."""
    if "django_capture_on_commit_callbacks" in request.fixturenames:
        return
    from commonground.communities import snapshots

    monkeypatch.setattr(snapshots, "after_commit", lambda action: action())
