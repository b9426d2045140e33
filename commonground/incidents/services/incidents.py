"""Open, change and close an incident, and plan its operational periods; each step alerts the partnership."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import (
    assign,
    check_still_visible,
    owned_record_update,
    require,
    set_related,
    split_related,
    validated_save,
    viewer_of,
)

from .. import summary
from ..cap import cap_category_for
from ..choices import AlertType, IncidentStatus
from ..models import Incident, OperationalPeriod
from ..permissions import can_lead_incident, can_open_incident
from .alerts import alert_issue
from .assignments import assignment_release
from .holdings import record_under_incident
from .timeline import activity_log

INCIDENT_FIELDS = (
    "hazard", "title", "description", "is_exercise", "status", "started_at", "latitude", "longitude",
    "radius_km", "polygon", "area_description", "cap_category", "urgency", "severity", "certainty", "tlp",
)  # fmt: skip
RECIPIENT_FIELDS = ("recipient_organizations",)
# What, when changed, is news the partnership is alerted to (a CAP Update).
ALERTED_FIELDS = {"title", "status", "latitude", "longitude", "radius_km", "polygon", "urgency", "severity",
                  "certainty", "hazard", "description", "tlp"}  # fmt: skip
PERIOD_FIELDS = ("starts_at", "ends_at", "objectives")


def _next_number(queryset, field: str = "number") -> int:
    return (queryset.aggregate(top=Max(field))["top"] or 0) + 1


@transaction.atomic
def incident_open(*, actor, community, organization, hazard, title: str, **data: Any) -> Incident:
    """Open an incident and activate the partnership: the members are alerted (CAP Alert, and e-mail through
    the task queue). Co-chairs, facilitators, and the admins of a public-safety organization at the table."""
    require(
        can_open_incident(viewer_of(actor), community, organization),
        _("Only co-chairs and the admins of a public-safety organization at the table open an incident."),
    )
    check_seated(community, organization)
    if hazard is not None and hazard.community_id not in (None, community.pk):
        raise ValidationError({"hazard": _("Choose a hazard of the catalogue or of this community.")})
    data, recipients = split_related(data, RECIPIENT_FIELDS)
    if data.get("status", IncidentStatus.ACTIVE) == IncidentStatus.CLOSED:
        raise ValidationError({"status": _("An incident opens active or stabilizing; close it afterwards.")})
    incident = Incident(
        community=community, organization=organization, hazard=hazard, title=title,
        number=_next_number(Incident.objects.filter(community=community)),
        opened_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    if not data.get("cap_category") and hazard is not None:
        data["cap_category"] = cap_category_for(hazard)
    assign(incident, data, INCIDENT_FIELDS)
    validated_save(incident)
    set_related(incident, recipients)
    audit.record_create(actor, incident, community_id=community.pk, organization_id=organization.pk)
    check_still_visible(actor, Incident, incident.pk)
    activity_log(incident=incident, actor=actor, text=_("Incident opened: the partnership is activated."))
    alert_issue(incident=incident, msg_type=AlertType.ALERT, actor=actor)
    return incident


@transaction.atomic
def incident_update(*, actor, incident: Incident, data: dict[str, Any]) -> Incident:
    """Change an incident (its status between active and stabilizing, area, CAP values, marking); the
    leadership. A change the partnership should know of issues a CAP Update."""
    if data.get("status") == IncidentStatus.CLOSED:
        raise ValidationError(
            {"status": _("Close the incident with its own action, which writes the summary.")}
        )
    if not incident.is_open:
        raise ValidationError({"status": _("The incident is closed; its record is final.")})
    before = {name: getattr(incident, name) for name in ALERTED_FIELDS}
    incident = owned_record_update(
        actor=actor, instance=incident, data=data, fields=INCIDENT_FIELDS, related=RECIPIENT_FIELDS,
        allowed=can_lead_incident(viewer_of(actor), incident),
        denied=_("Only the incident's leadership (co-chairs, the opening organization) changes it."),
    )  # fmt: skip
    changed = sorted(name for name in ALERTED_FIELDS if getattr(incident, name) != before[name])
    if changed:
        labels = ", ".join(str(Incident._meta.get_field(name).verbose_name) for name in changed)
        activity_log(
            incident=incident, actor=actor, text=_("Incident updated: %(fields)s.") % {"fields": labels}
        )
        alert_issue(incident=incident, msg_type=AlertType.UPDATE, actor=actor)
    return incident


@transaction.atomic
def incident_close(*, actor, incident: Incident, note: str = "") -> Incident:
    """Close an incident: the after-action summary is written, resources still held are released, and the
    partnership is told (a CAP Cancel). The leadership."""
    require(
        can_lead_incident(viewer_of(actor), incident),
        _("Only the incident's leadership (co-chairs, the opening organization) closes it."),
    )
    if not incident.is_open:
        raise ValidationError({"status": _("The incident is already closed.")})
    before = audit.snapshot(incident)
    for assignment in summary.held_assignments(incident):
        assignment_release(actor=None, assignment=assignment)
    incident.status = IncidentStatus.CLOSED
    incident.closed_at = timezone.now()
    incident.summary = summary.after_action(incident)
    incident.save(update_fields=["status", "closed_at", "summary", "updated"])
    audit.record_update(
        actor, incident, before, community_id=incident.community_id, organization_id=incident.organization_id
    )
    activity_log(incident=incident, actor=actor, text=_("Incident closed. %(note)s") % {"note": note})
    alert_issue(incident=incident, msg_type=AlertType.CANCEL, actor=actor, note=note)
    return incident


@transaction.atomic
def period_add(*, actor, incident: Incident, **data: Any) -> OperationalPeriod:
    """Plan the next operational period with its objectives; the leadership."""
    require(
        can_lead_incident(viewer_of(actor), incident),
        _("Only the incident's leadership plans its operational periods."),
    )
    if not incident.is_open:
        raise ValidationError({"objectives": _("The incident is closed.")})
    period = OperationalPeriod(incident=incident, number=_next_number(incident.periods.all()))
    assign(period, data, PERIOD_FIELDS)
    validated_save(period)
    record_under_incident(actor, period, None, incident=incident)
    activity_log(
        incident=incident, actor=actor, text=_("Operational period %(n)s planned.") % {"n": period.number}
    )
    return period


@transaction.atomic
def period_update(*, actor, period: OperationalPeriod, data: dict[str, Any]) -> OperationalPeriod:
    incident = period.incident
    require(
        can_lead_incident(viewer_of(actor), incident),
        _("Only the incident's leadership plans its operational periods."),
    )
    before = audit.snapshot(period)
    assign(period, data, PERIOD_FIELDS)
    validated_save(period)
    record_under_incident(actor, period, before, incident=incident)
    return period
