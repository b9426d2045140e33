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
Both are read in one statement (`block_sums`), each group's records summed in one step.
A reader's own organization and those that name it see it other than its class does: the caller reads their
blocks again for that reader (`seen=True/False` in the rows), in place of the blocks' class sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.db import connections
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast

from ..kept import Kept
from ..tlp import TLP
from ..visibility import Viewer, VisibilityQuerySet, viewer_facts
from .measures import (
    BEYOND_GREEN,
    KEPT,
    MEAN,
    ORGANIZATIONS,
    TOTAL,
    Figure,
    Measure,
    _built,
    _plain,
    _Statement,
    _with_seen,
)  # fmt: skip
from .sums import _BITS, _layout, _one_record_per_organization, _stats_figures, _summed_figures

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


# Statements compiled in this process, by the caller's key, what they read and the reader's facts (`core.kept`):
# an assessment's class statements, and a few for each reader.
_kept: Kept[_Statement] = Kept(KEPT)
# The bounds of the ranges of owners a statement reads, compiled as these placeholders and put in on each run.
_BOUND = -(2**40)


def _compiled(kind: str, key: Hashable | None, viewer: Viewer | None, shape: tuple, build) -> _Statement:
    if key is None:
        return build()
    facts = None if viewer is None else viewer_facts(viewer)
    return _kept.get_or_build(("additive", kind, key, shape, facts), build)


def _chosen(queryset, viewer: Viewer | None, ranges: int) -> VisibilityQuerySet:
    """The records, annotated with whether the viewer sees them (with one), in `ranges` ranges of owners."""
    chosen = _built(queryset)
    owner = f"{chosen._options()['owner']}_id"
    if ranges:
        condition = Q()
        for number in range(ranges):
            condition |= Q(**{f"{owner}__gte": _BOUND - 2 * number, f"{owner}__lt": _BOUND - 2 * number - 1})
        chosen = chosen.filter(condition)
    return _with_seen(chosen, viewer) if viewer is not None else chosen.order_by()


def _with_bounds(sql: str, params, using: str, ranges: int) -> _Statement:
    """The statement, with the positions of its bounds' placeholders in its parameters: each bound's every
    position (a statement of two parts holds each twice), bound by bound."""
    params = tuple(params)
    slots = tuple(i for n in range(2 * ranges) for i, value in enumerate(params) if value == _BOUND - n)
    return _Statement(sql, params, using, slots)


