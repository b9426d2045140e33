"""Every read of the incidents app, through the visibility querysets."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from commonground.core.kept_pages import name_list
from commonground.core.kept_rows import kept_rows
from commonground.core.viewer import viewers_for
from commonground.core.visibility import Viewer
from commonground.registry.models import Organization
from commonground.resources.models import Resource

from . import compiled
from .choices import HOLDING_STATES, OPEN_STATUSES, AssignmentState
from .models import Alert, Assignment, Incident, OperationalPeriod, Plan, ResourceRequest, TimelineEntry
from .permissions import can_answer_for_resource


def disclosure_audience(viewer: Viewer) -> Q:
    """The resources disclosed to the viewer: those of communities where the viewer leads an open incident."""
    led = Incident.objects.filter(status__in=OPEN_STATUSES).led_by(viewer).values("community_id")
    return Q(community_id__in=led)


def incident_list(*, viewer: Viewer, community=None) -> QuerySet[Incident]:
    incidents = Incident.objects.visible_to(viewer).select_related("community", "hazard", "organization")
    if community is not None:
        incidents = incidents.filter(community=community)
    # A GROUP BY query leaves the model's ordering out: it is named again.
    return incidents.annotate(request_count=Count("requests", distinct=True)).order_by("-started_at", "-id")


def current_and_past(*, viewer: Viewer, community) -> tuple[list[Incident], QuerySet[Incident]]:
    """Return the community's incidents the viewer may see that are still managed (by SQL kept for the viewer and
    the community), and the list of the past ones, newest first, named by the same (`core.kept_pages`)."""
    current = kept_rows(
        ("current incidents", viewer, community.pk),
        lambda: incident_list(viewer=viewer, community=community).open(),
    )
    past = incident_list(viewer=viewer, community=community).exclude(status__in=OPEN_STATUSES)
    return current, name_list(past.order_by("-started_at", "-id"), ("past incidents", viewer, community.pk))


def open_incidents(*, viewer: Viewer, community) -> QuerySet[Incident]:
    """Return the open incidents of a community the viewer may see: the banner every page shows (its rule compiled
    once per viewer: `incidents.compiled`)."""
    return (
        Incident.objects.filter(compiled.condition("incident", viewer, Incident.objects.visible_to))
        .filter(community=community, status__in=OPEN_STATUSES)
        .only("pk", "title", "status", "is_exercise", "tlp", "number", "community_id")
    )


def period_list(*, viewer: Viewer) -> QuerySet[OperationalPeriod]:
    return OperationalPeriod.objects.visible_to(viewer).select_related("incident")


def request_list(*, viewer: Viewer, incident=None) -> QuerySet[ResourceRequest]:
    requests = ResourceRequest.objects.visible_to(viewer).select_related(
        "incident__community", "organization"
    )
    if incident is not None:
        requests = requests.filter(incident=incident)
    return requests


def assignment_list(*, viewer: Viewer, incident=None) -> QuerySet[Assignment]:
    assignments = Assignment.objects.visible_to(viewer).select_related(
        "request__incident__community", "resource__organization"
    )
    if incident is not None:
        assignments = assignments.filter(request__incident=incident)
    return assignments


def timeline_list(*, viewer: Viewer, incident=None) -> QuerySet[TimelineEntry]:
    entries = TimelineEntry.objects.visible_to(viewer).select_related("organization", "author")
    if incident is not None:
        entries = entries.filter(incident=incident)
    return entries


def alert_list(*, viewer: Viewer, community=None) -> QuerySet[Alert]:
    alerts = Alert.objects.visible_to(viewer).select_related("incident")
    if community is not None:
        alerts = alerts.filter(community=community)
    return alerts


def commitment_list(*, viewer: Viewer, incident=None) -> QuerySet[Assignment]:
    """Return the commitments the viewer may see: assignments their owners accepted (and those released since)."""
    return assignment_list(viewer=viewer, incident=incident).filter(
        state__in=(AssignmentState.ACCEPTED, AssignmentState.RELEASED)
    )


def latest_plan(*, incident) -> Plan | None:
    """Return the incident's latest plan, or None before any was proposed."""
    return incident.plans.order_by("-created", "-id").first()


