"""Who a newsletter goes to: the logins of the people of the organizations its audience names.

A recipient is a person at one of the table's organizations with an active login and an address (the
preview applies TLP to that login's viewer; a person with no login has no viewer to apply it to). Those who
turned newsletters off on their profile are counted apart, and asked again when the mail goes
(`tasks.newsletter_send_batch`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import wants_mail
from commonground.agenda.models import Endorsement
from commonground.communities.models import CoChair, Membership
from commonground.socialcapital.models import NetworkSnapshot

from .choices import AudienceKind


def _organizations(community, kind: str, *, sector: str = "", issue=None):
    """Return the ids of the table's organizations an audience names (None: the co-chairs, who are people)."""
    seated = Membership.objects.filter(community=community).values("organization_id")
    if kind == AudienceKind.SECTOR:
        return Membership.objects.filter(community=community, organization__sector=sector).values(
            "organization_id"
        )
    if kind == AudienceKind.ISSUE:
        if issue is None or issue.community_id != community.pk:
            return []
        endorsing = Endorsement.objects.filter(issue=issue).values_list("organization_id", flat=True)
        tied = {issue.organization_id, *endorsing}
        return list(Membership.objects.filter(community=community, organization_id__in=tied).values_list(
            "organization_id", flat=True
        ))  # fmt: skip
    if kind == AudienceKind.ISOLATED:
        latest = NetworkSnapshot.objects.filter(community=community).order_by("-month").first()
        isolated = latest.measures.get("isolated", {}).get("ids", []) if latest else []
        return list(
            Membership.objects.filter(community=community, organization_id__in=isolated).values_list(
                "organization_id", flat=True
            )
        )
    return seated


def audience_of(newsletter) -> tuple[str, str, object]:
    """Return the newsletter's audience as (kind, sector, issue), a saved segment read through."""
    if newsletter.audience_kind == AudienceKind.SEGMENT:
        segment = newsletter.audience_segment
        if segment is None:
            return AudienceKind.SEGMENT, "", None
        return segment.kind, segment.sector, segment.issue
    return newsletter.audience_kind, newsletter.audience_sector, newsletter.audience_issue


def audience_users(community, kind: str, *, sector: str = "", issue=None) -> QuerySet:
    """Return the active logins with an address that the audience names, ordered by address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if kind == AudienceKind.SEGMENT:  # a newsletter whose segment was removed: nobody
        return users.none()
    if kind == AudienceKind.COCHAIRS:
        people = CoChair.objects.filter(community=community).values("person_id")
        users = users.filter(person__in=people)
    else:
        users = users.filter(
            person__organization_id__in=_organizations(community, kind, sector=sector, issue=issue)
        )
    return users.order_by("email", "pk")


def newsletter_audience(newsletter) -> QuerySet:
    kind, sector, issue = audience_of(newsletter)
    return audience_users(newsletter.community, kind, sector=sector, issue=issue)


def split_opted_out(users) -> tuple[list, list]:
    """Return (those who want newsletters, those who turned them off)."""
    wanting, opted_out = [], []
    for user in users:
        (wanting if wants_mail(user, MailKind.NEWSLETTERS) else opted_out).append(user)
    return wanting, opted_out
