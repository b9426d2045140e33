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

import time
from collections.abc import Collection, Sequence

import numpy as np

from .greedy import GreedyPlan
from .optimal import OptimalPlan
from .problem import Problem
from .types import (
    BALL_AFTER_K,
    FULL_PAIRS,
    GROWTH,
    INITIAL_K,
    NO_MATCH,
    NO_REQUESTS,
    NO_RESOURCES,
    REASONS,
    SOLVER_FAILED,
    TOO_FAR,
    TOO_LATE,
    Allocation,
    Demand,
    Move,
    Supply,
    great_circle_m,
    unit_vectors,
)

__all__ = [
    "BALL_AFTER_K",
    "FULL_PAIRS",
    "GROWTH",
    "INITIAL_K",
    "NO_MATCH",
    "NO_REQUESTS",
    "NO_RESOURCES",
    "REASONS",
    "SOLVER_FAILED",
    "TOO_FAR",
    "TOO_LATE",
    "Allocation",
    "Demand",
    "Move",
    "Supply",
    "great_circle_m",
    "unit_vectors",
    "candidate_pairs",
    "greedy",
    "solve",
]


class _Problem(Problem, OptimalPlan, GreedyPlan):
    """An instance, with both ways to plan it."""


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
    return _plan("optimal", supplies, demands, speed_kmh=speed_kmh, max_km=max_km, excluded=excluded)


def greedy(
    supplies: Sequence[Supply],
    demands: Sequence[Demand],
    *,
    speed_kmh: float,
    max_km: float,
    excluded: Collection[tuple[int, int]] = (),
) -> Allocation:
    """Return the baseline plan: requests by priority, then needed-by, each served from its nearest resources."""
    return _plan("greedy", supplies, demands, speed_kmh=speed_kmh, max_km=max_km, excluded=excluded)


def _plan(method: str, supplies, demands, **instance) -> Allocation:
    """Set the instance up, and plan it the named way ("optimal" or "greedy"), or say why the plan is empty."""
    started = time.perf_counter()
    problem = _Problem(supplies, demands, **instance)
    if problem.reason:
        return problem.empty(method, problem.reason, started)
    return getattr(problem, method)(started)


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
