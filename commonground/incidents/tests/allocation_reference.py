"""The reference the allocation is checked against: every pair scanned and every rule written out again, a
linear program, brute force, and the random instances they are compared on."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import strategies as st
from scipy.optimize import linprog

from commonground.incidents import allocation
from commonground.incidents.allocation import Demand, Supply
from commonground.incidents.choices import PRIORITY_WEIGHTS
from commonground.incidents.geometry import distance_m

SPEED = 60
KINDS = ["equipment", "team", "supply"]
CATEGORIES = ["esf1", "esf12"]
TERMS = ["donation", "loan", "paid", "mutual_aid"]
HOURS = 3600
CENTRE = (42.73, -84.55)

# -- the reference: every pair scanned, every rule written out again ---------------------------------------


def feasible(supply: Supply, demand: Demand, max_km: float) -> float | None:
    """Return the distance in metres if the supply may serve the demand, else None."""
    if supply.units <= 0 or demand.units <= 0 or supply.category != demand.category:
        return None
    if supply.kind != demand.kind and not demand.substitutes_ok:
        return None
    if demand.min_capability_type is not None and (
        supply.capability_type is None or supply.capability_type > demand.min_capability_type
    ):
        return None
    if supply.terms not in demand.accepted_terms:
        return None
    metres = distance_m(supply.lat, supply.lon, demand.lat, demand.lon)
    if metres > max_km * 1000:
        return None
    if supply.mobilization_hours * HOURS + metres / (SPEED / 3.6) > demand.needed_by:
        return None
    return metres


def scanned_pairs(supplies, demands, max_km) -> dict[tuple[int, int], float]:
    pairs = {}
    for supply in supplies:
        for demand in demands:
            metres = feasible(supply, demand, max_km)
            if metres is not None:
                pairs[supply.id, demand.id] = metres
    return pairs


def cost(metres: float, q: int) -> int:
    return math.floor(metres / q + 0.5)


def lexicographic(plan, pairs, q: int) -> tuple[int, int]:
    """(weighted units, minus the sum of units x distance cost) of a plan, from the reference's distances."""
    return plan.weighted_units, -sum(m.units * cost(pairs[m.supply_id, m.demand_id], q) for m in plan.moves)


def linear_program(supplies, demands, pairs, q: int) -> tuple[int, int]:
    """The optimum by HiGHS: one objective, weight x B minus distance, B above any total distance."""
    if not pairs:
        return 0, 0
    keys = list(pairs)
    weight = {d.id: PRIORITY_WEIGHTS[d.priority] for d in demands}
    big = sum(s.units for s in supplies) * max(cost(m, q) for m in pairs.values()) + 1
    objective = [-(weight[d] * big - cost(pairs[s, d], q)) for s, d in keys]
    rows = [[1.0 if key[0] == s.id else 0.0 for key in keys] for s in supplies]
    rows += [[1.0 if key[1] == d.id else 0.0 for key in keys] for d in demands]
    limits = [s.units for s in supplies] + [d.units for d in demands]
    result = linprog(objective, A_ub=rows, b_ub=limits, bounds=(0, None), method="highs")
    assert result.status == 0, result.message
    units = np.round(result.x).astype(int)
    assert np.allclose(result.x, units, atol=1e-6)  # a network matrix: the optimum is integral
    weighted = sum(weight[d] * n for (_, d), n in zip(keys, units, strict=True))
    distance = sum(cost(pairs[key], q) * n for key, n in zip(keys, units, strict=True))
    return int(weighted), -int(distance)


def brute_force(supplies, demands, pairs, q: int) -> tuple[int, int]:
    """The optimum by trying every integer plan (tiny instances only)."""
    keys = list(pairs)
    units = {s.id: s.units for s in supplies}
    need = {d.id: d.units for d in demands}
    weight = {d.id: PRIORITY_WEIGHTS[d.priority] for d in demands}
    best = (0, 0)
    ranges = [range(min(units[s], need[d]) + 1) for s, d in keys]
    for plan in itertools.product(*ranges):
        used, served = dict.fromkeys(units, 0), dict.fromkeys(need, 0)
        for (s, d), n in zip(keys, plan, strict=True):
            used[s] += n
            served[d] += n
        if any(used[s] > units[s] for s in units) or any(served[d] > need[d] for d in need):
            continue
        value = (
            sum(weight[d] * n for (_, d), n in zip(keys, plan, strict=True)),
            -sum(cost(pairs[key], q) * n for key, n in zip(keys, plan, strict=True)),
        )
        best = max(best, value)
    return best


