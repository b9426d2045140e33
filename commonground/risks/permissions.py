"""Who may add to and change a community's hazards."""

from commonground.communities.permissions import can_manage_community
from commonground.core.visibility import Viewer
from commonground.registry.permissions import can_act_for, can_act_for_any


def can_add_hazard(viewer: Viewer, community) -> bool:
    """Co-chairs add the hazards their community faces beyond the catalogue."""
    return can_manage_community(viewer, community)


def can_edit_hazard(viewer: Viewer, hazard) -> bool:
    """The catalogue is fixed; a community's own hazards are its co-chairs' to change."""
    return hazard.community is not None and can_manage_community(viewer, hazard.community)


def can_assess(viewer: Viewer, community, organization) -> bool:
    """An organization's admin keeps its critical functions and self-assessment; co-chairs and
    facilitators may enter them for it (at a workshop, from paper)."""
    return can_act_for(viewer, community, organization)


def can_edit_assessment(viewer: Viewer, record) -> bool:
    """Whoever may assess for the record's organization changes its assessments and critical functions."""
    return can_act_for(viewer, record.community, record.organization)


def can_assess_any(viewer: Viewer, community) -> bool:
    """Whether the viewer may keep the assessment of at least one organization at the table."""
    return can_act_for_any(viewer, community)
