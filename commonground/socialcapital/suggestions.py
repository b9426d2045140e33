"""Suggested introductions: for each organization, the few it is not yet tied to whose tie would most bridge the
public and private sides or bring an isolated member in, with the reasons kept as codes (the page puts them in
words, in the reader's language, with the names the reader sees).

The candidates are bounded, so that a table of 10,000 organizations is weighed in well under a second
(bench/network.py), in the worker like the rest of the snapshot:

- bringing an isolated member in: only the first `CANDIDATES_PER_SIDE` isolated members of each side (in the
  table's order) and the `CANDIDATES_PER_SIDE` best-connected members of each side are paired. No other pair
  could be chosen: with at most `PER_ORGANIZATION` introductions each and `KEPT` in all, fewer organizations
  than that can be used up before their turn (the same answer as weighing every pair);
- bridging the sides: every pair across the sides up to `SUGGESTIONS_ALL_PAIRS_MAX_NODES` organizations;
  above, only the pairs across the sides that already share a partner (who could introduce them), counted
  with a sparse matrix product. A partner tied to so many organizations that counting all the pairs it joins
  would exceed `SHARED_PARTNER_PAIRS_MAX` is not counted as shared (a hub everyone knows, like the plenary
  meeting that `GROUP_TIE_MAX_ORGANIZATIONS` leaves out).
"""

from __future__ import annotations

import numpy as np

from .choices import side_of

# Per organization, how many introductions; in all, how many the snapshot keeps.
PER_ORGANIZATION = 2
KEPT = 40
# Up to this many organizations, every pair across the sides is weighed; above, those sharing a partner.
SUGGESTIONS_ALL_PAIRS_MAX_NODES = 500
# The isolated members and best-connected partners weighed per side (enough for the answer to be exact).
CANDIDATES_PER_SIDE = 2 * KEPT // PER_ORGANIZATION + PER_ORGANIZATION
# At most this many (organization, partner, organization) paths are counted for shared partners.
SHARED_PARTNER_PAIRS_MAX = 5_000_000

BRIDGE, ISOLATED, COMMON = "bridge", "isolated", "common"


def introductions(organizations: list[dict], ends) -> list[dict]:
    """Return suggested introductions {"a", "b", "reasons", "via"}: pairs not yet tied where one is isolated
    (the strongest reason) or the two stand on different sides, ranked by that, by the partners they share
    (`via`: up to two of them, who could make the introduction) and by the ties the two have between them.

    `ends`: the ties as pairs of positions in `organizations` (an array of shape (m, 2)); "a" is the one
    earlier in `organizations`."""
    n = len(organizations)
    if n < 2:
        return []
    ends = np.asarray(ends, dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(ends.ravel(), minlength=n)
    public = np.array([side_of(org["sector"]) == "public" for org in organizations], dtype=bool)
    positions = np.arange(n)
    tied = degree > 0
    from scipy import sparse  # where used: SciPy takes a second of a process's start

    adjacency = sparse.csr_matrix(
        (
            np.ones(2 * len(ends), dtype=np.int32),
            (np.r_[ends[:, 0], ends[:, 1]], np.r_[ends[:, 1], ends[:, 0]]),
        ),
        shape=(n, n),
    )
    # Candidates as parallel arrays: score, reach (the two's ties), the two positions, shared partners.
    parts: list[tuple[np.ndarray, ...]] = []

    # An isolated member with a well-connected one: 3, and 2 more across the sides.
    for side in (True, False):
        alone = positions[~tied & (public == side)][:CANDIDATES_PER_SIDE]
        for partner_side in (True, False):
            partners = positions[tied & (public == partner_side)]
            partners = partners[np.lexsort((partners, -degree[partners]))][:CANDIDATES_PER_SIDE]
            if not len(alone) or not len(partners):
                continue
            x, y = np.repeat(alone, len(partners)), np.tile(partners, len(alone))
            score = np.full(len(x), 5 if side != partner_side else 3)
            parts.append(
                (score, degree[y], np.minimum(x, y), np.maximum(x, y), np.zeros(len(x), dtype=np.int64))
            )

    # Two tied members across the sides: 2, and 1 for each partner they share (up to 3).
    left, right = positions[tied & public], positions[tied & ~public]
    if len(left) and len(right):
        crossing = adjacency[left][:, right]
        if n <= SUGGESTIONS_ALL_PAIRS_MAX_NODES:
            shared = (adjacency[left] @ adjacency[:, right]).toarray()
            x, y = np.nonzero(crossing.toarray() == 0)
            common = shared[x, y]
        else:
            # Partners by their ties, fewest first, while the paths through them stay within the bound.
            paths = degree.astype(np.int64) ** 2
            order = np.argsort(paths, kind="stable")
            counted = order[np.cumsum(paths[order]) <= SHARED_PARTNER_PAIRS_MAX]
            shared = (adjacency[left][:, counted] @ adjacency[counted][:, right]).tocoo()
            keep = np.asarray(crossing[shared.row, shared.col]).ravel() == 0
            x, y, common = shared.row[keep], shared.col[keep], shared.data[keep].astype(np.int64)
        x, y = left[x], right[y]
        parts.append(
            (2 + np.minimum(common, 3), degree[x] + degree[y], np.minimum(x, y), np.maximum(x, y), common)
        )

    if not parts:
        return []
    score, reach, first, second, common = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((second, first, -reach, -score))
    chosen, count = [], np.zeros(n, dtype=np.int64)
    while len(order) and len(chosen) < KEPT:
        block, order = order[:BLOCK].tolist(), order[BLOCK:]
        for i in block:
            if _choose(i, first, second, count, chosen, organizations, tied, public, adjacency):
                break
        # The candidates left with an organization already given its introductions go, all at once.
        used = count >= PER_ORGANIZATION
        order = order[~(used[first[order]] | used[second[order]])]
    return chosen


# The candidates weighed one by one between two sweeps of those that can no longer be chosen.
BLOCK = 256


def _choose(i, first, second, count, chosen, organizations, tied, public, adjacency) -> bool:
    """Choose candidate i unless one of its two has had its introductions; return whether the list is full."""
    a, b = int(first[i]), int(second[i])
    if count[a] >= PER_ORGANIZATION or count[b] >= PER_ORGANIZATION:
        return False
    count[a] += 1
    count[b] += 1
    reasons, via = [], []
    if not tied[a] or not tied[b]:
        reasons.append(ISOLATED)
    if public[a] != public[b]:
        reasons.append(BRIDGE)
    if tied[a] and tied[b]:
        between = np.intersect1d(
            adjacency.indices[adjacency.indptr[a] : adjacency.indptr[a + 1]],
            adjacency.indices[adjacency.indptr[b] : adjacency.indptr[b + 1]],
        )
        if len(between):
            reasons.append(COMMON)
            via = sorted(organizations[p]["id"] for p in between.tolist())[:2]
    chosen.append({"a": organizations[a]["id"], "b": organizations[b]["id"], "reasons": reasons, "via": via})
    return len(chosen) >= KEPT
