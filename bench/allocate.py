"""The allocation at state scale: the optimal plan (max flows and a min-cost flow) beside the greedy baseline.

Usage: python -m bench.allocate REQUESTS RESOURCES [--seed N]
Builds the instance in memory the way `commonground seed --spread 2` places things: organizations within 2
degrees of the region's towns (`demo.generators.organization_rows`), each holding what its category offers
near it (`resource_rows`; the available ones are kept until RESOURCES are gathered). Requests come from
organizations placed the same way, for what the catalogue offers, in the catalogue's quantities, with FEMA
priorities and needed-by times that tighten with the priority. Two sets of requests against the same
resources: state-wide (spread 2, like the resources), and one incident's (within half a degree of the towns,
where the same resources are contested). Prints one JSON line: for each, seconds and figures of both plans.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time

import django

SPEED_KMH = 60
MAX_KM = 250
ALL_TERMS = ("donation", "loan", "paid", "mutual_aid")
# Priority: share of requests, and the range of needed-by hours.
PRIORITIES = {1: (0.1, (2, 8)), 2: (0.2, (4, 24)), 3: (0.3, (12, 48)), 4: (0.4, (24, 96))}
# Where requests come from: spread in degrees around the towns.
SPREADS = {"state": 2.0, "incident": 0.5}


def supplies_of(resources: int, seed: int = 7) -> list:
    """Return the available resources of a state-wide installation, as the allocation's supplies."""
    from commonground.demo.generators import organization_rows, resource_rows
    from commonground.incidents.allocation import Supply

    supplies, holders = [], {}
    organizations = organization_rows(resources, seed=seed, spread=2.0)
    for number, row in enumerate(resource_rows(organizations, 10, seed=seed)):
        if len(supplies) == resources:
            break
        if row["availability"] != "available":
            continue
        supplies.append(
            Supply(
                id=number + 1,
                organization_id=holders.setdefault(row["organization"], len(holders) + 1),
                lat=float(row["latitude"]),
                lon=float(row["longitude"]),
                units=int(row["quantity"]),
                kind=row["kind"],
                category=row["category"],
                capability_type=int(row["capability_type"]) if row["capability_type"] else None,
                terms=row["terms"],
                mobilization_hours=float(row["deploy_hours"]),
            )
        )
    return supplies


def demands_of(requests: int, spread: float, seed: int = 7) -> list:
    """Return requests from organizations placed within `spread` degrees of the towns."""
    from commonground.demo.generators import RESOURCE_CATALOG, organization_rows
    from commonground.incidents.allocation import Demand

    rng = random.Random(seed)
    offers = [entry for catalog in RESOURCE_CATALOG.values() for entry in catalog]
    shares = [share for share, _ in PRIORITIES.values()]
    demands = []
    for number, row in enumerate(organization_rows(requests, seed=seed + 1, start=50_000, spread=spread)):
        _, kind, category, ctype, _, _, (_, high), _ = rng.choice(offers)
        priority = rng.choices(list(PRIORITIES), weights=shares)[0]
        minimum = min(4, int(ctype) + rng.choice([0, 1])) if ctype and rng.random() < 0.5 else None
        terms = ALL_TERMS if rng.random() < 0.5 else tuple(rng.sample(ALL_TERMS, rng.randint(1, 3)))
        demands.append(
            Demand(
                id=number + 1,
                lat=float(row["latitude"]) + rng.uniform(-0.02, 0.02),
                lon=float(row["longitude"]) + rng.uniform(-0.02, 0.02),
                units=rng.randint(1, high),
                priority=priority,
                kind=kind,
                category=category,
                min_capability_type=minimum,
                substitutes_ok=rng.random() < 0.3,
                accepted_terms=frozenset(terms),
                needed_by=rng.uniform(*PRIORITIES[priority][1]) * 3600,
            )
        )
    return demands


def measure(supplies, demands) -> dict:
    from commonground.incidents.allocation import greedy, solve

    cpu = time.process_time()
    optimal = solve(supplies, demands, speed_kmh=SPEED_KMH, max_km=MAX_KM)
    optimal_cpu = time.process_time() - cpu
    baseline = greedy(supplies, demands, speed_kmh=SPEED_KMH, max_km=MAX_KM)
    assert baseline.objective() <= optimal.objective(), "greedy better than the optimum"
    return {
        "optimal_seconds": optimal.seconds,
        "optimal_cpu_seconds": optimal_cpu,
        "greedy_seconds": baseline.seconds,
        "optimal": optimal.figures(),
        "greedy": baseline.figures(),
    }


def main() -> None:
    # No database: the settings only, which the project's modules read as they load (translations).
    os.environ.setdefault("COMMONGROUND_DATA_DIR", tempfile.mkdtemp(prefix="cg-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    requests, resources = int(sys.argv[1]), int(sys.argv[2])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 7
    supplies = supplies_of(resources, seed)
    result = {"requests": requests, "resources": len(supplies)}
    for name, spread in SPREADS.items():
        result[name] = measure(supplies, demands_of(requests, spread, seed))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
