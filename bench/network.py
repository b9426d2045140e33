"""The network measures at program scale (issue 18): every measure of a 10,000-organization, 100,000-tie
network, its betweenness estimated by sampling with its stated error; and, on a 2,000-organization network in
the same run, the estimate beside the exact value (largest absolute error, overlap of the top 100).

Usage: python -m bench.network ORGANIZATIONS TIES [--check 2000] [--seed N]
Pure computation (`socialcapital.measures`, no database). Prints one JSON line.
"""

from __future__ import annotations

import json
import random
import sys
import time

SECTORS = ("public", "private", "nonprofit")
KINDS = ("invitation", "meeting", "endorsement", "goal", "agreement", "mutual_aid")


def network(n: int, m: int, seed: int) -> tuple[list[dict], dict]:
    """A network with a few hubs (preferential attachment), sectors at random, tie kinds at random."""
    rng = random.Random(seed)
    organizations = [{"id": i + 1, "name": f"Org {i + 1}", "sector": rng.choice(SECTORS)} for i in range(n)]
    ties, ends = {}, [1, 2]
    while len(ties) < m:
        a = rng.randint(1, n)
        b = rng.choice(ends) if rng.random() < 0.5 else rng.randint(1, n)
        if a == b:
            continue
        pair = (min(a, b), max(a, b))
        if pair not in ties:
            ties[pair] = {rng.choice(KINDS): 1}
            ends += pair
    return organizations, ties


def main(argv: list[str]) -> None:
    import networkit

    from commonground.socialcapital import measures

    n, m = int(argv[0]), int(argv[1])
    check = int(argv[argv.index("--check") + 1]) if "--check" in argv else 2000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    networkit.setSeed(seed, useThreadId=False)
    organizations, ties = network(n, m, seed)
    start = time.perf_counter()
    result = measures.network_measures(organizations, ties)
    seconds = time.perf_counter() - start
    # The same run's reference: the small network measured exactly, then estimated.
    small, small_ties = network(check, check * m // n, seed + 1)
    start = time.perf_counter()
    exact = measures.network_measures(small, small_ties)
    exact_seconds = time.perf_counter() - start
    limit = measures.EXACT_BETWEENNESS_MAX_NODES
    measures.EXACT_BETWEENNESS_MAX_NODES = check - 1
    try:
        sampled = measures.network_measures(small, small_ties)
    finally:
        measures.EXACT_BETWEENNESS_MAX_NODES = limit
    truth = {row["id"]: row["betweenness"] for row in exact["rows"]}
    estimate = {row["id"]: row["betweenness"] for row in sampled["rows"]}
    worst = max(abs(estimate[pk] - truth[pk]) for pk in truth)

    def top(scores):
        return {pk for pk, _score in sorted(scores.items(), key=lambda item: -item[1])[:100]}

    print(
        json.dumps(
            {
                "organizations": n,
                "ties": len(ties),
                "seconds": seconds,
                "method": result["betweenness"]["method"],
                "error_bound": result["betweenness"]["error"],
                "probability": result["betweenness"]["probability"],
                "check_organizations": check,
                "check_exact_seconds": exact_seconds,
                "check_max_error": worst,
                "check_bound": sampled["betweenness"]["error"],
                "check_top100_overlap": len(top(truth) & top(estimate)),
            }
        )
    )


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    main(sys.argv[1:])
