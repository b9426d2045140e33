"""Background work of the program: computing the communities' step states, never inside a request."""

from __future__ import annotations

from django_tasks import task

from commonground.communities.models import Community
from commonground.core.visibility import ANONYMOUS

from . import selectors
from .services import progress_refresh, progress_refresh_all


def warm_visitor_figures() -> None:
    """Settle a visitor's figures now (the statistics', then the progress table's organizations alone) and keep
    them in the cache (`selectors.settle`), so that the first visitor after a change of the data does not pay
    the bounds' linear programs. Every reader who is not a facilitator gets the same figures."""
    selectors.statistics(viewer=ANONYMOUS)
    selectors.settled_organizations(viewer=ANONYMOUS)


@task()
def refresh_progress(community_id: int | None = None) -> int:
    """Compute one community's step states (every community's when None), then warm a visitor's settled
    figures; return how many communities."""
    if community_id is None:
        count = progress_refresh_all()
    else:
        community = Community.objects.filter(pk=community_id).first()
        if community is None:
            return 0
        progress_refresh(community=community)
        count = 1
    warm_visitor_figures()
    return count
