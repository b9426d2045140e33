"""What of the network's snapshots and introductions a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import Introduction, NetworkSnapshot


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's network snapshots."""
    community = scope["communities.Community"].get()
    return {
        "socialcapital.NetworkSnapshot": NetworkSnapshot.objects.filter(community=community),
        "socialcapital.Introduction": Introduction.objects.filter(community=community),
    }
