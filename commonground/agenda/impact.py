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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, F, Q, QuerySet, Sum

from commonground.communities.models import Membership
from commonground.core.counting import compiled
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


def _sums(build: Callable[[], QuerySet], key: tuple) -> list[tuple]:
    """Return the rows of the `values_list` of sums `build` returns, built and compiled once in the process for
    `key` (the ids it names: nothing else goes into it)."""
    using = router.db_for_read(Endorsement)
    try:
        sql, params = compiled(build, key, using=using)
    except EmptyResultSet:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def collective_impacts(issues: Iterable) -> dict[int, CollectiveImpact]:
    """Return each issue's collective impact, counting the endorsements of organizations still at its table.

    Two statements, each compiled once for its ids: the seats of each table (all, public, their categories) and
    the endorsements of each issue by organizations at its table (all, public, their severity, their
    categories). The private side is every seat or endorsement that is not public."""
    issues = list(issues)
    community_ids = tuple(sorted({issue.community_id for issue in issues}))
    issue_ids = tuple(sorted({issue.pk for issue in issues}))
    public = Q(organization__sector=Sector.PUBLIC)

    def seats() -> QuerySet:
        return (
            Membership.objects.filter(community_id__in=community_ids)
            .values("community_id")
            .annotate(
                n=Count("id"),
                public=Count("id", filter=public),
                categories=Count("organization__category", distinct=True),
            )
            .order_by()
            .values_list("community_id", "n", "public", "categories")
        )

    tables: dict[int, dict] = defaultdict(dict)
    for community_id, n, public_n, categories in _sums(seats, ("impact-seats", community_ids)):
        tables[community_id] = {
            "public_members": public_n,
            "private_members": n - public_n,
            "table_categories": categories,
        }

    def counted() -> QuerySet:
        return (
            Endorsement.objects.filter(
                issue_id__in=issue_ids, organization__memberships__community_id=F("issue__community_id")
            )
            .values("issue_id")
            .annotate(
                n=Count("id"),
                public=Count("id", filter=public),
                severity=Sum("severity"),
                categories=Count("organization__category", distinct=True),
            )
            .order_by()
            .values_list("issue_id", "n", "public", "severity", "categories")
        )

    endorsed: dict[int, dict] = defaultdict(dict)
    for issue_id, n, public_n, severity, categories in _sums(counted, ("impact-endorsed", issue_ids)):
        endorsed[issue_id] = {
            "public": public_n,
            "private_side": n - public_n,
            "severity_total": severity,
            "categories": categories,
        }
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
