"""Which available resources go to which approved requests: the optimal plan, and the greedy one beside it.

Pure: numbers in, numbers out, no database. `plans.plan_propose` reads the requests and resources, calls
`solve` and `greedy` with no transaction open, and stores what they answer.

The problem
-----------
A supply is a resource's units left (`Supply.units`, whole units), a demand a request's units still needed.
Units of supply s may serve demand d (a *feasible pair*) when

- the category is the same, and the kind too (or the request accepts substitutes: same category suffices);
- the request asks for no capability type, or the resource's type is at least as capable (type 1 is the most
  capable; an untyped resource does not meet a typed request);
- the resource's sharing terms are among those the request accepts;
- the great-circle distance is at most `max_km`, and the units arrive in time: mobilization hours plus the
  distance at `speed_kmh` is at most the request's `needed_by` (seconds from now).

The plan maximizes the priority-weighted units served (`choices.PRIORITY_WEIGHTS`) and, among the plans that
do, minimizes the total distance travelled (units x metres).

The solve
---------
The network is the textbook one: source -> supply (capacity: its units), supply -> demand for the feasible
pairs only (capacity: the smaller of the two; cost: the distance), demand -> sink (capacity: its units;
cost: minus its weight), and a bypass source -> sink at cost 0 through which the units nobody can use flow,
so that every instance, however infeasible, has a flow: the source sends every demanded unit.

The objective is lexicographic, and solved as such in two exact stages rather than through one cost of
weight x B + distance (with B above any total distance that cost takes 3 s for each solve at the benchmark's
size, where the two stages take 0.3 s together):

1. The most weighted units. The units a plan can serve at the demands form a polymatroid (a flow's image),
   on which the greedy order is optimal for any weights: serve the classes of equal weight in decreasing
   weight, each as much as a maximum flow can without taking units from the classes before it (OR-Tools'
   `SimpleMaxFlow`, four solves). Because the weights fall strictly with the priority, the plans serving the
   most weighted units are exactly those that give each class that quota.
2. The least distance among them: a min-cost flow (OR-Tools' `SimpleMinCostFlow`) in which every demand
   flows into its class's node and each class node takes its quota. Costs are integers: a pair costs
   round(distance / q), q metres being the cost's unit of distance. OR-Tools' cost scaling multiplies costs
   by the number of nodes plus one, which must stay in int64: q is the smallest power of ten metres (1 m on
   any instance a community holds; 10 m, 100 m ... on enormous ones) for which the largest cost times
   (nodes + 1) is at most 2**60 and the largest total cost at most 2**61 (`Allocation.distance_unit_m`).
   Distances are reported in metres whatever q is.

The proof of optimality are potentials on the network above, lexicographic: pi1 for the weights (minus the
shortest distance to the source in the plan's residual graph), then pi2 for distance on the arcs whose
reduced weight cost is nil (the face of the plans serving the most weighted units). They are also what lets a
large instance be solved on a few of its pairs.

Feasible pairs come from k-d trees (SciPy's `cKDTree`) over the points as 3-D unit vectors, in which the
chord is a monotone function of the great-circle distance: one tree per (category, kind) of resource,
queried with the chord of each request's reach (the smaller of `max_km` and how far the fastest mobilizing
resource of the tree travels before the request is needed), never by a scan of every pair.

A small instance takes every feasible pair at once (`query_ball_point`). A large one (5,000 requests across
a state's 100,000 resources have tens of millions of pairs in reach) starts from each request's nearest
candidates (`query` with k) and adds pairs until the potentials prove the plan optimal for every pair:

    Every supply's potential is at least the source's (one with units left has a residual arc from the
    source at cost 0 or is raised to it, a used-up one has a residual arc to the source), so a pair (s, d)
    left out cannot improve the plan when (0, its distance cost) >= (pi1(d) - pi1(source), pi2(d) -
    pi2(source)), lexicographically. Potentials as low as any proof allows make these gaps as small as they
    can be. Each request's candidates come with a lower bound on the distance of every feasible pair left
    out (its k-th neighbour's, or infinity once its reach is exhausted). Requests whose bound falls short of
    their gap get more candidates (k x 4 up to 512, then every pair within the gap's radius, then within
    their reach) and the parts of the graph that gained pairs are solved again; when none falls short, the
    plan is optimal for the whole graph. Each request passes at most six stages, so the rounds end.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .choices import PRIORITY_WEIGHTS
from .geometry import EARTH_RADIUS_M

# Why a plan is empty.
NO_REQUESTS = "no_requests"
NO_RESOURCES = "no_resources"
NO_MATCH = "no_match"
TOO_FAR = "too_far"
TOO_LATE = "too_late"
SOLVER_FAILED = "solver_failed"
REASONS = {
    NO_REQUESTS: "No approved request still needs units.",
    NO_RESOURCES: "No available resource has units left.",
    NO_MATCH: (
        "No available resource matches a request's kind, category, capability type and accepted terms."
    ),
    TOO_FAR: "The resources that match are all farther away than the plan's reach.",
    TOO_LATE: "None of the resources that match can arrive before the requests are needed.",
    SOLVER_FAILED: "The solver could not find a plan for this instance.",
}

# A demand starts from its INITIAL_K nearest candidates in each tree; those still unproven get GROWTH times
# more, up to BALL_AFTER_K, then every pair within a radius.
INITIAL_K = 8
GROWTH = 4
BALL_AFTER_K = 512
# An instance with at most this many (supply, demand) products takes every feasible pair at once.
FULL_PAIRS = 2_000_000
# Costs: the largest cost times (nodes + 1), and the largest total, stay below these (int64 is 2**63).
COST_TIMES_NODES_LIMIT = 2**60
TOTAL_COST_LIMIT = 2**61
# Slack on the k-d tree's radius so that floating point never loses a pair on the boundary.
RADIUS_SLACK = 1e-9
# The capability type of an untyped resource, and the minimum of a request that asks for none: an untyped
# resource meets no typed request, and anything meets an untyped one.
UNTYPED = 99
# In the potentials, the cost of reaching the source from a node that has no path to it: above any path's.
UNREACHED = 2**61


@dataclass(frozen=True, slots=True)
class Supply:
    """A resource's units left to allocate."""

    id: int
    organization_id: int
    lat: float
    lon: float
    units: int
    kind: str
    category: str
    capability_type: int | None
    terms: str
    mobilization_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class Demand:
    """A request's units still needed, where and by when (`needed_by`: seconds from now)."""

    id: int
    lat: float
    lon: float
    units: int
    priority: int
    kind: str
    category: str
    min_capability_type: int | None
    substitutes_ok: bool
    accepted_terms: frozenset[str] | tuple[str, ...]
    needed_by: float


