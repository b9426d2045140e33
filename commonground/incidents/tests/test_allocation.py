"""The allocation against references written independently of it: a linear program (SciPy's HiGHS) with one
big-M cost on pairs from a scan of every pair, brute force on tiny instances, and a scan for the k-d trees."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from commonground.incidents import allocation
from commonground.incidents.allocation import Demand, Supply, candidate_pairs, greedy, solve
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


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(instances())
def test_the_optimum_equals_a_linear_program_on_the_scanned_pairs(instance):
    supplies, demands, max_km = instance
    plan = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km)
    check_plan(plan, supplies, demands, max_km)
    pairs = scanned_pairs(supplies, demands, max_km)
    q = plan.distance_unit_m
    assert lexicographic(plan, pairs, q) == linear_program(supplies, demands, pairs, q)
    if not pairs:
        assert plan.moves == [] and plan.reason == expected_reason(supplies, demands, max_km)
    else:
        assert plan.moves, "feasible pairs, yet nothing served"


@SETTINGS
@given(instances(), st.randoms(use_true_random=False))
def test_declined_pairs_are_left_out_and_the_rest_still_solved_optimally(instance, rng):
    supplies, demands, max_km = instance
    pairs = scanned_pairs(supplies, demands, max_km)
    declined = {pair for pair in sorted(pairs) if rng.random() < 0.4}
    plan = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km, excluded=declined)
    baseline = greedy(supplies, demands, speed_kmh=SPEED, max_km=max_km, excluded=declined)
    assert not {(m.supply_id, m.demand_id) for m in plan.moves + baseline.moves} & declined
    left = {pair: metres for pair, metres in pairs.items() if pair not in declined}
    q = plan.distance_unit_m
    assert lexicographic(plan, left, q) == linear_program(supplies, demands, left, q)
    assert baseline.objective() <= plan.objective()


@SETTINGS
@given(instances(max_supplies=3, max_demands=3, max_units=2))
def test_the_optimum_equals_brute_force_on_tiny_instances(instance):
    supplies, demands, max_km = instance
    pairs = scanned_pairs(supplies, demands, max_km)
    units = {s.id: s.units for s in supplies}
    need = {d.id: d.units for d in demands}
    assume(math.prod(min(units[s], need[d]) + 1 for s, d in pairs) <= 5000)
    plan = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km)
    assert lexicographic(plan, pairs, plan.distance_unit_m) == brute_force(
        supplies, demands, pairs, plan.distance_unit_m
    )


@SETTINGS
@given(instances())
def test_greedy_is_never_better_than_the_optimum_and_keeps_every_rule(instance):
    supplies, demands, max_km = instance
    optimal = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km)
    baseline = greedy(supplies, demands, speed_kmh=SPEED, max_km=max_km)
    check_plan(baseline, supplies, demands, max_km)
    assert optimal.distance_unit_m == 1
    assert baseline.objective() <= optimal.objective()
    assert baseline.reason == optimal.reason
    assert baseline.requested_by_priority == optimal.requested_by_priority


def random_instance(rng: random.Random, supplies: int, demands: int, spread: float = 0.6):
    """A larger instance: many supplies of few units, demands competing for them."""

    def place():
        return CENTRE[0] + rng.uniform(-spread, spread), CENTRE[1] + rng.uniform(-spread, spread)

    return (
        [
            Supply(
                number + 1,
                1,
                *place(),
                rng.randint(0, 4),
                rng.choice(KINDS[:2]),
                rng.choice(CATEGORIES),
                rng.choice([None, 1, 2, 3]),
                rng.choice(TERMS[:3]),
                rng.choice([0, 1, 2, 8]),
            )  # fmt: skip
            for number in range(supplies)
        ],
        [
            Demand(
                10_000 + number,
                *place(),
                rng.randint(1, 30),
                rng.randint(1, 4),
                rng.choice(KINDS[:2]),
                rng.choice(CATEGORIES),
                rng.choice([None, None, 2, 3]),
                rng.random() < 0.3,
                frozenset(rng.sample(TERMS[:3], rng.randint(1, 3))),
                rng.uniform(0, 6) * HOURS,
            )  # fmt: skip
            for number in range(demands)
        ],
    )


def test_large_instances_solved_on_few_pairs_are_as_good_as_on_all_of_them(monkeypatch):
    """The rounds that start from each request's nearest candidates and add pairs until the potentials prove
    the plan optimal give the optimum of the plan on every feasible pair, which a linear program confirms."""
    rounds_seen, fewer_pairs = [], []
    for seed in range(12):
        rng = random.Random(seed)
        supplies, demands = random_instance(rng, rng.randint(100, 300), rng.randint(20, 60))
        max_km = rng.choice([30, 80, 200])
        monkeypatch.setattr(allocation.optimal, "FULL_PAIRS", 10**12)
        everything = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km)
        monkeypatch.setattr(allocation.optimal, "FULL_PAIRS", 0)
        monkeypatch.setattr(allocation.optimal, "INITIAL_K", rng.choice([1, 2]))
        rounds = solve(supplies, demands, speed_kmh=SPEED, max_km=max_km)
        check_plan(rounds, supplies, demands, max_km)
        assert rounds.objective() == everything.objective(), seed
        pairs = scanned_pairs(supplies, demands, max_km)
        assert everything.arcs == len(pairs)
        assert lexicographic(rounds, pairs, 1) == linear_program(supplies, demands, pairs, 1), seed
        assert greedy(supplies, demands, speed_kmh=SPEED, max_km=max_km).objective() <= rounds.objective()
        rounds_seen.append(rounds.rounds)
        fewer_pairs.append(rounds.arcs < everything.arcs)
    # The instances did make the rounds work: pairs were added after a solve, and some were never needed.
    assert max(rounds_seen) > 1 and any(fewer_pairs), (rounds_seen, fewer_pairs)


# -- the k-d trees -----------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 2**32 - 1), st.sampled_from([0.01, 0.5, 5.0, 60.0]), st.sampled_from([1, 25, 300, 3000])
)
def test_the_trees_find_exactly_the_pairs_a_scan_of_every_pair_finds(seed, spread, max_km):
    """Random points, near and far (across the antimeridian and near a pole too), every feasible pair."""
    rng = random.Random(seed)
    centre = rng.choice([CENTRE, (0.0, 179.9), (89.0, 10.0), (-45.0, -179.95)])
    supplies, demands = random_instance(rng, rng.randint(0, 60), rng.randint(0, 20), spread=spread)
    supplies = [_moved(s, centre) for s in supplies]
    demands = [_moved(d, centre) for d in demands]
    found = candidate_pairs(supplies, demands, speed_kmh=SPEED, max_km=max_km)
    scanned = scanned_pairs(supplies, demands, max_km)
    assert {(s, d) for s, d, _ in found} == set(scanned)
    for s, d, metres in found:
        assert metres == pytest.approx(scanned[s, d], rel=1e-9, abs=1e-3)


def _moved(record, centre):
    """The same record moved from CENTRE to `centre`; a demand with all the time in the world."""
    fields = {name: getattr(record, name) for name in record.__slots__}
    fields["lat"] = max(-90.0, min(90.0, record.lat - CENTRE[0] + centre[0]))
    fields["lon"] = (record.lon - CENTRE[1] + centre[1] + 180) % 360 - 180
    if isinstance(record, Demand):
        fields["needed_by"] = 1e9
    return type(record)(**fields)


@pytest.mark.parametrize("seed", range(6))
def test_the_nearest_candidates_bound_every_pair_they_leave_out(seed):
    """Each demand's k nearest candidates come with a bound no feasible pair left out is nearer than."""
    rng = random.Random(seed)
    supplies, demands = random_instance(rng, 400, 40)
    problem = allocation._Problem(supplies, demands, speed_kmh=SPEED, max_km=80)
    everyone = np.arange(problem.nd)
    k = np.array([rng.choice([1, 2, 8]) for _ in everyone])
    si, di, dist, bound = problem.nearest_pairs(everyone, k)
    kept = set(zip(si.tolist(), di.tolist(), strict=True))
    all_s, all_d, all_dist = problem.ball_pairs(everyone)
    for s, d, metres in zip(all_s.tolist(), all_d.tolist(), all_dist.tolist(), strict=True):
        if (s, d) not in kept:
            assert metres >= bound[d] * (1 - 1e-9), (s, d, metres, bound[d])
    assert kept <= set(zip(all_s.tolist(), all_d.tolist(), strict=True))


