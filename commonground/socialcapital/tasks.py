"""Background work of the network: measuring a community's network, never inside a request."""

from __future__ import annotations

import datetime

from django_tasks import task

from commonground.communities.models import Community

from .services import snapshot_compute


@task()
def snapshot_network(community_id: int, month: str | None = None) -> int:
    """Measure one community's network for a month ("YYYY-MM-DD", this month when None); return the snapshot's
    id (0 when the community is gone)."""
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    day = datetime.date.fromisoformat(month) if month else None
    return snapshot_compute(community=community, month=day).pk


def snapshots_enqueue(communities, months: list[datetime.date | None] = (None,)) -> int:
    """Queue a measurement of each community for each month; return how many were queued."""
    count = 0
    for community in communities:
        for month in months:
            snapshot_network.enqueue(community.pk, month.isoformat() if month else None)
            count += 1
    return count
