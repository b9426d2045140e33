"""Which of the program's figures a reader gets: primary suppression of small figures, and the complementary
suppression that keeps a suppressed figure from being worked out of the figures shown beside it.

A figure resting on one or two organizations is suppressed (primary suppression). But figures are published
in groups that add up: the program's organizations are the sum of its sectors and the sum of its states, a
state's the sum of its communities, a month's total the sum of its sectors. In such a group, a single unknown
figure is the total less the shown ones, so every group keeps either no suppressed figure or at least two
(complementary suppression: the smallest figure shown that rests on three organizations or more is
suppressed too, else the total). Two suppressed parts of equal small value beside a shown total are pinned
by their sum (1 + 1 = 2 can only be 1 and 1), so such a group gets a complement as well.

The groups are a tree (every figure is a part of at most one group and the total of its own), so a group with
no single unknown leaves every unknown of the tree undetermined: each lies on a path between two unknowns
that the relations leave free. `program/tests/test_differencing.py` attacks every published table to prove it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from commonground.core.aggregates import MINIMUM_ORGANIZATIONS


@dataclass(frozen=True)
class Cell:
    """One figure as one reader may see it: its value, or suppressed (None) when it rests on one or two
    organizations, or would reveal one that does, and the reader is not a facilitator."""

    value: int | float | None
    suppressed: bool = False

    def as_json(self) -> dict:
        return {"value": self.value, "suppressed": self.suppressed}


SUPPRESSED = Cell(None, True)


def is_small(organizations: int) -> bool:
    return 0 < organizations < MINIMUM_ORGANIZATIONS


@dataclass
class _Figure:
    value: int | float
    organizations: int
    suppressed: bool = False


class Disclosure:
    """Figures that add up, and which of them one reader gets; `settle()` decides, `cell(key)` answers."""

    def __init__(self, *, full: bool) -> None:
        self.full = full
        self.figures: dict[Hashable, _Figure] = {}
        self.groups: list[tuple[Hashable, list[Hashable]]] = []

    def add(self, key: Hashable, value: int | float, organizations: int) -> Hashable:
        self.figures[key] = _Figure(value, organizations)
        return key

    def relate(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """Publish `total` as the sum of `parts` (a reader may subtract)."""
        self.groups.append((total, list(parts)))

    def settle(self) -> Disclosure:
        """Suppress the small figures, then their complements until no group has a single unknown."""
        if self.full:
            return self
        for figure in self.figures.values():
            figure.suppressed = is_small(figure.organizations)
        changed = True
        while changed:
            changed = False
            for total, parts in self.groups:
                if self._exposed(total, parts):
                    self._complement(total, parts)
                    changed = True
        return self

    def _exposed(self, total: Hashable, parts: list[Hashable]) -> bool:
        hidden = [self.figures[key] for key in (total, *parts) if self.figures[key].suppressed]
        if len(hidden) == 1:
            return True
        # Parts of equal small value beside a shown total: their sum pins each one.
        return (
            len(hidden) > 1
            and not self.figures[total].suppressed
            and all(is_small(f.organizations) for f in hidden)
            and len({f.value for f in hidden}) == 1
        )

    def _complement(self, total: Hashable, parts: list[Hashable]) -> None:
        shown = [key for key in parts if not self.figures[key].suppressed]
        safe = [key for key in shown if self.figures[key].organizations >= MINIMUM_ORGANIZATIONS]
        if safe:
            key = min(safe, key=lambda k: (self.figures[k].value, parts.index(k)))
        elif not self.figures[total].suppressed:
            key = total
        else:
            # Only zeros are left to hide beside a hidden total: one of them stands for the missing unknown.
            key = shown[0]
        self.figures[key].suppressed = True

    def cell(self, key: Hashable) -> Cell:
        figure = self.figures[key]
        return SUPPRESSED if figure.suppressed else Cell(figure.value)

    def suppressed_keys(self) -> set[Hashable]:
        return {key for key, figure in self.figures.items() if figure.suppressed}
