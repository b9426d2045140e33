"""What of the program's records a one-community backup holds: its step states."""

from commonground.core.backup import CommunityScope

from .models import StepRecord


def community_scope(scope: CommunityScope) -> dict:
    community = scope["communities.Community"].get()
    return {"program.StepRecord": StepRecord.objects.filter(community=community)}
