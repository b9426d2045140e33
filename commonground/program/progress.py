"""Reads of each community's progress through the six steps: the sortable table and the steps' counts.

A community's name, state and step states are the program's public face; the organizations at its table are a
figure like any other (`statistics.organizations_plan`): suppressed for a visitor when small or when it would
reveal a suppressed one, and a sort by it never orders the suppressed ones by their value.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from django.db.models import Case, Count, F, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from commonground.communities.models import Community, Membership
from commonground.communities.progress import DONE, IN_PROGRESS, STATUS_LABELS, STEP_TITLES
from commonground.core.kept_pages import name_list
from commonground.core.visibility import Viewer, viewer_facts

from . import stamp
from .disclosure import SUPPRESSED, Cell, Disclosure
from .models import STATUS_RANK, StepRecord
from .permissions import sees_full_figures

SORTS = [
    "name",
    "state",
    "kind",
    "organizations",
    "steps_done",
    *[f"step{n}" for n in STEP_TITLES],
    "computed",
]


def _rank(number: int) -> Subquery:
    ranks = Case(
        *[When(status=status, then=Value(rank)) for status, rank in STATUS_RANK.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Subquery(
        StepRecord.objects.filter(community=OuterRef("pk"), number=number).annotate(r=ranks).values("r")[:1]
    )


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("community").annotate(c=Count("pk")).values("c"),
        output_field=IntegerField(),
    )


def progress_list(*, viewer: Viewer, sort: str = "name", plan: Disclosure | None = None):
    """Return every community, sorted server-side by any column of the progress table (a leading "-" reverses
    it); one query a page however many communities. Only the column sorted by is computed in the query: each
    row's step states are read for the page's communities alone (`progress_rows`), so that the list costs little
    to build (twenty subqueries compiled on every request were most of the statistics page's time).

    The facilitators read the communities through `Community.objects.visible_to` (all of them); everyone else
    reads the program's public list of them. Sorted by organizations for a reader who gets some of them
    suppressed (`plan`, the organizations' disclosure), the suppressed ones come last in the order of their
    names, whichever way the sort goes: their place says nothing of their value.

    The list is named by all it is made of (`core.kept_pages`): the reader's facts where they read through
    `visible_to`, the sort, and the plan's suppressed and counted communities where they order it."""
    full = sees_full_figures(viewer)
    queryset = Community.objects.visible_to(viewer) if full else Community.objects.all()
    key = sort.lstrip("-") if isinstance(sort, str) else ""
    if key not in SORTS:
        sort, key = "name", "name"
    name = ("program progress", viewer_facts(viewer) if full else None, sort)
    descending = sort.startswith("-")
    tiebreak = ["name", "pk"] if key != "name" else ["pk"]
    if key in SORTED_BY:
        queryset = queryset.annotate(**{key: SORTED_BY[key]()})
    if key == "organizations" and not full:
        hidden = sorted(pk for kind, pk in _community_keys(plan) if kind == "community")
        # A community the plan has not counted (made since its rows were read) is sorted as a suppressed one.
        newer = Q(pk__gt=max(_planned(plan), default=0))  # in the name below
        queryset = queryset.annotate(
            organizations_shown=Case(
                When(Q(pk__in=hidden) | newer, then=Value(None)),
                default=F("organizations"),
                output_field=IntegerField(),
            )
        )
        shown = F("organizations_shown")
        order = shown.desc(nulls_last=True) if descending else shown.asc(nulls_last=True)
        return name_list(
            queryset.order_by(order, *tiebreak), (*name, tuple(hidden), max(_planned(plan), default=0))
        )
    return name_list(queryset.order_by(f"-{key}" if descending else key, *tiebreak), name)


def _step_rank(number: int):
    return Coalesce(_rank(number), Value(-1))


def _computed() -> Subquery:
    return Subquery(
        StepRecord.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(m=Max("computed_at"))
        .values("m")
    )


# The columns sorted by a figure the query computes, each a function that builds it.
SORTED_BY = {
    "organizations": lambda: Coalesce(_count(Membership.objects.filter(community=OuterRef("pk"))), 0),
    "steps_done": lambda: Coalesce(
        _count(StepRecord.objects.filter(community=OuterRef("pk"), status=DONE)), 0
    ),
    "computed": _computed,
    **{f"step{number}": partial(_step_rank, number) for number in STEP_TITLES},
}


def listed(plan: Disclosure) -> int:
    """How many communities `progress_list` lists: every one, as many as the organizations' plan counted seats
    of (its count, without a COUNT query)."""
    return sum(plan.states.values())


def _planned(plan: Disclosure | None) -> list[int]:
    """The communities whose seats the plan counted."""
    if plan is None:
        return []
    return [
        key[1] for key in plan.figures if isinstance(key, tuple) and len(key) == 2 and key[0] == "community"
    ]


def _seats(plan: Disclosure, community_id: int) -> Cell:
    """A community's organizations as the plan discloses them: one it has not counted (made since its rows were
    read, `stamp`) is suppressed until the next reading counts it."""
    key = ("community", community_id)
    return plan.cell(key) if key in plan.figures else SUPPRESSED


def _community_keys(plan: Disclosure | None) -> list[tuple]:
    if plan is None:
        return []
    return [key for key in plan.suppressed_keys() if isinstance(key, tuple) and len(key) == 2]


def progress_rows(page, *, viewer: Viewer, plan: Disclosure) -> list[dict]:
    """Return the table's rows for a page of `progress_list` (one query: the page's step records): each step's
    state (its summary for facilitators only), how many are done and when they were last computed, the
    organizations as `plan` (the organizations' disclosure) gives them to the reader."""
    communities = list(page)
    fields = ["community_id", "number", "status", "computed_at"]
    if sees_full_figures(viewer):
        fields.append("summary")
    records: dict[int, dict[int, dict]] = defaultdict(dict)
    if communities:
        for record in StepRecord.objects.filter(community__in=[c.pk for c in communities]).values(*fields):
            records[record["community_id"]][record["number"]] = record
    rows = []
    for community in communities:
        kept = records[community.pk]
        steps = []
        for number in STEP_TITLES:
            status = kept[number]["status"] if number in kept else None
            steps.append(
                {
                    "number": number,
                    "status": status or "",
                    "label": STATUS_LABELS.get(status, _("Not computed yet")),
                    "summary": kept.get(number, {}).get("summary", "") or "",
                }
            )
        rows.append(
            {
                "community": community,
                "organizations": _seats(plan, community.pk),
                "steps": steps,
                "steps_done": sum(record["status"] == DONE for record in kept.values()),
                "computed": max((record["computed_at"] for record in kept.values()), default=None),
            }
        )
    return rows


def progress_by_step(*, viewer: Viewer, shared: stamp.Shared | None = None) -> list[dict]:
    """Return, for each step, how many communities have it done, in progress, and not started (one query, or
    none: kept under the program's token)."""

    def read() -> tuple:
        return tuple(StepRecord.objects.order_by().values_list("number", "status").annotate(n=Count("pk")))

    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for number, status, n in (shared or stamp.Shared()).rows("steps by status", read):
        counts[number][status] += n
    return [
        {
            "number": number,
            "title": title,
            "done": counts[number][DONE],
            "in_progress": counts[number][IN_PROGRESS],
            "not_started": sum(
                n for status, n in counts[number].items() if status not in (DONE, IN_PROGRESS)
            ),
        }
        for number, title in STEP_TITLES.items()
    ]
