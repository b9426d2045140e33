"""What the incident board shows a viewer: requests with the actions open to them, the plan beside its greedy
baseline, the timeline, the periods and the map's data. Every record is read through the selectors, in a fixed
number of queries however many requests the incident has."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.core.tlp import narrowest
from commonground.core.visibility import Viewer
from commonground.sustainability.models import NeedProposal

from . import rows, selectors
from .choices import AssignmentState, Priority, RequestState
from .models import Assignment, Incident, Plan, ResourceRequest
from .permissions import can_answer_for_resource, can_edit_request, can_lead_incident, can_post_sitrep
from .services.requests import EDITABLE_STATES, NEEDS_REASON, TRANSITIONS

TIMELINE_ON_BOARD = 40
# The order the buttons of a request show in, and their words.
ACTION_LABELS = {
    "submit": gettext_lazy("Submit"),
    "approve": gettext_lazy("Approve"),
    "deliver": gettext_lazy("Mark delivered"),
    "mark_unfilled": gettext_lazy("Mark unfilled"),
    "cancel": gettext_lazy("Cancel the request"),
}
# The colour of a request on the map, by priority (the legend names them; the list says the same in words).
PRIORITY_COLOURS = {1: "#b50909", 2: "#e66f0e", 3: "#8a6d00", 4: "#005ea2"}
OPEN_REQUEST_STATES = (
    RequestState.DRAFT,
    RequestState.SUBMITTED,
    RequestState.APPROVED,
    RequestState.PARTLY_COMMITTED,
)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    needs_reason: bool


@dataclass
class Figures:
    """One plan's figures as the board shows them."""

    served: dict[int, int] = field(default_factory=dict)
    requested: dict[int, int] = field(default_factory=dict)
    units: int = 0
    weighted: float | None = None
    distance_km: float | None = None
    seconds: float | None = None


def request_actions(viewer: Viewer, request: ResourceRequest) -> list[Action]:
    """Return the moves of a request open to the viewer (the service checks them again)."""
    leads = can_lead_incident(viewer, request.incident)
    edits = leads or can_edit_request(viewer, request)
    found = []
    for name, label in ACTION_LABELS.items():
        sources, _target, who = TRANSITIONS[name]
        if request.state in sources and (leads if who == "lead" else edits):
            found.append(Action(name, str(label), name in NEEDS_REASON))
    return found


def assignment_actions(viewer: Viewer, assignment: Assignment, *, leads: bool) -> list[str]:
    """Return what the viewer may do with an assignment: commit it (the leadership), accept or decline it (the
    resource's owner), release it (either)."""
    owner = can_answer_for_resource(viewer, assignment.resource)
    if assignment.state == AssignmentState.PROPOSED:
        return ["commit"] if leads and assignment.request.incident.is_open else []
    if assignment.state == AssignmentState.PENDING:
        return (["accept", "decline"] if owner else []) + (["release"] if leads else [])
    if assignment.state == AssignmentState.ACCEPTED and (leads or owner):
        return ["release"]
    return []


def _number(value) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def figures_of(raw) -> Figures | None:
    """Read one side of a plan's figures (`optimal` or `greedy`), tolerant of what it leaves out."""
    if not isinstance(raw, dict):
        return None
    served_raw = raw.get("served_by_priority") or raw.get("served") or raw.get("units_by_priority") or {}
    served = {int(p): int(served_raw.get(str(p), served_raw.get(p, 0)) or 0) for p in Priority.values}
    asked_raw = raw.get("requested_by_priority") or {}
    requested = {int(p): int(asked_raw[str(p)]) for p in Priority.values if str(p) in asked_raw}
    distance = _number(raw.get("distance_m"))
    if distance is None and _number(raw.get("distance_km")) is not None:
        distance = raw["distance_km"] * 1000
    return Figures(
        served=served,
        requested=requested,
        units=_number(raw.get("units")) or sum(served.values()),
        weighted=_number(raw.get("weighted_units", raw.get("weighted", raw.get("objective")))),
        distance_km=round(distance / 1000, 1) if distance is not None else None,
        seconds=_number(raw.get("seconds")),
    )


