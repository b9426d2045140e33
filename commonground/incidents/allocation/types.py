"""What the allocation reads and answers: supplies, demands, moves, a plan and why one is empty; the
solve's tunables; the arithmetic every part shares."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..choices import PRIORITY_WEIGHTS
from ..geometry import EARTH_RADIUS_M

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
