"""Which export a reader may have: the one rule the export page and `commonground export` share."""

from __future__ import annotations

from commonground.communities.models import Community
from commonground.core.exchange import EXPORTS, Export
from commonground.core.visibility import Viewer


class NoSuchExport(LookupError):
    """No export of that kind, or a community the reader may not open: the same answer, as a 404 is."""


def export_build(*, viewer: Viewer, kind: str, community: Community) -> Export:
    """Build one export for a reader, refusing one who may not open the community (not a member, not a
    facilitator) before anything is read."""
    if kind not in EXPORTS or not Community.objects.visible_to(viewer).filter(pk=community.pk).exists():
        raise NoSuchExport(f"There is no {kind} export of a community '{community.slug}' that you may open.")
    return EXPORTS[kind](viewer=viewer, community=community)
