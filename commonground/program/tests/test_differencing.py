"""The differencing attack on the public statistics: a visitor reads every published table (the API, which the
page and its charts' data tables show alike) and solves the sums they make for each suppressed figure.

The relations an attacker can write: the program's organizations are the sum of its sectors (this month's
row of the growth table) and of its states; a state's are the sum of its communities'; each month's total is
the sum of its sectors, for organizations and for participants; this month's totals are the headline figures;
the incidents are the sum of their statuses. And over time: each month's figure of a sector, and each month's
total, is the month before's plus what that month added (organizations that joined, participants whose record
was made), an addition the attacker never reads but may solve for. A figure is learnt when the linear system
those relations make pins it: some row of its reduced echelon form is that figure alone. A figure resting on
one or two organizations must never be learnt, nor (the sums being a tree there) any suppressed figure of the
states, communities and incidents.
"""

import datetime
import random
from fractions import Fraction

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from commonground.communities.models import Membership
from commonground.communities.tests.factories import CommunityFactory
from commonground.core.tlp import TLP
from commonground.incidents.tests.records import open_incident
from commonground.program import growth
from commonground.program.disclosure import Disclosure, is_small
from commonground.program.services import progress_refresh_all
from commonground.program.tests.test_pages import seat
from commonground.registry.models import Person
from commonground.registry.tests.factories import PersonFactory, UserFactory

STATISTICS, COMMUNITIES = "/api/v1/program/statistics/", "/api/v1/program/communities/"


def published(api) -> tuple[dict, list]:
    """Read every table a visitor gets: {name: value or None when suppressed} and [(total, parts)]."""
    data = api.get(STATISTICS).json()
    cells, relations = {}, []

    def put(name, cell):
        cells[name] = None if cell is None or cell["suppressed"] else Fraction(str(cell["value"]))
        return name

    figures = {figure["key"]: figure["cell"] for figure in data["figures"]}
    for key in ("organizations", "participants", "incidents"):
        put(key, figures[key])
    relations += growth_relations(data["growth"], put)
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


def growth_relations(rows: list, put) -> list:
    """The growth table's sums: each month's total of its sectors, and each month's figure (a sector's, the
    total) the month before's plus the month's addition ("+" names: unknowns, never published); and each
    quarter's figure (the rows marked `quarter_end`) the quarter before's plus the quarter's addition ("+q")."""
    relations = []
    ends = [index for index, row in enumerate(rows) if row["quarter_end"]]
    for before, end in zip(ends, ends[1:], strict=False):
        for series in ("organizations", "participants"):
            added = put(f"+q{series}@{end}", None)
            relations.append((f"{series}@{end}", [f"{series}@{before}", added]))
            sectors = [put(f"+q{series}@{end}/{s}", None) for s in rows[end][series]]
            relations.append((added, sectors))
            for s, name in zip(rows[end][series], sectors, strict=True):
                relations.append((f"{series}@{end}/{s}", [f"{series}@{before}/{s}", name]))
    for index, row in enumerate(rows):
        for series in ("organizations", "participants"):
            total = put(f"{series}@{index}", row[f"{series}_total"])
            relations.append((total, [put(f"{series}@{index}/{s}", c) for s, c in row[series].items()]))
            if index:
                added = put(f"+{series}@{index}", None)
                relations.append((total, [f"{series}@{index - 1}", added]))
                sectors = [put(f"+{series}@{index}/{s}", None) for s in row[series]]
                relations.append((added, sectors))
                for s, name in zip(row[series], sectors, strict=True):
                    relations.append((f"{series}@{index}/{s}", [f"{series}@{index - 1}/{s}", name]))
    return relations


def determined(cells: dict, relations: list) -> set[str]:
    """Return the unknown figures the relations pin, by exact Gauss-Jordan elimination over the unknowns (rows
    kept sparse, as {unknown: coefficient})."""
    pivots: dict[str, dict] = {}
    for total, parts in relations:
        row: dict = {}
        for name, sign in [(total, 1), *[(part, -1) for part in parts]]:
            if cells[name] is None:
                row[name] = row.get(name, 0) + Fraction(sign)
        for name in [name for name in row if name in pivots]:
            factor = row.get(name, 0)
            for other, value in pivots[name].items():
                row[other] = row.get(other, 0) - factor * value
        row = {name: value for name, value in row.items() if value}
        if not row:
            continue
        lead = min(row)
        row = {name: value / row[lead] for name, value in row.items()}
        for pivot, other in pivots.items():
            if lead in other:
                factor = other[lead]
                for name, value in row.items():
                    other[name] = other.get(name, 0) - factor * value
                pivots[pivot] = {name: value for name, value in other.items() if value}
        pivots[lead] = row
    return {pivot for pivot, row in pivots.items() if len(row) == 1}


