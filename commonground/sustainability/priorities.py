"""The needs profile and the prioritized needs, from every organization's answers to a needs assessment.

For each item, over the organizations that answered it:
- importance I = mean importance (1 to 5); level L = mean current level (1 to 5); gap = 5 - L (0 to 4)
- shared S     = the share of them whose level is below the importance they give the item (their need)

    priority = 100 x (I / 5) x (gap / 4) x (0.5 + 0.5 x S)

So an important capability that is far from in place and that many organizations lack comes first:
I 4.5, L 2.0, S 0.75 gives 59.1; I 3.0, L 4.0, S 0.25 gives 9.4 (tests/test_priorities.py).

Answers are TLP:AMBER by default; an item's figures follow `core.aggregates`: withheld from a reader when
they would rest on restricted answers of one or two organizations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q

from commonground.agenda.choices import MissionArea
from commonground.core.aggregates import is_withheld, marking_counts, markings_shown
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .models import NeedsAnswer, NeedsAssessment, NeedsItem


def priority_score(importance: float, level: float, shared: float) -> float:
    """Return an item's priority (0 to 100) from mean importance, mean level and the share that lack it."""
    return round(100 * (importance / 5) * ((5 - level) / 4) * (0.5 + 0.5 * shared), 1)


@dataclass
class ItemNeed:
    item: NeedsItem
    withheld: bool = False
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
        if self.withheld or self.level is None:
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

    @property
    def withheld(self) -> list[ItemNeed]:
        return [i for i in self.items if i.withheld]

    def by_area(self) -> list[AreaSummary]:
        groups = defaultdict(list)
        for need in self.items:
            groups[need.item.mission_area].append(need)
        return [
            AreaSummary(code, str(label), groups[code]) for code, label in MissionArea.choices if groups[code]
        ]


def needs_profile(*, viewer: Viewer, assessment: NeedsAssessment) -> NeedsProfile:
    """Return the assessment's profile and prioritized needs as the viewer may see them."""
    answers = NeedsAnswer.objects.filter(
        item__assessment=assessment, organization__memberships__community_id=F("community_id")
    )
    restricted = ~answers.tlp_q(viewer)
    rows = {
        row["item_id"]: row
        for row in answers.order_by()
        .values("item_id")
        .annotate(
            organizations=Count("id"),
            restricted=Count("id", filter=restricted),
            **marking_counts(),
            with_need=Count("id", filter=Q(level__lt=F("importance"))),
            mean_importance=Avg("importance"),
            mean_level=Avg("level"),
            mean_public_level=Avg("level", filter=Q(organization__sector=Sector.PUBLIC)),
            mean_private_level=Avg("level", filter=Q(organization__sector__in=PRIVATE_SIDE)),
        )
    }
    poete = defaultdict(Counter)
    for row in answers.exclude(poete="").order_by().values("item_id", "poete").annotate(n=Count("id")):
        poete[row["item_id"]][row["poete"]] = row["n"]
    needs, marked = [], []
    for item in assessment.items.all():
        need, row = ItemNeed(item=item), rows.get(item.pk)
        if row and is_withheld(row["restricted"]):
            need.withheld = True
        elif row:
            need.organizations, need.with_need = row["organizations"], row["with_need"]
            for name in ("importance", "level", "public_level", "private_level"):
                mean = row[f"mean_{name}"]
                setattr(need, name, None if mean is None else round(mean, 2))
            need.poete = poete[item.pk].most_common()
            marked += markings_shown(row)
        needs.append(need)
    answering = answers.values("organization_id").distinct().count()
    return NeedsProfile(assessment, needs, narrowest([TLP.GREEN, *marked]), answering)
