"""The bounds attack (no figure below zero, linear programming over the published relations) on settled plans,
and the cache that keeps a visitor's settled figures so that a page does not solve the programs again."""

import numpy as np
import pytest
from django.core.cache import cache
from hypothesis import given, settings
from scipy.optimize import linprog

from commonground.communities.tests.factories import CommunityFactory
from commonground.core.visibility import ANONYMOUS
from commonground.program import selectors
from commonground.program.bounds import protected
from commonground.program.disclosure import Disclosure, is_small
from commonground.program.tests.test_differencing import SYSTEM_OF_SUMS, plan_of_sums
from commonground.program.tests.test_pages import seat


def intervals(plan: Disclosure) -> dict:
    """The attacker: each hidden figure's least and greatest value given the published ones, every figure >= 0
    (None: unbounded), by dense linear programs over all the relations at once."""
    hidden = [key for key in plan.figures if plan.cell(key).suppressed]
    rows, rhs = [], []
    for total, parts in plan.groups:
        terms = [(total, 1), *((part, -1) for part in parts)]
        rows.append([sum(sign for key, sign in terms if key == name) for name in hidden])
        rhs.append(-sum(sign * plan.figures[key].value for key, sign in terms if key not in hidden))
    found = {}
    for name in hidden:
        aim = np.array([1.0 if key == name else 0.0 for key in hidden])
        low = linprog(aim, A_eq=rows, b_eq=rhs, bounds=(0, None))
        high = linprog(-aim, A_eq=rows, b_eq=rhs, bounds=(0, None))
        assert low.status == 0, "the true figures solve the relations"
        found[name] = (low.fun, None if high.status == 3 else -high.fun)
    return found


def exposed(plan: Disclosure) -> set:
    """The small hidden figures whose interval is a single value, or lies within 1..2 when theirs is 1 or 2."""
    found = set()
    for name, (low, high) in intervals(plan).items():
        value = plan.figures[name].value
        if not is_small(plan.figures[name].organizations):
            continue
        single = high is not None and high - low < 1 - 1e-6
        within = 0 < value < 3 and high is not None and high < 3 - 1e-6
        if single or within:
            found.add(name)
    return found


def test_the_protection_rule():
    assert not protected(1, 0, 2)  # "at most 2": the reader knows it is small
    assert protected(1, 0, 3)
    assert protected(2, 1, None)
    assert not protected(7, 7, 7.5)
    assert protected(7, 6, 7)
    assert protected(7, 7, 8)


def steady(values: dict) -> Disclosure:
    """Sectors' running totals month by month, each month's total their sum, each month's addition (one
    organization each, never published) the figure less the month before's."""
    plan = Disclosure(full=False)
    for t in range(len(next(iter(values.values())))):
        parts = [plan.add(f"{s}@{t}", v[t], v[t]) for s, v in values.items()]
        plan.relate(plan.add(f"all@{t}", sum(v[t] for v in values.values()), 99), parts)
        for s, v in values.items():
            if t:
                added = plan.add(f"+{s}@{t}", v[t] - v[t - 1], v[t] - v[t - 1], published=False)
                plan.relate(f"{s}@{t}", [f"{s}@{t - 1}", added])
    return plan


def test_a_month_is_not_left_to_add_at_most_two(monkeypatch):
    """Public 5, 6, 7 beside a steady private 10: the linear pass alone leaves a month's one organization
    between 0 and 2 (the reader learns it is small); the bounds hide more."""
    values = {"public": [5, 6, 7, 7], "private": [10, 10, 10, 10]}
    linear = steady(values)
    monkeypatch.setattr(Disclosure, "_bound", lambda plan, protected: False)
    linear.settle()
    assert exposed(linear) != set(), "the attack finds what the linear pass leaves"
    monkeypatch.undo()
    plan = steady(values).settle()
    assert exposed(plan) == set()
    assert plan.suppressed_keys() > linear.suppressed_keys()


@settings(max_examples=60, deadline=None)
@given(*SYSTEM_OF_SUMS)
def test_no_small_figure_of_any_system_of_sums_is_bounded_to_itself(base, sums):
    """Figures (some never published) and sums of any of them: after settling, no figure resting on one or two
    organizations is pinned by the bounds, nor shown to be 1 or 2."""
    plan = plan_of_sums(base, sums)
    plan.settle()
    assert exposed(plan) == set()


@pytest.fixture
def counted(monkeypatch):
    """How many times a plan is settled (not read back)."""
    calls = []
    settle = Disclosure.settle

    def counting(plan):
        calls.append(plan.full)
        return settle(plan)

    monkeypatch.setattr(Disclosure, "settle", counting)
    cache.clear()
    yield calls
    cache.clear()


def test_a_visitors_figures_are_settled_once_until_a_figure_changes(db, counted):
    community = CommunityFactory(state="TX", name="Cached Basin")
    seat(community, 4)
    seat(CommunityFactory(state="TX", name="Small Basin"), 1)
    first = selectors.statistics(viewer=ANONYMOUS)
    assert len(counted) == 2, "the quarters, then the months"
    again = selectors.statistics(viewer=ANONYMOUS)
    assert len(counted) == 2, "the second reading comes from the cache"
    assert again["plan"].suppressed_keys() == first["plan"].suppressed_keys() != set()
    assert [row["organizations"] for row in again["states"]] == [
        row["organizations"] for row in first["states"]
    ]
    seat(community, 1)
    changed = selectors.statistics(viewer=ANONYMOUS)
    assert len(counted) == 4, "a changed figure is settled anew"
    assert changed["plan"].figures[("community", community.pk)].value == 5


def test_refreshing_the_progress_warms_a_visitors_settled_figures(db, counted, settings):
    """The worker's refresh settles a visitor's figures and keeps them: the first visitor reads them back."""
    from commonground.conftest import IMMEDIATE_TASKS
    from commonground.program.tasks import refresh_progress

    settings.TASKS = IMMEDIATE_TASKS
    seat(CommunityFactory(state="TX", name="Warm Basin"), 4)
    seat(CommunityFactory(state="TX", name="Small Basin"), 1)
    refresh_progress.enqueue(None)
    warmed = len(counted)
    assert warmed >= 2, "the refresh settled the quarters and the months"
    selectors.statistics(viewer=ANONYMOUS)
    selectors.settled_organizations(viewer=ANONYMOUS)
    assert len(counted) == warmed, "the visitor's figures come from the cache"
