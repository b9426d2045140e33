"""Aggregates over marked records, and DESIGN's rule that keeps them from revealing a restricted record.

A count or an average shown to a reader may include records the reader may not see one by one
(restricted records) only when at least three organizations' restricted records go into it; a cell
built from restricted records of one or two organizations is withheld, whatever else is in it.
"""

MINIMUM_ORGANIZATIONS = 3


def is_withheld(restricted_organizations: int) -> bool:
    """Whether a cell into which this many organizations put restricted records must be withheld."""
    return 0 < restricted_organizations < MINIMUM_ORGANIZATIONS


def disclosed_count(count: int) -> int | None:
    """Return a count of organizations that is safe to print, or None for one or two ("fewer than three")."""
    return None if is_withheld(count) else count
