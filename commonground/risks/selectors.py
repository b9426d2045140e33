"""Reads of the hazards: the catalogue and a community's own, as the viewer may see them."""

from django.db.models import QuerySet

from commonground.core.visibility import Viewer

from .models import Hazard


def hazard_list(*, viewer: Viewer, community=None) -> QuerySet[Hazard]:
    """Return the hazards the viewer may see; for a community, the catalogue and that community's own."""
    queryset = Hazard.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.for_community(community)
    return queryset.select_related("community")