@dataclass
class PlanView:
    plan: Plan
    optimal: Figures | None
    greedy: Figures | None
    rows: list[dict]
    better_units_pct: float | None
    shorter_km: float | None

    @property
    def gain(self) -> str:
        """Say how much better the optimum is than the greedy plan, in one sentence."""
        parts = []
        if self.better_units_pct is not None:
            if self.better_units_pct > 0:
                parts.append(
                    _("The optimum serves %(pct)s%% more priority-weighted units than the greedy plan")
                    % {"pct": self.better_units_pct}
                )
            else:
                parts.append(_("The optimum serves as many priority-weighted units as the greedy plan"))
        if self.shorter_km is not None:
            if self.shorter_km > 0:
                parts.append(_("travels %(km)s km less") % {"km": self.shorter_km})
            elif self.shorter_km < 0:
                parts.append(_("travels %(km)s km more to serve them") % {"km": -self.shorter_km})
            else:
                parts.append(_("travels the same distance"))
        if not parts:
            return ""
        sentence = _(" and ").join(parts) if len(parts) == 2 else parts[0]
        return sentence[0].upper() + sentence[1:] + "."


def plan_view(plan: Plan | None, *, figures_shown: bool = True) -> PlanView | None:
    """Return the plan's figures beside the greedy baseline's: units served by priority, distance, the gain.

    The figures count resources and requests some readers may not see: only the leadership gets them (as in the
    API); the others see the plan's assignments they may see."""
    if plan is None:
        return None
    figures = plan.figures if isinstance(plan.figures, dict) and figures_shown else {}
    optimal, greedy = figures_of(figures.get("optimal")), figures_of(figures.get("greedy"))
    rows = []
    for priority in Priority:
        rows.append(
            {
                "label": priority.label,
                "asked": optimal.requested.get(priority.value) if optimal else None,
                "optimal": optimal.served.get(priority.value, 0) if optimal else None,
                "greedy": greedy.served.get(priority.value, 0) if greedy else None,
            }
        )
    better = shorter = None
    if optimal and greedy:
        if optimal.weighted is not None and greedy.weighted:
            better = round(100 * (optimal.weighted - greedy.weighted) / greedy.weighted, 1)
        if optimal.distance_km is not None and greedy.distance_km is not None:
            shorter = round(greedy.distance_km - optimal.distance_km, 1)
    return PlanView(plan, optimal, greedy, rows, better, shorter)


def area_of(incident: Incident) -> dict | None:
    """Return the incident's area for the map: a circle, or a polygon as [latitude, longitude] pairs."""
    if incident.polygon and isinstance(incident.polygon, dict):
        ring = (incident.polygon.get("coordinates") or [[]])[0]
        return {"type": "polygon", "points": [[p[1], p[0]] for p in ring]}
    if incident.latitude is not None and incident.longitude is not None:
        return {
            "type": "circle", "lat": incident.latitude, "lon": incident.longitude,
            "radius_m": (incident.radius_km or 0) * 1000,
        }  # fmt: skip
    return None


def map_data(incident: Incident, requests: list[ResourceRequest], assignments: list[Assignment]) -> dict:
    """Return what the board's map draws: the area, the requests by priority and state, and the resources
    proposed (candidates) or committed, each joined to the request it serves."""
    placed_requests = [
        {
            "lat": r.latitude, "lon": r.longitude, "label": f"{r.reference} {r.description}",
            "url": r.get_absolute_url(), "priority": r.priority, "colour": PRIORITY_COLOURS[r.priority],
            "state": r.state, "open": r.state in OPEN_REQUEST_STATES,
            "detail": f"{r.get_priority_display()} · {r.get_state_display()} · {r.quantity} {r.unit}".strip(),
        }
        for r in requests
        if r.latitude is not None and r.longitude is not None
    ]  # fmt: skip
    resources = {}
    for a in assignments:
        resource, request = a.resource, a.request
        if resource.latitude is None or resource.longitude is None:
            continue
        entry = resources.setdefault(
            resource.pk,
            {
                "lat": resource.latitude, "lon": resource.longitude, "label": resource.name,
                "url": resource.get_absolute_url(), "committed": False, "to": [],
                "detail": resource.organization.name,
            },
        )  # fmt: skip
        entry["committed"] = entry["committed"] or a.state != AssignmentState.PROPOSED
        if request.latitude is not None and request.longitude is not None:
            entry["to"].append([request.latitude, request.longitude])
    return {"area": area_of(incident), "requests": placed_requests, "resources": list(resources.values())}