class Move(NamedTuple):
    """Units of one supply for one demand."""

    supply_id: int
    demand_id: int
    units: int
    distance_m: int
    seconds: int  # mobilization plus travel


@dataclass
class Allocation:
    """A plan and its figures."""

    method: str  # "optimal" or "greedy"
    moves: list[Move]
    served_by_priority: dict[int, int]
    requested_by_priority: dict[int, int]
    weighted_units: int
    distance_m: int  # the sum of units x metres
    seconds: float
    reason: str = ""  # one of REASONS when the plan is empty
    distance_unit_m: int = 1  # q, the cost's unit of distance (see the module's docstring)
    rounds: int = 0
    arcs: int = 0

    @property
    def units(self) -> int:
        return sum(self.served_by_priority.values())

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, "")

    def objective(self) -> tuple[int, int]:
        """(weighted units, minus unit-metres): the larger, the better."""
        return self.weighted_units, -self.distance_m

    def figures(self) -> dict:
        """The plan's figures, ready for JSON (keys are strings)."""
        return {
            "method": self.method,
            "units": self.units,
            "served_by_priority": {str(p): n for p, n in sorted(self.served_by_priority.items())},
            "requested_by_priority": {str(p): n for p, n in sorted(self.requested_by_priority.items())},
            "weighted_units": self.weighted_units,
            "distance_m": self.distance_m,
            "assignments": len(self.moves),
            "seconds": round(self.seconds, 4),
            "reason": self.reason,
            "distance_unit_m": self.distance_unit_m,
            "rounds": self.rounds,
            "arcs": self.arcs,
        }


