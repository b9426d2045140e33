"""Issue an incident's CAP 1.2 alerts: when it opens (Alert), changes (Update) and closes (Cancel).

An alert is stored as it was sent, with the incident's marking and named organizations at that moment, and
e-mailed to the community's members it may reach by the task queue once the write commits (`tasks.py`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of

from ..cap import CAP_NAMESPACE, alert_identifier, build_alert_xml, default_sender, headline_for, parse_alert
from ..choices import AlertType
from ..models import Alert, Incident
from ..permissions import can_lead_incident
from ..tasks import send_alert_emails


@transaction.atomic
def alert_issue(*, incident: Incident, msg_type: str, actor=None, note: str = "") -> Alert:
    """Issue the incident's next CAP alert, referencing every earlier one, and queue its e-mails.

    The incident's leadership issues alerts (`actor=None` is the system); the services that open, change and
    close an incident call this inside their own transaction.
    """
    require(
        can_lead_incident(viewer_of(actor), incident),
        _("Only the incident's leadership issues its alerts."),
    )
    msg_type = AlertType(msg_type)
    # Hold the incident while its alerts are numbered, so that two alerts never take the same number.
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk", flat=True).get()
    earlier = list(Alert.objects.filter(incident=incident).order_by("sent", "pk").values_list("sent", "xml"))
    # Each earlier alert as it named itself: its sender, identifier and sent, written as it was sent.
    references = [reference_of(xml) for _sent, xml in earlier]
    sent = timezone.now().replace(microsecond=0)
    if earlier:
        # An alert is never sent before the one it references (two within one second share their time).
        sent = max(sent, earlier[-1][0])
    identifier = alert_identifier(incident, len(earlier) + 1)
    alert = Alert(
        incident=incident,
        community_id=incident.community_id,
        organization_id=incident.organization_id,
        tlp=incident.tlp,
        msg_type=msg_type,
        identifier=identifier,
        sent=sent,
        headline=headline_for(incident, msg_type),
        xml=build_alert_xml(
            incident=incident,
            msg_type=msg_type,
            identifier=identifier,
            sent=sent,
            sender=default_sender(),
            references=references,
            note=note,
        ),
    )
    validated_save(alert)
    alert.recipient_organizations.set(incident.recipient_organizations.all())
    audit.record_create(
        actor, alert, community_id=incident.community_id, organization_id=incident.organization_id
    )
    transaction.on_commit(lambda: send_alert_emails.enqueue(alert.pk))
    return alert


def reference_of(xml: str) -> tuple[str, str, str]:
    """Return the (sender, identifier, sent) of a stored alert, as its XML says them."""
    root = parse_alert(xml)
    return tuple(root.findtext(f"{{{CAP_NAMESPACE}}}{name}") for name in ("sender", "identifier", "sent"))