def assignment_answerers(assignment: Assignment) -> list:
    """Return the active logins who answer for the assignment's resource (its organization's admins) and may
    see the assignment (its request, so its incident, and its resource), ordered by id."""
    users = list(
        get_user_model()
        .objects.filter(is_active=True, person__organization_id=assignment.resource.organization_id)
        .select_related("person")
        .order_by("pk")
    )
    answerers = []
    for user, viewer in zip(users, viewers_for(users), strict=True):
        if can_answer_for_resource(viewer, assignment.resource) and (
            Assignment.objects.visible_to(viewer).filter(pk=assignment.pk).exists()
        ):
            answerers.append(user)
    return answerers


# The board's reads: one incident the view has already read through `Incident.objects.visible_to(viewer)`, so
# that its records are the same as the lists' above filtered by it, without the incident's rule again in SQL
# (building those subqueries was most of the board's CPU; `bench/page_cpu.py`). Its records are not joined to
# the incident again: the board gives them the one it read.
# What the board shows of a timeline line (its other fields are the log page's).
BOARD_TIMELINE_FIELDS = ("incident_id", "kind", "at", "text", "tlp", "organization__name", "author__username",
                         "author__first_name", "author__last_name")  # fmt: skip
# What the board shows of a request (its notes, terms and dates are the request page's) and of its requester.
BOARD_REQUEST_FIELDS = ("incident_id", "organization__name", "number", "kind", "category", "description",
                        "min_capability_type", "quantity", "unit", "latitude", "longitude", "zip_code", "location",
                        "needed_by", "priority", "state", "state_reason")  # fmt: skip
# What the board shows of an assignment, its resource and the resource's holder (the map, the tables, the
# marking, the owner's buttons).
BOARD_ASSIGNMENT_FIELDS = ("request", "plan", "quantity", "state", "distance_m", "arrives_at", "reason",
                           "resource__name", "resource__latitude", "resource__longitude", "resource__tlp",
                           "resource__organization__name")  # fmt: skip


def board_incidents(*, viewer: Viewer) -> QuerySet[Incident]:
    """The incidents whose board the viewer may open: those of `incident_list`, without its count."""
    visible = compiled.condition("incident", viewer, Incident.objects.visible_to)
    return Incident.objects.filter(visible).select_related("community", "hazard", "organization")


# The board's reads below are kept compiled (`incidents.compiled.rows`), each by a key that names every input of
# its query: the viewer's facts, and the incident's fields and the records' keys it is built from.
def incident_key(incident: Incident) -> tuple:
    """What of an incident the board's reads are built from: its key, its table and leader (who leads it, so
    who sees its drafts) and its status (what the board lists of its assignments)."""
    return (incident.pk, incident.community_id, incident.organization_id, incident.status)


def board_incident(*, viewer: Viewer, pk: int) -> Incident | None:
    """The incident `pk` of `board_incidents`, or None where the viewer may not see it."""
    key = (compiled.facts(viewer), pk)
    found = compiled.rows("board incident", key, lambda: board_incidents(viewer=viewer).filter(pk=pk))
    return found[0] if found else None


def banner_incidents(*, viewer: Viewer, community) -> list[Incident]:
    """`open_incidents`, read by every page of a community (the banner)."""
    key = (compiled.facts(viewer), community.pk)
    return compiled.rows("banner", key, lambda: open_incidents(viewer=viewer, community=community))


def table_organizations(*, community) -> tuple[tuple[int, str], ...]:
    """The (key, name) of each organization at the community's table, by name (the board's report form offers
    them as recipients)."""

    def build() -> QuerySet[Organization]:
        return Organization.objects.in_community(community).order_by("name").only("pk", "name")

    return tuple(
        (organization.pk, organization.name) for organization in compiled.rows("table", community.pk, build)
    )


