"""The measures of one partnership's network, computed from its organizations and typed ties.

A pure function of plain data (no database), so that the tests can hold every figure against hand-computed
values and against networkx. The graph is undirected and unweighted for density, bridging, assortativity and
betweenness (a tie is there or not); its strength on PARTNER's scale is reported beside them. Betweenness is
networkit's, on its compiled core: exact up to `EXACT_BETWEENNESS_MAX_NODES` organizations, above that
estimated by KADABRA's sampling (Borassi and Natale), within a stated error with a stated probability. Figures
are normalized as networkx normalizes them (2/((n-1)(n-2)) for an undirected graph).

Every per-tie and per-organization figure is computed on numpy arrays (degrees, bridging, the sector mixing
matrix, levels, strongest ties), not in a Python loop over the ties: 100,000 ties take a fraction of a second
(bench/network.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import choices
from .choices import PartnerLevel, side_of, tie_strength
from .suggestions import introductions

# How many brokers the page names.
BROKERS_SHOWN = 5

# Kept here for the bench and the tests to lower (a module attribute, read at each call).
EXACT_BETWEENNESS_MAX_NODES = choices.EXACT_BETWEENNESS_MAX_NODES


def density(n: int, m: int) -> float:
    """Return the share of the possible ties between n organizations that the m ties make."""
    return 0.0 if n < 2 else 2 * m / (n * (n - 1))


def sector_assortativity(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Return Newman's assortativity coefficient of the ties' endpoints by sector (1: ties only within a
    sector, 0: as chance would have them, negative: mostly across), or None where it is undefined (no ties,
    or every endpoint in one sector)."""
    pairs = list(pairs)
    if not pairs:
        return None
    labels = sorted({label for pair in pairs for label in pair})
    code = {label: i for i, label in enumerate(labels)}
    ends = np.array([(code[a], code[b]) for a, b in pairs], dtype=np.int64).reshape(-1, 2)
    return _assortativity(ends[:, 0], ends[:, 1], len(labels))


def _assortativity(a: np.ndarray, b: np.ndarray, k: int) -> float | None:
    """Newman's coefficient from the sector codes (0..k-1) of each tie's two ends, each tie counted both ways."""
    if not len(a):
        return None
    mixing = np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(float)
    mixing = mixing + mixing.T
    mixing /= mixing.sum()
    margins = mixing.sum(axis=1)
    chance = float((margins * margins).sum())
    if chance >= 1 - 1e-12:
        return None
    return (float(np.trace(mixing)) - chance) / (1 - chance)


def betweenness(n: int, edges: np.ndarray | list[tuple[int, int]]) -> tuple[list[float], dict]:
    """Return each node's normalized betweenness (nodes are 0..n-1) and how it was computed: exact, or sampled
    with its error bound (every node's estimate within `error` of the exact value with `probability`)."""
    if n < 3:
        return [0.0] * n, {"method": "exact", "error": 0.0, "probability": 1.0}
    import networkit as nk

    edges = np.asarray(edges, dtype=np.uint64).reshape(-1, 2)
    graph = nk.Graph(n)
    if len(edges):
        graph.addEdges((edges[:, 0], edges[:, 1]))
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        algorithm = nk.centrality.Betweenness(graph, normalized=True)
        algorithm.run()
        return list(algorithm.scores()), {"method": "exact", "error": 0.0, "probability": 1.0}
    epsilon, delta = choices.BETWEENNESS_EPSILON, choices.BETWEENNESS_DELTA
    # KADABRA (Borassi and Natale): pairs sampled until every node's estimate is within epsilon of its share of
    # the pairs' shortest paths with probability 1 - delta, with a shortest path found by a search from both
    # ends at once, so each sample costs a fraction of Riondato and Kornaropoulos' one-sided search.
    algorithm = nk.centrality.KadabraBetweenness(graph, epsilon, delta)
    algorithm.run()
    # networkit doubles an undirected graph's share (each pair counted both ways); networkx normalizes by the
    # (n-1)(n-2) ordered pairs without the node, the share by all n(n-1).
    scale = n / (n - 2)
    return list(np.asarray(algorithm.scores()) * (scale / 2)), {
        "method": "sampled",
        "error": epsilon * scale,
        "probability": 1 - delta,
        "samples": algorithm.getNumberOfIterations(),
    }


