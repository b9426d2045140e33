"""The optimal plan: two exact stages of flows, proven optimal by potentials on every pair."""

from __future__ import annotations

import numpy as np

from .types import (
    BALL_AFTER_K,
    COST_TIMES_NODES_LIMIT,
    FULL_PAIRS,
    GROWTH,
    INITIAL_K,
    SOLVER_FAILED,
    TOTAL_COST_LIMIT,
    UNREACHED,
    Allocation,
    _round_half_up,
)


class OptimalPlan:
    """The optimal plan of a `Problem` (see the package's docstring): mixed into it."""

    # -- the optimal plan ---------------------------------------------------------------------------------

    def cost_scale(self) -> int:
        """Return q, the cost's unit of distance in metres: the smallest power of ten that keeps the largest
        distance cost times (nodes + 1), and the largest total, within int64 (see the module's docstring)."""
        flow = max(1, int(min(self.s_units.sum(), self.d_units.sum())))
        longest = float(self.d_reach.max()) if self.nd else 0.0
        nodes = self.ns + self.nd + 2
        q = 1
        while True:
            c_max = int(_round_half_up(longest / q))
            if (
                c_max * (nodes + 1) <= COST_TIMES_NODES_LIMIT and c_max * flow <= TOTAL_COST_LIMIT
            ) or not c_max:
                return q
            q *= 10

    def optimal(self, started: float) -> Allocation:
        q = self.cost_scale()
        everyone = np.arange(self.nd)
        # stage: 0-3 the INITIAL_K x GROWTH**stage nearest; 4 every pair within the threshold; 5 within reach.
        stage = np.zeros(self.nd, dtype=np.int64)
        if self.ns * self.nd <= FULL_PAIRS:
            si, di, dist = self.ball_pairs(everyone)
            bound = np.full(self.nd, np.inf)
        else:
            si, di, dist, bound = self.nearest_pairs(everyone, np.full(self.nd, INITIAL_K))
            # Before any solve: a demand whose candidates hold fewer than twice its units gets more.
            for _ in range(3):
                held = np.bincount(di, weights=self.s_units[si], minlength=self.nd)
                short = np.flatnonzero(np.isfinite(bound) & (held < 2 * self.d_units))
                if not len(short):
                    break
                stage[short] += 1
                si, di, dist = self._more(si, di, dist, bound, short, stage, None, None, q)
        rounds = 0
        keys, units = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        while True:
            rounds += 1
            # Only the connected parts of the graph that gained pairs are solved again.
            new_keys = si * self.nd + di
            known = np.isin(new_keys, keys)
            previous = np.zeros(len(si), dtype=np.int64)
            previous[known] = units[np.searchsorted(keys, new_keys[known])]
            changed = self._touched(si, di, ~known)
            part = changed[self.ns + di]
            solved = self._solve(si[part], di[part], dist[part], changed[self.ns :], q)
            if solved is None:
                return self.empty("optimal", SOLVER_FAILED, started)
            units = previous
            units[part] = solved
            keys = new_keys
            gaps = self._gaps(si, di, dist, units, q)
            if gaps is None:
                return self.empty("optimal", SOLVER_FAILED, started)
            weight_gap, distance_gap = gaps
            # A pair left out of demand d may improve the plan only if the weight gap is positive, or nil
            # with the pair's distance cost below the distance gap: below d's bound, none is.
            lower = _round_half_up(np.minimum(bound, 1e18) / q)
            unproven = np.flatnonzero(
                np.isfinite(bound) & ((weight_gap > 0) | ((weight_gap == 0) & (lower < distance_gap)))
            )
            if not len(unproven):
                break
            stage[unproven] += 1
            si, di, dist = self._more(si, di, dist, bound, unproven, stage, weight_gap, distance_gap, q)
        return self.allocation(
            "optimal", si, di, units, dist, started, distance_unit_m=q, rounds=rounds, arcs=len(si)
        )

    def _touched(self, si, di, new) -> np.ndarray:
        """Return which nodes (supplies, then demands) lie in a connected part of the graph with a new pair."""
        # SciPy and OR-Tools are imported where used: at the top they took a second of every process's start
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        nodes = self.ns + self.nd
        graph = coo_matrix((np.ones(len(si)), (si, self.ns + di)), shape=(nodes, nodes))
        _, label = connected_components(graph, directed=False)
        dirty = np.zeros(label.max() + 1, dtype=bool)
        dirty[label[si[new]]] = True
        return dirty[label]

    def _more(self, si, di, dist, bound, demands, stage, weight_gap, distance_gap, q):
        """Add candidates for these demands by their stage, raise their bounds; return the pairs, unique.

        With gaps known, a demand whose weight gap is nil needs no pair past (distance gap + 1/2) x q metres:
        such a pair costs at least the gap.
        """
        radius = self.d_reach.copy()
        if weight_gap is not None:
            nil = weight_gap == 0
            radius[nil] = np.minimum(radius[nil], (distance_gap[nil] + 0.5) * q)
        parts = [(si, di, dist)]
        by_k = demands[stage[demands] <= 3]
        if len(by_k):
            k = np.minimum(INITIAL_K * GROWTH ** stage[by_k], BALL_AFTER_K)
            s2, d2, m2, b2 = self.nearest_pairs(by_k, k, radius[by_k])
            parts.append((s2, d2, m2))
            bound[by_k] = np.maximum(bound[by_k], b2)
        by_ball = demands[stage[demands] == 4]
        if len(by_ball):
            parts.append(self.ball_pairs(by_ball, radius[by_ball]))
            reach = self.d_reach[by_ball]
            bound[by_ball] = np.maximum(
                bound[by_ball], np.where(radius[by_ball] >= reach, np.inf, radius[by_ball])
            )
        by_reach = demands[stage[demands] >= 5]
        if len(by_reach):
            parts.append(self.ball_pairs(by_reach))
            bound[by_reach] = np.inf
        si = np.concatenate([p[0] for p in parts])
        di = np.concatenate([p[1] for p in parts])
        dist = np.concatenate([p[2] for p in parts])
        _, first = np.unique(si * self.nd + di, return_index=True)
        return si[first], di[first], dist[first]

    def _solve(self, si, di, dist, demands: np.ndarray, q: int) -> np.ndarray | None:
        """Return the units on each pair of the plan for these pairs and demands (a boolean mask): the most
        weighted units, then the least distance among the plans serving as many; None if a solver fails."""
        from ortools.graph.python import max_flow

        local = np.cumsum(demands) - 1  # the demands' numbers within the part
        members = np.flatnonzero(demands)
        nd, d_units, d_weight = len(members), self.d_units[members], self.d_weight[members]
        used, supply_node = np.unique(si, return_inverse=True)
        source, sink = 0, 1
        n_used = len(used)
        s_node = 2 + supply_node
        d_node = 2 + n_used + np.arange(nd)
        pair_caps = np.minimum(self.s_units[si], self.d_units[di])
        pair_heads = d_node[local[di]]

        # 1. The units served at demands form a polymatroid, so the greedy order is optimal for any weights
        # falling with the priority: the classes of equal weight in turn, each served as much as a maximum
        # flow can without taking units from the classes before it. Every plan serving the most weighted
        # units gives each class exactly that quota.
        weights = sorted(set(d_weight.tolist()), reverse=True)
        d_class = np.searchsorted(-np.array(weights), -d_weight)
        solver = max_flow.SimpleMaxFlow()
        solver.add_arcs_with_capacity(np.full(n_used, source), 2 + np.arange(n_used), self.s_units[used])
        solver.add_arcs_with_capacity(s_node, pair_heads, pair_caps)
        sink_arcs = solver.add_arcs_with_capacity(d_node, np.full(nd, sink), np.zeros(nd, np.int64))
        served = []
        for c in range(len(weights)):
            chosen = d_class == c
            solver.set_arcs_capacity(sink_arcs[chosen], d_units[chosen])
            if solver.solve(source, sink) != solver.OPTIMAL:
                return None
            served.append(solver.optimal_flow())
        quota = np.diff([0, *served]).astype(np.int64)

        # 2. The least distance with each class getting its quota: demands flow into their class's node.
        n_nodes = 2 + n_used + nd
        class_node = n_nodes + np.arange(len(weights))
        balance = np.zeros(n_nodes + len(weights), dtype=np.int64)
        balance[source], balance[class_node] = served[-1] if served else 0, -quota
        flows = _min_cost_flow(
            len(balance),
            np.concatenate([np.full(n_used, source), s_node, d_node]),
            np.concatenate([2 + np.arange(n_used), pair_heads, class_node[d_class]]),
            np.concatenate([self.s_units[used], pair_caps, d_units]),
            np.concatenate([np.zeros(n_used, np.int64), _round_half_up(dist / q), np.zeros(nd, np.int64)]),
            balance,
        )
        return None if flows is None else flows[n_used : n_used + len(si)]

    def _gaps(self, si, di, dist, units, q: int):
        """Return for each demand pi(d) - pi(source) of the potentials proving the plan optimal on these pairs,
        for weighted units and for distance; None if they do not (never, if the solvers are right).

        On the network with a sink and a bypass: first for the weights (demand -> sink costs minus the
        weight), then for distance on the face of the plans serving the most weighted units (arcs of nil
        reduced cost; the others are held empty or full).
        """
        used, supply_node = np.unique(si, return_inverse=True)
        source, sink = 0, 1
        n_used = len(used)
        s_node = 2 + supply_node
        d_node = 2 + n_used + np.arange(self.nd)
        n_nodes = 2 + n_used + self.nd
        total = int(self.d_units.sum())
        tails = np.concatenate([np.full(n_used, source), s_node, d_node, [source]]).astype(np.int64)
        heads = np.concatenate([2 + np.arange(n_used), d_node[di], np.full(self.nd, sink), [sink]]).astype(
            np.int64
        )
        capacities = np.concatenate(
            [self.s_units[used], np.minimum(self.s_units[si], self.d_units[di]), self.d_units, [total]]
        ).astype(np.int64)
        at_demand = np.bincount(di, weights=units, minlength=self.nd).astype(np.int64)
        flow = np.concatenate(
            [
                np.bincount(supply_node, weights=units, minlength=n_used).astype(np.int64),
                units,
                at_demand,
                [total - int(at_demand.sum())],
            ]
        )
        zeros_s, zeros_p = np.zeros(n_used, np.int64), np.zeros(len(si), np.int64)
        weight_cost = np.concatenate([zeros_s, zeros_p, -self.d_weight, [0]]).astype(np.int64)
        distance_cost = np.concatenate(
            [zeros_s, _round_half_up(dist / q), np.zeros(self.nd, np.int64), [0]]
        ).astype(np.int64)
        potential_1 = _potentials(n_nodes, tails, heads, capacities, weight_cost, flow, source)
        if potential_1 is None:
            return None
        reduced = weight_cost + potential_1[tails] - potential_1[heads]
        free = reduced == 0
        if (flow[reduced > 0] != 0).any() or (flow[reduced < 0] != capacities[reduced < 0]).any():
            return None
        potential_2 = _potentials(
            n_nodes, tails[free], heads[free], capacities[free], distance_cost[free], flow[free], source
        )
        if potential_2 is None:
            return None
        return (
            potential_1[d_node] - potential_1[source],
            potential_2[d_node] - potential_2[source],
        )


