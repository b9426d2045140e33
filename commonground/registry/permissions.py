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
