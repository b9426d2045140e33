"""Count a vote's ballots into the order of the agenda.

Ranked: a Borda count. With n issues on the ballot, an organization's first choice earns n points, its
second n - 1, and so on; issues it leaves unranked earn nothing. Dot: each dot is a point. Ties go to the
issue with the higher collective-impact score, then to the title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .choices import VoteKind


@dataclass(frozen=True)
class Result:
    issue_id: int
    points: int
    place: int


def points(kind: str, issue_ids: list[int], ballots: Iterable[Mapping[str, int]]) -> dict[int, int]:
    """Return the points each issue on the ballot earns from the ballots (choices keyed by issue id as text)."""
    totals = dict.fromkeys(issue_ids, 0)
    n = len(issue_ids)
    for choices in ballots:
        for key, value in choices.items():
            issue_id = int(key)
            if issue_id in totals:
                totals[issue_id] += (n - int(value) + 1) if kind == VoteKind.RANKED else int(value)
    return totals


def order(totals: Mapping[int, int], tie_breaks: Mapping[int, tuple]) -> list[Result]:
    """Return the places, most points first; `tie_breaks[issue_id]` orders equal totals (smaller first)."""
    ranked = sorted(totals, key=lambda issue_id: (-totals[issue_id], tie_breaks.get(issue_id, ()), issue_id))
    return [Result(issue_id, totals[issue_id], place) for place, issue_id in enumerate(ranked, start=1)]
