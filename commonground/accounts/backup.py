"""What of the accounts a one-community backup holds: the users its records name, and their tokens."""

from rest_framework.authtoken.models import Token

from commonground.core.backup import CommunityScope

from .models import User


def community_scope(scope: CommunityScope) -> dict:
    """Return the users that the community's records name, and their API tokens."""
    users = scope.referenced(User)
    return {"accounts.User": users, "authtoken.Token": Token.objects.filter(user__in=users)}
