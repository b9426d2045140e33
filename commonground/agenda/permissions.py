"""Who may propose, endorse, discuss and decide the common issues, and who votes."""

from commonground.communities.permissions import can_manage_community
from commonground.core.visibility import Viewer
from commonground.registry.permissions import can_act_for


def can_speak_for(viewer: Viewer, community, organization) -> bool:
    """Any member speaks for their own organization at their table; co-chairs and facilitators for anyone there."""
    own = viewer.organization_id == organization.pk and community.pk in viewer.community_ids
    return own or can_act_for(viewer, community, organization)


def can_take_part(viewer: Viewer, community) -> bool:
    """Whether the viewer may propose, endorse and discuss at the community's table."""
    return (
        viewer.is_facilitator
        or viewer.is_cochair_of(community.pk)
        or (viewer.organization_id is not None and community.pk in viewer.community_ids)
    )


def can_edit_issue(viewer: Viewer, issue) -> bool:
    """The proposing organization's members change a proposal until it is decided; co-chairs at any time."""
    if can_manage_community(viewer, issue.community):
        return True
    return issue.status == "proposed" and viewer.organization_id == issue.organization_id


def can_decide(viewer: Viewer, community) -> bool:
    """Co-chairs (and facilitators) adopt, set aside and merge issues, and run the votes."""
    return can_manage_community(viewer, community)


def can_cast_ballot(viewer: Viewer, vote, organization) -> bool:
    """An organization's admin casts its ballot; co-chairs and facilitators may enter one for it."""
    return can_act_for(viewer, vote.community, organization)
