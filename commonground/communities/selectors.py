"""Reads about communities: who the viewer is in them, and what they may see."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from commonground.core.visibility import Viewer, ids

from .models import CoChair, Community, Membership


def viewer_for_user(user) -> Viewer:
    """Return the viewer for a logged-in user: their person, organization, communities and roles."""
    from commonground.registry.models import Person

    person = Person.objects.filter(user_id=user.pk).only("id", "organization_id", "role").first()
    organization_id = person.organization_id if person else None
    community_ids = (
        ids(Membership.objects.filter(organization_id=organization_id).values_list("community_id", flat=True))
        if organization_id
        else frozenset()
    )
    cochair_ids = (
        ids(CoChair.objects.filter(person_id=person.pk).values_list("community_id", flat=True))
        if person
        else frozenset()
    )
    return Viewer(
        user_id=user.pk,
        is_facilitator=bool(getattr(user, "is_facilitator", False)),
        person_id=person.pk if person else None,
        organization_id=organization_id,
        is_organization_admin=bool(person and person.is_organization_admin),
        community_ids=community_ids,
        cochair_community_ids=cochair_ids,
        peer_organization_ids=Membership.objects.filter(community_id__in=community_ids).values(
            "organization_id"
        ),
        cochaired_organization_ids=Membership.objects.filter(community_id__in=cochair_ids).values(
            "organization_id"
        ),
    )


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


def cochair_list(*, community: Community) -> QuerySet[CoChair]:
    return CoChair.objects.filter(community=community).select_related("person__organization")


def membership_list(*, viewer: Viewer) -> QuerySet[Membership]:
    """Return the memberships of the communities the viewer may open."""
    return (
        Membership.objects.filter(community__in=Community.objects.visible_to(viewer))
        .select_related("community", "organization")
        .order_by("community__name", "organization__name", "pk")
    )
