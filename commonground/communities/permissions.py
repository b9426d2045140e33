"""Who may do what with a community; services and views ask here, never decide by hand."""

from commonground.core.visibility import Viewer


def can_create_community(viewer: Viewer) -> bool:
    """Facilitators start partnerships."""
    return viewer.is_facilitator


def can_manage_community(viewer: Viewer, community) -> bool:
    """Co-chairs run the table; facilitators watch over every community."""
    return viewer.is_facilitator or viewer.is_cochair_of(community.pk)


def can_invite(viewer: Viewer, community) -> bool:
    """Leaders and members bring others to the table from their own networks."""
    return viewer.is_member_of(community.pk)


def can_import(viewer: Viewer, community) -> bool:
    """Co-chairs and facilitators bring files into the table (the Import page); others enter records one by one."""
    return can_manage_community(viewer, community)
