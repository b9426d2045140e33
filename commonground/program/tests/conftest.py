import pytest

from commonground.program import kept


@pytest.fixture(autouse=True)
def _nothing_computed_kept():
    """Each test computes the statistics itself: some change how they are computed (a monkeypatched step)."""
    kept.forget()
    yield
    kept.forget()