def solve(
    supplies: Sequence[Supply],
    demands: Sequence[Demand],
    *,
    speed_kmh: float,
    max_km: float,
    excluded: Collection[tuple[int, int]] = (),
) -> Allocation:
    """Return the optimal plan: the most priority-weighted units served, then the least distance. No move pairs
    a supply with a demand named together in `excluded` ((supply id, demand id): an owner declined it)."""
    started = time.perf_counter()
    problem = _Problem(supplies, demands, speed_kmh=speed_kmh, max_km=max_km, excluded=excluded)
    if problem.reason:
        return problem.empty("optimal", problem.reason, started)
    return problem.optimal(started)


def greedy(
    supplies: Sequence[Supply],
    demands: Sequence[Demand],
    *,
    speed_kmh: float,
    max_km: float,
    excluded: Collection[tuple[int, int]] = (),
) -> Allocation:
    """Return the baseline plan: requests by priority, then needed-by, each served from its nearest resources."""
    started = time.perf_counter()
    problem = _Problem(supplies, demands, speed_kmh=speed_kmh, max_km=max_km, excluded=excluded)
    if problem.reason:
        return problem.empty("greedy", problem.reason, started)
    return problem.greedy(started)


def candidate_pairs(
    supplies: Sequence[Supply],
    demands: Sequence[Demand],
    *,
    speed_kmh: float,
    max_km: float,
    excluded: Collection[tuple[int, int]] = (),
) -> list[tuple[int, int, float]]:
    """Return every feasible pair as (supply id, demand id, metres), from the k-d trees' ball queries."""
    problem = _Problem(supplies, demands, speed_kmh=speed_kmh, max_km=max_km, excluded=excluded)
    if problem.reason in (NO_REQUESTS, NO_RESOURCES):
        return []
    si, di, dist = problem.ball_pairs(np.arange(problem.nd))
    return list(zip(problem.s_id[si].tolist(), problem.d_id[di].tolist(), dist.tolist(), strict=True))


def great_circle_m(xyz_a: np.ndarray, xyz_b: np.ndarray) -> np.ndarray:
    """Return the great-circle distances in metres between rows of unit vectors."""
    return _metres(np.linalg.norm(xyz_a - xyz_b, axis=-1))


def unit_vectors(lat: Iterable[float], lon: Iterable[float]) -> np.ndarray:
    """Return points on the sphere as rows of 3-D unit vectors."""
    phi = np.radians(np.asarray(lat, dtype=float))
    lam = np.radians(np.asarray(lon, dtype=float))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)))


def _pair_key(supply_id, demand_id):
    """One int64 for a (supply id, demand id) pair: works on numbers and on arrays alike."""
    return supply_id * (1 << 31) + demand_id


def _chord(metres):
    """The chord between two points on the sphere this far apart along it (2 beyond the antipode)."""
    angle = np.minimum(np.asarray(metres, dtype=float) / EARTH_RADIUS_M, math.pi)
    return 2.0 * np.sin(angle / 2.0)


def _metres(chord):
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.clip(np.asarray(chord, dtype=float) / 2.0, 0.0, 1.0))


def _round_half_up(values) -> np.ndarray:
    return np.floor(np.asarray(values, dtype=float) + 0.5).astype(np.int64)


def _numbers(values: list, missing: float = math.nan) -> np.ndarray:
    """Return values as floats, `missing` for None."""
    return np.array([missing if v is None else v for v in values], dtype=float)


