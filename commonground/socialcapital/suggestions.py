"""Suggested introductions: for each organization, the few it is not yet tied to whose tie would most bridge the
public and private sides or bring an isolated member in, with the reasons kept as codes (the page puts them in
words, in the reader's language, with the names the reader sees)."""

from __future__ import annotations

from collections import defaultdict

from .choices import side_of

# Per organization, how many introductions; in all, how many the snapshot keeps.
PER_ORGANIZATION = 2
KEPT = 40
# Above this many organizations no introductions are suggested: every pair is weighed in Python (about a
# second at 500 organizations on the development machine).
SUGGESTIONS_MAX_NODES = 500

BRIDGE, ISOLATED, COMMON = "bridge", "isolated", "common"


def introductions(organizations: list[dict], pairs: set[tuple[int, int]]) -> list[dict]:
    """Return suggested introductions {"a", "b", "reasons", "via"}: pairs not yet tied where one is isolated
    (the strongest reason) or the two stand on different sides, ranked by that and by the partners they share
    (`via`: up to two of them, who could make the introduction)."""
    if len(organizations) > SUGGESTIONS_MAX_NODES:
        return []
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        neighbours[a].add(b)
        neighbours[b].add(a)
    side = {org["id"]: side_of(org["sector"]) for org in organizations}
    ids = [org["id"] for org in organizations]
    candidates = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if b in neighbours[a]:
                continue
            reasons = []
            if not neighbours[a] or not neighbours[b]:
                # Two isolated members introduced to each other stay apart from the table: one must be tied.
                if not neighbours[a] and not neighbours[b]:
                    continue
                reasons.append(ISOLATED)
            if side[a] != side[b]:
                reasons.append(BRIDGE)
            if not reasons:
                continue
            common = sorted(neighbours[a] & neighbours[b])
            if common:
                reasons.append(COMMON)
            score = (3 if ISOLATED in reasons else 0) + (2 if BRIDGE in reasons else 0) + min(len(common), 3)
            # The tied partner's ties: an isolated member is best brought in by a well-connected one.
            reach = len(neighbours[a]) + len(neighbours[b])
            candidates.append((-score, -reach, a, b, reasons, common[:2]))
    candidates.sort()
    chosen, count = [], defaultdict(int)
    for _score, _reach, a, b, reasons, via in candidates:
        if count[a] >= PER_ORGANIZATION or count[b] >= PER_ORGANIZATION:
            continue
        count[a] += 1
        count[b] += 1
        chosen.append({"a": a, "b": b, "reasons": reasons, "via": via})
        if len(chosen) >= KEPT:
            break
    return chosen
