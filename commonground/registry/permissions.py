"""Who may change an organization and its people."""

from commonground.communities.permissions import can_manage_community
from commonground.core.visibility import Viewer


def can_add_organization(viewer: Viewer, community) -> bool:
    """Co-chairs and facilitators register organizations at their table (invitees register their own)."""
    return can_manage_community(viewer, community)


def can_edit_organization(viewer: Viewer, organization) -> bool:
    """An organization's own admin, a co-chair of a community it sits in, or a facilitator."""
    if viewer.is_facilitator:
        return True
    if viewer.is_organization_admin and viewer.organization_id == organization.pk:
        return True
    community_ids = {m.community_id for m in organization.memberships.all()}
    return bool(community_ids & viewer.cochair_community_ids)


def can_edit_person(viewer: Viewer, person) -> bool:
    """Whoever may edit the person's organization, and the person themself."""
    return viewer.person_id == person.pk or can_edit_organization(viewer, person.organization)


def can_revoke_invitation(viewer: Viewer, invitation) -> bool:
    """Its sender withdraws an invitation, and so may the co-chairs of its community and facilitators."""
    return invitation.invited_by_id == viewer.user_id or can_manage_community(viewer, invitation.community)


def can_act_for(viewer: Viewer, community, organization) -> bool:
    """Whether the viewer may keep an organization's records in a community (resources, assessments ...):
    the organization's admin, and any co-chair of the community or facilitator."""
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return True
    return viewer.is_organization_admin and viewer.organization_id == organization.pk


def can_act_for_any(viewer: Viewer, community) -> bool:
    """Whether the viewer may keep the records of at least one organization at the community's table."""
    return (
        viewer.is_facilitator
        or viewer.is_cochair_of(community.pk)
        or (viewer.is_organization_admin and community.pk in viewer.community_ids)
    )
