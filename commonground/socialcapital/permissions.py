"""Who may see a partnership's network: everyone at its table (and the facilitators)."""

from commonground.core.visibility import Viewer


def can_see_network(viewer: Viewer, community) -> bool:
    return viewer.is_member_of(community.pk)


def can_measure_network(viewer: Viewer, community) -> bool:
    """Ask for a fresh measurement now (it runs in the worker): the co-chairs and the facilitators."""
    return viewer.is_facilitator or viewer.is_cochair_of(community.pk)


def can_introduce(viewer: Viewer, community) -> bool:
    """Introduce two organizations of the table to each other by mail: the co-chairs and the facilitators."""
    return viewer.is_facilitator or viewer.is_cochair_of(community.pk)
