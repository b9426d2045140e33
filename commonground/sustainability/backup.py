"""What of the needs, goals, tasks and meetings a one-community backup holds."""

from commonground.core.backup import CommunityScope

from .models import (
    Attendance,
    ExerciseObjective,
    Goal,
    Meeting,
    NeedProposal,
    NeedsAnswer,
    NeedsAssessment,
    NeedsItem,
    Observation,
    Task,
)


def community_scope(scope: CommunityScope) -> dict:
    """Return the community's needs assessments, meetings and goals, with what hangs from each."""
    community = scope["communities.Community"].get()
    return {
        "sustainability.NeedsAssessment": NeedsAssessment.objects.filter(community=community),
        "sustainability.NeedsItem": NeedsItem.objects.filter(assessment__community=community),
        "sustainability.NeedsAnswer": NeedsAnswer.objects.filter(community=community),
        "sustainability.NeedProposal": NeedProposal.objects.filter(community=community),
        "sustainability.Meeting": Meeting.objects.filter(community=community),
        "sustainability.Attendance": Attendance.objects.filter(meeting__community=community),
        "sustainability.ExerciseObjective": ExerciseObjective.objects.filter(meeting__community=community),
        "sustainability.Observation": Observation.objects.filter(meeting__community=community),
        "sustainability.Goal": Goal.objects.filter(community=community),
        "sustainability.Task": Task.objects.filter(goal__community=community),
    }
