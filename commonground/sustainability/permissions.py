"""Who runs the needs assessment and who answers it, who plans, who runs the meetings."""

from commonground.communities.permissions import can_manage_community
from commonground.core.visibility import Viewer
from commonground.registry.permissions import can_act_for, can_act_for_any


def can_run_assessment(viewer: Viewer, community) -> bool:
    """Co-chairs (and facilitators) open a needs assessment and word its items."""
    return can_manage_community(viewer, community)


def can_answer(viewer: Viewer, community, organization) -> bool:
    """An organization's admin answers for it; co-chairs and facilitators may enter its answers."""
    return can_act_for(viewer, community, organization)


def can_answer_any(viewer: Viewer, community) -> bool:
    return can_act_for_any(viewer, community)


def can_plan(viewer: Viewer, community) -> bool:
    """Co-chairs (and facilitators) set the goals and hand out the tasks."""
    return can_manage_community(viewer, community)


def can_run_meetings(viewer: Viewer, community) -> bool:
    """Co-chairs (and facilitators) put workshops, exercises and meetings on the calendar, record who came
    and write the after-action report."""
    return can_manage_community(viewer, community)


def can_report_progress(viewer: Viewer, task) -> bool:
    """The owner organization's people report a task's progress; so do co-chairs and facilitators."""
    community = task.goal.community
    own = viewer.organization_id == task.owner_organization_id and community.pk in viewer.community_ids
    return own or can_manage_community(viewer, community)
