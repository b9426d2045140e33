"""Who may record and change the resources and agreements of an organization."""

from commonground.core.visibility import Viewer


def can_add_resource(viewer: Viewer, community, organization) -> bool:
    """An organization's admin records its resources; co-chairs and facilitators may record for anyone."""
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return True
    return viewer.is_organization_admin and viewer.organization_id == organization.pk


def can_edit_resource(viewer: Viewer, resource) -> bool:
    """The holder's admin, a co-chair of the resource's community, or a facilitator."""
    return can_add_resource(viewer, resource.community, resource.organization)


def can_record_resources(viewer: Viewer, community) -> bool:
    """Whether the viewer may record a resource for at least one organization at the table."""
    return (
        viewer.is_facilitator
        or viewer.is_cochair_of(community.pk)
        or (viewer.is_organization_admin and community.pk in viewer.community_ids)
    )


def can_add_agreement(viewer: Viewer, community, organization) -> bool:
    """Agreements are recorded by one of their parties' admins, or by co-chairs and facilitators."""
    return can_add_resource(viewer, community, organization)


def can_edit_agreement(viewer: Viewer, agreement) -> bool:
    return can_add_resource(viewer, agreement.community, agreement.organization)
