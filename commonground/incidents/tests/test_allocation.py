"""The allocation against references written independently of it: a linear program (SciPy's HiGHS) with one
big-M cost on pairs from a scan of every pair, brute force on tiny instances, and a scan for the k-d trees."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from commonground.incidents import allocation
from commonground.incidents.allocation import Demand, Supply, candidate_pairs, greedy, solve

from .allocation_reference import (
    CATEGORIES,
    CENTRE,
    HOURS,
    KINDS,
    SPEED,
    TERMS,
    brute_force,
    check_plan,
    expected_reason,
    instances,
    lexicographic,
    linear_program,
    scanned_pairs,
)

SETTINGS = settings(max_examples=150)


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


@settings(max_examples=60)
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
