"""Reads of the registry: lists for a viewer, the coverage report, the invitation tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet

from commonground.communities.models import Community, Membership
from commonground.core.counting import ListCount, kept_count
from commonground.core.kept import Kept
from commonground.core.kept_pages import name_list
from commonground.core.visibility import Viewer

from .choices import EMPLOYEE_BANDS, PRIVATE_SIDE, Sector, categories, recommended_categories
from .models import Invitation, InvitationStatus, Organization, Person


def organization_list(*, viewer: Viewer, community=None) -> QuerySet[Organization]:
    """Return the organizations the viewer may see, at one community's table when given, named by what it is
    made of (the whole viewer, the community's key: `core.kept_pages`), so that its pages' SQL is kept."""
    name = ("organization list", viewer, None if community is None else community.pk)
    if community is not None and viewer.is_member_of(community.pk):
        # Everyone at a table the viewer sits at is visible to them: one condition, not two.
        return name_list(Organization.objects.in_community(community), name)
    queryset = Organization.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.in_community(community)
    return name_list(queryset, name)


def whole_table_count(*, viewer: Viewer, community) -> ListCount | None:
    """Return the count of `organization_list(viewer=viewer, community=community)` where it is known without
    counting the list: a member sees every organization at the table, so its seats (`seat_count`); None otherwise."""
    return seat_count(community) if viewer.is_member_of(community.pk) else None


def seat_count(community) -> ListCount:
    """Return how many organizations sit at a community's table (one seat each), in a hand-written query: every
    member's request for a whole table's list asks it, and compiling it cost more than counting. A table of more
    than `KEPT_COUNT_ABOVE` seats is counted once a while (`core.counting.kept_count`), as any long list is: at
    100,000 seats the count cost SQLite 3 ms, as much as the rest of the list API's request."""

    def count() -> int:
        table = connection.ops.quote_name(Membership._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE community_id = %s", [community.pk])
            return cursor.fetchone()[0]

    return kept_count((connection.alias, "seats", community.pk), count)


def community_slugs(organization_ids: list[int]) -> dict[int, list[str]]:
    """Return {organization id: slugs of the communities it sits at}, sorted, in one hand-written query.

    Every organization list in the API asks this for its page, so it skips the ORM's query building.
    """
    slugs: dict[int, list[str]] = {}
    if not organization_ids:
        return slugs
    membership, community = (connection.ops.quote_name(m._meta.db_table) for m in (Membership, Community))
    sql = (
        f"SELECT m.organization_id, c.slug FROM {membership} m JOIN {community} c ON c.id = m.community_id"
        f" WHERE m.organization_id IN ({', '.join(['%s'] * len(organization_ids))}) ORDER BY c.slug"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(organization_ids))
        for organization_id, slug in cursor.fetchall():
            slugs.setdefault(organization_id, []).append(slug)
    return slugs


def organizations_acted_for(*, viewer: Viewer, community) -> QuerySet[Organization]:
    """Return the organizations at the table whose records the viewer may keep (see `can_act_for`)."""
    organizations = Organization.objects.in_community(community)
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return organizations
    if viewer.is_organization_admin:
        return organizations.filter(pk=viewer.organization_id)
    return organizations.none()


def person_list(*, viewer: Viewer, community=None) -> QuerySet[Person]:
    """Return the people the viewer may see, each marked with whether their contact details show.

    The query is built once per viewer and community in each process and copied for each call (`Kept`):
    building the contact marking's conditions cost the people page a tenth of its time. The key is the whole
    `Viewer` (frozen: every fact the conditions read) and the community's key; the conditions are SQL, so a
    kept query reads the rows as they are when it runs.
    """
    community_id = None if community is None else community.pk
    return _built_people.get_or_build((viewer, community_id), lambda: _people(viewer, community_id)).all()


def _people(viewer: Viewer, community_id: int | None) -> QuerySet[Person]:
    if community_id is not None and viewer.is_member_of(community_id):
        queryset = Person.objects.filter(
            organization__in=Organization.objects.in_community(community_id).values("pk")
        )
    else:
        queryset = Person.objects.visible_to(viewer)
        if community_id is not None:
            queryset = queryset.filter(
                organization__in=Organization.objects.in_community(community_id).values("pk")
            )
    return queryset.with_contact_visibility(viewer).select_related("organization")


# The people lists built in this process, by (viewer, community key); the least lately used go first.
_built_people: Kept[QuerySet[Person]] = Kept(500)


def invitation_list(*, viewer: Viewer, community=None) -> QuerySet[Invitation]:
    queryset = Invitation.objects.visible_to(viewer).select_related(
        "community", "invited_by", "organization", "accepted_person"
    )
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset


@dataclass
class CategoryCoverage:
    code: str
    label: str
    side: str
    organizations: int

    @property
    def present(self) -> bool:
        return self.organizations > 0


@dataclass
class CategorySummary:
    """Which recommended categories are at the table: what step 2 is judged on."""

    categories: list[CategoryCoverage]
    threshold: int
    total: int = 0

    @property
    def recommended(self) -> list[CategoryCoverage]:
        codes = _recommended_codes()
        return [c for c in self.categories if c.code in codes]

    @property
    def present_count(self) -> int:
        return sum(1 for c in self.recommended if c.present)

    @property
    def percent(self) -> int:
        recommended = self.recommended
        return round(100 * self.present_count / len(recommended)) if recommended else 0

    @property
    def meets_threshold(self) -> bool:
        return self.percent >= self.threshold

    @property
    def missing(self) -> list[CategoryCoverage]:
        return [c for c in self.recommended if not c.present]


@dataclass
class Coverage(CategorySummary):
    """The coverage report: the categories, and how the table spreads by sector and businesses by size."""

    by_sector: dict[str, int] = field(default_factory=dict)
    business_bands: list[tuple[str, int]] = field(default_factory=list)
    businesses_without_size: int = 0
    largest_employer: Organization | None = None
    smallest_employer: Organization | None = None


def _recommended_codes() -> set[str]:
    return {c["code"] for c in recommended_categories()}


def _category_counts(community) -> dict[str, int]:
    members = Organization.objects.in_community(community)
    return dict(members.values_list("category").annotate(n=Count("id")).order_by())


def _category_coverage(counts: dict[str, int]) -> list[CategoryCoverage]:
    return [
        CategoryCoverage(c["code"], c["label"], c["side"], counts.get(c["code"], 0)) for c in categories()
    ]


def category_summary(community) -> CategorySummary:
    """Return which recommended categories are at the table, in one query (step 2's judge)."""
    counts = _category_counts(community)
    return CategorySummary(
        categories=_category_coverage(counts),
        threshold=community.coverage_threshold,
        total=sum(counts.values()),
    )


def coverage_report(community) -> Coverage:
    """Return which recommended categories are at the table and how businesses spread by size.

    Organization profiles are shared with the whole table, so the report counts every member.
    """
    members = Organization.objects.in_community(community)
    counts = _category_counts(community)
    by_sector = dict(members.values_list("sector").annotate(n=Count("id")).order_by())
    businesses = members.filter(sector__in=PRIVATE_SIDE)
    band_aggregates = {
        f"band{i}": Count("id", filter=Q(employees__gte=low) & (Q(employees__lte=high) if high else Q()))
        for i, (low, high, _label) in enumerate(EMPLOYEE_BANDS)
    }
    band_aggregates["unsized"] = Count("id", filter=Q(employees__isnull=True) | Q(employees=0))
    band_aggregates["most"] = Max("employees")
    band_aggregates["least"] = Min("employees", filter=Q(employees__gt=0))
    bands = businesses.aggregate(**band_aggregates)
    largest = businesses.filter(employees=bands["most"]).first() if bands["most"] else None
    smallest = businesses.filter(employees=bands["least"]).first() if bands["least"] else None
    return Coverage(
        categories=_category_coverage(counts),
        threshold=community.coverage_threshold,
        by_sector={sector.value: by_sector.get(sector.value, 0) for sector in Sector},
        business_bands=[(label, bands[f"band{i}"]) for i, (_lo, _hi, label) in enumerate(EMPLOYEE_BANDS)],
        businesses_without_size=bands["unsized"],
        largest_employer=largest,
        smallest_employer=smallest,
        total=sum(counts.values()),
    )


@dataclass
class TreeNode:
    label: str
    organization: str = ""
    sector: str = ""
    children: list[TreeNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


def accepted_invitations(community) -> QuerySet[Invitation]:
    """Return the invitations that brought someone to a community's table: every member sees who brought whom
    (the invitation tree, the network of `socialcapital`), not the invitation itself."""
    return (
        Invitation.objects.filter(community=community, status=InvitationStatus.ACCEPTED)
        .select_related(
            "invited_by__person__organization", "accepted_person__organization", "accepted_person__user"
        )
        .order_by("accepted_at", "pk")
    )


def invitation_tree(community) -> list[TreeNode]:
    """Return who brought whom to the table, as a forest rooted at those nobody invited here."""
    accepted = accepted_invitations(community)
    nodes: dict[int, TreeNode] = {}
    invited_user_ids: set[int] = set()
    order: list[int] = []

    def node_for_user(user) -> TreeNode:
        if user.pk not in nodes:
            person = getattr(user, "person", None)
            nodes[user.pk] = (
                TreeNode(str(person), person.organization.name, person.organization.get_sector_display())
                if person
                else TreeNode(str(user), organization="", sector="facilitator")
            )
            order.append(user.pk)
        return nodes[user.pk]

    for invitation in accepted:
        invitee = invitation.accepted_person
        if invitee is None or invitee.user is None:
            continue
        parent = node_for_user(invitation.invited_by)
        child = node_for_user(invitee.user)
        parent.children.append(child)
        invited_user_ids.add(invitee.user_id)
    return [nodes[user_id] for user_id in order if user_id not in invited_user_ids]
