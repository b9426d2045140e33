"""Writes of the newsletters: composing a draft (pre-filled), editing it, its sections, saved segments, sending,
and a reader's opt-out. Each checks its permission, validates, audits, in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.choices import MailKind
from commonground.core import audit
from commonground.core.audit import snapshot
from commonground.core.services import assign, require, validated_save, viewer_of
from commonground.core.timezones import community_today
from commonground.core.tlp import TLP

from .audience import newsletter_audience
from .choices import AudienceKind, NewsletterStatus, SectionKind
from .compose import news_since, prefill
from .models import OWN_MARKINGS, Delivery, Newsletter, Section, Segment
from .permissions import can_compose

DENIED = "Only co-chairs and facilitators compose and send newsletters."
NEWSLETTER_FIELDS = (
    "subject", "intro", "intro_tlp", "audience_kind", "audience_sector", "audience_issue", "audience_segment",
    "public",
)  # fmt: skip
SECTION_FIELDS = ("heading", "body", "tlp", "position")
SEGMENT_FIELDS = ("name", "kind", "sector", "issue")


def _check_audience(community, *, kind, sector, issue, segment=None) -> None:
    errors = {}
    if kind == AudienceKind.SECTOR and not sector:
        errors["sector"] = _("Choose the sector.")
    if kind == AudienceKind.ISSUE and issue is None:
        errors["issue"] = _("Choose the issue.")
    if issue is not None and issue.community_id != community.pk:
        errors["issue"] = _("Choose an issue of this community.")
    if kind == AudienceKind.SEGMENT and segment is None:
        errors["segment"] = _("Choose the saved segment.")
    if segment is not None and segment.community_id != community.pk:
        errors["segment"] = _("Choose a segment of this community.")
    if errors:
        raise ValidationError(errors)


def _check_newsletter(newsletter: Newsletter) -> None:
    try:
        _check_audience(
            newsletter.community, kind=newsletter.audience_kind, sector=newsletter.audience_sector,
            issue=newsletter.audience_issue, segment=newsletter.audience_segment,
        )  # fmt: skip
    except ValidationError as error:
        raise ValidationError(
            {f"audience_{key}": value for key, value in error.message_dict.items()}
        ) from None


def _check_draft(newsletter: Newsletter) -> None:
    if newsletter.status != NewsletterStatus.DRAFT:
        raise ValidationError(_("A newsletter that was sent is kept as it went; compose a new one."))


def newsletter_create(*, actor, community, subject: str = "", **data) -> Newsletter:
    """Start a draft, its sections pre-filled from what happened at the table since the last one went."""
    viewer = viewer_of(actor)
    require(can_compose(viewer, community), _(DENIED))
    since = news_since(community)
    with transaction.atomic():
        newsletter = Newsletter(
            community=community,
            subject=subject
            or _("News of %(date)s") % {"date": community_today(community).strftime("%Y-%m-%d")},
            since=since,
            created_by=actor,
        )
        assign(newsletter, data, NEWSLETTER_FIELDS)
        _check_newsletter(newsletter)
        validated_save(newsletter)
        for position, draft in enumerate(prefill(viewer, community, since), start=1):
            validated_save(
                Section(
                    newsletter=newsletter, position=position, kind=draft.kind, heading=draft.heading,
                    body=draft.body, tlp=draft.tlp, sources=draft.sources,
                )
            )  # fmt: skip
        audit.record_create(actor, newsletter, community_id=community.pk)
    return newsletter


def newsletter_update(*, actor, newsletter: Newsletter, data: dict) -> Newsletter:
    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    _check_draft(newsletter)
    with transaction.atomic():
        before = snapshot(newsletter)
        assign(newsletter, data, NEWSLETTER_FIELDS)
        if newsletter.audience_kind != AudienceKind.SECTOR:
            newsletter.audience_sector = ""
        if newsletter.audience_kind != AudienceKind.ISSUE:
            newsletter.audience_issue = None
        if newsletter.audience_kind != AudienceKind.SEGMENT:
            newsletter.audience_segment = None
        _check_newsletter(newsletter)
        validated_save(newsletter)
        audit.record_update(actor, newsletter, before, community_id=newsletter.community_id)
    return newsletter


def newsletter_delete(*, actor, newsletter: Newsletter) -> None:
    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    _check_draft(newsletter)
    with transaction.atomic():
        audit.record_delete(actor, newsletter, community_id=newsletter.community_id)
        newsletter.delete()


def section_create(
    *, actor, newsletter: Newsletter, heading: str, body: str = "", tlp: str = TLP.GREEN
) -> Section:
    """Add a section of the co-chairs' own words (TLP:GREEN or TLP:CLEAR; it names no record)."""
    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    _check_draft(newsletter)
    if tlp not in dict(OWN_MARKINGS):
        raise ValidationError(
            {"tlp": _("Your own words go to the table (TLP:GREEN) or to everyone (TLP:CLEAR).")}
        )
    position = max(newsletter.sections.values_list("position", flat=True), default=0) + 1
    with transaction.atomic():
        section = validated_save(
            Section(newsletter=newsletter, position=position, kind=SectionKind.TEXT, heading=heading, body=body,
                    tlp=tlp)
        )  # fmt: skip
        audit.record_create(actor, section, community_id=newsletter.community_id)
    return section


