"""Suggested introductions, checked by hand on tiny networks, against every pair weighed on small random ones,
and bounded on a large one."""

import random
from collections import defaultdict

import numpy as np
import pytest

from commonground.socialcapital import suggestions
from commonground.socialcapital.choices import side_of
from commonground.socialcapital.suggestions import BRIDGE, COMMON, ISOLATED


def orgs(*sectors):
    return [{"id": i + 1, "name": f"Org {i + 1}", "sector": sector} for i, sector in enumerate(sectors)]


def introductions(organizations, pairs):
    """The ties given as id pairs, as the positions `suggestions.introductions` takes."""
    index = {org["id"]: i for i, org in enumerate(organizations)}
    return suggestions.introductions(organizations, [(index[a], index[b]) for a, b in sorted(pairs)])


def every_pair(organizations, pairs):
    """The rule weighed on every pair, one by one: the reference the bounded candidates must agree with."""
    neighbours = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    side = {org["id"]: side_of(org["sector"]) for org in organizations}
    ids = [org["id"] for org in organizations]
    candidates = []
    for i, a in enumerate(ids):
        for j in range(i + 1, len(ids)):
            b = ids[j]
            if b in neighbours[a] or (not neighbours[a] and not neighbours[b]):
                continue
            reasons = []
            if not neighbours[a] or not neighbours[b]:
                reasons.append(ISOLATED)
            if side[a] != side[b]:
                reasons.append(BRIDGE)
            if not reasons:
                continue
            common = sorted(neighbours[a] & neighbours[b])
            if common:
                reasons.append(COMMON)
            score = (3 if ISOLATED in reasons else 0) + (2 if BRIDGE in reasons else 0) + min(len(common), 3)
            candidates.append(
                (-score, -(len(neighbours[a]) + len(neighbours[b])), i, j, a, b, reasons, common[:2])
            )
    candidates.sort()
    chosen, count = [], defaultdict(int)
    for *_key, a, b, reasons, via in candidates:
        if count[a] >= suggestions.PER_ORGANIZATION or count[b] >= suggestions.PER_ORGANIZATION:
            continue
        count[a] += 1
        count[b] += 1
        chosen.append({"a": a, "b": b, "reasons": reasons, "via": via})
        if len(chosen) >= suggestions.KEPT:
            break
    return chosen


def test_an_isolated_member_is_brought_in_by_the_best_connected_first():
    # 1 (public) - 2 (private) - 3 (private); 4 (private) alone.
    found = introductions(orgs("public", "private", "private", "private"), {(1, 2), (2, 3)})
    first = found[0]
    # 4 alone: its introduction to 1 both brings it in and bridges the sides (score 3 + 2).
    assert (first["a"], first["b"]) == (1, 4) and first["reasons"] == [ISOLATED, BRIDGE]
    pairs = {(s["a"], s["b"]): s for s in found}
    # 1 and 3 are not tied, stand on different sides and share 2.
    assert pairs[(1, 3)]["reasons"] == [BRIDGE, COMMON] and pairs[(1, 3)]["via"] == [2]
    # Tied pairs are never suggested.
    assert (1, 2) not in pairs and (2, 3) not in pairs


def test_nothing_to_suggest_within_one_side_of_a_tied_table():
    assert introductions(orgs("private", "private", "nonprofit"), {(1, 2), (2, 3)}) == []
    # Two isolated members introduced to each other would stay apart from the table.
    assert introductions(orgs("public", "private"), set()) == []
    assert introductions([], set()) == []


def test_no_organization_gets_more_than_two():
    found = introductions(orgs("public", *["private"] * 8), {(2, 3)})
    counts = {}
    for s in found:
        for pk in (s["a"], s["b"]):
            counts[pk] = counts.get(pk, 0) + 1
    assert max(counts.values()) <= 2


@pytest.mark.parametrize("seed", range(8))
def test_the_bounded_candidates_give_what_every_pair_weighed_gives(seed):
    # Many isolated members (more than are weighed per side) and few ties: the bound must not change the answer.
    rng = random.Random(seed)
    n = rng.choice([30, 120, 300])
    organizations = orgs(*(rng.choice(["public", "private", "nonprofit"]) for _ in range(n)))
    pairs = set()
    for _ in range(rng.choice([n // 4, n, 3 * n])):
        a, b = sorted(rng.sample(range(1, n + 1), 2))
        pairs.add((a, b))
    assert introductions(organizations, pairs) == every_pair(organizations, pairs)


def test_a_large_table_is_weighed_through_shared_partners():
    rng = random.Random(5)
    n = 5_000
    organizations = orgs(*(rng.choice(["public", "private", "nonprofit"]) for _ in range(n)))
    ends = np.array([sorted(rng.sample(range(n), 2)) for _ in range(4 * n)])
    found = suggestions.introductions(organizations, ends)
    assert len(found) == suggestions.KEPT
    tied = {(int(a) + 1, int(b) + 1) for a, b in ends}
    for s in found:
        assert (s["a"], s["b"]) not in tied and (s["b"], s["a"]) not in tied
        # Above the all-pairs limit, a pair of tied members shares a partner, who is named.
        assert ISOLATED in s["reasons"] or (s["reasons"] == [BRIDGE, COMMON] and s["via"])
    assert any(ISOLATED not in s["reasons"] for s in found)
