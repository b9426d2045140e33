"""The needs profile's figures from the stored totals (`totals`), by the rule of `core.aggregates`.

`core.aggregates.summaries` sums the answers by item, each measure's records and organizations counted
seen and not seen by the reader, and `_summed_figures` decides each figure from those sums. The same sums
come from the totals without reading the answers: an organization answers an item once, so its
organizations are its answers, and the totals are kept by marking and sector (`NeedsTotal`).

Whether the reader sees an answer depends on its marking and community (the same for every answer of
the assessment) and on whether the answer is the reader's organization's or names it. So the totals are
split seen and not seen as a reader whose organization no answer names sees them (the TLP rule evaluated on
each totals row, `NeedsAnswer.objects.tlp_q`), and the few answers of the reader's organization, and of the
organizations whose answers name it, are read one by one and moved to where the reader's rule puts them.
Items whose figures one or two organizations decide (a marking passed on, a sector part withheld) are read
from their answers as before (`disclosed_figures`), as is an assessment whose totals are not kept.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from typing import Any

from django.db.models import BooleanField, Case, Subquery, Value, When

from commonground.core.aggregates import (
    BEYOND_GREEN,
    MEAN,
    TOTAL,
    Figure,
    Measure,
    _figures,
    _summed_figures,
    count_organizations,
    disclosed_figures,
)
from commonground.core.visibility import Viewer
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .choices import Poete
from .models import NeedsAnswer, NeedsAssessment, NeedsTally, NeedsTotal
from .totals import markings_of

# The stats `_summed_figures` reads for each measure, in its order (after the group).
SEEN_N, ALL_N, SEEN_SUM, ALL_SUM, BEYOND_SEEN, BEYOND_ALL, IN_PARTS, WITH_PARTS = range(8)


def _counts(sector: str, poete: str, n: int, with_need: int) -> dict[str, int]:
    """How many of a cell's answers (one organization each) each of `needs_measures` counts."""
    public, private = sector == Sector.PUBLIC, sector in PRIVATE_SIDE
    return {
        "organizations": n, "with_need": with_need, "importance": n, "level": n,
        "public_level": n if public else 0, "private_level": n if private else 0,
        **{f"poete_{code}": n if poete == code else 0 for code in Poete.values},
    }  # fmt: skip


def _sums(sector: str, importance: int, level: int) -> dict[str, int]:
    public, private = sector == Sector.PUBLIC, sector in PRIVATE_SIDE
    return {
        "importance": importance, "level": level,
        "public_level": level if public else 0, "private_level": level if private else 0,
    }  # fmt: skip


class _Stats:
    """One group's sums, as `summaries` computes them, added to a cell at a time."""

    def __init__(self, measures: dict[str, Measure]):
        self.measures = measures
        self.values = {name: [0] * 8 for name in measures}

    def add(self, counts: dict, sums: dict, *, seen: bool, beyond: bool, weight: int = 1) -> None:
        for name, measure in self.measures.items():
            stats, n = self.values[name], counts[name] * weight
            stats[ALL_N] += n
            stats[SEEN_N] += n if seen else 0
            stats[BEYOND_ALL] += n if beyond else 0
            stats[BEYOND_SEEN] += n if beyond and seen else 0
            if measure.kind in (MEAN, TOTAL):
                total = sums.get(name, 0) * weight
                stats[ALL_SUM] += total
                stats[SEEN_SUM] += total if seen else 0
            if measure.parts and not seen:
                in_parts = any(counts[part] for part in measure.parts)
                stats[IN_PARTS] += weight * counts["organizations"] if in_parts else 0
                if in_parts or counts[name]:
                    stats[WITH_PARTS] += weight * counts["organizations"]

    def row(self) -> list:
        row = []
        for name, measure in self.measures.items():
            stats = self.values[name]
            row += [stats[SEEN_N], stats[ALL_N]]
            if measure.kind in (MEAN, TOTAL):
                row += [stats[SEEN_SUM], stats[ALL_SUM]]
            hidden = stats[ALL_N] - stats[SEEN_N]
            row += [stats[SEEN_N], hidden, stats[ALL_N], stats[BEYOND_SEEN], stats[BEYOND_ALL]]
            if measure.parts:
                row += [stats[IN_PARTS], stats[WITH_PARTS]]
        return row


def _kept(assessment: NeedsAssessment) -> bool:
    """Whether the assessment's totals are kept (a page selects its tally with it: no query)."""
    try:
        return assessment.tally is not None
    except NeedsTally.DoesNotExist:
        return False


