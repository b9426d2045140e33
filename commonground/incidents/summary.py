"""The after-action summary written when an incident closes: what was asked, what was filled, how fast, by whom."""

from __future__ import annotations

import statistics

from django.db.models import QuerySet

from commonground.registry.choices import side_of

from .choices import HOLDING_STATES, AssignmentState, Priority, RequestState
from .models import Assignment, Incident

FILLED = (RequestState.COMMITTED, RequestState.DELIVERED, RequestState.RELEASED)


def held_assignments(incident: Incident) -> QuerySet[Assignment]:
    """Return the assignments that still hold resources for the incident (released when it closes)."""
    return Assignment.objects.filter(request__incident=incident, state__in=HOLDING_STATES).select_related(
        "resource", "request"
    )


def after_action(incident: Incident) -> dict:
    """Return the summary: requests filled and unfilled by priority, time to fill (median and worst, hours),
    units by the sector of the organization that brought them, and the gaps (requests not wholly filled)."""
    requests = list(incident.requests.exclude(state=RequestState.DRAFT).select_related("organization"))
    served = {}
    for row in Assignment.objects.filter(
        request__incident=incident, state__in=(AssignmentState.ACCEPTED, AssignmentState.RELEASED)
    ).values("request_id", "quantity", "resource__organization__sector", "resource__category"):
        served.setdefault(row["request_id"], []).append(row)
    by_priority = {}
    for priority in Priority:
        mine = [r for r in requests if r.priority == priority]
        by_priority[str(priority.value)] = {
            "label": str(priority.label),
            "requests": len(mine),
            "filled": sum(1 for r in mine if r.state in FILLED),
            "unfilled": sum(1 for r in mine if r.state not in FILLED and r.state != RequestState.CANCELLED),
            "cancelled": sum(1 for r in mine if r.state == RequestState.CANCELLED),
        }
    hours = [
        (r.filled_at - r.submitted_at).total_seconds() / 3600
        for r in requests
        if r.filled_at and r.submitted_at
    ]
    by_side: dict[str, int] = {"public": 0, "private": 0}
    for rows in served.values():
        for row in rows:
            by_side[side_of(row["resource__organization__sector"])] += row["quantity"]
    gaps = [
        {
            "request_id": r.pk, "reference": r.reference, "description": r.description, "priority": r.priority,
            "category": r.category, "capability": r.capability, "asked": r.quantity,
            "served": sum(row["quantity"] for row in served.get(r.pk, [])), "state": r.state,
        }
        for r in requests
        if r.state not in FILLED and r.state != RequestState.CANCELLED
    ]  # fmt: skip
    return {
        "requests": len(requests),
        "by_priority": by_priority,
        "hours_to_fill": {
            "median": round(statistics.median(hours), 2) if hours else None,
            "worst": round(max(hours), 2) if hours else None,
            "count": len(hours),
        },
        "units_by_side": by_side,
        "gaps": gaps,
    }
