"""What a reader who also uses bounds learns: no figure is below zero (a running total never falls, as what a
month added is a figure like any other), so linear programming over the relations and the published values
gives each hidden figure an interval, which may pin it where no linear combination does.

The protection rule, for a figure resting on one or two organizations: its interval must hold another whole
number than its value, and when its value is 1 or 2 it must reach `MINIMUM_ORGANIZATIONS` (a reader who learns
"at most 2" has learnt that it is small). Suppressing a published figure only widens the intervals (a value
fixed becomes a free one), so a figure once protected stays protected; `disclosure.Disclosure.settle` asks here
which figures are not, and suppresses one more published figure for each until none is left.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

from commonground.core.aggregates import MINIMUM_ORGANIZATIONS

# An LP's optimum is a float: a bound within this of a whole number is that number.
TOLERANCE = 1e-6


def protected(value, low: float | None, high: float | None) -> bool:
    """Whether an interval [low, high] (None: unbounded) leaves a small figure of `value` unknown enough."""
    if high is None:
        return True
    if 0 < value < MINIMUM_ORGANIZATIONS:
        return high >= MINIMUM_ORGANIZATIONS - TOLERANCE
    return high >= value + 1 - TOLERANCE or (low is not None and low <= value - 1 + TOLERANCE)


class Bounds:
    """The relations over the hidden figures, as linear programs: `exposed(targets)` returns the targets whose
    interval is too narrow, each with the published figures of the relations that bound it."""

    def __init__(self, figures: dict, groups: list) -> None:
        self.figures, self.groups = figures, groups
        hidden = [key for key, figure in figures.items() if figure.hidden]
        self.column = {key: index for index, key in enumerate(hidden)}
        parent = list(range(len(hidden)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        self.rows: list[tuple[dict[int, int], float, int]] = []  # coefficients, right-hand side, group index
        for number, (total, parts) in enumerate(groups):
            coefficients: dict[int, int] = {}
            rhs = 0
            for key, sign in ((total, 1), *((part, -1) for part in parts)):
                if key in self.column:
                    coefficients[self.column[key]] = coefficients.get(self.column[key], 0) + sign
                else:
                    rhs -= sign * figures[key].value
            coefficients = {c: v for c, v in coefficients.items() if v}
            if coefficients:
                self.rows.append((coefficients, rhs, number))
                first, *others = coefficients
                for other in others:
                    parent[root(other)] = root(first)
        self.component = [root(i) for i in range(len(hidden))]
        self._programs: dict[int, tuple] = {}

    def _program(self, component: int) -> tuple:
        """The equalities of one component of the hidden figures (those that share no relation are apart)."""
        if component not in self._programs:
            columns = [i for i, c in enumerate(self.component) if c == component]
            local = {i: j for j, i in enumerate(columns)}
            rows = [row for row in self.rows if self.component[next(iter(row[0]))] == component]
            data, indices, pointers = [], [], [0]
            for coefficients, _rhs, _number in rows:
                for column, value in coefficients.items():
                    indices.append(local[column])
                    data.append(value)
                pointers.append(len(indices))
            from scipy.sparse import csr_matrix  # where used: SciPy takes a second of a process's start

            matrix = csr_matrix((data, indices, pointers), shape=(len(rows), len(columns)))
            rhs = np.array([row[1] for row in rows], dtype=float)
            self._programs[component] = (local, matrix, rhs, [row[2] for row in rows])
        return self._programs[component]

    def _bound(self, key: Hashable, sign: int) -> tuple[float | None, list[int]]:
        """Return the least (sign 1) or greatest (sign -1) value the relations allow `key`, None when unbounded,
        with the relations whose value binds it (nonzero duals)."""
        from scipy.optimize import linprog

        local, matrix, rhs, numbers = self._program(self.component[self.column[key]])
        aim = np.zeros(matrix.shape[1])
        aim[local[self.column[key]]] = sign
        result = linprog(aim, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        if result.status == 3:
            return None, []
        if result.status != 0:
            raise ArithmeticError(f"the relations have no solution for {key!r}: {result.message}")
        binding = [numbers[i] for i, dual in enumerate(result.eqlin.marginals) if abs(dual) > TOLERANCE]
        return sign * result.fun, binding

    def exposed(self, targets: list[Hashable]) -> dict[Hashable, list[Hashable]]:
        """Return each target the bounds leave unprotected, with the published figures shown in the relations
        that bind it (suppressing one of them may widen its interval)."""
        found = {}
        for key in targets:
            value = self.figures[key].value
            high, binding = self._bound(key, -1)
            low = None
            if not protected(value, None, high):
                low, binding_low = self._bound(key, 1)
                binding += binding_low
            if protected(value, low, high):
                continue
            shown = []
            for number in dict.fromkeys(binding):
                total, parts = self.groups[number]
                shown += [k for k in (total, *parts) if not self.figures[k].hidden and k not in shown]
            found[key] = shown
        return found
