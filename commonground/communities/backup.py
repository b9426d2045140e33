"""What of the communities a one-community backup holds: the community, its table and its co-chairs."""

from django.core.management.base import CommandError

from commonground.core.backup import CommunityScope

from .models import CoChair, Community, Membership


def community_scope(scope: CommunityScope) -> dict:
    """Return the community of `scope.slug`, its memberships and its co-chairs."""
    community = Community.objects.filter(slug=scope.slug).first()
    if community is None:
        raise CommandError(f"There is no community '{scope.slug}'.")
    return {
        "communities.Community": Community.objects.filter(pk=community.pk),
        "communities.Membership": Membership.objects.filter(community=community),
        "communities.CoChair": CoChair.objects.filter(community=community),
    }
