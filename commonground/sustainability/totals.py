"""Keep the needs profile's stored totals (`NeedsTotal`, `NeedsTally`) equal to the answers they add up.

An answer counts where the profile counts it: submitted, from an organization seated at the answer's
community's table. What it adds is keyed by item, the organization's sector, the marking and the gap (POETE).
Every writer keeps the totals in its own transaction:
- the services that record and submit answers `hold` the (assessment, organization) pairs they write: the
  pairs' answers are read before and after, and the difference is added (locking the assessment's tally);
- any other save or delete of an answer does the same through the model's signals (`signals.py`), as do an
  organization whose sector changes and a seat taken or given up at a table (`adjust`);
- bulk writers (seeding) and a repair (`commonground needs_totals --rebuild`) compute them again (`rebuild`).
An assessment without a tally (one loaded before the totals existed) is read from its answers.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F, Q, Sum

from commonground.core.tlp import TLP

from .models import NeedsAnswer, NeedsAssessment, NeedsTally, NeedsTotal

# The markings an organization's answers carry, a bit each in `NeedsTally.answering`.
MARKINGS = [value for value, _label in TLP.choices]
VALUES = ("answers", "with_need", "importance_sum", "level_sum")

Pair = tuple[int, int]  # (assessment, organization)
Key = tuple[int, int, str, str, str]  # (assessment, item, sector, marking, poete)


def counted(condition: Q | None = None, *, seated: bool = True):
    """The answers the profile counts that meet the condition (`seated=False`: whatever the seat)."""
    answers = NeedsAnswer.objects.submitted().filter(condition or Q())
    if seated:
        answers = answers.filter(organization__memberships__community_id=F("community_id"))
    return answers


def mask(markings: Iterable[str]) -> str:
    """An organization's markings as `NeedsTally.answering` keys them."""
    return str(sum(1 << MARKINGS.index(m) for m in set(markings)))


def markings_of(key: str) -> list[str]:
    return [m for number, m in enumerate(MARKINGS) if int(key) >> number & 1]


def _by_pair(answers) -> dict[Pair, tuple[dict[Key, list[int]], set[str]]]:
    """What these answers add to the totals, and their markings, by (assessment, organization)."""
    pairs: dict[Pair, tuple[dict[Key, list[int]], set[str]]] = {}
    rows = answers.order_by().values_list(
        "item__assessment_id", "item_id", "organization_id", "organization__sector", "tlp", "poete", "level",
        "importance",
    )  # fmt: skip
    for assessment, item, organization, sector, tlp, poete, level, importance in rows:
        totals, markings = pairs.setdefault((assessment, organization), (defaultdict(lambda: [0] * 4), set()))
        values = totals[(assessment, item, sector, tlp, poete)]
        values[0] += 1
        values[1] += level < importance
        values[2] += importance
        values[3] += level
        markings.add(tlp)
    return pairs


def _merged(by_pair) -> tuple[dict[Key, list[int]], dict[Pair, set[str]]]:
    totals: dict[Key, list[int]] = defaultdict(lambda: [0] * 4)
    for pair_totals, _markings in by_pair.values():
        for key, values in pair_totals.items():
            totals[key] = [a + b for a, b in zip(totals[key], values, strict=True)]
    return dict(totals), {pair: markings for pair, (_totals, markings) in by_pair.items()}


def _pairs_q(pairs: Iterable[Pair]) -> Q:
    condition = Q(pk__in=[])
    for assessment, organization in pairs:
        condition |= Q(item__assessment_id=assessment, organization_id=organization)
    return condition


def _lock(assessments: Iterable[int]) -> dict[int, NeedsTally]:
    """Lock the tallies of these assessments (those that keep totals), in one order to avoid deadlocks."""
    return {
        tally.assessment_id: tally
        for tally in NeedsTally.objects.select_for_update(of=("self",)).select_related("assessment")
        .filter(assessment_id__in=sorted(set(assessments))).order_by("assessment_id")
    }  # fmt: skip


