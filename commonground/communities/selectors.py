"""Reads about communities: who the viewer is in them, and what they may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from commonground.core.kept import Kept
from commonground.core.kept_pages import name_list
from commonground.core.kept_rows import kept_rows
from commonground.core.models import AuditEntry
from commonground.core.timezones import community_today, zone_named
from commonground.core.visibility import Viewer

from .models import CoChair, Community, Membership


def organizations_at(community_ids: frozenset[int]) -> QuerySet:
    """Return a subquery of the ids of the organizations at the given communities' tables."""
    return Membership.objects.filter(community_id__in=sorted(community_ids)).values("organization_id")


def audit_entry_list(*, viewer: Viewer, community: Community) -> QuerySet[AuditEntry]:
    """Return the entries of the community's record of changes the viewer may read, each annotated with whether
    they may see its marked values (`marking_visible`).

    The query is built once per viewer and community in each process and copied for each call, as
    `resources.selectors.resource_list` builds its own: building the TLP conditions twice (which entries, whose
    values) was a fifth of the page's time. The key is the whole `Viewer` (frozen: every fact the conditions
    read) and the community's key; the conditions are SQL (the table's organizations a subquery), so a kept
    query reads the entries as they are when it runs. The list is named by the same (`core.kept_pages`), so that
    its pages' SQL is kept too."""
    built = _built_audit_lists.get_or_build(
        (viewer, community.pk),
        lambda: (
            AuditEntry.objects.visible_to(viewer)
            .filter(
                Q(community_id=community.pk)
                | Q(
                    organization_id__in=Membership.objects.filter(community_id=community.pk).values(
                        "organization_id"
                    )
                )
            )
            .annotate_marking_visible(viewer)
            .select_related("content_type")
        ),
    )
    return name_list(built.all(), ("audit log", viewer, community.pk))


# The record of changes' queries built in this process, by (viewer, community key); the least lately used go first.
_built_audit_lists: Kept[QuerySet[AuditEntry]] = Kept(500)


def communities_open_to(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer may open, by name, without counting their members."""
    return Community.objects.visible_to(viewer).order_by("name", "pk")


def community_list(*, viewer: Viewer) -> QuerySet[Community]:
    """Return the communities the viewer may open, with their member counts."""
    return communities_open_to(viewer=viewer).annotate(organization_count=Count("memberships", distinct=True))


def community_by_slug(viewer: Viewer, slug: str) -> Community | None:
    """Return the community of the slug if the viewer may see it, by SQL compiled once for what it is made of
    (the viewer, whose facts `visible_to` reads, and the slug: `core.kept_rows`)."""
    return next(
        iter(
            kept_rows(
                ("community by slug", viewer, slug),
                lambda: Community.objects.visible_to(viewer).with_slug(slug).order_by("pk")[:1],
                Community.objects.db,
            )
        ),
        None,
    )


def community_get(*, viewer: Viewer, slug: str) -> Community:
    """Return one community the viewer may open; a community they may not see is missing (404). Every
    community page asks it: read by `community_by_slug`'s kept SQL."""
    community = community_by_slug(viewer, slug)
    if community is None:
        raise Http404("No community the viewer may open has this address.")
    return community


def cochair_list(*, viewer: Viewer, community: Community | None = None) -> QuerySet[CoChair]:
    """Return the co-chairs of the communities the viewer may open (of one community, when named)."""
    if community is None:
        cochairs = CoChair.objects.filter(community__in=Community.objects.visible_to(viewer))
    elif viewer.is_member_of(community.pk):
        # `Community.visible_to` asked of one community already read: no subquery for every page that shows it.
        cochairs = CoChair.objects.filter(community=community)
    else:
        cochairs = CoChair.objects.none()
    return cochairs.select_related("community", "person__organization")


def seat_counts(community: Community) -> dict[str, int]:
    """Return {sector: organizations at the table} (sectors with none left out), in one query; read once
    while a snapshot of the community's progress is built (`progress.memoized`)."""
    from .progress import memoized

    def count() -> dict[str, int]:
        rows = Membership.objects.filter(community=community).values_list("organization__sector")
        return dict(rows.annotate(n=Count("pk")).order_by())

    return memoized(("seat_counts", community.pk), count)


def membership_list(*, viewer: Viewer) -> QuerySet[Membership]:
    """Return the memberships of the communities the viewer may open."""
    return (
        Membership.objects.filter(community__in=Community.objects.visible_to(viewer))
        .select_related("community", "organization")
        .order_by("community__name", "organization__name", "pk")
    )


def community_days(
    *, community: Community | None = None, today: datetime.date | None = None
) -> Iterator[tuple[datetime.date, Q]]:
    """Yield (today, the communities whose day it is) for work run outside a request (reminders at 02:00 UTC):
    each community's today on its own clock, one pair per time zone the communities keep (a handful); the
    second is a condition on Community. One pair for one community, or for every community on a given day."""
    if community is not None:
        yield today or community_today(community), Q(pk=community.pk)
        return
    if today is not None:
        yield today, Q()
        return
    for name in Community.objects.order_by("time_zone").values_list("time_zone", flat=True).distinct():
        yield timezone.localdate(timezone=zone_named(name) or datetime.UTC), Q(time_zone=name)
