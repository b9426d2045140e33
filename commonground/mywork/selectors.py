"""What waits for the viewer across the steps: each list read through its own app's selector.

Nothing here restates a visibility rule: every list starts from the owning app's selector (and so from
its `visible_to`), and this module only narrows it to the viewer's person, organization and tables. Each
list is one query whatever its length, and is cut at LIMIT rows (one more is read to say that more wait).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from commonground.agenda.choices import VoteStatus
from commonground.agenda.models import Ballot
from commonground.agenda.selectors import vote_list
from commonground.communities.models import Community
from commonground.communities.selectors import communities_open_to
from commonground.core.visibility import Viewer
from commonground.incidents.selectors import open_incidents
from commonground.registry.selectors import invitation_list
from commonground.resources.selectors import resource_list
from commonground.risks.selectors import hazard_assessment_list
from commonground.sustainability.choices import TaskStatus
from commonground.sustainability.selectors import (
    answer_list,
    meeting_list,
    needs_assessment_list,
    task_list,
)

LIMIT = 25
MEETINGS_AHEAD_DAYS = 30


@dataclass
class Section:
    """One list of the page: its first LIMIT rows, and whether more wait beyond them."""

    rows: list
    more: bool = False


def cut(queryset) -> Section:
    """Return the first LIMIT rows of a list, reading one more to know whether more wait."""
    rows = list(queryset[: LIMIT + 1])
    return Section(rows=rows[:LIMIT], more=len(rows) > LIMIT)


def my_communities(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer sits at: their organization's tables and those they co-chair.

    A facilitator may open every community, but sits only at these; the communities list holds the rest.
    """
    seated = sorted(viewer.community_ids | viewer.cochair_community_ids)
    # The page names them and links to them: their member counts (community_list's) are not read.
    return communities_open_to(viewer=viewer).filter(pk__in=seated)


def my_tasks(*, viewer: Viewer) -> QuerySet:
    """Return the open tasks the viewer owns, and their organization's that nobody in it owns yet; the
    earliest due first, so the overdue ones lead."""
    if viewer.person_id is None:
        return task_list(viewer=viewer).none()
    mine = Q(owner_person_id=viewer.person_id)
    if viewer.organization_id is not None:
        mine |= Q(owner_organization_id=viewer.organization_id, owner_person__isnull=True)
    return task_list(viewer=viewer).exclude(status=TaskStatus.DONE).filter(mine).order_by("due_on", "pk")


def open_votes(*, viewer: Viewer) -> QuerySet:
    """Return the open votes of the tables the viewer's organization sits at, those it has not cast first."""
    if viewer.organization_id is None:
        return vote_list(viewer=viewer).none()
    cast = Ballot.objects.filter(vote=OuterRef("pk"), organization_id=viewer.organization_id)
    return (
        vote_list(viewer=viewer)
        .filter(status=VoteStatus.OPEN, community_id__in=sorted(viewer.community_ids))
        .annotate(cast=Exists(cast))
        .order_by("cast", "-created", "pk")
    )


def unanswered_needs_assessments(*, viewer: Viewer, today: datetime.date | None = None) -> QuerySet:
    """Return the open needs assessments of the organization's tables that it has not submitted answers to."""
    if viewer.organization_id is None:
        return needs_assessment_list(viewer=viewer).none()
    today = today or timezone.localdate()
    # Drafts are not answers yet: an organization with only drafts is still reminded to submit.
    answered = (
        answer_list(viewer=viewer)
        .submitted()
        .filter(item__assessment=OuterRef("pk"), organization_id=viewer.organization_id)
    )
    return (
        needs_assessment_list(viewer=viewer)
        .filter(community_id__in=sorted(viewer.community_ids), opens_on__lte=today, closes_on__gte=today)
        .exclude(Exists(answered))
        .order_by("closes_on", "pk")
    )


def tables_without_hazard_assessment(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the tables the viewer's organization sits at where it has assessed no hazard (step 5)."""
    if viewer.organization_id is None:
        return Community.objects.none()
    assessed = hazard_assessment_list(viewer=viewer).filter(
        community=OuterRef("pk"), organization_id=viewer.organization_id
    )
    return (
        communities_open_to(viewer=viewer)
        .filter(pk__in=sorted(viewer.community_ids))
        .exclude(Exists(assessed))
        .order_by("name", "pk")
    )


def stale_resources(*, viewer: Viewer) -> QuerySet:
    """Return the organization's resources not verified lately (`ResourceQuerySet.stale`), the oldest first."""
    if viewer.organization_id is None:
        return resource_list(viewer=viewer).none()
    # The page names each resource and its table: the recipients the list prefetches are not shown.
    return (
        resource_list(viewer=viewer)
        .prefetch_related(None)
        .filter(organization_id=viewer.organization_id)
        .stale()
        .order_by("verified_on", "pk")
    )


def invitations_sent(*, viewer: Viewer) -> QuerySet:
    """Return the invitations the viewer sent, the newest first, with their state."""
    return invitation_list(viewer=viewer).filter(invited_by_id=viewer.user_id).order_by("-created", "-pk")


def meetings_coming(*, viewer: Viewer, days: int = MEETINGS_AHEAD_DAYS) -> QuerySet:
    """Return the meetings, workshops and exercises of the viewer's tables in the coming `days` days."""
    now = timezone.now()
    return meeting_list(viewer=viewer).filter(
        community_id__in=sorted(viewer.community_ids | viewer.cochair_community_ids),
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(days=days),
    )


def incidents_open(*, viewer: Viewer, communities: list[Community]) -> QuerySet | list:
    """Return the open incidents of the given communities the viewer may see, in one query.

    `open_incidents` answers for one community (the banner of its pages); their union asks once for all.
    """
    if not communities:
        return []
    # A compound statement takes no ORDER BY in its parts: the ordering is the union's alone.
    each = [open_incidents(viewer=viewer, community=community).order_by() for community in communities]
    return reduce(lambda left, right: left.union(right), each).order_by("community_id", "-pk")