def resting() -> dict[str, int]:
    """How many organizations each growth figure and each month's (and quarter's) addition rests on, counted
    here from the rows (a month in UTC; whatever came before the table's first month is counted in it)."""
    months = growth.recent_months()
    ends = growth.period_ends(months, growth.QUARTER)

    def index(when):
        month = when.astimezone(datetime.UTC).date().replace(day=1)
        return 0 if month < months[0] else months.index(month) if month in months else None

    joined, people = {}, {}
    for membership in Membership.objects.select_related("organization").order_by("created"):
        joined.setdefault(membership.organization, index(membership.created))
    for person in Person.objects.filter(organization__in=list(joined)).select_related("organization"):
        people.setdefault(person.organization, set()).add(index(person.created))
    rest = {}
    for series, months_of in (
        ("organizations", {o: {t} for o, t in joined.items()}),
        ("participants", people),
    ):
        for t in range(len(months)):
            for name, sectors in (*[(f"/{s}", {s}) for s in growth.SECTORS], ("", set(growth.SECTORS))):
                chosen = [seen for o, seen in months_of.items() if o.sector in sectors]
                rest[f"{series}@{t}{name}"] = sum(
                    1 for seen in chosen if any(m is not None and m <= t for m in seen)
                )
                if t:
                    rest[f"+{series}@{t}{name}"] = sum(1 for seen in chosen if t in seen)
                if t in ends[1:]:
                    quarter = range(ends[ends.index(t) - 1] + 1, t + 1)
                    rest[f"+q{series}@{t}{name}"] = sum(1 for seen in chosen if set(quarter) & seen)
        rest[series] = rest[f"{series}@{len(months) - 1}"]
    return rest


def leaks(cells: dict, relations: list) -> set[str]:
    """The figures the attacker learns that must stay hidden: growth figures and additions resting on one or two
    organizations, and any suppressed figure of the states, communities and incidents."""
    rest = resting()
    return {name for name in determined(cells, relations) if name not in rest or 0 < rest[name] < 3}