def _finite(*values: float) -> bool:
    try:
        return all(math.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


class _Problem:
    """An instance as arrays: supplies and demands with units, their trees, reaches and costs."""

    def __init__(self, supplies, demands, *, speed_kmh: float, max_km: float, excluded=()):
        if not (_finite(speed_kmh) and speed_kmh > 0):
            raise ValueError("speed_kmh must be a positive number")
        if not (_finite(max_km) and max_km >= 0):
            raise ValueError("max_km must be zero or more")
        self.speed = float(speed_kmh) / 3.6  # metres a second
        self.max_m = float(max_km) * 1000.0
        supplies, demands = list(supplies), list(demands)
        # What cannot take part: no units, or no place on the map.
        s_units = _numbers([s.units for s in supplies], 0).astype(np.int64)
        s_lat, s_lon = _numbers([s.lat for s in supplies]), _numbers([s.lon for s in supplies])
        keep = np.flatnonzero((s_units > 0) & np.isfinite(s_lat) & np.isfinite(s_lon))
        supplies = [supplies[i] for i in keep.tolist()]
        s_units, s_lat, s_lon = s_units[keep], s_lat[keep], s_lon[keep]
        d_units = _numbers([d.units for d in demands], 0).astype(np.int64)
        d_lat, d_lon = _numbers([d.lat for d in demands]), _numbers([d.lon for d in demands])
        keep = np.flatnonzero((d_units > 0) & np.isfinite(d_lat) & np.isfinite(d_lon))
        demands = [demands[i] for i in keep.tolist()]
        d_units, d_lat, d_lon = d_units[keep], d_lat[keep], d_lon[keep]
        self.d_priority = np.array([int(d.priority) for d in demands], dtype=np.int64)
        self.requested = _by_priority(self.d_priority, d_units)
        self.ns, self.nd = len(supplies), len(demands)
        self.reason = NO_REQUESTS if not demands else (NO_RESOURCES if not supplies else "")
        if self.reason:
            return
        # Categories and kinds as numbers, one vocabulary for both sides.
        words = np.array(
            [str(s.category) for s in supplies]
            + [str(d.category) for d in demands]
            + [str(s.kind) for s in supplies]
            + [str(d.kind) for d in demands]
        )
        _, codes = np.unique(words, return_inverse=True)
        codes = codes.astype(np.int64)
        ns, nd = self.ns, self.nd
        terms = {t: i for i, t in enumerate(sorted({s.terms for s in supplies}))}

        self.s_id = np.array([s.id for s in supplies], dtype=np.int64)
        self.s_xyz = unit_vectors(s_lat, s_lon)
        self.s_units = s_units
        self.s_mob = (
            np.maximum(0.0, np.nan_to_num(_numbers([s.mobilization_hours for s in supplies], 0))) * 3600
        )
        self.s_cat, self.s_kind = codes[:ns], codes[ns + nd : ns + nd + ns]
        # An untyped resource meets no typed request: its type sorts after every type.
        self.s_cap = _numbers([s.capability_type for s in supplies], UNTYPED).astype(np.int64)
        self.s_term = np.array([terms[s.terms] for s in supplies], dtype=np.int64)

        self.d_id = np.array([d.id for d in demands], dtype=np.int64)
        self.d_xyz = unit_vectors(d_lat, d_lon)
        self.d_units = d_units
        self.d_weight = np.array(
            [PRIORITY_WEIGHTS.get(p, 1) for p in self.d_priority.tolist()], dtype=np.int64
        )
        self.d_need = np.nan_to_num(_numbers([d.needed_by for d in demands]), nan=-1.0, posinf=1e18)
        self.d_cat, self.d_kind = codes[ns : ns + nd], codes[2 * ns + nd :]
        self.d_subs = np.array([bool(d.substitutes_ok) for d in demands], dtype=bool)
        self.d_min = _numbers([d.min_capability_type for d in demands], UNTYPED).astype(np.int64)
        self.d_terms = np.zeros((self.nd, len(terms)), dtype=bool)
        for row, demand in enumerate(demands):
            for term in demand.accepted_terms or ():
                if term in terms:
                    self.d_terms[row, terms[term]] = True
        # The pairs an owner declined, as one number each (ids are below 2**31): never proposed again.
        self.excluded = np.array(sorted(_pair_key(s, d) for s, d in excluded), dtype=np.int64)
        self._build_trees()

    # -- the k-d trees ------------------------------------------------------------------------------------

    def _build_trees(self) -> None:
        """One tree per (category, kind) of supply; each demand's trees and its reach in each."""
        keys = self.s_cat * 1_000_003 + self.s_kind
        order = np.argsort(keys, kind="stable")
        _, starts = np.unique(keys[order], return_index=True)
        ends = np.r_[starts[1:], len(order)]
        self.trees = []
        for start, end in zip(starts, ends, strict=True):
            members = order[start:end]
            self.trees.append(
                {
                    "members": members,
                    "tree": cKDTree(self.s_xyz[members]),
                    "cat": int(self.s_cat[members[0]]),
                    "kind": int(self.s_kind[members[0]]),
                    "min_mob": float(self.s_mob[members].min()),
                    "size": len(members),
                }
            )
        # For each tree, the demands that may use it and how far they reach in it.
        self.tree_demands: list[np.ndarray] = []
        self.tree_reach: list[np.ndarray] = []
        self.d_reach = np.zeros(self.nd)  # the longest reach of each demand in any of its trees
        for tree in self.trees:
            usable = (self.d_cat == tree["cat"]) & ((self.d_kind == tree["kind"]) | self.d_subs)
            reach = np.minimum(self.max_m, (self.d_need - tree["min_mob"]) * self.speed)
            usable &= reach >= 0
            demands = np.flatnonzero(usable)
            self.tree_demands.append(demands)
            self.tree_reach.append(reach[demands])
            np.maximum.at(self.d_reach, demands, reach[demands])

    def _feasible(self, si: np.ndarray, di: np.ndarray, dist: np.ndarray) -> np.ndarray:
        """Which candidate pairs (from trees of the right category and kind) are feasible."""
        feasible = (
            (self.s_cap[si] <= self.d_min[di])
            & self.d_terms[di, self.s_term[si]]
            & (dist <= self.max_m)
            & (self.s_mob[si] + dist / self.speed <= self.d_need[di])
        )
        if len(self.excluded):
            feasible &= ~np.isin(_pair_key(self.s_id[si], self.d_id[di]), self.excluded)
        return feasible

    def _pairs(self, si, di) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        si = np.asarray(si, dtype=np.int64)
        di = np.asarray(di, dtype=np.int64)
        dist = great_circle_m(self.s_xyz[si], self.d_xyz[di])
        keep = self._feasible(si, di, dist)
        return si[keep], di[keep], dist[keep]

    def ball_pairs(self, demands: np.ndarray, radius: np.ndarray | None = None):
        """Every feasible pair of the demands within their reach (or within `radius`, metres, if smaller)."""
        wanted = np.zeros(self.nd, dtype=bool)
        wanted[demands] = True
        limit = np.full(self.nd, np.inf)
        if radius is not None:
            limit[demands] = radius
        parts_s, parts_d = [], []
        for t, tree in enumerate(self.trees):
            rows = wanted[self.tree_demands[t]]
            if not rows.any():
                continue
            ds = self.tree_demands[t][rows]
            r = np.minimum(self.tree_reach[t][rows], limit[ds])
            found = tree["tree"].query_ball_point(
                self.d_xyz[ds], _chord(r) * (1 + RADIUS_SLACK) + RADIUS_SLACK, return_sorted=False
            )
            lengths = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
            total = int(lengths.sum())
            if not total:
                continue
            flat = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64, count=total)
            parts_s.append(tree["members"][flat])
            parts_d.append(np.repeat(ds, lengths))
        if not parts_s:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        return self._pairs(np.concatenate(parts_s), np.concatenate(parts_d))

    def nearest_pairs(self, demands: np.ndarray, k: np.ndarray, radius: np.ndarray | None = None):
        """The feasible pairs among each demand's k nearest supplies in each of its trees, within its reach (or
        `radius`, metres, if smaller), and for each demand a lower bound (metres) on the distance of every
        feasible pair left out."""
        wanted = np.zeros(self.nd, dtype=bool)
        wanted[demands] = True
        k_of = np.zeros(self.nd, dtype=np.int64)
        k_of[demands] = k
        limit = np.full(self.nd, np.inf)
        if radius is not None:
            limit[demands] = radius
        bound = np.full(self.nd, np.inf)
        parts_s, parts_d = [], []
        for t, tree in enumerate(self.trees):
            rows = wanted[self.tree_demands[t]]
            if not rows.any():
                continue
            ds, reach = self.tree_demands[t][rows], self.tree_reach[t][rows]
            # One query per distinct k (k grows by powers of GROWTH, so there are few).
            for kk in np.unique(k_of[ds]).tolist():
                group = k_of[ds] == kk
                gd, greach = ds[group], reach[group]
                kk = min(int(kk), tree["size"])
                upper = float(_chord(np.minimum(greach, limit[gd]).max())) * (1 + RADIUS_SLACK) + RADIUS_SLACK
                chord, index = tree["tree"].query(self.d_xyz[gd], k=kk, distance_upper_bound=upper)
                chord, index = chord.reshape(len(gd), kk), index.reshape(len(gd), kk)
                found = index < tree["size"]
                # A row holding the whole tree leaves out nothing; a full row none nearer than its k-th
                # neighbour (and none past the reach is feasible); a row not full every supply past `upper`.
                whole = found[:, -1] & (kk >= tree["size"])
                full = found[:, -1] & (kk < tree["size"])
                kth = _metres(np.where(full, chord[:, -1], 0.0))
                upper_m = float(_metres(upper))
                left_out = np.where(
                    full,
                    np.where(kth <= greach, kth, np.inf),
                    np.where(whole | (upper_m >= greach), np.inf, upper_m),
                )
                np.minimum.at(bound, gd, left_out)
                rows_i, cols = np.nonzero(found)
                parts_s.append(tree["members"][index[rows_i, cols]])
                parts_d.append(gd[rows_i])
        if not parts_s:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0), bound[demands]
        si, di, dist = self._pairs(np.concatenate(parts_s), np.concatenate(parts_d))
        return si, di, dist, bound[demands]

    # -- reasons ------------------------------------------------------------------------------------------

    def why_empty(self) -> str:
        """Why no feasible pair exists: nothing matches, or what matches is too far, or too late."""
        attributes_match = False
        within_reach = False
        for tree in self.trees:
            usable = (self.d_cat == tree["cat"]) & ((self.d_kind == tree["kind"]) | self.d_subs)
            if not usable.any():
                continue
            members = tree["members"]
            # Group the tree's supplies by (capability type, terms): a handful of classes.
            classes = np.unique(np.column_stack((self.s_cap[members], self.s_term[members])), axis=0)
            for cap, term in classes.tolist():
                match = usable & (self.d_min >= cap) & self.d_terms[:, term]
                if not match.any():
                    continue
                attributes_match = True
                these = members[(self.s_cap[members] == cap) & (self.s_term[members] == term)]
                chord, _ = cKDTree(self.s_xyz[these]).query(self.d_xyz[match], k=1)
                if (_metres(chord) <= self.max_m).any():
                    within_reach = True
                    break
            if within_reach:
                break
        if not attributes_match:
            return NO_MATCH
        return TOO_LATE if within_reach else TOO_FAR

    # -- results ------------------------------------------------------------------------------------------

    def empty(self, method: str, reason: str, started: float) -> Allocation:
        return Allocation(
            method=method,
            moves=[],
            served_by_priority=dict.fromkeys(PRIORITY_WEIGHTS, 0),
            requested_by_priority=self.requested,
            weighted_units=0,
            distance_m=0,
            seconds=time.perf_counter() - started,
            reason=reason,
        )

    def allocation(self, method, si, di, units, dist, started, **extra) -> Allocation:
        keep = units > 0
        si, di, units, dist = si[keep], di[keep], units[keep], dist[keep]
        metres = _round_half_up(dist)
        seconds = _round_half_up(self.s_mob[si] + dist / self.speed)
        order = np.lexsort((si, di))
        moves = [
            Move(s, d, n, m, t)
            for s, d, n, m, t in zip(
                self.s_id[si[order]].tolist(),
                self.d_id[di[order]].tolist(),
                units[order].tolist(),
                metres[order].tolist(),
                seconds[order].tolist(),
                strict=True,
            )
        ]
        served = _by_priority(self.d_priority[di], units)
        return Allocation(
            method=method,
            moves=moves,
            served_by_priority=served,
            requested_by_priority=self.requested,
            weighted_units=int(sum(PRIORITY_WEIGHTS.get(p, 1) * n for p, n in served.items())),
            distance_m=sum(move.units * move.distance_m for move in moves),
            seconds=time.perf_counter() - started,
            reason="" if moves else self.why_empty(),
            **extra,
        )

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


def _min_cost_flow(n_nodes, tails, heads, capacities, costs, balance) -> np.ndarray | None:
    """Return the flow on each arc of a min-cost flow (OR-Tools), or None if it finds none."""
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


def _group(keys: np.ndarray, size: int) -> list[np.ndarray]:
    """Return, for each key 0..size-1, the positions holding it."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(size + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(size)]


def _by_priority(priorities: np.ndarray, units: np.ndarray) -> dict[int, int]:
    served = dict.fromkeys(PRIORITY_WEIGHTS, 0)
    for p, n in zip(priorities.tolist(), units.tolist(), strict=True):
        served[p] = served.get(p, 0) + int(n)
    return served