def _positions(organizations: list[dict], index: dict, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Return the ties' ends as positions in `organizations` (shape (m, 2)): by one array lookup where the ids
    are small whole numbers, as database ids are."""
    ids = [org["id"] for org in organizations]
    if pairs and all(type(pk) is int and 0 <= pk < 4 * len(ids) + 1_000_000 for pk in ids):
        lookup = np.full(max(ids) + 1, -1, dtype=np.int64)
        lookup[ids] = np.arange(len(ids))
        return lookup[np.array(pairs, dtype=np.int64).reshape(-1, 2)]
    return np.array([(index[a], index[b]) for a, b in pairs], dtype=np.int64).reshape(-1, 2)


def _sorted_types(types: dict[str, int]) -> dict[str, int]:
    return dict(types) if len(types) == 1 else dict(sorted(types.items()))


def network_measures(organizations: list[dict], ties: dict[tuple[int, int], dict[str, int]]) -> dict:
    """Return the measures of a network.

    `organizations`: {"id", "name", "sector"} each; `ties`: {(id, id): {tie type: how many records}}, each
    unordered pair once. The answer is plain data (kept in a snapshot as JSON): the figures, which tie types
    each used, and one row per organization (its ties, their strongest level, its betweenness).
    """
    index = {org["id"]: i for i, org in enumerate(organizations)}
    ties = {pair: types for pair, types in ties.items() if pair[0] in index and pair[1] in index and types}
    n, m = len(organizations), len(ties)
    pairs = sorted(ties)
    ends = _positions(organizations, index, pairs)
    a, b = ends[:, 0], ends[:, 1]
    # networkit lets go of the interpreter while it runs: betweenness (its first part, the diameter, on one core)
    # runs beside everything else, which then costs no wall time.
    pool = ThreadPoolExecutor(max_workers=1)
    running = pool.submit(betweenness, n, ends)
    pool.shutdown(wait=False)
    found = introductions(organizations, ends)
    used = sorted({kind for types in ties.values() for kind in types})

    degree = np.bincount(ends.ravel(), minlength=n)
    sector_names = sorted({org["sector"] for org in organizations})
    sector_code = np.array([sector_names.index(org["sector"]) for org in organizations], dtype=np.int64)
    public = np.array([side_of(org["sector"]) == "public" for org in organizations], dtype=bool)
    bridging = int(np.count_nonzero(public[a] != public[b])) if m else 0

    # A tie's level depends only on which kinds it has: one lookup per distinct set of kinds.
    level_of: dict[frozenset, int] = {}
    levels_list = []
    for pair in pairs:
        kinds = frozenset(ties[pair])
        level = level_of.get(kinds)
        if level is None:
            level = level_of[kinds] = int(tie_strength(kinds))
        levels_list.append(level)
    levels = np.array(levels_list, dtype=np.int64)
    strongest = np.zeros(n, dtype=np.int64)
    if m:
        np.maximum.at(strongest, a, levels)
        np.maximum.at(strongest, b, levels)
    level_counts = np.bincount(levels, minlength=len(PartnerLevel) + 1)

    scores, method = running.result()
    tie_rows = [
        {"a": x, "b": y, "types": _sorted_types(ties[(x, y)]), "level": level}
        for (x, y), level in zip(pairs, levels_list, strict=True)
    ]
    degrees, strongest_list = degree.tolist(), strongest.tolist()
    rows = [
        {
            "id": org["id"],
            "name": org["name"],
            "sector": org["sector"],
            "ties": degrees[i],
            "strongest": strongest_list[i],
            "betweenness": float(scores[i]),
        }
        for i, org in enumerate(organizations)
    ]
    score_array = np.asarray(scores, dtype=float)
    positive = np.flatnonzero(score_array > 0)
    brokers = sorted(positive.tolist(), key=lambda i: (-score_array[i], organizations[i]["name"]))
    return {
        "organizations": n,
        "ties": m,
        "tie_types": used,
        "density": {"value": density(n, m), "tie_types": used},
        "bridging": {
            "ties": bridging,
            "share": bridging / m if m else None,
            "assortativity": _assortativity(sector_code[a], sector_code[b], len(sector_names)),
            "tie_types": used,
        },
        "betweenness": {
            **method,
            "brokers": [organizations[i]["id"] for i in brokers[:BROKERS_SHOWN]],
            "tie_types": used,
        },
        "isolated": {"ids": [rows[i]["id"] for i in np.flatnonzero(degree == 0)], "tie_types": used},
        "peripheral": {"ids": [rows[i]["id"] for i in np.flatnonzero(degree == 1)], "tie_types": used},
        "strength": {
            "levels": {str(int(level)): int(level_counts[int(level)]) for level in PartnerLevel},
            "tie_types": used,
        },
        "rows": rows,
        "tie_rows": tie_rows,
        "suggestions": found,
    }
