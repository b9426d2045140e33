"""The background work of joint incident management: mailing an alert to the members it may reach, and an
assignment's steps to those who act on them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import recipients_wanting
from commonground.core.mail import mail_deliver, mail_message
from commonground.core.tlp import narrowest
from commonground.core.viewer import viewer_for, viewers_for

from .cap import CAP_CONTENT_TYPE, incident_url, info_text, parse_alert
from .models import Alert, Assignment, Incident
from .permissions import can_lead_incident
from .selectors import assignment_answerers, latest_plan
from .services.plans import plan_propose


def alert_recipients(alert: Alert) -> list[tuple[object, str]]:
    """Return (user, address) for every active login of an organization at the alert's community's table that
    may see the alert by its marking and its incident's, one address each.

    The address is the person's as the table knows it (their login's when the person has none). The rule is
    the same queryset every page reads (`Alert.objects.visible_to`), asked for each reader.
    """
    users = list(
        get_user_model()
        .objects.filter(is_active=True, person__organization__memberships__community_id=alert.community_id)
        .select_related("person")
        .distinct()
        .order_by("pk")
    )
    recipients, seen = [], set()
    for user, viewer in zip(users, viewers_for(users), strict=True):
        address = (user.person.email or user.email or "").strip()
        if not address or address.lower() in seen:
            continue
        if not Alert.objects.visible_to(viewer).filter(pk=alert.pk).exists():
            continue
        seen.add(address.lower())
        recipients.append((user, address))
    return recipients_wanting(MailKind.INCIDENT_ALERTS, recipients)


def alert_message(alert: Alert, address: str) -> dict:
    """Return the e-mail of an alert to one reader (as core.mail queues it): its marking first, what to do, the
    links, the CAP attached."""
    root = parse_alert(alert.xml)
    site = settings.SITE_URL.rstrip("/")
    context = {
        "alert": alert,
        "marking": alert.tlp,
        "is_exercise": alert.incident.is_exercise,
        "event": info_text(root, "event"),
        "description": info_text(root, "description"),
        "instruction": info_text(root, "instruction"),
        "area": info_text(root, "area", "areaDesc"),
        "incident_url": incident_url(alert.incident),
        "xml_url": site + alert.get_absolute_url(),
    }
    return mail_message(
        subject=f"[{alert.tlp}] {alert.headline}",
        body=render_to_string("incidents/email/alert.txt", context),
        to=[address],
        attachments=[(f"{alert.identifier}.xml", alert.xml, CAP_CONTENT_TYPE)],
    )


@task()
def send_alert_emails(alert_id: int) -> int:
    """Mail an alert to each member of its community allowed to see it; return how many mails went out. A mail
    server's failure is retried for the mails not yet sent (core.mail)."""
    alert = (
        Alert.objects.select_related("incident__hazard", "incident__community").filter(pk=alert_id).first()
    )
    if alert is None:  # the incident was deleted before the worker came to it
        return 0
    recipients = alert_recipients(alert)
    if not recipients:
        return 0
    return mail_deliver.call([alert_message(alert, address) for _user, address in recipients])


# -- an assignment's news to the one who must act on it -------------------------------------------------------

# Who hears of each step of an assignment: the resource's owner is asked to answer a commitment; the leader who
# committed it hears the answer.
ASSIGNMENT_EVENTS = ("committed", "accepted", "declined")


def assignment_recipients(assignment: Assignment, event: str) -> list[tuple[object, str]]:
    """Return (user, address) of those to tell of the assignment's step: for a commitment, the admins of the
    resource's organization who may see it (`selectors.assignment_answerers`); for an answer, the leader who
    committed it, if the leader may still see it."""
    if event == "committed":
        users = assignment_answerers(assignment)
    else:
        users = [
            user
            for user in get_user_model().objects.filter(is_active=True, pk=assignment.committed_by_id)
            if Assignment.objects.visible_to(viewer_for(user)).filter(pk=assignment.pk).exists()
        ]
    recipients, seen = [], set()
    for user in users:
        address = (getattr(getattr(user, "person", None), "email", "") or user.email or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients.append((user, address))
    return recipients_wanting(MailKind.INCIDENT_ASSIGNMENTS, recipients)


@task()
def send_assignment_emails(assignment_id: int, event: str) -> int:
    """Mail the news of an assignment's step to those who act on it; return how many mails went out."""
    assignment = (
        Assignment.objects.select_related("resource", "request__incident__community", "decided_by")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or event not in ASSIGNMENT_EVENTS:
        return 0
    recipients = assignment_recipients(assignment, event)
    if not recipients:
        return 0
    incident = assignment.request.incident
    marking = narrowest([incident.tlp, assignment.resource.tlp])
    context = {
        "assignment": assignment,
        "event": event,
        "marking": marking,
        "incident": incident,
        "incident_url": incident_url(incident),
    }
    subject = {
        "committed": _("Asked of you: %(resource)s for %(reference)s"),
        "accepted": _("Accepted: %(resource)s for %(reference)s"),
        "declined": _("Declined: %(resource)s for %(reference)s"),
    }[event] % {"resource": assignment.resource.name, "reference": assignment.request.reference}
    body = render_to_string("incidents/email/assignment.txt", context)
    return mail_deliver.call(
        [
            mail_message(subject=f"[{marking}] {subject}", body=body, to=[address])
            for _user, address in recipients
        ]
    )


@task()
def resolve_plan(incident_id: int) -> int:
    """Solve an incident's plan again for what remains, after an owner answered an assignment: as the leader who
    proposed the latest plan (so it offers only what that leader may see), while the incident is open and that
    leader still leads it. Return how many assignments the new plan proposes (0 when nothing was solved)."""
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None or not incident.is_open:
        return 0
    previous = latest_plan(incident=incident)
    proposer = previous.created_by if previous is not None else None
    if proposer is None or not proposer.is_active or not can_lead_incident(viewer_for(proposer), incident):
        return 0
    return plan_propose(actor=proposer, incident=incident).assignments.count()
