"""The choices of a newsletter: its audience, its state, each recipient's delivery, each section's kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AudienceKind(models.TextChoices):
    ALL = "all", _("All members")
    SECTOR = "sector", _("The members of one sector")
    COCHAIRS = "cochairs", _("The co-chairs")
    ISSUE = "issue", _("The organizations tied to an issue")
    ISOLATED = "isolated", _("The isolated members (the latest network measures)")
    SEGMENT = "segment", _("A saved segment")


# A saved segment is one of the other audiences, named; it never names another segment.
SEGMENT_KINDS = [(value, label) for value, label in AudienceKind.choices if value != AudienceKind.SEGMENT]


class NewsletterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    BOUNCED = "bounced", _("Bounced")
    FAILED = "failed", _("Failed")
    OPTED_OUT = "opted_out", _("Not sent: opted out of newsletters")


class SectionKind(models.TextChoices):
    MEMBERS = "members", _("New members")
    ISSUES = "issues", _("Issues adopted")
    TASKS = "tasks", _("Tasks completed")
    GOALS = "goals", _("Goals completed")
    INCIDENTS = "incidents", _("Incidents")
    MEETINGS = "meetings", _("Coming meetings")
    NETWORK = "network", _("The network")
    TEXT = "text", _("Text")