def _run(statement: _Statement, ranges: list[tuple[int, int]] | None) -> list[tuple]:
    params = list(statement.params)
    bounds = [bound for pair in ranges or () for bound in pair]
    each = len(statement.names) // len(bounds) if bounds else 0
    for number, slot in enumerate(statement.names):
        params[slot] = bounds[number // each]
    with connections[statement.using].cursor() as cursor:
        cursor.execute(statement.sql, params)
        return cursor.fetchall()


def _counted(measure: Measure) -> Q:
    """The records a measure counts: those that pass its filter, where its field is set."""
    if not isinstance(measure.expression, str):
        raise ValueError("additive sums count a total's parts by a field")
    return (measure.filter or Q()) & Q(**{f"{measure.expression}__isnull": False})


def _aggregates(measures: dict[str, Measure]) -> tuple[dict[str, Any], list[str]]:
    """The aggregates of a group's records, and the names of the measures' `columns` among them, in order.

    Each organization holds one record of a group (`_one_record_per_organization`), so a group's records are
    summed in one step: the organizations a measure counts are the records it counts, and those in a part (or
    in the total or a part) are the records that any part (or the total or a part) counts."""
    aggregates: dict[str, Any] = {}
    names: list[str] = []
    for number, measure in enumerate(measures.values()):
        n = f"cg_n{number}"
        aggregates[n] = Count(measure.expression, filter=measure.filter)
        names += [n, n]
        if measure.kind in (MEAN, TOTAL):
            aggregates[f"cg_s{number}"] = Sum(measure.expression, filter=measure.filter)
            names.append(f"cg_s{number}")
        if measure.parts:
            in_parts = Q()
            for part in measure.parts:
                in_parts |= _counted(measures[part])
            aggregates[f"cg_p{number}"] = Count("pk", filter=in_parts)
            aggregates[f"cg_w{number}"] = Count("pk", filter=_counted(measure) | in_parts)
            names += [f"cg_p{number}", f"cg_w{number}"]
    return aggregates, names


def block_sums(
    queryset: VisibilityQuerySet | Callable[[], VisibilityQuerySet],
    measures: dict[str, Measure],
    group_by: str,
    *,
    block_size: int,
    ranges: list[tuple[int, int]] | None = None,
    viewer: Viewer | None = None,
    key: Hashable | None = None,
) -> tuple[list[tuple], dict[int, Counter]]:
    """The sums by block, group, community and marking (and whether `viewer` sees them, with a viewer): rows of
    (block, group, community, marking, seen or None, [the measures' `columns`]); and the organizations of each
    block by their signature: the set of (community, marking) their records carry ((community, marking, seen)
    with a viewer), as {block: Counter({signature: organizations})}. Of the owners in `ranges` ([first, after
    last) pairs; None: every owner), in one statement. With a `key` naming everything `queryset` is built
    from, the statement is compiled once in the process (`disclosed_figures`' rule for keys)."""
    count = len(ranges or ())

    def build() -> _Statement:
        chosen = _built(queryset)
        if not _one_record_per_organization(chosen.model, chosen._options()["owner"], group_by):
            raise ValueError("additive sums need one record of an organization in each group")
        for measure in measures.values():
            if measure.kind in (MEAN, TOTAL) and not isinstance(measure.expression, str):
                raise ValueError("additive sums sum a field")
        aggregates, vector = _aggregates(measures)
        rows = _chosen(chosen, viewer, count)
        keys = _keys(chosen, group_by, block_size, viewer is not None)
        del keys["cg_org"]
        groups, groups_params = rows.values(**keys).annotate(**aggregates).query.sql_with_params()
        keys = _keys(chosen, None, block_size, viewer is not None)
        signatures, signatures_params = rows.values(**keys).distinct().query.sql_with_params()
        seen = "cg_seen" if viewer else "NULL"
        sql = (
            f"SELECT 0, cg_block, cg_group, cg_community, cg_marking, {seen}, {', '.join(vector)} "
            f"FROM ({groups}) cg_groups UNION ALL "
            f"SELECT 1, cg_block, cg_org, cg_community, cg_marking, {seen}, {', '.join('NULL' for _ in vector)} "
            f"FROM ({signatures}) cg_signatures"
        )
        return _with_bounds(sql, (*groups_params, *signatures_params), chosen.db, count)

    shape = ("blocks", tuple(measures), group_by, block_size, count)
    statement = _compiled("blocks", key, viewer, shape, build)
    groups: list[tuple] = []
    by_organization: dict[tuple[int, int], set] = {}
    for row in _run(statement, ranges):
        seen = None if row[5] is None else bool(row[5])
        if row[0] == 0:
            groups.append((row[1], row[2], row[3], row[4], seen, [int(_plain(v) or 0) for v in row[6:]]))
        else:
            pair = (row[3], row[4]) if seen is None else (row[3], row[4], seen)
            by_organization.setdefault((row[1], row[2]), set()).add(pair)
    signatures: dict[int, Counter] = {}
    for (block, _organization), pairs in by_organization.items():
        signatures.setdefault(block, Counter())[frozenset(pairs)] += 1
    return groups, signatures


def group_figures(
    measures: dict[str, Measure], sums: dict[Any, dict[tuple, list[int]]]
) -> tuple[dict[Any, dict[str, Figure]], list]:
    """Each group's figures from its sums by (community, marking, seen), as `summaries` gives them; and the
    groups whose figures a total's parts decide (read again by organization, `_by_organization`)."""
    offsets, places, position = [], [], 0
    for measure in measures.values():
        offsets.append(position)
        places.append({column: position + i for i, column in enumerate(columns(measure))})
        position += len(columns(measure))
    result, undecided = {}, []
    for group, by_key in sums.items():
        seen, unseen = [0] * position, [0] * position
        beyond_seen, beyond_unseen = [0] * position, [0] * position
        bits_seen, bits_all = [0] * len(offsets), [0] * len(offsets)
        for (_community, marking, is_seen), vector in by_key.items():
            beyond = marking in BEYOND_GREEN
            for into in (
                seen if is_seen else unseen,
                *((beyond_seen if is_seen else beyond_unseen,) if beyond else ()),
            ):
                for i, value in enumerate(vector):
                    into[i] += value
            if beyond:
                bit = _BITS[marking]
                for number, offset in enumerate(offsets):
                    if vector[offset]:
                        bits_all[number] |= bit
                        if is_seen:
                            bits_seen[number] |= bit
        by_measure = {}
        for number, (name, at) in enumerate(zip(measures, places, strict=True)):
            stats = {
                "seen_orgs": seen[at[ORGS]],
                "all_orgs": seen[at[ORGS]] + unseen[at[ORGS]],
                "seen_n": seen[at[N]],
                "all_n": seen[at[N]] + unseen[at[N]],
                "hidden_orgs": unseen[at[ORGS]],
                "beyond_seen": beyond_seen[at[ORGS]],
                "beyond_all": beyond_seen[at[ORGS]] + beyond_unseen[at[ORGS]],
                "seen_markings": bits_seen[number],
                "all_markings": bits_all[number],
            }
            if SUM in at:
                stats["seen_sum"], stats["all_sum"] = seen[at[SUM]], seen[at[SUM]] + unseen[at[SUM]]
            if IN_PARTS in at:
                stats["in_parts"], stats["with_parts"] = unseen[at[IN_PARTS]], unseen[at[WITH_PARTS]]
            by_measure[name] = stats
        if not any(value for stats in by_measure.values() for value in stats.values()):
            continue
        figures = _stats_figures(measures, by_measure)
        if figures is None:
            undecided.append(group)
        else:
            result[group] = figures
    return result, undecided


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
