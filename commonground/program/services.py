"""Writes of the program: each community's step states, computed from its data by `communities.progress`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commonground.communities.models import Community
from commonground.communities.progress import community_progress
from commonground.core import audit

from .models import StepRecord


@transaction.atomic
def progress_refresh(*, community: Community) -> list[StepRecord]:
    """Compute the community's six step states now and keep them (run by the worker and the commands, never
    inside a request: each step's evaluator reads that step's records)."""
    now = timezone.now()
    kept = []
    for state in community_progress(community):
        record, _created = StepRecord.objects.update_or_create(
            community=community,
            number=state.number,
            defaults={"status": state.status, "summary": str(state.summary)[:500], "computed_at": now},
        )
        kept.append(record)
    audit.touched(StepRecord)  # the system's reading, with no entry: the program's kept rows are read again
    return kept


def progress_refresh_all() -> int:
    """Compute every community's step states; return how many communities."""
    count = 0
    for community in Community.objects.order_by("pk").iterator():
        progress_refresh(community=community)
        count += 1
    return count