def stored_figures(
    answers, viewer: Viewer, assessment: NeedsAssessment, measures: dict[str, Measure]
) -> tuple[dict[Any, dict[str, Figure]], Figure] | None:
    """Return each item's figures and the answering organizations' figure from the totals, as
    `disclosed_figures` computes them over `answers` (the profile's); None where the totals are not kept."""
    if not _kept(assessment) or set(measures) != set(_counts("", "", 0, 0)):
        return None
    # A reader no answer names: the rule then depends only on an answer's marking and community.
    unnamed = dataclasses.replace(viewer, organization_id=None, person_id=None)
    rows = list(
        NeedsTotal.objects.filter(item__assessment=assessment)
        .annotate(draft=Value(False, output_field=BooleanField()))
        .annotate(
            seen=Case(When(NeedsAnswer.objects.tlp_q(unnamed), then=Value(True)), default=Value(False))
        )
        .annotate(answering=Subquery(NeedsTally.objects.filter(assessment=assessment).values("answering")))
        .values_list("item_id", "sector", "tlp", "poete", "answers", "with_need", "importance_sum",
                     "level_sum", "seen", "answering")
    )  # fmt: skip
    if not rows:  # no answer counted yet
        return None
    # The tally's count of answering organizations comes with each row (the assessment's cached one may be old).
    answering_by_markings = rows[0][9]
    if isinstance(answering_by_markings, str):
        answering_by_markings = json.loads(answering_by_markings)
    seen_marking = {row[2]: bool(row[8]) for row in rows}
    named = _named(answers, viewer)
    if any(answer[3] not in seen_marking for answer in named):
        return None
    stats: dict[int, _Stats] = defaultdict(lambda: _Stats(measures))
    for item, sector, tlp, poete, n, with_need, importance, level, seen, _by_markings in rows:
        counts, sums = _counts(sector, poete, n, with_need), _sums(sector, importance, level)
        stats[item].add(counts, sums, seen=bool(seen), beyond=tlp in BEYOND_GREEN)
    for item, _organization, sector, tlp, poete, level, importance, seen in named:
        counts, sums = _counts(sector, poete, 1, int(level < importance)), _sums(sector, importance, level)
        beyond = tlp in BEYOND_GREEN
        stats[item].add(counts, sums, seen=seen_marking[tlp], beyond=beyond, weight=-1)
        stats[item].add(counts, sums, seen=bool(seen), beyond=beyond)
    empty = _figures(measures, {})
    result: dict[Any, dict[str, Figure]] = defaultdict(lambda: dict(empty))
    undecided = []
    for item, group in stats.items():
        row = group.row()
        if not any(row):
            continue
        figures = _summed_figures(measures, row)
        if figures is None:
            undecided.append(item)
        else:
            result[item] = figures
    if undecided:
        result.update(
            disclosed_figures(answers.filter(item_id__in=undecided), viewer, measures, group_by="item_id")
        )
    answering = _answering(answers, viewer, answering_by_markings, seen_marking, named)
    return result, answering


def _named(answers, viewer: Viewer) -> list[tuple]:
    """The answers of the reader's organization and of the organizations whose answers name it (all of those
    organizations' answers: the count of answering organizations reads them whole), with whether the reader
    sees each."""
    if not viewer.organization_id:
        return []
    # Read by index: the recipients' table by organization (answers of any assessment naming the reader's: their
    # organizations are read whole, which is exact for any of them), then the answers by organization.
    recipients = NeedsAnswer.recipient_organizations.through.objects.filter(
        organization_id=viewer.organization_id
    )
    naming = recipients.values_list("needsanswer__organization_id", flat=True).distinct()
    chosen = answers.filter(organization_id__in=sorted({viewer.organization_id, *naming}))
    return list(
        chosen.order_by()
        .annotate(seen=Case(When(answers.tlp_q(viewer), then=Value(True)), default=Value(False)))
        .values_list("item_id", "organization_id", "organization__sector", "tlp", "poete", "level",
                     "importance", "seen")
    )  # fmt: skip


def _answering(answers, viewer: Viewer, by_markings: dict, seen_marking: dict, named: list) -> Figure:
    """The count of answering organizations, from the tally's organizations by their answers' markings."""
    measures = {"answering": count_organizations()}
    stats = _Stats(measures)

    def add(seen: list[bool], beyond: list[bool], weight: int) -> None:
        # An organization is counted seen (an answer seen), hidden (an answer not seen), or both.
        values = stats.values["answering"]
        values[ALL_N] += weight
        values[SEEN_N] += weight if any(seen) else 0
        values[BEYOND_ALL] += weight if any(beyond) else 0
        values[BEYOND_SEEN] += weight if any(s and b for s, b in zip(seen, beyond, strict=True)) else 0
        values[IN_PARTS] += weight if not all(seen) else 0  # here: the organizations with an answer not seen

    for key, organizations in by_markings.items():
        markings = markings_of(key)
        if any(m not in seen_marking for m in markings):
            return disclosed_figures(answers, viewer, measures)[None]["answering"]
        add([seen_marking[m] for m in markings], [m in BEYOND_GREEN for m in markings], organizations)
    by_organization: dict[int, list] = defaultdict(list)
    for _item, organization, _sector, tlp, _poete, _level, _importance, seen in named:
        by_organization[organization].append((tlp, bool(seen)))
    for answered in by_organization.values():
        markings = sorted({tlp for tlp, _seen in answered})
        add([seen_marking[m] for m in markings], [m in BEYOND_GREEN for m in markings], -1)
        add([seen for _tlp, seen in answered], [tlp in BEYOND_GREEN for tlp, _seen in answered], 1)
    values = stats.values["answering"]
    hidden = values[IN_PARTS]
    row = [values[SEEN_N], values[ALL_N], values[SEEN_N], hidden, values[ALL_N]]
    row += [values[BEYOND_SEEN], values[BEYOND_ALL]]
    if not any(row):
        return _figures(measures, {})["answering"]
    figures = _summed_figures(measures, row)
    if figures is None:
        return disclosed_figures(answers, viewer, measures)[None]["answering"]
    return figures["answering"]
