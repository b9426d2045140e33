"""The forms the incident pages post, and the check that a refused post wrote nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.core.tlp import TLP
from commonground.incidents.models import Alert, Incident, TimelineEntry
from commonground.risks.models import Hazard


def later(hours: int = 12) -> str:
    return (timezone.localtime() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def open_form(table, **overrides) -> dict:
    data = {
        "organization": table.public_org.pk, "hazard": Hazard.objects.get(community=None, code="tornado").pk,
        "title": "EF3 tornado, east side", "description": "A path of 12 km through the east side.",
        "status": "active", "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "latitude": "42.73", "longitude": "-84.55", "radius_km": "15", "polygon": "",
        "urgency": "Immediate", "severity": "Severe", "certainty": "Observed", "tlp": TLP.GREEN,
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def request_form(table, **overrides) -> dict:
    data = {
        "organization": table.private_org.pk, "kind": "equipment", "category": "esf12",
        "description": "Generators for the shelter", "quantity": "2", "unit": "each", "latitude": "42.74",
        "longitude": "-84.56", "needed_by": later(), "priority": "1", "accepted_terms": ["loan", "donation"],
        "action": "submit",
    }  # fmt: skip
    data.update(overrides)
    return data


def nothing_written() -> bool:
    return not (Incident.objects.exists() or TimelineEntry.objects.exists() or Alert.objects.exists())


# The list and who may open