def bounded(cells: dict, relations: list, full: dict) -> set[str]:
    """The attacker with linear programming: every figure at least zero, each unknown resting on one or two
    organizations given its least and greatest value by the published ones; return those whose interval
    leaves them known enough (`bounds.protected`: a single whole number, or "at most 2" for a 1 or a 2).
    `full`: a facilitator's tables, for the true values."""
    from scipy.optimize import linprog
    from scipy.sparse import lil_matrix

    from commonground.program.bounds import protected

    rest = resting()
    ends = growth.period_ends(growth.recent_months(), growth.QUARTER)
    truth = {name: value for name, value in cells.items() if value is not None}
    unknown = [name for name, value in cells.items() if value is None]
    column = {name: index for index, name in enumerate(unknown)}
    matrix, rhs = lil_matrix((len(relations), len(unknown))), []
    for row, (total, parts) in enumerate(relations):
        right = 0
        for name, sign in [(total, 1), *[(part, -1) for part in parts]]:
            if name in column:
                matrix[row, column[name]] += sign
            else:
                right -= sign * float(truth[name])
        rhs.append(right)
    matrix = matrix.tocsr()
    found = set()
    for name in unknown:
        if not 0 < rest.get(name, 0) < 3:
            continue
        aim = [0.0] * len(unknown)
        aim[column[name]] = 1.0
        low = linprog(aim, A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        high = linprog([-a for a in aim], A_eq=matrix, b_eq=rhs, bounds=(0, None), method="highs")
        assert low.status == 0, "the true figures solve the relations"
        value = true_value(name, full, ends)
        if not protected(value, low.fun, None if high.status == 3 else -high.fun):
            found.add(name)
    return found


def true_value(name: str, full: dict, ends: list[int]) -> Fraction:
    """A figure's true value from a facilitator's tables (the test's check, never the attacker's knowledge):
    published, or an addition, the figure less the month's (quarter's) before."""
    if not name.startswith("+"):
        return full[name]
    quarter = name.startswith("+q")
    head, _at, rest = name.lstrip("+q" if quarter else "+").partition("@")
    index, _slash, sector = rest.partition("/")
    before = ends[ends.index(int(index)) - 1] if quarter else int(index) - 1
    tail = f"/{sector}" if sector else ""
    return full[f"{head}@{index}{tail}"] - full[f"{head}@{before}{tail}"]


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


def test_the_attacker_subtracts_consecutive_months():
    """Five private organizations in January and six in February: one joined in February."""
    cells = {"jan": Fraction(5), "feb": Fraction(6), "+feb": None}
    assert determined(cells, [("feb", ["jan", "+feb"])]) == {"+feb"}
    assert determined({**cells, "jan": None}, [("feb", ["jan", "+feb"])]) == set()


def join(community, count, sector="private", months_ago=0):
    """Seat `count` organizations as `seat` does, their people's records made the day they joined."""
    for organization in seat(community, count, sector=sector, months_ago=months_ago):
        joined = Membership.objects.filter(organization=organization).values("created")
        Person.objects.filter(organization=organization).update(created=joined)


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
    assert leaks(cells, relations) == set()
    # A facilitator's figures are all there, and the relations hold in them (so the attack is on true sums).
    api = APIClient()
    api.force_authenticate(table.facilitator)
    full, _relations = published(api)
    assert all(value is not None for name, value in full.items() if not name.startswith("+"))
    for total, parts in relations:
        if total.startswith("+") or any(part.startswith("+") for part in parts):
            continue
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
    assert leaks(cells, relations) == set()


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


def test_one_organization_joining_a_sector_is_not_worked_out_of_two_months(table):
    """Public, private and nonprofit organizations joined months ago; one private joined since: its month's
    private figure less the month before's would be that one organization (and its participants)."""
    community = CommunityFactory(state="TX", name="Growing Basin")
    for sector, count in (("public", 4), ("private", 5), ("nonprofit", 3)):
        join(community, count, sector=sector, months_ago=4)
    join(community, 1, months_ago=2)
    cells, relations = published(APIClient())
    assert leaks(cells, relations) == set()


def build_history(rng: random.Random) -> None:
    """Communities in three states whose organizations joined one to four at a time, in random months and
    sectors over two years, their people's records made then or later."""
    communities = [
        CommunityFactory(state=state, name=f"History Basin {state}") for state in ("TX", "OR", "KS")
    ]
    for _i in range(rng.randint(6, 14)):
        months_ago = rng.randint(0, 26)
        sector = rng.choice(["public", "private", "nonprofit"])
        for organization in seat(rng.choice(communities), rng.choice([1, 1, 2, 2, 3, 4]), sector, months_ago):
            joined = Membership.objects.get(organization=organization).created
            later = datetime.timedelta(days=31 * rng.choice([0, 0, 0, 1, 3]))
            Person.objects.filter(organization=organization).update(
                created=min(joined + later, timezone.now())
            )
    progress_refresh_all()


@pytest.mark.parametrize("seed", range(8))
def test_no_month_to_month_difference_gives_one_or_two_organizations_away(db, seed):
    build_history(random.Random(seed))
    cells, relations = published(APIClient())
    assert leaks(cells, relations) == set()


def facilitators_cells(facilitator) -> dict:
    api = APIClient()
    api.force_authenticate(facilitator)
    return published(api)[0]


@pytest.mark.parametrize("seed", range(3))
def test_no_quarter_or_month_is_bounded_to_one_or_two_organizations(table, seed):
    """The attacker with linear programming over the months and the quarters (each quarter's figure the quarter
    before's plus its addition): no addition resting on one or two organizations is pinned, nor shown small."""
    build_history(random.Random(seed))
    cells, relations = published(APIClient())
    assert any(name.startswith("+q") for name in cells), "the attack reads the quarters"
    assert leaks(cells, relations) == set()
    assert bounded(cells, relations, facilitators_cells(table.facilitator)) == set()


def test_a_quarters_participants_of_one_organization_are_not_worked_out_of_two_quarters(db):
    """One private organization of seven people joined four months ago; the sectors are otherwise steady: the
    quarter's new organization and its participants rest on that one organization, and neither its months
    nor the quarters beside it may tell (each month added is bounded by the quarter's addition: the quarters
    must protect theirs)."""
    community = CommunityFactory(state="TX", name="Quarterly Basin")
    for sector, count in (("public", 4), ("private", 5), ("nonprofit", 3)):
        join(community, count, sector=sector, months_ago=8)
    (newcomer,) = seat(community, 1, months_ago=4)
    for _i in range(6):
        PersonFactory(organization=newcomer)
    joined = Membership.objects.get(organization=newcomer).created
    Person.objects.filter(organization=newcomer).update(created=joined)
    progress_refresh_all()
    cells, relations = published(APIClient())
    assert leaks(cells, relations) == set()
    assert bounded(cells, relations, facilitators_cells(UserFactory(is_facilitator=True))) == set()


def test_a_table_whose_every_month_adds_three_or_more_organizations_suppresses_nothing(db):
    """Three organizations of a sector at a time, at tables of three or more in states of three or more: every
    figure, and every month's addition, rests on none or three organizations or more, so all are shown."""
    for state, plan in (("TX", [("public", 10), ("private", 7)]), ("OR", [("nonprofit", 3), ("private", 7)])):
        community = CommunityFactory(state=state, name=f"Steady Basin {state}")
        for sector, months_ago in plan:
            join(community, 3, sector=sector, months_ago=months_ago)
        join(community, 3, sector="public", months_ago=0)
    progress_refresh_all()
    cells, _relations = published(APIClient())
    assert [name for name, value in cells.items() if value is None and not name.startswith("+")] == []


def attack(plan: Disclosure) -> set[str]:
    """Settle a plan as a visitor's, then return the small figures its relations pin."""
    plan.settle()
    cells = {
        key: None if plan.cell(key).suppressed else Fraction(plan.cell(key).value) for key in plan.figures
    }
    return {key for key in determined(cells, plan.groups) if is_small(plan.figures[key].organizations)}


def test_a_figure_pinned_by_three_sums_of_two_unknowns_each_is_protected():
    """x + y, x + z and y + z shown, z never published: no group has a single unknown, yet x is half of the
    first two less the third. The heuristic misses it; the linear system does not."""
    plan = Disclosure(full=False)
    x, y, z = plan.add("x", 1, 1), plan.add("y", 2, 2), plan.add("z", 5, 5, published=False)
    for total, parts in (("x+y", [x, y]), ("x+z", [x, z]), ("y+z", [y, z])):
        plan.relate(plan.add(total, sum(plan.figures[p].value for p in parts), 9), parts)
    assert attack(plan) == set()
    assert plan.suppressed_keys() == {"x", "y", "x+y"}  # the smallest of the combination that gave x away


# Any figures (some never published, `base`: (value, published)) and sums of any of them (`sums`: picks of parts).
SYSTEM_OF_SUMS = (
    st.lists(st.tuples(st.integers(0, 6), st.booleans()), min_size=2, max_size=7),
    st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=4, unique=True), min_size=1, max_size=8),
)


