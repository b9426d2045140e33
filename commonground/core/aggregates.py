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


# Markings a plain member of the table cannot see, whatever records they are on.
BEYOND_GREEN = ("TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")


def marking_counts() -> dict:
    """Return the annotations that count a cell's records under each marking beyond TLP:GREEN."""
    from django.db.models import Count, Q

    return {_count_name(m): Count("id", filter=Q(tlp=m)) for m in BEYOND_GREEN}


def markings_shown(row: dict) -> list[str]:
    """Return the markings a shown cell passes on to the page: those of its beyond-GREEN records when they
    come from one or two organizations (a plain member would have it withheld); none otherwise."""
    counts = {m: row[_count_name(m)] for m in BEYOND_GREEN}
    return [m for m, n in counts.items() if n] if is_withheld(sum(counts.values())) else []


def _count_name(marking: str) -> str:
    return "marked_" + marking.split(":")[1].lower().replace("+", "_")
