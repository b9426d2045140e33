"""Sums that add up: a marked model's figures kept as sums by group, community and marking, so that the sums
of blocks of organizations add up to the sums of all, and a write at one block is paid by summing that block.

`summaries` reads every record for its reader. Here the records are summed once for every reader, by the
facts the least-privileged reader of a kind sees them by (`class_sees`: the record's community and marking),
without asking who reads. Every figure `summaries` reads comes from these sums:
- a group's (an item's) records, one per organization (`_one_record_per_organization`): for each measure the
  organizations it counts (`orgs`), its records (`n`), the sum of its expression (`sum`, integers, so that
  subtracting a block's sums is exact) and, for a total beside parts, the organizations in a part and in the
  total or a part (`in_parts`, `with_parts`);
- the organizations by the set of (community, marking) their records carry (`signatures`), for a figure over
  every group (the answering organizations): how many of them a reader sees, or sees beyond TLP:GREEN, is
  a function of that set.
A reader's own organization and those that name it see it other than its class does: the caller reads their
blocks again for that reader (`seen=True/False` in the rows), in place of the blocks' class sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Count, F, IntegerField, Sum, Value
from django.db.models.functions import Cast

from ..tlp import TLP
from ..visibility import Viewer, VisibilityQuerySet
from .measures import BEYOND_GREEN, MEAN, ORGANIZATIONS, TOTAL, Figure, Measure, _plain, _with_seen
from .sums import _BITS, _layout, _one_record_per_organization, _summed_figures

# What the sums hold of one measure, in order.
ORGS, N, SUM, IN_PARTS, WITH_PARTS = "orgs", "n", "sum", "in_parts", "with_parts"


def columns(measure: Measure) -> tuple[str, ...]:
    return (
        ORGS,
        N,
        *((SUM,) if measure.kind in (MEAN, TOTAL) else ()),
        *((IN_PARTS, WITH_PARTS) if measure.parts else ()),
    )


def width(measures: dict[str, Measure]) -> int:
    return sum(len(columns(m)) for m in measures.values())


def class_sees(viewer: Viewer, community_id: int, marking: str) -> bool:
    """Whether the viewer's class sees a record of this community and marking: `VisibilityQuerySet.tlp_q` for
    a reader of the viewer's kind whose organization owns no record and is named on none, and who is named as
    no person (`sustainability/tests/test_needs_sums.py` holds the two to each other, marking by marking)."""
    if not viewer.is_authenticated:
        return marking == TLP.CLEAR
    if viewer.is_facilitator:
        return marking in (TLP.CLEAR, TLP.GREEN, TLP.AMBER)
    return (
        marking == TLP.CLEAR
        or (marking == TLP.GREEN and community_id in viewer.community_ids)
        or (marking == TLP.AMBER and community_id in viewer.cochair_community_ids)
    )


def _keys(queryset: VisibilityQuerySet, group_by: str | None, block_size: int, seen: bool) -> dict[str, Any]:
    options = queryset._options()
    owner = f"{options['owner']}_id"
    keys = {
        "cg_block": Cast(F(owner) / Value(block_size), IntegerField()),
        "cg_org": F(owner),
        "cg_community": F(f"{options['community']}_id"),
        "cg_marking": F(options["marking"]),
    }
    if group_by:
        keys["cg_group"] = F(group_by)
    if seen:
        keys["cg_seen"] = F("_seen")
    return keys


def group_rows(
    queryset: VisibilityQuerySet,
    measures: dict[str, Measure],
    group_by: str,
    *,
    block_size: int,
    viewer: Viewer | None = None,
) -> list[tuple]:
    """The sums by block, group, community and marking (and whether `viewer` sees them, with a viewer): rows of
    (block, group, community, marking, seen or None, [the measures' `columns`])."""
    if not _one_record_per_organization(queryset.model, queryset._options()["owner"], group_by):
        raise ValueError("additive sums need one record of an organization in each group")
    for measure in measures.values():
        if measure.kind in (MEAN, TOTAL) and not isinstance(measure.expression, str):
            raise ValueError("additive sums sum a field")
    rows = _with_seen(queryset, viewer) if viewer is not None else queryset.order_by()
    aggregates = {}
    for number, measure in enumerate(measures.values()):
        aggregates[f"cg_n{number}"] = Count(measure.expression, filter=measure.filter)
        if measure.kind in (MEAN, TOTAL):
            aggregates[f"cg_s{number}"] = Sum(measure.expression, filter=measure.filter)
    keys = _keys(queryset, group_by, block_size, viewer is not None)
    inner, params = rows.values(**keys).annotate(**aggregates).query.sql_with_params()
    index = {name: number for number, name in enumerate(measures)}
    selected = ["cg_block", "cg_group", "cg_community", "cg_marking", "cg_seen" if viewer else "NULL"]
    for number, measure in enumerate(measures.values()):
        n = f"cg_n{number}"
        selected += [f"COUNT(CASE WHEN {n} > 0 THEN 1 END)", f"SUM({n})"]
        if measure.kind in (MEAN, TOTAL):
            selected.append(f"SUM(cg_s{number})")
        if measure.parts:
            in_parts = " OR ".join(f"cg_n{index[part]} > 0" for part in measure.parts)
            selected += [
                f"COUNT(CASE WHEN {in_parts} THEN 1 END)",
                f"COUNT(CASE WHEN {n} > 0 OR {in_parts} THEN 1 END)",
            ]
    grouped = selected[:5] if viewer else selected[:4]
    sql = f"SELECT {', '.join(selected)} FROM ({inner}) cg_rows GROUP BY {', '.join(grouped)}"
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (
                row[0],
                row[1],
                row[2],
                row[3],
                None if row[4] is None else bool(row[4]),
                [int(_plain(v) or 0) for v in row[5:]],
            )
            for row in cursor.fetchall()
        ]


def signature_rows(
    queryset: VisibilityQuerySet, *, block_size: int, viewer: Viewer | None = None
) -> dict[int, Counter]:
    """The organizations of each block by their signature: the set of (community, marking) their records carry
    ((community, marking, seen) with a viewer), as {block: Counter({signature: organizations})}."""
    rows = _with_seen(queryset, viewer) if viewer is not None else queryset.order_by()
    keys = _keys(queryset, None, block_size, viewer is not None)
    by_organization: dict[tuple[int, int], set] = {}
    for row in rows.values(**keys).distinct().values_list(*keys):
        block, organization, community, marking = row[:4]
        pair = (community, marking, bool(row[4])) if viewer is not None else (community, marking)
        by_organization.setdefault((block, organization), set()).add(pair)
    signatures: dict[int, Counter] = {}
    for (block, _organization), pairs in by_organization.items():
        signatures.setdefault(block, Counter())[frozenset(pairs)] += 1
    return signatures


def group_figures(
    measures: dict[str, Measure], sums: dict[Any, dict[tuple, list[int]]]
) -> tuple[dict[Any, dict[str, Figure]], list]:
    """Each group's figures from its sums by (community, marking, seen), as `summaries` gives them; and the
    groups whose figures a total's parts decide (read again by organization, `_by_organization`)."""
    result, undecided = {}, []
    for group, by_key in sums.items():
        row = [group]
        position = 0
        for measure in measures.values():
            names = columns(measure)
            values = {
                name: [(key, vector[position + i]) for key, vector in by_key.items()]
                for i, name in enumerate(names)
            }
            position += len(names)
            row += _measure_row(measure, values)
        if not any(row[1:]):
            continue
        figures = _summed_figures(measures, row)
        if figures is None:
            undecided.append(group)
        else:
            result[group] = figures
    return result, undecided


def _measure_row(measure: Measure, values: dict[str, list]) -> list:
    """One measure's columns in `summaries`' layout, from its sums by (community, marking, seen)."""

    def total(name: str, seen: bool | None = None, beyond: bool = False) -> int:
        return sum(
            v
            for (_c, marking, s), v in values[name]
            if (seen is None or s == seen) and (not beyond or marking in BEYOND_GREEN)
        )

    def bits(seen: bool | None) -> int:
        found = 0
        for (_c, marking, s), v in values[ORGS]:
            if v and marking in BEYOND_GREEN and (seen is None or s == seen):
                found |= _BITS[marking]
        return found

    stats = {
        "seen_orgs": total(ORGS, True),
        "all_orgs": total(ORGS),
        "seen_n": total(N, True),
        "all_n": total(N),
        "hidden_orgs": total(ORGS, False),
        "beyond_seen": total(ORGS, True, beyond=True),
        "beyond_all": total(ORGS, beyond=True),
        "seen_markings": bits(True),
        "all_markings": bits(None),
    }
    if SUM in values:
        stats["seen_sum"], stats["all_sum"] = total(SUM, True), total(SUM)
    if IN_PARTS in values:
        stats["in_parts"], stats["with_parts"] = total(IN_PARTS, False), total(WITH_PARTS, False)
    return [stats[name] for name in _layout(measure)]


def organizations_figure(signatures: Counter) -> Figure:
    """`count_organizations()` over every group, from the organizations by (community, marking, seen) set."""
    stats = Counter()
    seen_markings = all_markings = 0
    for signature, organizations in signatures.items():
        if not organizations:
            continue
        seen = [marking for _c, marking, s in signature if s]
        every = [marking for _c, marking, _s in signature]
        stats["seen_orgs"] += organizations if seen else 0
        stats["all_orgs"] += organizations
        stats["hidden_orgs"] += organizations if len(seen) < len(signature) else 0
        stats["beyond_seen"] += organizations if any(m in BEYOND_GREEN for m in seen) else 0
        stats["beyond_all"] += organizations if any(m in BEYOND_GREEN for m in every) else 0
        seen_markings |= sum({_BITS[m] for m in seen if m in BEYOND_GREEN})
        all_markings |= sum({_BITS[m] for m in every if m in BEYOND_GREEN})
    stats["seen_markings"], stats["all_markings"] = seen_markings, all_markings
    measure = Measure(ORGANIZATIONS)
    row = [None, *(stats[name] for name in _layout(measure))]
    if not any(row[1:]):
        return Figure(0)
    return _summed_figures({"all": measure}, row)["all"]


def as_seen(viewer: Viewer, pairs: Iterable) -> frozenset:
    """A class signature (community, marking) as the viewer's class sees it: (community, marking, seen)."""
    return frozenset((c, m, class_sees(viewer, c, m)) for c, m in pairs)
