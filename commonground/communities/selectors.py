"""Reads about communities: who the viewer is in them, and what they may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from commonground.core.visibility import Viewer

from .models import CoChair, Community, Membership


def organizations_at(community_ids: frozenset[int]) -> QuerySet:
    """Return a subquery of the ids of the organizations at the given communities' tables."""
    return Membership.objects.filter(community_id__in=sorted(community_ids)).values("organization_id")


def communities_open_to(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer may open, by name, without counting their members."""
    return Community.objects.visible_to(viewer).order_by("name", "pk")


def community_list(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer may open, with their member counts."""
    return communities_open_to(viewer=viewer).annotate(organization_count=Count("memberships", distinct=True))


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