def _min_cost_flow(n_nodes, tails, heads, capacities, costs, balance) -> np.ndarray | None:
    """Return the flow on each arc of a min-cost flow (OR-Tools), or None if it finds none."""
    from ortools.graph.python import min_cost_flow

    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    solver.set_nodes_supplies(np.arange(n_nodes), balance)
    if solver.solve() != solver.OPTIMAL:
        return None
    return solver.flows(arcs).astype(np.int64)


def _potentials(n_nodes, tails, heads, capacities, costs, flows, root: int) -> np.ndarray | None:
    """Node potentials proving a flow optimal, each as low as any proof allows: minus the shortest distance
    from the node to `root` in the flow's residual graph (Bellman-Ford, each pass over every arc at once).

    A node that cannot reach the root gets there through a virtual arc of cost UNREACHED, which keeps every
    potential valid. None on a negative cycle (the flow was not optimal).
    """
    forward = flows < capacities
    backward = flows > 0
    r_tails = np.concatenate([tails[forward], heads[backward]])
    r_heads = np.concatenate([heads[forward], tails[backward]])
    r_costs = np.concatenate([costs[forward], -costs[backward]])
    distance = np.full(n_nodes, UNREACHED, dtype=np.int64)
    distance[root] = 0
    for _ in range(n_nodes + 1):
        relaxed = distance.copy()
        np.minimum.at(relaxed, r_tails, distance[r_heads] + r_costs)
        if np.array_equal(relaxed, distance):
            return -distance
        distance = relaxed
    return None