def _apply(tallies: dict[int, NeedsTally], before, after) -> None:
    """Add (after - before) to the totals and to the answering organizations of the locked tallies."""
    (totals_before, marks_before), (totals_after, marks_after) = before, after
    delta: dict[Key, list[int]] = {}
    for key in set(totals_before) | set(totals_after):
        if key[0] not in tallies:
            continue
        old, new = totals_before.get(key, [0] * 4), totals_after.get(key, [0] * 4)
        change = [n - o for o, n in zip(old, new, strict=True)]
        if any(change):
            delta[key] = change
    if delta:
        _add_totals(delta, {tally.assessment_id: tally.assessment.community_id for tally in tallies.values()})
    changed: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pair in set(marks_before) | set(marks_after):
        old, new = marks_before.get(pair), marks_after.get(pair)
        if pair[0] not in tallies or old == new:
            continue
        if old:
            changed[pair[0]][mask(old)] -= 1
        if new:
            changed[pair[0]][mask(new)] += 1
    for assessment, changes in changed.items():
        answering = dict(tallies[assessment].answering)
        for key, change in changes.items():
            answering[key] = answering.get(key, 0) + change
        answering = {key: n for key, n in answering.items() if n > 0}
        tallies[assessment].answering = answering
        NeedsTally.objects.filter(pk=tallies[assessment].pk).update(answering=answering)


def _add_totals(delta: dict[Key, list[int]], communities: dict[int, int]) -> None:
    items = {key[1] for key in delta}
    existing = {
        (row.item_id, row.sector, row.tlp, row.poete): row
        for row in NeedsTotal.objects.filter(item_id__in=sorted(items))
    }
    changed, created, emptied = [], [], []
    for (assessment, item, sector, tlp, poete), change in delta.items():
        row = existing.get((item, sector, tlp, poete))
        if row is None:
            if change[0] > 0:  # a row of an item being deleted is not made again
                created.append(NeedsTotal(item_id=item, community_id=communities[assessment], sector=sector,
                                          tlp=tlp, poete=poete, **dict(zip(VALUES, change, strict=True))))  # fmt: skip
            continue
        for name, value in zip(VALUES, change, strict=True):
            setattr(row, name, getattr(row, name) + value)
        (emptied if row.answers <= 0 else changed).append(row)
    if changed:
        NeedsTotal.objects.bulk_update(changed, VALUES)
    if emptied:
        NeedsTotal.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if created:
        NeedsTotal.objects.bulk_create(created)


class _Holds(threading.local):
    def __init__(self):
        self.pending: dict[Pair, list] = {}  # pair -> [holds, what its answers added before]


_holds = _Holds()
NOTHING: tuple = ({}, set())


def hold(pairs: Iterable[Pair]) -> None:
    """Before writing these pairs' answers: read what they add now (at the first hold of a pair)."""
    pairs = set(pairs)
    new = [pair for pair in pairs if pair not in _holds.pending]
    for pair in pairs - set(new):
        _holds.pending[pair][0] += 1
    if not new:
        return
    tallies = _lock(assessment for assessment, _organization in new)
    kept = [pair for pair in new if pair[0] in tallies]
    before = _by_pair(counted(_pairs_q(kept))) if kept else {}
    for pair in new:
        _holds.pending[pair] = [1, before.get(pair, NOTHING) if pair in kept else None]


def release(pairs: Iterable[Pair]) -> None:
    """After writing them: add to the totals what the pairs' answers changed (at the last release of a pair)."""
    done = {}
    for pair in set(pairs):
        if pair in _holds.pending:
            _holds.pending[pair][0] -= 1
            if _holds.pending[pair][0] <= 0:
                before = _holds.pending.pop(pair)[1]
                if before is not None:  # an assessment that keeps no totals
                    done[pair] = before
    if not done:
        return
    after = _by_pair(counted(_pairs_q(done)))
    _apply(_lock(pair[0] for pair in done), _merged(done), _merged(after))


@contextmanager
def held(pairs: Iterable[Pair]):
    """Hold the pairs while the block writes their answers (the block's exception leaves them unheld)."""
    pairs = list(pairs)
    hold(pairs)
    try:
        yield
    except BaseException:
        forget(pairs)
        raise
    release(pairs)


