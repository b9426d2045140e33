"""What the import and export commands share: the community and the user they act as."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from commonground.communities.models import Community


def community_and_actor(slug: str, username: str | None):
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise CommandError(f"There is no community '{slug}'.")
    if not username:
        return community, None
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(f"There is no user '{username}'.")
    return community, actor
