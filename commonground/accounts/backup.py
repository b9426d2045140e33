"""What of the accounts a one-community backup holds: the users its records name, and their API tokens."""

from commonground.core.backup import CommunityScope

from .models import ApiToken, User


def community_scope(scope: CommunityScope) -> dict:
    """Return the users that the community's records name, and their API tokens."""
    users = scope.referenced(User)
    return {"accounts.User": users, "accounts.ApiToken": ApiToken.objects.filter(user__in=users)}