@dataclass
class Board:
    incident: Incident
    requests: list[ResourceRequest]
    proposed: list[Assignment]
    held: list[Assignment]
    plan: PlanView | None
    timeline: list
    periods: list
    alerts: list
    map: dict
    leads: bool
    may_request: bool
    may_report: bool
    markings: list[str]
    gaps_sent: set[int]

    @property
    def marking(self) -> str:
        return narrowest(self.markings)


def gaps_sent(viewer: Viewer, incident: Incident) -> set[int]:
    """Return the requests whose gap the co-chairs already put forward for the next needs assessment."""
    if not (incident.summary or {}).get("gaps"):
        return set()
    prefix = f"incident:{incident.pk}:request:"
    sources = NeedProposal.objects.visible_to(viewer).filter(
        community_id=incident.community_id, source__startswith=prefix
    )
    return {int(source.removeprefix(prefix)) for source in sources.values_list("source", flat=True)}


def may_request(viewer: Viewer, incident: Incident) -> bool:
    """Whether the viewer may post a request for some organization (the leadership for any at the table)."""
    if not incident.is_open:
        return False
    return can_lead_incident(viewer, incident) or (
        viewer.organization_id is not None and incident.community_id in viewer.community_ids
    )


def board_for(viewer: Viewer, incident: Incident, *, live: bool = False) -> Board:
    """Read everything the board shows the viewer, in a fixed number of queries; `incident` was read through
    `Incident.objects.visible_to(viewer)` (the board's page and its live part: `IncidentMixin`). With `live`,
    only what the live part shows (`_board_state.html`): no periods and no alerts, which the page alone lists,
    and the marking is that of what the live part shows."""
    leads = can_lead_incident(viewer, incident)
    requests = selectors.board_requests(viewer=viewer, incident=incident)
    for request in requests:
        request.incident = incident  # one incident for all, already read
        request.actions = request_actions(viewer, request)
        request.editable = request.state in EDITABLE_STATES and can_edit_request(viewer, request)
        request.error = None  # a refused move's, on the request's own page
        request.row = rows.request_row(request)
    plan = selectors.board_plan(incident=incident)
    assignments = selectors.board_assignments(viewer=viewer, incident=incident, requests=requests, plan=plan)
    for a in assignments:
        a.actions = assignment_actions(viewer, a, leads=leads)
        a.error = None
        a.row = rows.assignment_row(a)
    timeline = selectors.board_timeline(viewer=viewer, incident=incident, limit=TIMELINE_ON_BOARD)
    for entry in timeline:
        entry.row = rows.timeline_row(entry)
    periods = [] if live else selectors.board_periods(incident=incident)
    alerts = [] if live else selectors.board_alerts(viewer=viewer, incident=incident, limit=10)
    for record in (*periods, *alerts):
        record.incident = incident
    markings = [incident.tlp, *(e.tlp for e in timeline), *(a.resource.tlp for a in assignments),
                *(a.tlp for a in alerts)]  # fmt: skip
    return Board(
        incident=incident,
        requests=requests,
        proposed=[a for a in assignments if a.state == AssignmentState.PROPOSED],
        held=[a for a in assignments if a.state != AssignmentState.PROPOSED],
        plan=plan_view(plan, figures_shown=leads),
        timeline=timeline,
        periods=periods,
        alerts=alerts,
        map=map_data(incident, requests, assignments),
        leads=leads,
        may_request=may_request(viewer, incident),
        may_report=incident.is_open and can_post_sitrep(viewer, incident),
        markings=markings,
        gaps_sent=gaps_sent(viewer, incident),
    )


# A form's CSRF token differs at each rendering; the board's version ignores it.
CSRF_VALUE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def version_of(html: bytes) -> str:
    """Return a short digest of the board's rendered state: the same state gives the same version."""
    return hashlib.blake2s(CSRF_VALUE.sub(b"", html), digest_size=8).hexdigest()


def gap_label(gap: dict) -> str:
    return _("%(ref)s: %(served)s of %(asked)s served") % {
        "ref": gap.get("reference", ""), "served": gap.get("served", 0), "asked": gap.get("asked", 0),
    }  # fmt: skip
