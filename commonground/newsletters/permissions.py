"""Who composes, sends and reads a community's newsletters."""

from commonground.core.visibility import Viewer


def can_compose(viewer: Viewer, community) -> bool:
    """Compose, edit, preview and send a newsletter, and keep saved segments: the co-chairs and facilitators."""
    return viewer.is_facilitator or viewer.is_cochair_of(community.pk)


def can_read_newsletters(viewer: Viewer, community) -> bool:
    """Read the sent editions (each as its sections' records allow): everyone at the table."""
    return viewer.is_member_of(community.pk)
