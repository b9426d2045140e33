"""The network measures at program scale (issue 18): every measure of a 10,000-organization, 100,000-tie
network, its betweenness estimated by sampling with its stated error; and, on a 2,000-organization network in
the same run, the estimate beside the exact value (largest absolute error, overlap of the top 100).

Usage: python -m bench.network ORGANIZATIONS TIES [--check 2000] [--seed N]
Pure computation (`socialcapital.measures`, no database). Prints one JSON line: the whole measurement's wall
and CPU seconds, the part taken by betweenness and by the suggestions, the check's exact and sampled
betweenness times (the exact one is the baseline) and the estimate's errors.
"""

from __future__ import annotations

import json
import os
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


def timed(function, *args):
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str]) -> None:
    import networkit
    import numpy as np

    from commonground.socialcapital import measures, suggestions

    n, m = int(argv[0]), int(argv[1])
    check = int(argv[argv.index("--check") + 1]) if "--check" in argv else 2000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 7
    networkit.setSeed(seed, useThreadId=True)
    organizations, ties = network(n, m, seed)
    result, seconds, cpu_seconds = timed(measures.network_measures, organizations, ties)
    # The parts, again on their own: the same graph's betweenness and suggestions.
    index = {org["id"]: i for i, org in enumerate(organizations)}
    ends = np.array([(index[a], index[b]) for a, b in ties], dtype=np.int64)
    _scores, betweenness_seconds, _cpu = timed(measures.betweenness, n, ends)
    _found, suggestions_seconds, _cpu = timed(suggestions.introductions, organizations, ends)

    # The same run's reference: a smaller network measured exactly, then estimated as a large one is.
    small, small_ties = network(check, check * m // n, seed + 1)
    index = {org["id"]: i for i, org in enumerate(small)}
    small_ends = np.array([(index[a], index[b]) for a, b in small_ties], dtype=np.int64)
    (truth, _method), exact_seconds, _cpu = timed(measures.betweenness, check, small_ends)
    limit = measures.EXACT_BETWEENNESS_MAX_NODES
    measures.EXACT_BETWEENNESS_MAX_NODES = check - 1
    try:
        (estimate, sampled), sampled_seconds, _cpu = timed(measures.betweenness, check, small_ends)
    finally:
        measures.EXACT_BETWEENNESS_MAX_NODES = limit
    truth, estimate = np.asarray(truth), np.asarray(estimate)
    top = 100
    print(
        json.dumps(
            {
                "organizations": n,
                "ties": len(ties),
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "betweenness_seconds": betweenness_seconds,
                "suggestions_seconds": suggestions_seconds,
                "suggestions": len(result["suggestions"]),
                "method": result["betweenness"]["method"],
                "samples": result["betweenness"].get("samples", 0),
                "error_bound": result["betweenness"]["error"],
                "probability": result["betweenness"]["probability"],
                "check_organizations": check,
                "check_ties": len(small_ties),
                "check_exact_seconds": exact_seconds,
                "check_sampled_seconds": sampled_seconds,
                "check_samples": sampled["samples"],
                "check_max_error": float(np.abs(estimate - truth).max()),
                "check_mean_error": float(np.abs(estimate - truth).mean()),
                "check_bound": sampled["error"],
                "check_largest_exact": float(truth.max()),
                "check_top100_overlap": len(set(np.argsort(-truth)[:top]) & set(np.argsort(-estimate)[:top])),
                # Other work on the machine: wall time is judged, and a busy machine stretches it.
                "load_average": os.getloadavg()[0],
                "cores": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonground.settings")
    django.setup()
    main(sys.argv[1:])
