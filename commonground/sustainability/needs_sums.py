"""The needs profile's figures from sums kept in step with the writes: a write at one organization is paid by
summing its block of organizations again, not every answer of the assessment (a state's holds a million).

The answers are summed by blocks of `BLOCK` organizations (by id), by item, community and marking, as every
reader sees them (`core.aggregates.additive`); the blocks' sums are kept in the database (`NeedsSums`), each
under its block's token (`NeedsSumsStamp`), and so is their total, with the token each block was summed
under. A write that the log records draws new tokens for the blocks of the organizations it names, at the
communities it names, once it commits (`written`, as `communities.snapshots` does for the progress token);
a write that names no organization, every block of its communities; `touched_everything`, every block. The
first reader after a write sums again the blocks whose tokens changed and adds the difference to the total.

A reader's figures are then the total as the reader's class sees it (`additive.class_sees`), with the blocks
of the reader's own organization and of those whose answers name it summed again as the reader sees them
(one statement for a block's items and organizations), in place of their class sums: that correction is kept
in the cache under the reader's facts and those blocks' tokens and sums (`_correction`), so a write elsewhere
costs the reader none of its blocks. Every figure then
follows `core.aggregates`' rule exactly as `disclosed_figures` would give it: the same sums, and a figure a
total's parts decide read again by organization. `tests/test_needs_sums.py` holds the two to each other
after random writes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q

from commonground.communities.models import ProgressStamp
from commonground.core.aggregates import (
    KEPT,
    Figure,
    Measure,
    _by_organization,
    count_organizations,
    disclosed_figures,
)
from commonground.core.aggregates import additive as sums
from commonground.core.aggregates.by_organization import _figures
from commonground.core.audit import Written
from commonground.core.kept import Kept
from commonground.core.visibility import Viewer, reader_key
from commonground.registry.models import Organization

from .models import NeedsAssessment, NeedsSums, NeedsSumsStamp

BLOCK = 64
TOTAL = -1
# Raised whenever what the kept sums hold changes shape (or the measures they sum change).
VERSION = 1
# How long a reader's correction is kept in the cache with no write at its blocks (`_correction`).
KEPT_FOR = 60 * 60

# Which audit entries keep the sums fresh (the guard test holds every table the sums read to a rule):
# BLOCKS - the blocks of the organizations the entries name, at the communities they name;
# EVERYWHERE - the blocks of the organizations they name, at every community (a sector read at every table);
# COMMUNITY - every block of the communities they name.
BLOCKS, EVERYWHERE, COMMUNITY = "blocks", "everywhere", "community"
SOURCES = {
    "sustainability.needsanswer": BLOCKS,
    "communities.membership": BLOCKS,
    "registry.organization": EVERYWHERE,
    # its entries name no organization: deleting an item deletes every organization's answers to it
    "sustainability.needsitem": COMMUNITY,
}


def block_of(organization_id: int) -> int:
    return organization_id // BLOCK


def written(entry: Written) -> None:
    """Draw new tokens for the blocks a write the log records changed, once it commits (`core.audit`)."""
    from commonground.communities import snapshots

    rule = SOURCES.get(entry.model._meta.label_lower) if entry.model is not None else None
    if entry.everything:
        snapshots.after_commit(partial(bump, None, None))
    elif rule is not None:
        blocks = {block_of(pk) for pk in entry.organization_ids} or None
        communities = entry.community_ids or None
        if rule == COMMUNITY or blocks is None:
            snapshots.after_commit(partial(bump, communities, None))
        else:
            snapshots.after_commit(partial(bump, None if rule == EVERYWHERE else communities, blocks))


def bump(community_ids: Iterable[int] | None, blocks: Iterable[int] | None) -> None:
    """Draw a new token for these blocks at these communities (None: every one)."""
    stamps = NeedsSumsStamp.objects.all()
    if community_ids is not None:
        stamps = stamps.filter(community_id__in=sorted(community_ids))
    if blocks is not None:
        stamps = stamps.filter(block__in=sorted(blocks))
    stamps.update(token=uuid.uuid4().hex)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _state(assessment: NeedsAssessment, again: bool) -> tuple[dict[int, str], NeedsSums | None]:
    """Every block's token at the assessment's community, from block 0 to the newest organization's (drawn
    where missing), and the kept total (None with `again`): one statement, with the newest organization."""
    total, stamp, organization = (m._meta.db_table for m in (NeedsSums, NeedsSumsStamp, Organization))
    sql = (
        f"SELECT -1, CAST(NULL AS varchar(32)), CAST(NULL AS integer), blocks, sums FROM {total} "
        f"WHERE assessment_id = %s AND block = %s AND name = 'total' AND %s "
        f"UNION ALL SELECT -2, NULL, MAX(id), NULL, NULL FROM {organization} "
        f"UNION ALL SELECT block, token, NULL, NULL, NULL FROM {stamp} WHERE community_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment.pk, TOTAL, not again, assessment.community_id])
        rows = cursor.fetchall()
    stamps = {block: token for block, token, _n, _b, _s in rows if block >= 0}
    kept = next(
        (NeedsSums(blocks=_json(b), sums=_json(s)) for block, _t, _n, b, s in rows if block == TOTAL), None
    )
    newest = next(n for block, _t, n, _b, _s in rows if block == -2) or 0
    missing = [b for b in range(block_of(newest) + 1) if b not in stamps]
    if missing:
        community = assessment.community_id
        made = [NeedsSumsStamp(community_id=community, block=b, token=uuid.uuid4().hex) for b in missing]
        NeedsSumsStamp.objects.bulk_create(made, ignore_conflicts=True)
        stamps = dict(NeedsSumsStamp.objects.filter(community_id=community).values_list("block", "token"))
    return stamps, kept


def _ranges(blocks: Iterable[int]) -> list[tuple[int, int]]:
    """The organizations of these blocks: a range of ids [first, after last) for each run of blocks."""
    ranges: list[tuple[int, int]] = []
    for block in sorted(set(blocks)):
        if ranges and ranges[-1][1] == block * BLOCK:
            ranges[-1] = (ranges[-1][0], (block + 1) * BLOCK)
        else:
            ranges.append((block * BLOCK, (block + 1) * BLOCK))
    return ranges


Items = dict[tuple, list[int]]


def _summed(answers: Callable, measures: dict[str, Measure], blocks, key, viewer: Viewer | None = None):
    """{block: (item sums, organizations by signature)}: of these blocks (None: all), as the class sees them, or
    as the viewer does (keys then with whether the viewer sees them)."""
    ranges = None if blocks is None else _ranges(blocks)
    if ranges == []:
        return {}
    found: dict[int, tuple[Items, Counter]] = {}
    rows, signatures = sums.block_sums(
        answers, measures, "item_id", block_size=BLOCK, ranges=ranges, viewer=viewer, key=key
    )
    for block, item, community, marking, seen, vector in rows:
        row_key = (item, community, marking) if viewer is None else (item, community, marking, seen)
        found.setdefault(block, ({}, Counter()))[0][row_key] = vector
    for block, counted in signatures.items():
        found.setdefault(block, ({}, Counter()))[1].update(counted)
    return found


def _add(total: tuple[Items, Counter], part: tuple[Items, Counter], sign: int = 1) -> None:
    items, organizations = total
    for key, vector in part[0].items():
        kept = items.setdefault(key, [0] * len(vector))
        for i, value in enumerate(vector):
            kept[i] += sign * value
        if not any(kept):
            del items[key]
    for signature, count in part[1].items():
        organizations[signature] += sign * count
        if not organizations[signature]:
            del organizations[signature]


def _encode(part: tuple[Items, Counter]) -> dict:
    return {
        "items": [[*key, vector] for key, vector in part[0].items()],
        "organizations": [[sorted(signature), count] for signature, count in part[1].items()],
    }


def _decode(data: dict) -> tuple[Items, Counter]:
    items = {(row[0], row[1], row[2]): row[3] for row in data.get("items", ())}
    organizations = Counter(
        {frozenset(tuple(p) for p in pairs): n for pairs, n in data.get("organizations", ())}
    )
    return items, organizations


@dataclass
class ClassSums:
    """The assessment's answers summed as every reader's class sees them; each block's [token, name] they were
    summed under; and the sums of the blocks summed in this reading."""

    total: tuple[Items, Counter]
    blocks: dict[str, list[str]]
    summed: dict[int, tuple[Items, Counter]]

    def of_blocks(self, assessment: NeedsAssessment, wanted: set[int]) -> list[tuple[Items, Counter]] | None:
        """The sums of these blocks in the total (None where one is missing: another reader dropped it)."""
        found = [self.summed[b] for b in wanted if b in self.summed]
        names = {
            self.blocks[str(b)][1]
            for b in wanted
            if b not in self.summed and self.blocks.get(str(b), ["", ""])[1]
        }
        if not names:
            return found
        rows = NeedsSums.objects.filter(assessment=assessment, block__in=wanted, name__in=names)
        kept = list(rows.values_list("sums", flat=True))
        return None if len(kept) < len(names) else found + [_decode(sums) for sums in kept]


def class_sums(
    assessment: NeedsAssessment,
    answers: Callable,
    measures: dict[str, Measure],
    key: Any,
    *,
    again: bool = False,
) -> ClassSums:
    """The answers summed as the classes see them: kept, with the blocks whose tokens changed summed again
    (every block, `again`, or where the kept sums of a changed block are gone)."""
    version = f"{VERSION}:{BLOCK}:{','.join(measures)}"
    stamps, kept = _state(assessment, again)
    recorded = kept.blocks.get("blocks", {}) if kept and kept.blocks.get("version") == version else None
    if recorded is not None:
        changed = {b for b, token in stamps.items() if recorded.get(str(b), [None])[0] != token}
        changed |= {int(b) for b in recorded if int(b) not in stamps}
        if not changed:
            return ClassSums(_decode(kept.sums), recorded, {})
        old = ClassSums(_decode(kept.sums), recorded, {}).of_blocks(assessment, changed)
        if old is not None and len(changed) <= len(stamps) // 2:
            total = _decode(kept.sums)
            # a block no longer stamped is taken away (its sums are not kept again)
            fresh = _summed(answers, measures, changed & set(stamps), key)
            for part in old:
                _add(total, part, -1)
            for part in fresh.values():
                _add(total, part)
            blocks = _keep(assessment, version, stamps, recorded, changed, fresh, total)
            return ClassSums(total, blocks, {b: fresh.get(b, ({}, Counter())) for b in changed})
    # an organization added since the stamps were read is left for the next reading (its block unstamped)
    fresh = {b: part for b, part in _summed(answers, measures, None, key).items() if b in stamps}
    total = ({}, Counter())
    for part in fresh.values():
        _add(total, part)
    blocks = _keep(assessment, version, stamps, {}, set(stamps), fresh, total)
    return ClassSums(total, blocks, {b: fresh.get(b, ({}, Counter())) for b in stamps})


def _keep(assessment, version, stamps, recorded, changed, fresh, total) -> dict[str, list[str]]:
    """Keep the blocks summed again and the new total; drop the sums of those blocks under older tokens."""
    blocks = {b: v for b, v in recorded.items() if int(b) in stamps and int(b) not in changed}
    rows = []
    for b in changed:
        if b not in stamps:
            continue
        name = uuid.uuid4().hex if b in fresh else ""
        blocks[str(b)] = [stamps[b], name]
        if name:
            rows.append(
                NeedsSums(assessment=assessment, block=b, token=stamps[b], name=name, sums=_encode(fresh[b]))
            )
    try:
        alone = connection.vendor == "postgresql" and not connection.in_atomic_block
        with transaction.atomic():
            if alone:
                # Kept sums are summed again when lost: a crash may lose this commit (of theirs alone, not a
                # writer's), so it does not wait for the disk; the rows before it stay whole.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            # the blocks' sums and the total in one statement, the total's row made or replaced
            values = {"blocks": {"version": version, "blocks": blocks}, "sums": _encode(total)}
            rows.append(NeedsSums(assessment=assessment, block=TOTAL, name="total", **values))
            NeedsSums.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["assessment", "block", "name"],
                update_fields=["blocks", "sums"],
            )
            older = Q(pk__in=[])
            for b in changed:
                older |= Q(block=b) & ~Q(token=stamps.get(b, ""))
            NeedsSums.objects.filter(older, assessment=assessment).delete()
    except IntegrityError:  # another reader kept the same sums meanwhile
        pass
    return blocks


def kept_figures(
    viewer: Viewer, assessment: NeedsAssessment, answers: Callable, measures: dict[str, Measure], key: Any
) -> tuple[dict[Any, dict[str, Figure]], Figure]:
    """Each item's figures for the viewer, and the answering organizations (`count_organizations()` over
    every item), as `disclosed_figures` gives them, from the kept sums.

    At a community no write has stamped yet (`communities.snapshots`: its writes' callbacks have not run) they
    are summed from every answer: no write would draw its blocks' tokens either."""
    if not ProgressStamp.objects.filter(community_id=assessment.community_id).exists():
        figures = disclosed_figures(answers, viewer, measures, group_by="item_id", key=key)
        every = disclosed_figures(answers, viewer, {"all": count_organizations()}, key=key)
        return figures, every[None]["all"]
    kept = class_sums(assessment, answers, measures, key)
    by_item: dict[Any, dict[tuple, list[int]]] = {}
    organizations: Counter = Counter()
    if viewer.organization_id:
        special = {block_of(viewer.organization_id), *(block_of(pk) for pk in _naming(answers, viewer, key))}
        correction = _correction(viewer, assessment, answers, measures, key, kept, special)
        if correction is None:  # summed by another reader and dropped since: sum every block again
            kept = class_sums(assessment, answers, measures, key, again=True)
            correction = _correction(viewer, assessment, answers, measures, key, kept, special)
        for item, cells in correction[0].items():
            for cell, vector in cells.items():
                _add_to(by_item, item, cell, vector, 1)
        organizations.update(correction[1])
    _add_seen(viewer, by_item, organizations, kept.total, 1)
    decided, undecided = sums.group_figures(measures, by_item)
    empty = _figures(measures, {})
    figures: dict[Any, dict[str, Figure]] = defaultdict(lambda: dict(empty), decided)
    if undecided:
        figures.update(
            _by_organization(answers, viewer, measures, group_by="item_id", groups=undecided, key=key)
        )
    return figures, sums.organizations_figure(organizations)


def _add_seen(viewer: Viewer, by_item: dict, organizations: Counter, part: tuple[Items, Counter], sign: int):
    """Add (or take away) class sums, each key as the viewer's class sees it."""
    items, signatures = part
    for (item, community, marking), vector in items.items():
        _add_to(
            by_item, item, (community, marking, sums.class_sees(viewer, community, marking)), vector, sign
        )
    for signature, count in signatures.items():
        organizations[sums.as_seen(viewer, signature)] += sign * count


def _correction(viewer: Viewer, assessment, answers, measures, key, kept: ClassSums, special: set[int]):
    """What the viewer sees of these blocks beyond what its class does: their sums as the viewer sees them, less
    their class sums in the total (None where those are gone). Kept in the cache under the reader's facts and
    each block's token and the name of its sums in the total: a write at one of them draws its token anew, and
    a block summed again is summed under a new name, so a correction is read again only after a write at the
    reader's own blocks (a change of the reader's facts, co-chairing or seats, is another key)."""
    under = [(b, *kept.blocks.get(str(b), ["", ""])) for b in sorted(special)]
    version = f"{VERSION}:{BLOCK}:{','.join(measures)}:{key!r}:{assessment.pk}:{reader_key(viewer)}:{under}"
    cache_key = f"needs-sums:{hashlib.sha256(version.encode()).hexdigest()}"
    found = None if key is None else cache.get(cache_key)
    if found is not None:
        return found
    old = kept.of_blocks(assessment, special)
    if old is None:
        return None
    items: dict = {}
    organizations: Counter = Counter()
    for part in old:
        _add_seen(viewer, items, organizations, part, -1)
    for part_items, signatures in _summed(answers, measures, special, key, viewer).values():
        for (item, community, marking, seen), vector in part_items.items():
            _add_to(items, item, (community, marking, seen), vector, 1)
        organizations.update(signatures)
    if key is not None and all(token for _b, token, _name in under):  # an unstamped block draws no token
        cache.set(cache_key, (items, organizations), KEPT_FOR)
    return items, organizations


# The statements that find the organizations whose answers name a reader's, by the caller's key and the reader's.
_naming_statements: Kept[tuple[str, tuple, str]] = Kept(KEPT)


def _naming(answers: Callable, viewer: Viewer, key: Any) -> list[int]:
    """The organizations whose answers name the viewer's organization."""

    def build() -> tuple[str, tuple, str]:
        named = answers().filter(recipient_organizations=viewer.organization_id).order_by()
        query = named.values_list("organization_id", flat=True).distinct().query
        sql, params = query.sql_with_params()
        return sql, tuple(params), named.db

    sql, params, using = (
        build() if key is None else _naming_statements.get_or_build((key, viewer.organization_id), build)
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _add_to(by_item: dict, item: Any, key: tuple, vector: list[int], sign: int) -> None:
    cell = by_item.setdefault(item, {}).setdefault(key, [0] * len(vector))
    for i, value in enumerate(vector):
        cell[i] += sign * value