def expected_reason(supplies, demands, max_km) -> str:
    """Why the reference finds no feasible pair."""
    supplies = [s for s in supplies if s.units > 0]
    demands = [d for d in demands if d.units > 0]
    if not demands:
        return allocation.NO_REQUESTS
    if not supplies:
        return allocation.NO_RESOURCES
    matching = [
        (s, d) for s in supplies for d in demands if feasible(_in_time(s), _in_time(d), 1e9) is not None
    ]
    if not matching:
        return allocation.NO_MATCH
    if all(distance_m(s.lat, s.lon, d.lat, d.lon) > max_km * 1000 for s, d in matching):
        return allocation.TOO_FAR
    return allocation.TOO_LATE


def _in_time(record):
    """The same record with all the time in the world."""
    fields = {name: getattr(record, name) for name in record.__slots__}
    fields["mobilization_hours" if isinstance(record, Supply) else "needed_by"] = (
        0 if isinstance(record, Supply) else 1e12
    )
    return type(record)(**fields)


def check_plan(plan, supplies, demands, max_km) -> None:
    """Every rule holds in the plan: quantities, kind and category, capability, terms, distance, arrival."""
    by_supply = {s.id: s for s in supplies}
    by_demand = {d.id: d for d in demands}
    used, served = {}, {}
    for move in plan.moves:
        supply, demand = by_supply[move.supply_id], by_demand[move.demand_id]
        metres = feasible(supply, demand, max_km)
        assert metres is not None, (move, supply, demand)
        assert move.units > 0
        assert move.distance_m == pytest.approx(metres, abs=1)
        assert move.seconds == pytest.approx(
            supply.mobilization_hours * HOURS + metres / (SPEED / 3.6), abs=1
        )
        assert move.seconds <= demand.needed_by + 1
        used[supply.id] = used.get(supply.id, 0) + move.units
        served[demand.id] = served.get(demand.id, 0) + move.units
    assert all(used[s] <= by_supply[s].units for s in used)
    assert all(served[d] <= by_demand[d].units for d in served)
    assert plan.weighted_units == sum(PRIORITY_WEIGHTS[by_demand[d].priority] * n for d, n in served.items())
    assert plan.distance_m == sum(m.units * m.distance_m for m in plan.moves)
    assert sum(plan.served_by_priority.values()) == sum(served.values())
    if not plan.moves:
        assert plan.reason in allocation.REASONS


# -- random instances --------------------------------------------------------------------------------------


@st.composite
def instances(draw, max_supplies=8, max_demands=6, max_units=4):
    spread = draw(st.sampled_from([0.05, 0.3, 1.0]))

    def place():
        return (
            CENTRE[0] + draw(st.floats(-spread, spread)),
            CENTRE[1] + draw(st.floats(-spread, spread)),
        )

    supplies = []
    for number in range(draw(st.integers(0, max_supplies))):
        lat, lon = place()
        supplies.append(
            Supply(
                id=number + 1,
                organization_id=draw(st.integers(1, 3)),
                lat=lat,
                lon=lon,
                units=draw(st.integers(0, max_units)),
                kind=draw(st.sampled_from(KINDS[:2])),
                category=draw(st.sampled_from(CATEGORIES)),
                capability_type=draw(st.sampled_from([None, 1, 2, 3, 4])),
                terms=draw(st.sampled_from(TERMS)),
                mobilization_hours=draw(st.sampled_from([0, 0.5, 1, 2, 4])),
            )
        )
    demands = []
    for number in range(draw(st.integers(0, max_demands))):
        lat, lon = place()
        demands.append(
            Demand(
                id=100 + number,
                lat=lat,
                lon=lon,
                units=draw(st.integers(0, max_units + 2)),
                priority=draw(st.integers(1, 4)),
                kind=draw(st.sampled_from(KINDS[:2])),
                category=draw(st.sampled_from(CATEGORIES)),
                min_capability_type=draw(st.sampled_from([None, None, 1, 2, 3])),
                substitutes_ok=draw(st.booleans()),
                accepted_terms=frozenset(draw(st.sets(st.sampled_from(TERMS), min_size=1))),
                needed_by=draw(st.floats(-HOURS, 8 * HOURS)),
            )
        )
    max_km = draw(st.sampled_from([0, 5, 30, 100, 500]))
    return supplies, demands, max_km
