"""What waits for the viewer across the steps: each list read through its own app's selector.

Nothing here restates a visibility rule: every list starts from the owning app's selector (and so from
its `visible_to`), and this module only narrows it to the viewer's person, organization and tables, and to
what the page shows of each row (its own fields and its community's name, no joined records). Each list is
one query whatever its length, and is cut at LIMIT rows (one more is read to say that more wait). `my_work`
reads them all by SQL kept for the viewer's facts (`kept`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import reduce

from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from commonground.agenda.choices import VoteStatus
from commonground.agenda.models import Ballot
from commonground.agenda.selectors import vote_list
from commonground.communities.models import Community
from commonground.communities.selectors import communities_open_to
from commonground.core.kept_rows import Slot, kept_rows
from commonground.core.visibility import Viewer
from commonground.incidents.models import Incident
from commonground.incidents.selectors import open_incidents
from commonground.registry.selectors import invitation_list
from commonground.resources.models import stale_before
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


def cut(rows: list) -> Section:
    """Return the first LIMIT of a list's rows, of which one more was read to know whether more wait."""
    return Section(rows=rows[:LIMIT], more=len(rows) > LIMIT)


# The meetings' window, given to their kept SQL on each request.
SINCE, UNTIL = Slot("since"), Slot("until")


def my_work(*, viewer: Viewer) -> tuple[list[Community], dict[str, Section]]:
    """Return the communities the viewer sits at and the page's lists, each read by its SQL kept for the viewer.

    Each key names the whole `Viewer` (every fact a visibility rule reads) and every other value its list
    compares with: the day (the needs assessments open, the resources' staleness), the communities (the open
    incidents'), the meetings' window as slots.
    """
    today, stale = timezone.localdate(), stale_before()
    communities = kept_rows(("my work", "communities", viewer), lambda: my_communities(viewer=viewer))
    seated = tuple(community.pk for community in communities)
    now = timezone.now()
    window = {"since": now, "until": now + datetime.timedelta(days=MEETINGS_AHEAD_DAYS)}
    lists = {
        "tasks": (("tasks", viewer), lambda: my_tasks(viewer=viewer), {}),
        "votes": (("votes", viewer), lambda: open_votes(viewer=viewer), {}),
        "needs": (
            ("needs", viewer, today),
            lambda: unanswered_needs_assessments(viewer=viewer, today=today),
            {},
        ),
        "hazards": (("hazards", viewer), lambda: tables_without_hazard_assessment(viewer=viewer), {}),
        "resources": (("resources", viewer, stale), lambda: stale_resources(viewer=viewer, before=stale), {}),
        "invitations": (("invitations", viewer), lambda: invitations_sent(viewer=viewer), {}),
        "meetings": (
            ("meetings", viewer),
            lambda: meetings_coming(
                viewer=viewer,
                since=SINCE.expression(DateTimeField()),
                until=UNTIL.expression(DateTimeField()),
            ),
            window,
        ),
        "incidents": (
            ("incidents", viewer, seated),
            lambda: incidents_open(viewer=viewer, communities=communities),
            {},
        ),
    }
    return communities, {
        name: cut(kept_rows(("my work", LIMIT + 1, key), lambda build=build: build()[: LIMIT + 1], **slots))
        for name, (key, build, slots) in lists.items()
    }


def my_communities(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer sits at: their organization's tables and those they co-chair.

    A facilitator may open every community, but sits only at these; the communities list holds the rest.
    """
    seated = sorted(viewer.community_ids | viewer.cochair_community_ids)
    # The page names them and links to them: their member counts (community_list's) are not read.
    return communities_open_to(viewer=viewer).filter(pk__in=seated).only("name", "slug")


def my_tasks(*, viewer: Viewer) -> QuerySet:
    """Return the open tasks the viewer owns, and their organization's that nobody in it owns yet; the
    earliest due first, so the overdue ones lead."""
    if viewer.person_id is None:
        return task_list(viewer=viewer).none()
    mine = Q(owner_person_id=viewer.person_id)
    if viewer.organization_id is not None:
        mine |= Q(owner_organization_id=viewer.organization_id, owner_person__isnull=True)
    return (
        task_list(viewer=viewer)
        .exclude(status=TaskStatus.DONE)
        .filter(mine)
        .select_related(None)
        .only("title", "due_on", "status", "owner_person")
        .annotate(community_name=F("goal__community__name"))
        .order_by("due_on", "pk")
    )


def open_votes(*, viewer: Viewer) -> QuerySet:
    """Return the open votes of the tables the viewer's organization sits at, those it has not cast first."""
    if viewer.organization_id is None:
        return vote_list(viewer=viewer).none()
    cast = Ballot.objects.filter(vote=OuterRef("pk"), organization_id=viewer.organization_id)
    return (
        vote_list(viewer=viewer)
        .filter(status=VoteStatus.OPEN, community_id__in=sorted(viewer.community_ids))
        .select_related(None)
        .only("title", "community")
        .annotate(cast=Exists(cast), community_name=F("community__name"))
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
        .select_related(None)
        .only("title", "community", "closes_on")
        .annotate(community_name=F("community__name"))
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
        .only("name", "slug")
        .order_by("name", "pk")
    )


def stale_resources(*, viewer: Viewer, before: datetime.date | None = None) -> QuerySet:
    """Return the organization's resources not verified since `before` (`ResourceQuerySet.stale`; by default
    since today's `stale_before`), the oldest first."""
    if viewer.organization_id is None:
        return resource_list(viewer=viewer).none()
    # The page names each resource and its table: the recipients the list prefetches are not shown.
    return (
        resource_list(viewer=viewer)
        .prefetch_related(None)
        .select_related(None)
        .filter(organization_id=viewer.organization_id)
        .stale(before=before)
        .only("name", "community", "verified_on", "tlp")
        .annotate(community_name=F("community__name"))
        .order_by("verified_on", "pk")
    )


def invitations_sent(*, viewer: Viewer) -> QuerySet:
    """Return the invitations the viewer sent, the newest first, with their state."""
    return (
        invitation_list(viewer=viewer)
        .filter(invited_by_id=viewer.user_id)
        .select_related(None)
        .only("name", "community", "status", "expires_at")
        .annotate(community_name=F("community__name"), community_slug=F("community__slug"))
        .order_by("-created", "-pk")
    )


def meetings_coming(*, viewer: Viewer, since=None, until=None) -> QuerySet:
    """Return the meetings, workshops and exercises of the viewer's tables that start from `since` (by default
    now) and before `until` (by default MEETINGS_AHEAD_DAYS later): moments, or expressions that give them."""
    if since is None:
        since = timezone.now()
    if until is None:
        until = since + datetime.timedelta(days=MEETINGS_AHEAD_DAYS)
    return (
        meeting_list(viewer=viewer)
        .filter(
            community_id__in=sorted(viewer.community_ids | viewer.cochair_community_ids),
            starts_at__gte=since,
            starts_at__lt=until,
        )
        .select_related(None)
        .only("title", "community", "starts_at")
        .annotate(community_name=F("community__name"), community_time_zone=F("community__time_zone"))
    )


def incidents_open(*, viewer: Viewer, communities: list[Community]) -> QuerySet:
    """Return the open incidents of the given communities the viewer may see, in one query.

    `open_incidents` answers for one community (the banner of its pages); their union asks once for all.
    """
    if not communities:
        return Incident.objects.none()
    # A compound statement takes no ORDER BY in its parts: the ordering is the union's alone.
    each = [open_incidents(viewer=viewer, community=community).order_by() for community in communities]
    return reduce(lambda left, right: left.union(right), each).order_by("community_id", "-pk")