def begin(condition: Q) -> dict:
    """Before a write of the answers meeting the condition (whole pairs): what they add now, by pair."""
    return _by_pair(counted(condition))


def finish(condition: Q, before: dict) -> None:
    """After it: add what the write changed to the totals of the pairs it touched."""
    after = _by_pair(counted(condition))
    pairs = set(before) | set(after)
    if pairs:
        _apply(_lock(pair[0] for pair in pairs), _merged(before), _merged(after))


def pending(pair: Pair) -> bool:
    """Whether a service holds the pair: its writes are added when it releases them."""
    return pair in _holds.pending


def forget(pairs: Iterable[Pair]) -> None:
    """Drop holds whose write failed: its transaction rolls back, and with it what the write changed."""
    for pair in pairs:
        _holds.pending.pop(pair, None)


def adjust(condition: Q, sign: int) -> None:
    """Add (+1) or take away (-1) what the submitted answers meeting the condition add, whatever their seat:
    an organization took or gave up its seat at their community's table."""
    totals, marks = _merged(_by_pair(counted(condition, seated=False)))
    tallies = _lock(assessment for assessment, _organization in marks)
    nothing: tuple = ({}, {})
    _apply(tallies, nothing, (totals, marks)) if sign > 0 else _apply(tallies, (totals, marks), nothing)


@transaction.atomic
def rebuild(assessment: NeedsAssessment) -> NeedsTally:
    """Compute the assessment's totals again from its answers, and keep them from now on."""
    tally, _created = NeedsTally.objects.get_or_create(assessment=assessment)
    tally = NeedsTally.objects.select_for_update().get(pk=tally.pk)
    NeedsTotal.objects.filter(item__assessment=assessment).delete()
    answers = counted(Q(item__assessment=assessment)).order_by()
    rows = answers.values("item_id", "organization__sector", "tlp", "poete").annotate(
        answers=Count("pk"), with_need=Count("pk", filter=Q(level__lt=F("importance"))),
        importance_sum=Sum("importance"), level_sum=Sum("level"),
    )  # fmt: skip
    NeedsTotal.objects.bulk_create(
        (
            NeedsTotal(item_id=row["item_id"], community_id=assessment.community_id, sector=row["organization__sector"],
                       tlp=row["tlp"], poete=row["poete"], **{name: row[name] for name in VALUES})
            for row in rows
        ),
        batch_size=500,
    )  # fmt: skip
    tally.answering = _answering(answers)
    tally.save(update_fields=["answering"])
    return tally


def _answering(answers) -> dict[str, int]:
    markings: dict[int, set[str]] = defaultdict(set)
    for organization, tlp in answers.order_by().values_list("organization_id", "tlp").distinct():
        markings[organization].add(tlp)
    answering: dict[str, int] = defaultdict(int)
    for marks in markings.values():
        answering[mask(marks)] += 1
    return dict(answering)


def count_answering(assessment_id: int) -> None:
    """Count the assessment's answering organizations again (an item and its answers were deleted)."""
    if _lock([assessment_id]):
        answering = _answering(counted(Q(item__assessment_id=assessment_id)))
        NeedsTally.objects.filter(assessment_id=assessment_id).update(answering=answering)


def recomputed(assessment: NeedsAssessment) -> tuple[dict, dict]:
    """The totals and answering organizations computed from the answers, as stored ones compare (tests, --check)."""
    totals, marks = _merged(_by_pair(counted(Q(item__assessment=assessment))))
    answering: dict[str, int] = defaultdict(int)
    for markings in marks.values():
        answering[mask(markings)] += 1
    return {key[1:]: values for key, values in totals.items()}, dict(answering)


def stored(assessment: NeedsAssessment) -> tuple[dict, dict]:
    """The stored totals and answering organizations, keyed as `recomputed` keys them."""
    totals = {
        (row.item_id, row.sector, row.tlp, row.poete): [getattr(row, name) for name in VALUES]
        for row in NeedsTotal.objects.filter(item__assessment=assessment)
    }
    tally = NeedsTally.objects.filter(assessment=assessment).first()
    return totals, dict(tally.answering) if tally else {}
