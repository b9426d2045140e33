"""The measures of one partnership's network, computed from its organizations and typed ties.

A pure function of plain data (no database), so that the tests can hold every figure against hand-computed
values and against networkx. The graph is undirected and unweighted for density, bridging, assortativity and
betweenness (a tie is there or not); its strength on PARTNER's scale is reported beside them. Betweenness is
networkit's, on its compiled core: exact up to `EXACT_BETWEENNESS_MAX_NODES` organizations, above that
estimated by Riondato and Kornaropoulos' sampling, within a stated error with a stated probability. Figures
are normalized as networkx normalizes them (2/((n-1)(n-2)) for an undirected graph).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .choices import (
    BETWEENNESS_DELTA,
    BETWEENNESS_EPSILON,
    EXACT_BETWEENNESS_MAX_NODES,
    PartnerLevel,
    side_of,
    tie_strength,
)
from .suggestions import introductions

# How many brokers the page names.
BROKERS_SHOWN = 5


def density(n: int, m: int) -> float:
    """Return the share of the possible ties between n organizations that the m ties make."""
    return 0.0 if n < 2 else 2 * m / (n * (n - 1))


def sector_assortativity(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Return Newman's assortativity coefficient of the ties' endpoints by sector (1: ties only within a
    sector, 0: as chance would have them, negative: mostly across), or None where it is undefined (no ties,
    or every endpoint in one sector)."""
    counts: Counter = Counter()
    for a, b in pairs:
        counts[(a, b)] += 1
        counts[(b, a)] += 1
    total = sum(counts.values())
    if not total:
        return None
    sectors = {a for a, _b in counts}
    within = sum(counts[(s, s)] for s in sectors) / total
    margins = {s: sum(value for (a, _b), value in counts.items() if a == s) / total for s in sectors}
    chance = sum(share * share for share in margins.values())
    if chance >= 1:
        return None
    return (within - chance) / (1 - chance)


def betweenness(n: int, edges: list[tuple[int, int]]) -> tuple[list[float], dict]:
    """Return each node's normalized betweenness (nodes are 0..n-1) and how it was computed: exact, or sampled
    with its error bound (every node's estimate within `error` of the exact value with `probability`)."""
    if n < 3:
        return [0.0] * n, {"method": "exact", "error": 0.0, "probability": 1.0}
    import networkit as nk

    graph = nk.Graph(n)
    for a, b in edges:
        graph.addEdge(a, b)
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        algorithm = nk.centrality.Betweenness(graph, normalized=True)
        algorithm.run()
        return list(algorithm.scores()), {"method": "exact", "error": 0.0, "probability": 1.0}
    algorithm = nk.centrality.ApproxBetweenness(graph, epsilon=BETWEENNESS_EPSILON, delta=BETWEENNESS_DELTA)
    algorithm.run()
    # The estimate is normalized by the n(n-1) ordered pairs; networkx's by the (n-1)(n-2) without the node.
    scale = n / (n - 2)
    return [score * scale for score in algorithm.scores()], {
        "method": "sampled",
        "error": BETWEENNESS_EPSILON * scale,
        "probability": 1 - BETWEENNESS_DELTA,
        "samples": algorithm.numberOfSamples(),
    }


def network_measures(organizations: list[dict], ties: dict[tuple[int, int], dict[str, int]]) -> dict:
    """Return the measures of a network.

    `organizations`: {"id", "name", "sector"} each; `ties`: {(id, id): {tie type: how many records}}, each
    unordered pair once. The answer is plain data (kept in a snapshot as JSON): the figures, which tie types
    each used, and one row per organization (its ties, their strongest level, its betweenness).
    """
    index = {org["id"]: i for i, org in enumerate(organizations)}
    sector = {org["id"]: org["sector"] for org in organizations}
    ties = {pair: types for pair, types in ties.items() if pair[0] in index and pair[1] in index and types}
    n, m = len(organizations), len(ties)
    used = sorted({kind for types in ties.values() for kind in types})
    degree: Counter = Counter()
    levels: Counter = Counter()
    for a, b in ties:
        degree[a] += 1
        degree[b] += 1
    bridging = sum(1 for a, b in ties if side_of(sector[a]) != side_of(sector[b]))
    scores, method = betweenness(n, [(index[a], index[b]) for a, b in ties])
    tie_rows = []
    strongest: Counter = Counter()
    for (a, b), types in sorted(ties.items()):
        level = int(tie_strength(types))
        levels[level] += 1
        strongest[a] = max(strongest[a], level)
        strongest[b] = max(strongest[b], level)
        tie_rows.append({"a": a, "b": b, "types": dict(sorted(types.items())), "level": level})
    rows = []
    for org in organizations:
        rows.append(
            {
                "id": org["id"],
                "name": org["name"],
                "sector": org["sector"],
                "ties": degree[org["id"]],
                "strongest": strongest[org["id"]],
                "betweenness": scores[index[org["id"]]],
            }
        )
    brokers = sorted(
        (row for row in rows if row["betweenness"] > 0), key=lambda r: (-r["betweenness"], r["name"])
    )
    return {
        "organizations": n,
        "ties": m,
        "tie_types": used,
        "density": {"value": density(n, m), "tie_types": used},
        "bridging": {
            "ties": bridging,
            "share": bridging / m if m else None,
            "assortativity": sector_assortativity((sector[a], sector[b]) for a, b in ties),
            "tie_types": used,
        },
        "betweenness": {
            **method,
            "brokers": [row["id"] for row in brokers[:BROKERS_SHOWN]],
            "tie_types": used,
        },
        "isolated": {"ids": [row["id"] for row in rows if row["ties"] == 0], "tie_types": used},
        "peripheral": {"ids": [row["id"] for row in rows if row["ties"] == 1], "tie_types": used},
        "strength": {
            "levels": {str(int(level)): levels[int(level)] for level in PartnerLevel},
            "tie_types": used,
        },
        "rows": rows,
        "tie_rows": tie_rows,
        "suggestions": introductions(organizations, set(ties)),
    }
