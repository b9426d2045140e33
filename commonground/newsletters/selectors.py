"""Reads of the newsletters, as the viewer may see them."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from commonground.agenda.models import Issue
from commonground.core.visibility import ANONYMOUS, Viewer

from .choices import DeliveryStatus, NewsletterStatus
from .models import Newsletter, Segment


def newsletter_list(*, viewer: Viewer, community=None) -> QuerySet[Newsletter]:
    """Drafts (co-chairs), sent editions (their recipients) and public editions (everyone), newest first, each
    with `in_full`: whether the viewer reads it whole or only its public edition."""
    queryset = Newsletter.objects.visible_to(viewer).with_reading(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.select_related("community").order_by("-created", "-id")


def newsletter_archive(*, viewer: Viewer, community=None) -> QuerySet[Newsletter]:
    return newsletter_list(viewer=viewer, community=community).exclude(status=NewsletterStatus.DRAFT)


def with_delivery_counts(queryset: QuerySet[Newsletter]) -> QuerySet[Newsletter]:
    return queryset.annotate(
        **{
            f"deliveries_{status}": Count("deliveries", filter=Q(deliveries__status=status))
            for status in DeliveryStatus.values
        }
    )


def public_editions(*, community) -> QuerySet[Newsletter]:
    """The public editions of a community, as a visitor reads them (the same `visible_to`)."""
    return Newsletter.objects.visible_to(ANONYMOUS).filter(community=community).order_by("-sent_at", "-id")


def segment_list(*, viewer: Viewer, community=None) -> QuerySet[Segment]:
    """The saved segments, each with `issue_visible`: whether the viewer may read its issue (a segment saved by
    another co-chair may name an issue marked for an audience the viewer is not in)."""
    queryset = Segment.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    readable = Issue.objects.visible_to(viewer).filter(pk=OuterRef("issue_id"))
    return queryset.select_related("community", "issue").annotate(issue_visible=Exists(readable))


def dashboard_context(viewer: Viewer, community) -> dict:
    from .permissions import can_compose, can_read_newsletters

    return {
        "community": community,
        "can_compose": can_compose(viewer, community),
        "can_read": can_read_newsletters(viewer, community),
    }
