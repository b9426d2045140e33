"""Who may add to and change a community's hazards."""

from commonground.communities.permissions import can_manage_community
from commonground.core.visibility import Viewer


def can_add_hazard(viewer: Viewer, community) -> bool:
    """Co-chairs add the hazards their community faces beyond the catalogue."""
    return can_manage_community(viewer, community)


def can_edit_hazard(viewer: Viewer, hazard) -> bool:
    """The catalogue is fixed; a community's own hazards are its co-chairs' to change."""
    return hazard.community is not None and can_manage_community(viewer, hazard.community)