def board_requests(*, viewer: Viewer, incident: Incident) -> list[ResourceRequest]:
    """The incident's requests the viewer may see, as `request_list(incident=incident)` orders them."""

    def build() -> QuerySet[ResourceRequest]:
        requests = ResourceRequest.objects.of_visible_incident(viewer, incident).select_related(
            "organization"
        )
        return requests.only(*BOARD_REQUEST_FIELDS).order_by("priority", "needed_by", "number")

    return compiled.rows("requests", (compiled.facts(viewer), incident_key(incident)), build)


def board_plan(*, incident: Incident) -> Plan | None:
    """`latest_plan`, for the board."""
    found = compiled.rows(
        "plan",
        incident.pk,
        lambda: Plan.objects.filter(incident_id=incident.pk).order_by("-created", "-id")[:1],
    )
    return found[0] if found else None


def board_resources(*, viewer: Viewer) -> RawSQL:
    """The resources the viewer may see, as a subquery (compiled once per viewer: `incidents.compiled`), for
    the board's assignments and timeline."""
    return compiled.subquery(
        "resource", viewer, lambda v: Resource.objects.visible_to(v).order_by().values("pk")
    )


def board_assignments(
    *, viewer: Viewer, incident: Incident, requests: list[ResourceRequest], plan: Plan | None = None,
    every_state: bool = False,
) -> list[Assignment]:  # fmt: skip
    """The assignments of `requests` (the incident's, read by `board_requests`) whose resource the viewer may see
    too (as `assignment_list`), each given its request, by request priority and number, then the most units first.
    Those the board shows, unless `every_state`: while the incident is open, the resources held and `plan`'s
    proposals (the latest plan's); once it is closed, the resources it used (released at the close or before)."""
    by_pk = {request.pk: request for request in requests}
    if every_state:
        wanted = Q()
    elif incident.is_open:
        wanted = Q(state__in=HOLDING_STATES)
        if plan is not None:
            wanted |= Q(state=AssignmentState.PROPOSED, plan_id=plan.pk)
    else:
        wanted = Q(state__in=HOLDING_STATES) | Q(state=AssignmentState.RELEASED)

    def build() -> QuerySet[Assignment]:
        shown = Assignment.objects.filter(
            wanted, request_id__in=sorted(by_pk), resource__in=board_resources(viewer=viewer)
        )
        return shown.select_related("resource__organization").only(*BOARD_ASSIGNMENT_FIELDS).order_by()

    key = (compiled.facts(viewer), tuple(sorted(by_pk)), every_state, incident.is_open, plan and plan.pk)
    rows = compiled.rows("assignments", key, build)
    for assignment in rows:
        assignment.request = by_pk[assignment.request_id]
    rows.sort(key=lambda a: (a.request.priority, a.request.number, -a.quantity, a.pk))
    return rows


def board_timeline(*, viewer: Viewer, incident: Incident, limit: int | None = None) -> list[TimelineEntry]:
    """The incident's lines the viewer may see, newest first (the first `limit`)."""

    def build() -> QuerySet[TimelineEntry]:
        entries = TimelineEntry.objects.of_visible_incident(
            viewer, incident, shown_resources=board_resources(viewer=viewer)
        )
        return entries.select_related("organization", "author").only(*BOARD_TIMELINE_FIELDS)[:limit]

    return compiled.rows("timeline", (compiled.facts(viewer), incident_key(incident), limit), build)


def board_periods(*, incident: Incident) -> list[OperationalPeriod]:
    # One incident's: by number alone (the model's ordering would join the incident for its own).
    return compiled.rows(
        "periods", incident.pk, lambda: OperationalPeriod.objects.filter(incident=incident).order_by("number")
    )


def board_alerts(*, viewer: Viewer, incident: Incident, limit: int | None = None) -> list[Alert]:
    """The incident's alerts the viewer may see, newest first (the first `limit`)."""
    # The board lists them and links to their XML: the XML itself is not read.
    return compiled.rows(
        "alerts",
        (compiled.facts(viewer), incident_key(incident), limit),
        lambda: Alert.objects.of_visible_incident(viewer, incident).defer("xml")[:limit],
    )
