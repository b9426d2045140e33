"""The greedy baseline: requests by priority, then needed-by, each served from its nearest resources."""

from __future__ import annotations

import math

import numpy as np

from .types import (
    BALL_AFTER_K,
    GROWTH,
    INITIAL_K,
    Allocation,
    _group,
)


class GreedyPlan:
    """The baseline plan of a `Problem`: mixed into it."""

    # -- the greedy plan ----------------------------------------------------------------------------------

    def greedy(self, started: float) -> Allocation:
        """Requests by priority, then needed-by: each takes the nearest units left, nearest first."""
        left = self.s_units.copy()
        order = np.lexsort((np.arange(self.nd), self.d_need, self.d_priority))
        k = np.full(self.nd, INITIAL_K * GROWTH, dtype=np.int64)
        si, di, dist, bound = self.nearest_pairs(np.arange(self.nd), k)
        by_demand = _group(di, self.nd)
        taken_s, taken_d, taken_n, taken_m = [], [], [], []
        for d in order.tolist():
            rows = by_demand[d]
            cand_s, cand_m, limit = si[rows], dist[rows], float(bound[d])
            need = int(self.d_units[d])
            stage = 1
            while True:
                # Only candidates no farther than every pair left out are surely the nearest. A supply this
                # demand took from before a new query is used up (or the demand would be served).
                ranked = np.lexsort((cand_s, cand_m))
                for s, m in zip(cand_s[ranked].tolist(), cand_m[ranked].tolist(), strict=True):
                    if m > limit or not need:
                        break
                    if left[s] <= 0:
                        continue
                    n = min(need, int(left[s]))
                    left[s] -= n
                    need -= n
                    taken_s.append(s), taken_d.append(d), taken_n.append(n), taken_m.append(m)
                if not need or not math.isfinite(limit):
                    break
                stage += 1
                if stage <= 3:
                    kk = min(INITIAL_K * GROWTH**stage, BALL_AFTER_K)
                    cand_s, _, cand_m, more = self.nearest_pairs(np.array([d]), np.array([kk]))
                    limit = float(more[0])
                else:
                    cand_s, _, cand_m = self.ball_pairs(np.array([d]))
                    limit = math.inf
        return self.allocation(
            "greedy",
            np.array(taken_s, dtype=np.int64),
            np.array(taken_d, dtype=np.int64),
            np.array(taken_n, dtype=np.int64),
            np.array(taken_m, dtype=float),
            started,
        )
