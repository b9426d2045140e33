"""The measures of one partnership's network, computed from its organizations and typed ties.

A pure function of plain data (no database), so that the tests can hold every figure against hand-computed
values and against networkx. The graph is undirected and unweighted for density, bridging, assortativity and
betweenness (a tie is there or not); its strength on PARTNER's scale is reported beside them. Betweenness is
networkit's, on its compiled core: exact up to `EXACT_BETWEENNESS_MAX_NODES` organizations, above that
estimated by Riondato and Kornaropoulos' sampling, within a stated error with a stated probability. Figures
are normalized as networkx normalizes them (2/((n-1)(n-2)) for an undirected graph).

Every per-tie and per-organization figure is computed on numpy arrays (degrees, bridging, the sector mixing
matrix, levels, strongest ties), not in a Python loop over the ties: 100,000 ties take a fraction of a second
(bench/network.py).
"""

from __future__ import annotations

from collections.abc import Iterable

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
    # networkit's universal constant 1 (its default): the one with the guarantee (0.5 is only suggested).
    algorithm = nk.centrality.ApproxBetweenness(graph, epsilon=epsilon, delta=delta, universalConstant=1.0)
    algorithm.run()
    # The estimate is normalized by the n(n-1) ordered pairs; networkx's by the (n-1)(n-2) without the node.
    scale = n / (n - 2)
    return list(np.asarray(algorithm.scores()) * scale), {
        "method": "sampled",
        "error": epsilon * scale,
        "probability": 1 - delta,
        "samples": algorithm.numberOfSamples(),
    }


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
    ends = np.array([(index[a], index[b]) for a, b in pairs], dtype=np.int64).reshape(-1, 2)
    a, b = ends[:, 0], ends[:, 1]
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

    scores, method = betweenness(n, ends)
    tie_rows = [
        {"a": x, "b": y, "types": dict(sorted(ties[(x, y)].items())), "level": level}
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
        "suggestions": introductions(organizations, ends),
    }
