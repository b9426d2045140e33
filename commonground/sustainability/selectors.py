"""Reads of step 6, as the viewer may see them."""

from django.db.models import QuerySet

from commonground.core.visibility import Viewer

from .models import NeedsAnswer, NeedsAssessment


def assessment_list(*, viewer: Viewer, community=None) -> QuerySet[NeedsAssessment]:
    """Return the needs assessments of the communities the viewer sits in (facilitators: all)."""
    queryset = NeedsAssessment.objects.all()
    if not viewer.is_facilitator:
        queryset = queryset.filter(community_id__in=sorted(viewer.community_ids))
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.select_related("community")


def answer_list(*, viewer: Viewer, assessment=None) -> QuerySet[NeedsAnswer]:
    """Return the answers whose marking lets the viewer see them one by one."""
    queryset = NeedsAnswer.objects.visible_to(viewer)
    if assessment is not None:
        queryset = queryset.filter(item__assessment=assessment)
    return queryset.select_related("organization", "item")


def goal_list(*, viewer: Viewer, community=None):
    """Return the goals (with their tasks and the needs they answer) of the communities the viewer sits in."""
    from django.db.models import Prefetch

    from .models import Goal, Task

    queryset = Goal.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    tasks = Task.objects.select_related("owner_organization", "owner_person")
    return queryset.select_related("community").prefetch_related(Prefetch("tasks", queryset=tasks), "needs")


def task_list(*, viewer: Viewer, community=None):
    from .models import Goal, Task

    queryset = Task.objects.filter(goal__in=Goal.objects.visible_to(viewer))
    if community is not None:
        queryset = queryset.filter(goal__community=community)
    return queryset.select_related("goal__community", "owner_organization", "owner_person")
