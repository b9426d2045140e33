"""Reads of the network, as the viewer may see them."""

from __future__ import annotations

from django.db.models import QuerySet

from commonground.core.visibility import Viewer

from .models import NetworkSnapshot


def snapshot_list(*, viewer: Viewer, community=None) -> QuerySet[NetworkSnapshot]:
    """Return the snapshots of the communities the viewer sits in, newest month first."""
    queryset = NetworkSnapshot.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.order_by("community_id", "-month")


def latest_snapshot(*, viewer: Viewer, community) -> NetworkSnapshot | None:
    """Return the community's latest snapshot the viewer may see, or None."""
    return snapshot_list(viewer=viewer, community=community).first()


def dashboard_context(viewer: Viewer, community) -> dict:
    """The dashboard's panel: the latest figures and the link, for those who may see the network."""
    from .permissions import can_see_network

    visible = can_see_network(viewer, community)
    return {
        "can_see_network": visible,
        "community": community,
        "snapshot": latest_snapshot(viewer=viewer, community=community) if visible else None,
    }