# -- what the plan says when it is empty, and rules by hand --------------------------------------------------


def supply(**fields) -> Supply:
    values = dict(
        id=1, organization_id=1, lat=CENTRE[0], lon=CENTRE[1], units=3, kind="equipment", category="esf12",
        capability_type=2, terms="loan", mobilization_hours=1,
    )  # fmt: skip
    return Supply(**(values | fields))


def demand(**fields) -> Demand:
    values = dict(
        id=10, lat=CENTRE[0] + 0.1, lon=CENTRE[1], units=2, priority=2, kind="equipment", category="esf12",
        min_capability_type=None, substitutes_ok=False, accepted_terms=frozenset(TERMS), needed_by=6 * HOURS,
    )  # fmt: skip
    return Demand(**(values | fields))


@pytest.mark.parametrize(
    ("supplies", "demands", "reason"),
    [
        ([supply()], [], allocation.NO_REQUESTS),
        ([supply()], [demand(units=0)], allocation.NO_REQUESTS),
        ([], [demand()], allocation.NO_RESOURCES),
        ([supply(units=0)], [demand()], allocation.NO_RESOURCES),
        ([supply(lat=math.nan)], [demand()], allocation.NO_RESOURCES),
        ([supply(category="esf1")], [demand()], allocation.NO_MATCH),
        ([supply(kind="team")], [demand()], allocation.NO_MATCH),
        ([supply(capability_type=3)], [demand(min_capability_type=2)], allocation.NO_MATCH),
        ([supply(capability_type=None)], [demand(min_capability_type=4)], allocation.NO_MATCH),
        (
            [supply(terms="paid")],
            [demand(accepted_terms=frozenset({"loan", "donation"}))],
            allocation.NO_MATCH,
        ),
        ([supply(lat=45.0)], [demand()], allocation.TOO_FAR),
        ([supply(mobilization_hours=7)], [demand()], allocation.TOO_LATE),
        ([supply()], [demand(needed_by=-60)], allocation.TOO_LATE),
        ([supply(lat=43.7)], [demand(needed_by=HOURS)], allocation.TOO_LATE),  # 110 km in 1 h at 60 km/h
    ],
)
def test_an_empty_plan_says_why(supplies, demands, reason):
    for method in (solve, greedy):
        plan = method(supplies, demands, speed_kmh=SPEED, max_km=200)
        assert plan.moves == [] and plan.units == 0 and plan.weighted_units == 0
        assert plan.reason == reason
        assert plan.reason_text
        assert plan.figures()["reason"] == reason


