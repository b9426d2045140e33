"""Which of the program's figures a reader gets: primary suppression of small figures, and the complementary
suppression that keeps a small figure from being worked out of the figures shown beside it.

A figure resting on one or two organizations is suppressed (primary suppression). But figures are published
in groups that add up: the program's organizations are the sum of its sectors and the sum of its states, a
state's the sum of its communities, a month's total the sum of its sectors. And some figures are never
published but are read all the same: what a month added to a sector (the organizations that joined, the
participants whose record was made) is that month's published figure less the month before's. Every such
relation is declared here as a sum (`relate`), the never-published figures among its terms (`add(...,
published=False)`), each with the organizations it rests on.

`settle()` decides in two passes. The first is quick and local: in a group, a single unknown figure is the
total less the shown ones, so every group keeps either no hidden figure that matters or at least two
(complementary suppression: the smallest figure shown that rests on three organizations or more is
suppressed too, else the total). Two hidden parts of equal small value beside a shown total are pinned by
their sum (1 + 1 = 2 can only be 1 and 1), so such a group gets a complement as well. That was a proof while
the groups made a tree; with the months chained to each other they do not (a sector's month figure is a part
of its month's sum and a term of its sector's chain), so the second pass proves it for the linear system as a
whole. It solves every relation at once, exactly (sparse Gauss-Jordan elimination in integers, `Fraction`s
where a pivot is not 1 or -1), as a reader who knows every published value would; while some small figure
(suppressed or never published) comes out as a single value, it suppresses one more published figure of the
combination that gives it away (the smallest resting on three organizations or more, else a zero) and solves
again (after `ONE_AT_A_TIME` rounds, one such figure for every small figure still pinned, so the rounds stay
few). On the demo the first pass leaves the second nothing to add: it costs one elimination (a few
milliseconds for some 400 figures).

Then bounds: no figure is below zero (a running total never falls), and a reader with linear programming may
pin a figure no linear combination gives. `bounds.Bounds` gives each small hidden figure its interval; while
one is too narrow (`bounds.protected`), one more published figure of the relations that bind it is suppressed
(the smallest resting on three organizations or more, never one of `kept` while another will do), and the
passes above run again. The linear programs cost most of a second on the demo, so a visitor's plan is settled
once for its figures and kept (`selectors.settle`, under `fingerprint()`). `program/tests/test_differencing.py`
attacks every published table, months subtracted, to check it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from fractions import Fraction

from commonground.core.aggregates import MINIMUM_ORGANIZATIONS

from .bounds import Bounds

# Rounds of the exact check that suppress one figure each (the fewest suppressed); past them, each round
# suppresses one for every small figure still pinned, so that a table of many cannot take many rounds.
ONE_AT_A_TIME = 8
# The version of the rules `settle()` follows, in every `fingerprint()`: a plan settled by older rules is not read.
RULES = 3


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
    published: bool = True
    suppressed: bool = False

    @property
    def hidden(self) -> bool:
        return self.suppressed or not self.published


class Disclosure:
    """Figures that add up, and which of them one reader gets; `settle()` decides, `cell(key)` answers."""

    def __init__(self, *, full: bool) -> None:
        self.full = full
        self.figures: dict[Hashable, _Figure] = {}
        self.groups: list[tuple[Hashable, list[Hashable]]] = []
        # Figures another plan shows alone (the organizations', for the progress table; a visitor's quarters, for
        # the months): every complement is chosen among them only when nothing else would do, so that both plans
        # decide them alike.
        self.kept: set[Hashable] = set()
        # Figures suppressed from the start, as another plan decided them (a visitor's quarters, for the months).
        self.preset: set[Hashable] = set()

    def copy(self) -> Disclosure:
        """A plan of the same figures and relations, not settled, to which more may be added apart."""
        other = Disclosure(full=self.full)
        other.figures = {
            key: _Figure(f.value, f.organizations, f.published) for key, f in self.figures.items()
        }
        other.groups = [(total, list(parts)) for total, parts in self.groups]
        other.kept, other.preset = set(self.kept), set(self.preset)
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k not in other.__dict__})
        return other

    def add(
        self, key: Hashable, value: int | float, organizations: int, *, published: bool = True
    ) -> Hashable:
        """Add a figure; one not `published` is never shown but a reader may work it out of those that are."""
        self.figures[key] = _Figure(value, organizations, published)
        return key

    def relate(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """Declare `total` the sum of `parts` (a reader may subtract)."""
        self.groups.append((total, list(parts)))

    def settle(self) -> Disclosure:
        """Suppress the small figures, then their complements until no group has a single unknown that
        matters, then more until the whole linear system pins no small figure."""
        if self.full:
            return self
        for figure in self.figures.values():
            figure.suppressed = figure.published and is_small(figure.organizations)
        for key in self.preset:
            self.figures[key].suppressed = self.figures[key].published
        # The bounds' complements may leave a group with a single unknown again: settle until they add none.
        # A figure the bounds protect stays protected (suppressing only widens the intervals).
        protected: set[Hashable] = set()
        while True:
            self._complements()
            rounds = 0
            while keys := self._giveaways(every=rounds >= ONE_AT_A_TIME):
                for key in keys:
                    self.figures[key].suppressed = True
                rounds += 1
            if not self._bound(protected):
                return self

    def _complements(self) -> None:
        changed = True
        while changed:
            changed = False
            for total, parts in self.groups:
                if self._exposed(total, parts):
                    self._complement(total, parts)
                    changed = True

    def _bound(self, protected: set[Hashable]) -> bool:
        """Suppress more published figures until the bounds (no figure below zero) leave every small hidden
        figure protected: one for the first figure not (for each, past `ONE_AT_A_TIME` rounds), the smallest
        of those shown in the relations that bind it, resting on three organizations or more, else a zero.
        Add the figures found protected to `protected`; return whether any figure was suppressed."""
        order = {key: index for index, key in enumerate(self.figures)}
        targets = [
            key for key, f in self.figures.items()
            if f.hidden and is_small(f.organizations) and key not in protected
        ]  # fmt: skip
        rounds = 0
        while targets:
            exposed = Bounds(self.figures, self.groups).exposed(targets)
            protected.update(key for key in targets if key not in exposed)
            if not exposed:
                break
            chosen: list[Hashable] = []
            for key in exposed:
                shown = [k for k in exposed[key] if k not in chosen and k not in self.kept] or self._beside(
                    key
                )
                chosen.append(self._cheapest(shown, order))
                if rounds < ONE_AT_A_TIME:
                    break
            for key in chosen:
                self.figures[key].suppressed = True
            targets = list(exposed)
            rounds += 1
        return rounds > 0

    def _beside(self, key: Hashable) -> list[Hashable]:
        """The published figures shown nearest `key` and not `kept`: in the relations that hold it, else in those
        that hold the other figures of those relations, and so on (the kept ones when there is no other)."""
        reached, frontier = {key}, {key}
        while frontier:
            near = [(total, parts) for total, parts in self.groups if frontier & {total, *parts}]
            shown = [
                k for total, parts in near for k in (total, *parts)
                if not self.figures[k].hidden and k not in self.kept
            ]  # fmt: skip
            if shown:
                return list(dict.fromkeys(shown))
            frontier = {k for total, parts in near for k in (total, *parts)} - reached
            reached |= frontier
        shown = [k for k in reached if not self.figures[k].hidden]
        if not shown:
            raise ArithmeticError(f"nothing shown bounds {key!r}")
        return shown

    def _exposed(self, total: Hashable, parts: list[Hashable]) -> bool:
        hidden = [self.figures[key] for key in (total, *parts) if self.figures[key].hidden]
        if len(hidden) == 1:
            # A single unknown never published and resting on none or three organizations or more may be read.
            return hidden[0].published or is_small(hidden[0].organizations)
        # Parts of equal small value beside a shown total: their sum pins each one.
        return (
            len(hidden) > 1
            and not self.figures[total].hidden
            and all(is_small(f.organizations) for f in hidden)
            and len({f.value for f in hidden}) == 1
        )

    def _complement(self, total: Hashable, parts: list[Hashable]) -> None:
        """Suppress one more figure of an exposed group: the smallest shown part resting on three organizations
        or more, else the total, else a zero part beside a hidden total; one not `kept` while there is one."""
        shown = [key for key in parts if not self.figures[key].hidden]
        for kept in (False, True):
            choices = [key for key in shown if (key in self.kept) == kept]
            safe = [key for key in choices if self.figures[key].organizations >= MINIMUM_ORGANIZATIONS]
            if safe:
                key = min(safe, key=lambda k: (self.figures[k].value, parts.index(k)))
            elif not self.figures[total].hidden and (total in self.kept) == kept:
                key = total
            elif choices and self.figures[total].hidden:
                # Only zeros are left to hide beside a hidden total: one of them stands for the missing unknown.
                key = choices[0]
            else:
                continue
            self.figures[key].suppressed = True
            return
        raise ArithmeticError(f"nothing to suppress beside {total!r}")

    def _giveaways(self, *, every: bool) -> list[Hashable]:
        """Return the published figures to suppress next: for the first small hidden figure the relations pin
        (for each, when `every`), one of the published figures whose combination gives it, the smallest
        resting on three organizations or more, else a zero; none when the relations pin no small figure."""
        if not any(figure.hidden and is_small(figure.organizations) for figure in self.figures.values()):
            return []
        order = {key: index for index, key in enumerate(self.figures)}
        chosen: list[Hashable] = []
        for key, shown in sorted(_pinned(self.figures, self.groups).items(), key=lambda item: order[item[0]]):
            if shown and is_small(self.figures[key].organizations) and not set(shown) & set(chosen):
                chosen.append(self._cheapest(shown, order))
                if not every:
                    break
        return chosen

    def _cheapest(self, shown: list[Hashable], order: dict[Hashable, int]) -> Hashable:
        """The shown figure whose suppression costs least: one not kept if any, resting on organizations, the
        smallest, then the first."""
        return min(
            shown,
            key=lambda k: (
                k in self.kept,
                self.figures[k].organizations == 0,
                self.figures[k].value,
                order[k],
            ),
        )

    def cell(self, key: Hashable) -> Cell:
        figure = self.figures[key]
        return SUPPRESSED if figure.hidden else Cell(figure.value)

    def suppressed_keys(self) -> set[Hashable]:
        return {key for key, figure in self.figures.items() if figure.published and figure.suppressed}

    def fingerprint(self) -> str:
        """Return a digest of everything `settle()` decides from (the rules, each figure in order, each relation):
        two plans of the same fingerprint settle alike, so a settled plan may be kept under it."""
        text = repr((
            RULES,
            self.full,
            [
                (key, f.value, f.organizations, f.published, key in self.kept, key in self.preset)
                for key, f in self.figures.items()
            ],
            self.groups,
        ))  # fmt: skip
        return hashlib.sha256(text.encode()).hexdigest()

    def restore(self, suppressed: set[Hashable]) -> Disclosure:
        """Settle as a plan of the same fingerprint settled, from its `suppressed_keys()`."""
        for key, figure in self.figures.items():
            figure.suppressed = figure.published and key in suppressed
        return self


def _pinned(figures: dict[Hashable, _Figure], groups: list) -> dict[Hashable, list[Hashable]]:
    """Return each hidden figure the relations pin to one value, with the published figures of the combination
    that gives it: Gauss-Jordan elimination over the hidden figures, exact, each row a sparse {key: integer or Fraction}
    that keeps the published figures' coefficients beside (never pivots)."""
    pivots: dict[Hashable, dict[Hashable, int | Fraction]] = {}
    # Which pivots' rows hold a hidden key, so that a new pivot is eliminated from those rows only.
    holders: dict[Hashable, set[Hashable]] = {}
    order = {key: index for index, key in enumerate(figures)}
    for total, parts in groups:
        row: dict[Hashable, int | Fraction] = {}
        for key, sign in ((total, 1), *((part, -1) for part in parts)):
            row[key] = row.get(key, 0) + sign
        for key in [key for key in row if key in pivots]:
            _subtract(row, pivots[key], row.get(key, 0))
        hidden = [key for key, value in row.items() if value and figures[key].hidden]
        if not hidden:
            continue
        lead = min(hidden, key=order.__getitem__)
        factor = row[lead]
        # Coefficients stay integers while the pivots are 1 or -1 (most are): exact, and faster than Fractions.
        row = {
            key: value * factor if factor in (1, -1) else Fraction(value) / factor
            for key, value in row.items()
            if value
        }
        for pivot in holders.pop(lead, set()):
            if not pivots[pivot].get(lead):
                continue  # cancelled since
            _subtract(pivots[pivot], row, pivots[pivot][lead])
            for key in row:
                if figures[key].hidden and key != pivot:
                    holders.setdefault(key, set()).add(pivot)
        pivots[lead] = row
        for key in row:
            if figures[key].hidden and key != lead:
                holders.setdefault(key, set()).add(lead)
    pinned = {}
    for lead, row in pivots.items():
        if all(key == lead or not figures[key].hidden for key in row):
            pinned[lead] = [key for key in row if key != lead]
    return pinned


def _subtract(row: dict, other: dict, factor: int | Fraction) -> None:
    """row -= factor * other, dropping the zeros."""
    for key, value in other.items():
        result = row.get(key, 0) - factor * value
        if result:
            row[key] = result
        else:
            row.pop(key, None)
