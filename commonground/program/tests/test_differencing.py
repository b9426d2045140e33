"""The differencing attack on the public statistics: a visitor reads every published table (the API, which the
page and its charts' data tables show alike) and solves the sums they make for each suppressed figure.

The relations an attacker can write: the program's organizations are the sum of its sectors (this month's
row of the growth table) and of its states; a state's are the sum of its communities'; each month's total is
the sum of its sectors, for organizations and for participants; this month's totals are the headline figures;
the incidents are the sum of their statuses. A suppressed figure is learnt when the linear system those
relations make pins it: some row of its reduced echelon form is that figure alone.
"""

import random
from fractions import Fraction

import pytest
from rest_framework.test import APIClient

from commonground.communities.tests.factories import CommunityFactory
from commonground.core.tlp import TLP
from commonground.incidents.tests.records import open_incident
from commonground.program.services import progress_refresh_all
from commonground.program.tests.test_pages import seat

STATISTICS, COMMUNITIES = "/api/v1/program/statistics/", "/api/v1/program/communities/"


def published(api) -> tuple[dict, list]:
    """Read every table a visitor gets: {name: value or None when suppressed} and [(total, parts)]."""
    data = api.get(STATISTICS).json()
    cells, relations = {}, []

    def put(name, cell):
        cells[name] = None if cell["suppressed"] else Fraction(str(cell["value"]))
        return name

    figures = {figure["key"]: figure["cell"] for figure in data["figures"]}
    for key in ("organizations", "participants", "incidents"):
        put(key, figures[key])
    for index, row in enumerate(data["growth"]):
        for series in ("organizations", "participants"):
            total = put(f"{series}@{index}", row[f"{series}_total"])
            relations.append((total, [put(f"{series}@{index}/{s}", c) for s, c in row[series].items()]))
    last = len(data["growth"]) - 1
    relations += [("organizations", [f"organizations@{last}"]), ("participants", [f"participants@{last}"])]
    relations.append(
        ("organizations", [put(f"state/{row['state']}", row["organizations"]) for row in data["states"]])
    )
    relations.append(
        ("incidents", [put(f"incidents/{row['status']}", row["cell"]) for row in data["incidents"]])
    )
    by_state: dict[str, list] = {}
    url = COMMUNITIES
    while url:
        page = api.get(url).json()
        for row in page["results"]:
            by_state.setdefault(row["state"], []).append(
                put(f"community/{row['slug']}", row["organizations"])
            )
        url = page["next"]
    relations += [(f"state/{state}", parts) for state, parts in by_state.items()]
    return cells, relations


def determined(cells: dict, relations: list) -> set[str]:
    """Return the suppressed figures the relations pin, by exact Gauss-Jordan elimination over the unknowns."""
    unknown = sorted(name for name, value in cells.items() if value is None)
    column = {name: index for index, name in enumerate(unknown)}
    rows = []
    for total, parts in relations:
        row = [Fraction(0)] * len(unknown)
        for name, sign in [(total, 1), *[(part, -1) for part in parts]]:
            if cells[name] is None:
                row[column[name]] += sign
        if any(row):
            rows.append(row)
    pivot_row = 0
    for col in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col]), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col]:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    return {unknown[row.index(1)] for row in rows[:pivot_row] if sum(1 for value in row if value) == 1}


def test_the_attacker_solves_an_unprotected_table():
    """The attack itself works: a total beside one suppressed part gives the part away."""
    cells = {"all": Fraction(5), "a": None, "b": Fraction(3)}
    assert determined(cells, [("all", ["a", "b"])]) == {"a"}
    cells["b"] = None
    assert determined(cells, [("all", ["a", "b"])]) == set()
    assert determined({**cells, "c": None}, [("all", ["a", "b"]), ("b", ["c"]), ("a", ["c"])]) == {
        "a",
        "b",
        "c",
    }


def build(rng: random.Random, table) -> None:
    """Communities in four states with tables of 0 to 5 organizations of random sectors, some months old."""
    for index in range(rng.randint(3, 7)):
        community = CommunityFactory(state=rng.choice(["TX", "OR", "NC", "KS"]), name=f"Attack Basin {index}")
        for _j in range(rng.choice([0, 1, 1, 2, 2, 3, 5])):
            seat(
                community,
                1,
                sector=rng.choice(["public", "private", "nonprofit"]),
                months_ago=rng.randint(0, 3),
            )
    for _j in range(rng.randint(0, 2)):
        open_incident(table, tlp=TLP.CLEAR, title="Attack incident")
    progress_refresh_all()


@pytest.mark.parametrize("seed", range(6))
def test_no_suppressed_figure_is_worked_out_of_the_published_tables(table, seed):
    build(random.Random(seed), table)
    cells, relations = published(APIClient())
    assert any(value is None for value in cells.values()), "the world has something to suppress"
    assert determined(cells, relations) == set()
    # A facilitator's figures are all there, and the relations hold in them (so the attack is on true sums).
    api = APIClient()
    api.force_authenticate(table.facilitator)
    full, _relations = published(api)
    assert all(value is not None for value in full.values())
    for total, parts in relations:
        if not total.startswith("state/") and total != "organizations":
            assert full[total] == sum(full[part] for part in parts), total


def test_a_state_total_beside_its_communities_gives_no_community_away(table):
    """Texas: 5 organizations at one table and 2 at another; the state's 7 would tell the small one."""
    big, small = (
        CommunityFactory(state="TX", name="Big Basin"),
        CommunityFactory(state="TX", name="Small Basin"),
    )
    seat(big, 5)
    seat(small, 2)
    cells, relations = published(APIClient())
    assert cells["community/" + small.slug] is None
    assert cells["community/" + big.slug] is None or cells["state/TX"] is None
    assert determined(cells, relations) == set()


def test_sorting_by_organizations_puts_suppressed_last_by_name_whatever_their_value(table):
    """Two suppressed tables, one of 1 and one of 2 organizations, named against their values: both sorts
    list them last, in the order of their names, so their place tells nothing of their value."""
    for name, count in (("Aaa One", 2), ("Zzz Two", 1), ("Mid Four", 4), ("Mid Six", 6)):
        seat(CommunityFactory(state="OR", name=name), count)
    api = APIClient()
    for sort in ("organizations", "-organizations"):
        rows = api.get(COMMUNITIES, {"sort": sort}).json()["results"]
        hidden = [row["name"] for row in rows if row["organizations"]["suppressed"]]
        assert {"Aaa One", "Zzz Two"} <= set(hidden)
        assert [row["name"] for row in rows[-len(hidden) :]] == sorted(hidden)
        shown = [row["organizations"]["value"] for row in rows[: -len(hidden)]]
        assert shown == sorted(shown, reverse=sort.startswith("-"))
