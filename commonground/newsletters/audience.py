"""Who a newsletter goes to: the logins of the people of the organizations its audience names.

A recipient is a person at one of the table's organizations with an active login and an address (the
preview applies TLP to that login's viewer; a person with no login has no viewer to apply it to). Those who
turned newsletters off on their profile are counted apart, and asked again when the mail goes
(`tasks.newsletter_send_batch`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import wants_mail
from commonground.agenda.models import Endorsement, Issue
from commonground.communities.models import CoChair, Membership
from commonground.core.visibility import Viewer
from commonground.registry.models import Person
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


def audience_users(community, kind: str, *, viewer: Viewer, sector: str = "", issue=None) -> QuerySet:
    """Return the active logins with an address that the audience names, ordered by address. The organizations
    tied to an issue are named only to a viewer (the composing co-chair) who may see the issue: to anyone else
    the audience is nobody, so its list tells nothing of who endorsed it."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if kind == AudienceKind.SEGMENT:  # a newsletter whose segment was removed: nobody
        return users.none()
    if kind == AudienceKind.ISSUE and (
        issue is None or not Issue.objects.visible_to(viewer).filter(pk=issue.pk).exists()
    ):
        return users.none()
    if kind == AudienceKind.COCHAIRS:
        people = CoChair.objects.filter(community=community).values("person_id")
        users = users.filter(person__in=people)
    else:
        users = users.filter(
            person__organization_id__in=_organizations(community, kind, sector=sector, issue=issue)
        )
    return users.order_by("email", "pk")


def newsletter_audience(newsletter, *, viewer: Viewer) -> QuerySet:
    """Return the newsletter's recipients as `viewer` (who composes or sends it) may name them."""
    kind, sector, issue = audience_of(newsletter)
    return audience_users(newsletter.community, kind, viewer=viewer, sector=sector, issue=issue)


def recipient_name(user, *, contact_shown: bool) -> str:
    """A recipient's name; their address stands in for it only where the viewer may see their contact details."""
    return user.get_full_name() or (user.email if contact_shown else _("A recipient with no name given"))


def with_contact_shown(users: QuerySet, *, viewer: Viewer) -> QuerySet:
    """Annotate `contact_shown`: whether the viewer may see the login's person's contact details (their
    `contact_tlp`, the same rule as the registry's), so a list of recipients shows the address only then."""
    person = Person.objects.filter(user=OuterRef("pk")).filter(Person.objects.tlp_q(viewer))
    return users.annotate(contact_shown=Exists(person))


def split_opted_out(users) -> tuple[list, list]:
    """Return (those who want newsletters, those who turned them off)."""
    wanting, opted_out = [], []
    for user in users:
        (wanting if wants_mail(user, MailKind.NEWSLETTERS) else opted_out).append(user)
    return wanting, opted_out