def plan_of_sums(base, sums) -> Disclosure:
    """The disclosure plan of `SYSTEM_OF_SUMS`' figures and sums, not yet settled."""
    plan = Disclosure(full=False)
    for index, (value, published) in enumerate(base):
        plan.add(f"f{index}", value, value, published=published)
    for number, picks in enumerate(sums):
        parts = sorted({list(plan.figures)[pick % len(plan.figures)] for pick in picks})
        value = sum(plan.figures[part].value for part in parts)
        plan.relate(plan.add(f"s{number}", value, value), parts)
    return plan


@settings(max_examples=150, deadline=None)
@given(*SYSTEM_OF_SUMS)
def test_no_small_figure_of_any_system_of_sums_is_pinned(base, sums):
    """Figures (some never published) and sums of any of them, each figure a part of any number of sums: after
    settling, no figure resting on one or two organizations is pinned by the published ones."""
    plan = plan_of_sums(base, sums)
    assert attack(plan) == set()
    assert all(plan.cell(key).suppressed for key, f in plan.figures.items() if is_small(f.organizations))


def test_a_reader_who_knows_no_month_adds_fewer_than_none_learns_nothing_more():
    """Public 18, 18, 20 and nonprofit 7, 7, 8 over three months (private a steady 14): the linear pass hides
    the middle month of both, whose sum (25) alone leaves them free; but a running total never falls, so public
    is 18 or more and nonprofit 8 or less there, which pins them at 18 and 7, and the last month's one
    nonprofit organization with them. An attacker with linear programming would find it; `bounds` finds it first."""
    from scipy.optimize import linprog

    plan = Disclosure(full=False)
    series = {"public": [18, 18, 20], "private": [14, 14, 14], "nonprofit": [7, 7, 8]}
    for t in range(3):
        parts = [plan.add(f"{s}@{t}", values[t], values[t]) for s, values in series.items()]
        total = sum(values[t] for values in series.values())
        plan.relate(plan.add(f"all@{t}", total, total), parts)
        if t:
            for s, values in series.items():
                added = values[t] - values[t - 1]
                plan.relate(
                    f"{s}@{t}", [f"{s}@{t - 1}", plan.add(f"+{s}@{t}", added, added, published=False)]
                )
    assert attack(plan) == set()  # nothing linear
    hidden = [key for key in plan.figures if plan.cell(key).suppressed]
    rows, rhs = [], []
    for total, parts in plan.groups:
        terms = [(total, 1), *((part, -1) for part in parts)]
        rows.append([sum(sign for key, sign in terms if key == name) for name in hidden])
        rhs.append(-sum(sign * plan.figures[key].value for key, sign in terms if key not in hidden))
    learnt = set()
    for name in hidden:
        aim = [1 if key == name else 0 for key in hidden]
        low = linprog(aim, A_eq=rows, b_eq=rhs, bounds=(0, None)).fun
        high = -linprog([-a for a in aim], A_eq=rows, b_eq=rhs, bounds=(0, None)).fun
        if high - low < 0.5 and is_small(plan.figures[name].organizations):
            learnt.add(name)
    assert learnt == set()
