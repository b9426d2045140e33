"""What of the newsletters a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import Delivery, Newsletter, Section, Segment


def community_scope(scope: CommunityScope) -> dict:
    community = scope["communities.Community"].get()
    return {
        "newsletters.Segment": Segment.objects.filter(community=community),
        "newsletters.Newsletter": Newsletter.objects.filter(community=community),
        "newsletters.Section": Section.objects.filter(newsletter__community=community),
        "newsletters.Delivery": Delivery.objects.filter(newsletter__community=community),
    }
