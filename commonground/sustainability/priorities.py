"""The needs profile and the prioritized needs, from every organization's answers to a needs assessment.

For each item, over the organizations that answered it:
- importance I = mean importance (1 to 5); level L = mean current level (1 to 5); gap = 5 - L (0 to 4)
- shared S     = the share of them whose level is below the importance they give the item (their need)

    priority = 100 x (I / 5) x (gap / 4) x (0.5 + 0.5 x S)

So an important capability that is far from in place and that many organizations lack comes first:
I 4.5, L 2.0, S 0.75 gives 59.1; I 3.0, L 4.0, S 0.25 gives 9.4 (tests/test_priorities.py).

Answers are TLP:AMBER by default; every figure (each item's, each sector's level within it, the count of
answering organizations) follows `core.aggregates`: the answers a reader may not see go into a figure only
when at least three organizations' such answers stand behind it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q

from commonground.agenda.choices import MissionArea
from commonground.core.aggregates import (
    Measure,
    count_organizations,
    disclosed_figures,
    figure_markings,
    mean,
)
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .choices import Poete
from .models import NeedsAnswer, NeedsAssessment, NeedsItem


def priority_score(importance: float, level: float, shared: float) -> float:
    """Return an item's priority (0 to 100) from mean importance, mean level and the share that lack it."""
    return round(100 * (importance / 5) * ((5 - level) / 4) * (0.5 + 0.5 * shared), 1)


@dataclass
class ItemNeed:
    item: NeedsItem
    organizations: int = 0
    with_need: int = 0
    importance: float | None = None
    level: float | None = None
    public_level: float | None = None
    private_level: float | None = None
    poete: list[tuple[str, int]] = field(default_factory=list)

    @property
    def shared(self) -> float:
        return self.with_need / self.organizations if self.organizations else 0.0

    @property
    def gap(self) -> float | None:
        return None if self.level is None else round(5 - self.level, 2)

    @property
    def score(self) -> float | None:
        if self.level is None or self.importance is None:
            return None
        return priority_score(self.importance, self.level, self.shared)


@dataclass
class AreaSummary:
    mission_area: str
    label: str
    items: list[ItemNeed]

    @property
    def level(self) -> float | None:
        levels = [i.level for i in self.items if i.level is not None]
        return round(sum(levels) / len(levels), 2) if levels else None

    @property
    def importance(self) -> float | None:
        values = [i.importance for i in self.items if i.importance is not None]
        return round(sum(values) / len(values), 2) if values else None


@dataclass
class NeedsProfile:
    assessment: NeedsAssessment
    items: list[ItemNeed]
    marking: str
    answering_organizations: int

    @property
    def ranked(self) -> list[ItemNeed]:
        """The items with figures, highest priority first: the prioritized needs.

        A need the co-chairs placed themselves (`agreed_rank`) takes that place; the score orders the rest.
        """
        by_score = sorted(
            (i for i in self.items if i.score), key=lambda i: (-i.score, -i.with_need, i.item.position)
        )
        ranked = [i for i in by_score if not i.item.agreed_rank]
        for need in sorted((i for i in by_score if i.item.agreed_rank), key=lambda i: i.item.agreed_rank):
            ranked.insert(min(need.item.agreed_rank - 1, len(ranked)), need)
        return ranked

    def by_area(self) -> list[AreaSummary]:
        groups = defaultdict(list)
        for need in self.items:
            groups[need.item.mission_area].append(need)
        return [
            AreaSummary(code, str(label), groups[code]) for code, label in MissionArea.choices if groups[code]
        ]


def needs_measures() -> dict[str, Measure]:
    """The figures of each item of the profile."""
    return {
        "organizations": count_organizations(),
        "with_need": count_organizations(Q(level__lt=F("importance"))),
        "importance": mean("importance"),
        "level": mean("level", parts=("public_level", "private_level")),
        "public_level": mean("level", Q(organization__sector=Sector.PUBLIC)),
        "private_level": mean("level", Q(organization__sector__in=PRIVATE_SIDE)),
        **{f"poete_{code}": count_organizations(Q(poete=code)) for code in Poete.values},
    }


def needs_profile(*, viewer: Viewer, assessment: NeedsAssessment) -> NeedsProfile:
    """Return the assessment's profile and prioritized needs as the viewer may see them, kept for the reader
    between the writes at its community (`communities.snapshots.kept_for_reader`): every answer is summed
    again only after such a write (a state's assessment holds a million)."""
    from commonground.communities.snapshots import kept_for_reader

    return kept_for_reader(
        assessment.community,
        viewer,
        f"needs:{assessment.pk}",
        lambda: gather_needs_profile(viewer=viewer, assessment=assessment),
    )


def gather_needs_profile(
    *, viewer: Viewer, assessment: NeedsAssessment, direct: bool = False
) -> NeedsProfile:
    """Sum the assessment's answers into its profile and prioritized needs as the viewer may see them: from
    the sums kept in step with the writes (`needs_sums`), or, `direct`, from every answer."""
    from .needs_sums import kept_figures

    def answers():
        return NeedsAnswer.objects.submitted().filter(
            item__assessment=assessment.pk, organization__memberships__community_id=F("community_id")
        )

    key = ("needs", assessment.pk)
    if direct:
        figures = disclosed_figures(answers, viewer, needs_measures(), group_by="item_id", key=key)
        answering = disclosed_figures(answers, viewer, {"answering": count_organizations()}, key=key)[None][
            "answering"
        ]
    else:
        figures, answering = kept_figures(viewer, assessment, answers, needs_measures(), key)
    needs, marked = [], []
    for item in assessment.items.all():
        need, row = ItemNeed(item=item), figures[item.pk]
        need.organizations, need.with_need = row["organizations"].value, row["with_need"].value
        for name in ("importance", "level", "public_level", "private_level"):
            value = row[name].value
            setattr(need, name, None if value is None else round(value, 2))
        counts = ((code, row[f"poete_{code}"].value) for code in Poete.values)
        need.poete = sorted(((code, n) for code, n in counts if n), key=lambda pair: -pair[1])
        marked += figure_markings(*row.values())
        needs.append(need)
    return NeedsProfile(
        assessment, needs, narrowest([TLP.GREEN, *marked, *answering.markings]), answering.value
    )
