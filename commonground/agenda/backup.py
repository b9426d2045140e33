"""What of the common issues a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import Ballot, Comment, Endorsement, Issue, Vote


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's issues with their endorsements and comments, and its votes with their ballots."""
    community = scope["communities.Community"].get()
    return {
        "agenda.Issue": Issue.objects.filter(community=community),
        "agenda.Endorsement": Endorsement.objects.filter(issue__community=community),
        "agenda.Comment": Comment.objects.filter(issue__community=community),
        "agenda.Vote": Vote.objects.filter(community=community),
        "agenda.Ballot": Ballot.objects.filter(vote__community=community),
    }
