"""What of the hazards and risks a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import CriticalFunction, Hazard, HazardAssessment


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's own hazards, critical functions and hazard assessments."""
    community = scope["communities.Community"].get()
    return {
        "risks.Hazard": Hazard.objects.filter(community=community),
        "risks.CriticalFunction": CriticalFunction.objects.filter(community=community),
        "risks.HazardAssessment": HazardAssessment.objects.filter(community=community),
    }
