"""Suggested introductions, checked by hand on tiny networks."""

from commonground.socialcapital.suggestions import BRIDGE, COMMON, ISOLATED, introductions


def orgs(*sectors):
    return [{"id": i + 1, "name": f"Org {i + 1}", "sector": sector} for i, sector in enumerate(sectors)]


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


def test_no_organization_gets_more_than_two():
    found = introductions(orgs("public", *["private"] * 8), {(2, 3)})
    counts = {}
    for s in found:
        for pk in (s["a"], s["b"]):
            counts[pk] = counts.get(pk, 0) + 1
    assert max(counts.values()) <= 2
