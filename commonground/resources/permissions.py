"""Who may record and change the resources and agreements of an organization."""

from commonground.core.visibility import Viewer
from commonground.registry.permissions import can_act_for, can_act_for_any


def can_add_resource(viewer: Viewer, community, organization) -> bool:
    """An organization's admin records its resources; co-chairs and facilitators may record for anyone."""
    return can_act_for(viewer, community, organization)


def can_edit_resource(viewer: Viewer, resource) -> bool:
    """The holder's admin, a co-chair of the resource's community, or a facilitator."""
    return can_act_for(viewer, resource.community, resource.organization)


def can_record_resources(viewer: Viewer, community) -> bool:
    """Whether the viewer may record a resource for at least one organization at the table."""
    return can_act_for_any(viewer, community)


def can_add_agreement(viewer: Viewer, community, organization) -> bool:
    """Agreements are recorded by one of their parties' admins, or by co-chairs and facilitators."""
    return can_act_for(viewer, community, organization)


def can_edit_agreement(viewer: Viewer, agreement) -> bool:
    return can_act_for(viewer, agreement.community, agreement.organization)
