"""Who may propose, endorse, discuss and decide the common issues, and who votes."""

from commonground.communities.permissions import can_manage_community
from commonground.core.services import SYSTEM
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
    """An organization's ballot is its own: its admins cast it, its members too where the community lets them.

    Nobody casts it for another organization, co-chairs and facilitators included (a co-chair votes as the
    admin of their own organization); only the system itself (seeding) enters ballots for the table.
    """
    if viewer is SYSTEM:
        return True
    if viewer.organization_id != organization.pk or vote.community_id not in viewer.community_ids:
        return False
    return viewer.is_organization_admin or vote.community.members_cast_ballots
