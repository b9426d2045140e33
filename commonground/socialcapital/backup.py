"""What of the network's snapshots a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import NetworkSnapshot


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's network snapshots."""
    community = scope["communities.Community"].get()
    return {"socialcapital.NetworkSnapshot": NetworkSnapshot.objects.filter(community=community)}
