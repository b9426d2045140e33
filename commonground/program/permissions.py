"""Who sees what of the program: its statistics page is everyone's; the progress table is the facilitators'."""

from commonground.core.visibility import Viewer


def can_see_statistics(viewer: Viewer) -> bool:
    """The program-wide page and its API: visitors too (suppressed figures), facilitators in full."""
    return True


def sees_full_figures(viewer: Viewer) -> bool:
    """Facilitators watch over every community: they see every figure, however few organizations it rests on."""
    return viewer.is_facilitator


def can_see_progress_table(viewer: Viewer) -> bool:
    """The table of every community's progress, with the links to open each: the facilitators."""
    return viewer.is_facilitator


def can_refresh_progress(viewer: Viewer) -> bool:
    """Ask the worker to compute every community's step states again now: the facilitators."""
    return viewer.is_facilitator
