"""Background work of the program: computing the communities' step states, never inside a request."""

from __future__ import annotations

from django_tasks import task

from commonground.communities.models import Community

from .services import progress_refresh, progress_refresh_all


@task()
def refresh_progress(community_id: int | None = None) -> int:
    """Compute one community's step states (every community's when None); return how many communities."""
    if community_id is None:
        return progress_refresh_all()
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    progress_refresh(community=community)
    return 1
