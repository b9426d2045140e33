"""The kinds of e-mail a user may choose to receive, and which of them nobody may turn off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("A task of the plan is assigned to me")
    REMINDERS = (
        "reminders",
        _("Reminders: needs assessments to answer, tasks coming due, resources to verify"),
    )
    ISSUE_NEWS = "issue_news", _("News of the issues I proposed or endorsed")
    INVITATIONS = "invitations", _("Invitations to a partnership's table")
    INCIDENT_ALERTS = "incident_alerts", _("Incident alerts of my communities")
    CREDENTIAL_ACTIVATIONS = (
        "credential_activations",
        _("Re-entry activations that admit my credential, or my organization's credentials"),
    )
    INCIDENT_ASSIGNMENTS = (
        "incident_assignments",
        _("An incident's request for my organization's resources, and the answers to my commitments"),
    )
    INTRODUCTIONS = "introductions", _("A co-chair introduces my organization to another at the table")
    NEWSLETTERS = "newsletters", _("My communities' newsletters")
    RECIPIENTS_REVIEW = (
        "recipients_review",
        _("Someone named on a TLP:RED record of my organization has left: review who it names"),
    )


# Whoever has a part in a response hears of it: the owner asked for a resource and the leader who committed
# it cannot act on a mail they turned off. An invitation is one person's message to one address, and the
# inviter sees whether it went: a mail held back for a login's choice would tell them that a login has that
# address (DESIGN: no "already exists" oracle). An organization's admins must hear when a TLP:RED record of
# theirs loses a named reader who left: only they can review who it names, and nobody else is told. Mail
# about the account itself (a new address, a password link) is not a kind at all: it always goes.
MANDATORY = frozenset({MailKind.INCIDENT_ASSIGNMENTS, MailKind.INVITATIONS, MailKind.RECIPIENTS_REVIEW})
OPTIONAL = tuple(kind for kind in MailKind if kind not in MANDATORY)
