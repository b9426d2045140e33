import pytest

from commonground.resources.short_lists import forget_long_lists


@pytest.fixture(autouse=True)
def _short_lists_forgotten():
    """Which lists were found long is the process's memory (short_lists): a test starts without another's."""
    forget_long_lists()
    yield
    forget_long_lists()
