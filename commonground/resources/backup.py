"""What of the resources a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import Agreement, Resource


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's resources and agreements."""
    community = scope["communities.Community"].get()
    return {
        "resources.Resource": Resource.objects.filter(community=community),
        "resources.Agreement": Agreement.objects.filter(community=community),
    }