def test_a_large_infeasible_instance_answers_an_empty_plan_and_a_reason():
    rng = random.Random(3)
    supplies, demands = random_instance(rng, 3000, 400)
    # Needed within 30 minutes, from resources that all take an hour to mobilize.
    slow = [Supply(**({n: getattr(s, n) for n in s.__slots__} | {"mobilization_hours": 1})) for s in supplies]
    late = [Demand(**({n: getattr(d, n) for n in d.__slots__} | {"needed_by": 1800.0})) for d in demands]
    for method in (solve, greedy):
        plan = method(slow, late, speed_kmh=SPEED, max_km=200)
        assert plan.moves == [] and plan.reason == allocation.TOO_LATE


def test_the_priority_weight_comes_before_any_distance():
    """One resource 1 km from a priority-4 request and 150 km from a priority-1 one goes to the latter."""
    near = demand(id=1, lat=CENTRE[0] + 0.009, priority=4, units=1)
    far = demand(id=2, lat=CENTRE[0] + 1.35, priority=1, units=1)
    plan = solve([supply(units=1, mobilization_hours=0)], [near, far], speed_kmh=SPEED, max_km=200)
    assert [(m.supply_id, m.demand_id) for m in plan.moves] == [(1, 2)]
    assert plan.served_by_priority == {1: 1, 2: 0, 3: 0, 4: 0}


def test_among_plans_of_equal_weight_the_shortest_wins_where_greedy_does_not():
    """Greedy serves the first request from the nearest resource and leaves the second a far one; the optimum
    crosses them over and travels less."""
    a = supply(id=1, lat=CENTRE[0], units=1)
    b = supply(id=2, lat=CENTRE[0] + 0.5, units=1)
    first = demand(id=1, lat=CENTRE[0] + 0.2, priority=1, units=1)  # 22 km from a, 33 km from b
    second = demand(id=2, lat=CENTRE[0] - 0.2, priority=1, needed_by=7 * HOURS, units=1)  # 22 and 78 km
    optimal = solve([a, b], [first, second], speed_kmh=SPEED, max_km=200)
    baseline = greedy([a, b], [first, second], speed_kmh=SPEED, max_km=200)
    assert {(m.supply_id, m.demand_id) for m in baseline.moves} == {(1, 1), (2, 2)}
    assert {(m.supply_id, m.demand_id) for m in optimal.moves} == {(2, 1), (1, 2)}
    assert optimal.weighted_units == baseline.weighted_units
    assert optimal.distance_m < baseline.distance_m


def test_a_substitute_of_the_same_category_serves_a_request_that_accepts_one():
    plan = solve([supply(kind="team")], [demand(substitutes_ok=True)], speed_kmh=SPEED, max_km=200)
    assert plan.units == 2


def test_enormous_quantities_coarsen_the_unit_of_distance_and_still_solve():
    """Quantities of a billion billion units would overflow int64 costs in metres: the cost counts in larger
    units of distance, and the plan is still found."""
    supplies = [supply(id=1, units=10**15), supply(id=2, lat=CENTRE[0] + 0.5, units=10**15)]
    demands = [demand(id=1, units=10**15), demand(id=2, units=5, lat=CENTRE[0] + 0.45)]
    plan = solve(supplies, demands, speed_kmh=SPEED, max_km=200)
    assert plan.distance_unit_m > 1
    assert plan.units == 10**15 + 5
    assert {(m.supply_id, m.demand_id) for m in plan.moves} == {(1, 1), (2, 2)}


def test_bad_parameters_are_refused():
    for speed, max_km in [(0, 10), (-5, 10), (math.nan, 10), (60, -1), (60, math.inf)]:
        with pytest.raises(ValueError):
            solve([supply()], [demand()], speed_kmh=speed, max_km=max_km)
