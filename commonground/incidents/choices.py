"""The vocabularies of joint incident management: ICS statuses, FEMA priorities, request and assignment states,
and the CAP 1.2 values an alert carries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Organizations of these stakeholder categories (registry/data/categories.json) may open an incident.
PUBLIC_SAFETY_CATEGORIES = frozenset({"police", "fire", "ems", "emergency_management", "public_health"})


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    STABILIZING = "stabilizing", _("Stabilizing")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (IncidentStatus.ACTIVE, IncidentStatus.STABILIZING)


class Priority(models.IntegerChoices):
    """FEMA's ranking of mission assignments."""

    LIFE_SAVING = 1, _("1 Life-saving")
    LIFE_SUSTAINING = 2, _("2 Life-sustaining")
    HIGH = 3, _("3 High")
    NORMAL = 4, _("4 Normal")


# The weight of one unit served at each priority in the allocation's objective: a life-saving unit outweighs
# any number of units one priority lower that a request is likely to ask for.
PRIORITY_WEIGHTS = {1: 1000, 2: 100, 3: 10, 4: 1}


class RequestState(models.TextChoices):
    """The life of an ICS-213RR resource request."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PARTLY_COMMITTED = "partly_committed", _("Partly committed")
    COMMITTED = "committed", _("Committed")
    DELIVERED = "delivered", _("Delivered")
    RELEASED = "released", _("Released")
    CANCELLED = "cancelled", _("Cancelled")
    UNFILLED = "unfilled", _("Unfilled")


# Requests the allocation may still serve.
SERVABLE_STATES = (RequestState.APPROVED, RequestState.PARTLY_COMMITTED)
# Requests whose story is over.
FINAL_STATES = (RequestState.RELEASED, RequestState.CANCELLED, RequestState.UNFILLED)


class AssignmentState(models.TextChoices):
    """One resource's units for one request: proposed by the plan, committed by the incident's leadership,
    then accepted (a commitment) or declined by the resource's owner, and finally released."""

    PROPOSED = "proposed", _("Proposed")
    PENDING = "pending", _("Committed, awaiting the owner")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    RELEASED = "released", _("Released")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Assignments that hold a resource's units.
HOLDING_STATES = (AssignmentState.PENDING, AssignmentState.ACCEPTED)


class TimelineKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    SITREP = "sitrep", _("Situation report")


class AlertType(models.TextChoices):
    """CAP 1.2 msgType."""

    ALERT = "Alert", _("Alert")
    UPDATE = "Update", _("Update")
    CANCEL = "Cancel", _("Cancel")


class CapCategory(models.TextChoices):
    GEO = "Geo", _("Geophysical")
    MET = "Met", _("Meteorological")
    SAFETY = "Safety", _("Public safety")
    SECURITY = "Security", _("Security")
    RESCUE = "Rescue", _("Rescue and recovery")
    FIRE = "Fire", _("Fire")
    HEALTH = "Health", _("Health")
    ENV = "Env", _("Environmental")
    TRANSPORT = "Transport", _("Transport")
    INFRA = "Infra", _("Infrastructure")
    CBRNE = "CBRNE", _("CBRNE")
    OTHER = "Other", _("Other")


class CapUrgency(models.TextChoices):
    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", _("Unknown")


class CapSeverity(models.TextChoices):
    EXTREME = "Extreme", _("Extreme")
    SEVERE = "Severe", _("Severe")
    MODERATE = "Moderate", _("Moderate")
    MINOR = "Minor", _("Minor")
    UNKNOWN = "Unknown", _("Unknown")


class CapCertainty(models.TextChoices):
    OBSERVED = "Observed", _("Observed")
    LIKELY = "Likely", _("Likely")
    POSSIBLE = "Possible", _("Possible")
    UNLIKELY = "Unlikely", _("Unlikely")
    UNKNOWN = "Unknown", _("Unknown")
