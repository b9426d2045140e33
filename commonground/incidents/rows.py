"""What a page shows of a request, an assignment and a timeline line, as values: each row is rendered once for its
values and kept (`{% kept %}`, core.templatetags.commonground), so a board polled every few seconds renders only
the rows that changed. A row holds only what its reader may see (it is made from the records the reader's
selectors read, with the moves the reader may make), and nothing that its values do not name shows in it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Assignment, Incident, ResourceRequest, TimelineEntry


@dataclass(frozen=True)
class Refusal:
    """A move the service refused, shown on the row it was tried on: the move, why, and the reason given."""

    action: str
    messages: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class RequestRow:
    pk: int
    reference: str
    description: str
    kind: str
    category: str
    min_capability_type: int | None
    priority: int
    priority_label: str
    quantity: int
    unit: str
    needed_by: datetime.datetime | None
    location: str
    zip_code: str
    requested_by: str
    state: str
    state_label: str
    state_reason: str
    actions: tuple  # of board.Action
    editable: bool
    error: Refusal | None = None


@dataclass(frozen=True)
class AssignmentRow:
    pk: int
    resource_pk: int
    resource_name: str
    held_by: str
    request_pk: int
    request_reference: str
    priority: int
    priority_label: str
    quantity: int
    distance_m: float | None
    arrives_at: datetime.datetime | None
    is_late: bool
    state: str
    state_label: str
    reason: str
    actions: tuple[str, ...]
    error: Refusal | None = None


@dataclass(frozen=True)
class TimelineRow:
    kind: str
    at: datetime.datetime
    who: str
    organization: str
    text: str
    tlp: str


@dataclass(frozen=True)
class IncidentFacts:
    """The head of an incident's board: what it is, who leads it, its marking; `changeable` for its leadership
    while it is open (the buttons to change and close it)."""

    pk: int
    title: str
    is_exercise: bool
    reference: str
    status: str
    status_label: str
    hazard: str
    started_at: datetime.datetime
    closed_at: datetime.datetime | None
    led_by: str
    urgency: str
    severity: str
    certainty: str
    tlp: str
    description: str
    has_summary: bool
    changeable: bool


def incident_facts(incident: Incident, *, leads: bool) -> IncidentFacts:
    return IncidentFacts(
        pk=incident.pk, title=incident.title, is_exercise=incident.is_exercise, reference=incident.reference,
        status=incident.status, status_label=incident.get_status_display(), hazard=incident.hazard.name,
        started_at=incident.started_at, closed_at=incident.closed_at, led_by=incident.organization.name,
        urgency=incident.urgency, severity=incident.severity, certainty=incident.certainty, tlp=incident.tlp,
        description=incident.description, has_summary=bool(incident.summary), changeable=leads and incident.is_open,
    )  # fmt: skip


@dataclass(frozen=True)
class BannerRow:
    pk: int
    title: str
    status_label: str
    is_exercise: bool
    tlp: str


def banner_row(incident: Incident) -> BannerRow:
    """An open incident as the banner of a community's pages shows it."""
    return BannerRow(
        incident.pk, incident.title, incident.get_status_display(), incident.is_exercise, incident.tlp
    )


def request_row(request: ResourceRequest) -> RequestRow:
    """The board's row of a request given its `actions` and `editable` (`board.board_for`)."""
    return RequestRow(
        pk=request.pk, reference=request.reference, description=request.description,
        kind=request.get_kind_display(), category=request.get_category_display(),
        min_capability_type=request.min_capability_type, priority=request.priority,
        priority_label=request.get_priority_display(), quantity=request.quantity, unit=request.unit,
        needed_by=request.needed_by, location=request.location, zip_code=request.zip_code,
        requested_by=request.organization.name, state=request.state, state_label=request.get_state_display(),
        state_reason=request.state_reason, actions=tuple(request.actions), editable=request.editable,
    )  # fmt: skip


def assignment_row(assignment: Assignment, error: Refusal | None = None) -> AssignmentRow:
    """The row of an assignment given its `actions` (`board.assignment_actions`), its request and its resource."""
    request, resource = assignment.request, assignment.resource
    return AssignmentRow(
        pk=assignment.pk, resource_pk=resource.pk, resource_name=resource.name,
        held_by=resource.organization.name, request_pk=request.pk, request_reference=request.reference,
        priority=request.priority, priority_label=request.get_priority_display(), quantity=assignment.quantity,
        distance_m=assignment.distance_m, arrives_at=assignment.arrives_at, is_late=assignment.is_late,
        state=assignment.state, state_label=assignment.get_state_display(), reason=assignment.reason,
        actions=tuple(assignment.actions), error=error,
    )  # fmt: skip


def timeline_row(entry: TimelineEntry) -> TimelineRow:
    author = entry.author
    return TimelineRow(
        kind=entry.kind, at=entry.at, who=(author.get_full_name() or author.get_username()) if author else "",
        organization=entry.organization.name, text=entry.text, tlp=entry.tlp,
    )  # fmt: skip
