"""What of the registry a one-community backup holds: the organizations at its table and their people."""

from commonground.core.backup import CommunityScope

from .models import Invitation, Organization, Person


def community_scope(scope: CommunityScope) -> dict:
    """Return the organizations at the table, their people and the community's invitations."""
    community = scope["communities.Community"].get()
    organizations = Organization.objects.filter(memberships__community=community)
    return {
        "registry.Organization": organizations,
        "registry.Person": Person.objects.filter(organization__in=organizations),
        "registry.Invitation": Invitation.objects.filter(community=community),
    }
