"""How collectively an issue affects the table, and the collective-impact score that ranks the issues.

For an issue, with the organizations at its community's table:
- public share  = public organizations that endorsed it / public organizations at the table
- private share = private and non-profit organizations that endorsed it / those at the table
- reach         = the mean of the two shares
- balance       = 2 x min(shares) / (sum of shares): 1 when both sides are equally touched, 0 when one is not
- spread        = categories among its endorsers / categories at the table
- intensity     = mean severity / 5

    score = 100 x reach x (0.25 + 0.75 x balance) x (0.75 + 0.25 x spread) x (0.6 + 0.4 x intensity)

Balance weighs most and intensity least, so breadth across both sectors outranks intensity in one: two
public and two private endorsers at severity 2 score 12.7 where six private ones at severity 5 score 5.9
(tests/test_impact.py works these through).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Sum

from commonground.communities.models import Membership
from commonground.registry.choices import Sector

from .models import Endorsement


@dataclass(frozen=True)
class CollectiveImpact:
    public: int = 0
    private_side: int = 0
    public_members: int = 0
    private_members: int = 0
    categories: int = 0
    table_categories: int = 0
    severity_total: int = 0

    @property
    def endorsing(self) -> int:
        return self.public + self.private_side

    @property
    def members(self) -> int:
        return self.public_members + self.private_members

    @property
    def share(self) -> float:
        """The share of the table's organizations that endorsed it."""
        return self.endorsing / self.members if self.members else 0.0

    @property
    def public_share(self) -> float:
        return self.public / self.public_members if self.public_members else 0.0

    @property
    def private_share(self) -> float:
        return self.private_side / self.private_members if self.private_members else 0.0

    @property
    def balance(self) -> float:
        total = self.public_share + self.private_share
        return 2 * min(self.public_share, self.private_share) / total if total else 0.0

    @property
    def spread(self) -> float:
        return self.categories / self.table_categories if self.table_categories else 0.0

    @property
    def mean_severity(self) -> float:
        return self.severity_total / self.endorsing if self.endorsing else 0.0

    @property
    def both_sectors(self) -> bool:
        return self.public > 0 and self.private_side > 0

    @property
    def score(self) -> float:
        reach = (self.public_share + self.private_share) / 2
        value = reach * (0.25 + 0.75 * self.balance) * (0.75 + 0.25 * self.spread)
        return round(100 * value * (0.6 + 0.4 * self.mean_severity / 5), 1)


def _side(sector: str) -> str:
    return "public" if sector == Sector.PUBLIC else "private_side"


def collective_impacts(issues: Iterable) -> dict[int, CollectiveImpact]:
    """Return each issue's collective impact, counting the endorsements of organizations still at its table."""
    issues = list(issues)
    tables: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    community_ids = {issue.community_id for issue in issues}
    seats = Membership.objects.filter(community_id__in=community_ids)
    for row in seats.values("community_id", "organization__sector").annotate(n=Count("id")).order_by():
        side = "public_members" if row["organization__sector"] == Sector.PUBLIC else "private_members"
        tables[row["community_id"]][side] += row["n"]
    for row in (
        seats.values("community_id").annotate(n=Count("organization__category", distinct=True)).order_by()
    ):
        tables[row["community_id"]]["table_categories"] = row["n"]

    counted = Endorsement.objects.filter(
        issue_id__in=[issue.pk for issue in issues],
        organization__memberships__community_id=F("issue__community_id"),
    )
    endorsed: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for row in (
        counted.values("issue_id", "organization__sector")
        .annotate(n=Count("id"), s=Sum("severity"))
        .order_by()
    ):
        endorsed[row["issue_id"]][_side(row["organization__sector"])] += row["n"]
        endorsed[row["issue_id"]]["severity_total"] += row["s"]
    for row in (
        counted.values("issue_id").annotate(n=Count("organization__category", distinct=True)).order_by()
    ):
        endorsed[row["issue_id"]]["categories"] = row["n"]
    return {
        issue.pk: CollectiveImpact(**tables[issue.community_id], **endorsed[issue.pk]) for issue in issues
    }


def ranked(issues: Iterable) -> list:
    """Return the issues highest collective impact first, each with its `impact` set."""
    issues = list(issues)
    impacts = collective_impacts(issues)
    for issue in issues:
        issue.impact = impacts[issue.pk]
    return sorted(issues, key=lambda i: (-i.impact.score, -i.impact.endorsing, i.title.lower(), i.pk))