WITHHELD = "(built from records; its text is not kept in the log)"


def _audit_section(actor, section: Section, action: str, before: dict | None, after: dict | None) -> None:
    """Audit a section. The text of one built from records repeats those records (an AMBER incident's title),
    and the community's log is read by every co-chair: it is kept out of the log, the change still recorded."""
    before, after = dict(before or {}), dict(after or {})
    if section.sources:
        for side in (before, after):
            if side.get("body"):
                side["body"] = WITHHELD
    keys = set(before) | set(after)
    changes = {key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)}
    if action == "update" and not changes:
        return
    audit.bulk_record(
        [
            audit.build_entry(actor=actor, action=action, instance=section, changes=changes,
                              community_id=section.newsletter.community_id)
        ]
    )  # fmt: skip


def section_update(*, actor, section: Section, data: dict) -> Section:
    """Edit a section's heading and text; a section built from records keeps their marking (only a section of
    the co-chairs' own words has its marking chosen)."""
    newsletter = section.newsletter
    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    _check_draft(newsletter)
    if "tlp" in data and data["tlp"] != section.tlp:
        if section.sources:
            raise ValidationError({"tlp": _("A section built from records carries their marking.")})
        if data["tlp"] not in dict(OWN_MARKINGS):
            raise ValidationError(
                {"tlp": _("Your own words go to the table (TLP:GREEN) or to everyone (TLP:CLEAR).")}
            )
    with transaction.atomic():
        before = snapshot(section)
        assign(section, data, SECTION_FIELDS)
        validated_save(section)
        _audit_section(actor, section, "update", before, snapshot(section))
    return section


def section_delete(*, actor, section: Section) -> None:
    newsletter = section.newsletter
    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    _check_draft(newsletter)
    with transaction.atomic():
        _audit_section(actor, section, "delete", snapshot(section), None)
        section.delete()


def segment_create(*, actor, community, name: str, kind: str, sector: str = "", issue=None) -> Segment:
    require(can_compose(viewer_of(actor), community), _(DENIED))
    if kind == AudienceKind.SEGMENT:
        raise ValidationError({"kind": _("A segment names one of the other audiences.")})
    _check_audience(community, kind=kind, sector=sector, issue=issue)
    with transaction.atomic():
        if Segment.objects.filter(community=community, name__iexact=name.strip()).exists():
            raise ValidationError({"name": _("This community already has a segment of that name.")})
        segment = validated_save(
            Segment(
                community=community, name=name.strip(), kind=kind,
                sector=sector if kind == AudienceKind.SECTOR else "",
                issue=issue if kind == AudienceKind.ISSUE else None,
            )
        )  # fmt: skip
        audit.record_create(actor, segment, community_id=community.pk)
    return segment


def segment_delete(*, actor, segment: Segment) -> None:
    require(can_compose(viewer_of(actor), segment.community), _(DENIED))
    with transaction.atomic():
        audit.record_delete(actor, segment, community_id=segment.community_id)
        segment.delete()


def newsletter_send(*, actor, newsletter: Newsletter) -> int:
    """Send a draft to its audience: a Delivery for each recipient, queued for the worker once this commits
    (whether each still wants newsletters is asked again when their mail goes). Return how many recipients."""
    from .tasks import newsletter_dispatch

    require(can_compose(viewer_of(actor), newsletter.community), _(DENIED))
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        _check_draft(newsletter)
        _check_newsletter(newsletter)
        recipients = list(newsletter_audience(newsletter, viewer=viewer_of(actor)).values_list("pk", "email"))
        if not recipients:
            raise ValidationError(_("This audience has nobody to send to."))
        if not newsletter.sections.exists() and not newsletter.intro.strip():
            raise ValidationError(_("The newsletter is empty."))
        before = snapshot(newsletter)
        newsletter.status = NewsletterStatus.SENDING
        newsletter.sent_at = timezone.now()
        newsletter.save(update_fields=["status", "sent_at", "updated"])
        Delivery.objects.bulk_create(
            [Delivery(newsletter=newsletter, user_id=pk, email=email) for pk, email in recipients],
            batch_size=500,
        )
        audit.record_update(actor, newsletter, before, community_id=newsletter.community_id)
        newsletter_id = newsletter.pk
        transaction.on_commit(lambda: newsletter_dispatch.enqueue(newsletter_id))
    return len(recipients)


def newsletters_unsubscribe(*, user) -> bool:
    """Turn newsletters off for a login (its own profile, or the one-click link in a newsletter, which needs
    no sign-in). Return whether anything changed."""
    unwanted = list(user.mail_unwanted or [])
    if MailKind.NEWSLETTERS.value in unwanted:
        return False
    with transaction.atomic():
        before = snapshot(user)
        user.mail_unwanted = [*unwanted, MailKind.NEWSLETTERS.value]
        user.save(update_fields=["mail_unwanted"])
        audit.record_update(user, user, before)
    return True
