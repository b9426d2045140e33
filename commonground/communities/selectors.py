"""Reads about communities: who the viewer is in them, and what they may see."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.models import Count, QuerySet

from commonground.core.visibility import Viewer

from .models import CoChair, Community, Membership


def viewer_for_user(user) -> Viewer:
    """Return the viewer for a logged-in user: their person, organization, communities and roles.

    Every request of a logged-in user asks this, so it is one hand-written query: the person, the
    tables their organization sits at and the tables they co-chair.
    """
    from commonground.registry.models import PersonRole

    with connection.cursor() as cursor:
        cursor.execute(_viewer_sql(), [user.pk, user.pk])
        rows = cursor.fetchall()
    person_id, organization_id, role = rows[0][:3] if rows else (None, None, None)
    community_ids = {row[3] for row in rows if row[3] is not None and not row[4]}
    cochair_ids = {row[3] for row in rows if row[4]}
    return Viewer(
        user_id=user.pk,
        is_facilitator=bool(getattr(user, "is_facilitator", False)),
        person_id=person_id,
        organization_id=organization_id,
        is_organization_admin=role == PersonRole.ADMIN,
        community_ids=frozenset(community_ids),
        cochair_community_ids=frozenset(cochair_ids),
        organizations_at=organizations_at,
    )


@cache
def _viewer_sql() -> str:
    from commonground.registry.models import Person

    person, membership, cochair = (
        connection.ops.quote_name(m._meta.db_table) for m in (Person, Membership, CoChair)
    )
    return (
        f"SELECT p.id, p.organization_id, p.role, m.community_id, 0 FROM {person} p"
        f" LEFT JOIN {membership} m ON m.organization_id = p.organization_id WHERE p.user_id = %s"
        f" UNION ALL SELECT p.id, p.organization_id, p.role, c.community_id, 1 FROM {person} p"
        f" JOIN {cochair} c ON c.person_id = p.id WHERE p.user_id = %s"
    )


def organizations_at(community_ids: frozenset[int]) -> QuerySet:
    """Return a subquery of the ids of the organizations at the given communities' tables."""
    return Membership.objects.filter(community_id__in=sorted(community_ids)).values("organization_id")


def community_list(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer may open, with their member counts."""
    return (
        Community.objects.visible_to(viewer)
        .annotate(organization_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )


def community_get(*, viewer: Viewer, slug: str) -> Community:
    """Return one community the viewer may open; a community they may not see is missing (404)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Community.objects.visible_to(viewer), slug=slug)


def cochair_list(*, viewer: Viewer, community: Community | None = None) -> QuerySet[CoChair]:
    """Return the co-chairs of the communities the viewer may open (of one community, when named)."""
    cochairs = CoChair.objects.filter(community__in=Community.objects.visible_to(viewer))
    if community is not None:
        cochairs = cochairs.filter(community=community)
    return cochairs.select_related("community", "person__organization")


def membership_list(*, viewer: Viewer) -> QuerySet[Membership]:
    """Return the memberships of the communities the viewer may open."""
    return (
        Membership.objects.filter(community__in=Community.objects.visible_to(viewer))
        .select_related("community", "organization")
        .order_by("community__name", "organization__name", "pk")
    )
