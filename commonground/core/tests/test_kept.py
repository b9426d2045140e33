"""core.kept.Kept: bounded, least lately used dropped first, nothing kept from a build that fails."""

import pytest

from commonground.core.kept import Kept


def test_a_key_is_built_once_and_the_least_lately_used_goes_first():
    kept, builds = Kept(2), []

    def build(value):
        def run():
            builds.append(value)
            return value

        return run

    assert kept.get_or_build("a", build(1)) == 1
    assert kept.get_or_build("b", build(2)) == 2
    assert kept.get_or_build("a", build(99)) == 1  # kept: not built again, and now the latest used
    assert kept.get_or_build("c", build(3)) == 3  # "b" is dropped, not "a"
    assert len(kept) == 2
    assert kept.get_or_build("a", build(99)) == 1
    assert kept.get_or_build("b", build(4)) == 4
    assert builds == [1, 2, 3, 4]


def test_a_build_that_fails_keeps_nothing():
    kept = Kept(4)

    def fail():
        raise ValueError("no")

    with pytest.raises(ValueError):
        kept.get_or_build("a", fail)
    assert len(kept) == 0
    assert kept.get_or_build("a", lambda: "built") == "built"
    kept.clear()
    assert len(kept) == 0
