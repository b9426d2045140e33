"""The incidents' REST API: every read through a selector, every write through a service.

/api/v1/incidents/                       list, open (POST), read, change; close, plan, geojson actions
/api/v1/operational-periods/             list, plan (POST), read, change
/api/v1/resource-requests/               list, post, read, change; submit, approve, cancel, mark-unfilled,
                                         deliver actions (`reason` in the body)
/api/v1/assignments/                     list, read; commit, accept, decline, release actions
/api/v1/commitments/                     the assignments accepted (or released since)
/api/v1/timeline-entries/                the ICS-214 log; POST a situation report
/api/v1/alerts/                          the CAP alerts; `/api/v1/alerts/<id>.xml` is the CAP 1.2 XML
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.renderers import JSONRenderer
from commonground.core.api.viewsets import (
    CreateReadUpdateViewSet,
    CreateReadViewSet,
    ReadOnlyServiceViewSet,
    ServiceViewSetMixin,
)
from commonground.core.tlp import mark_response

from .. import selectors
from ..exports import incident_geojson
from ..filtersets import (
    AlertFilterSet,
    AssignmentFilterSet,
    CommitmentFilterSet,
    IncidentFilterSet,
    OperationalPeriodFilterSet,
    ResourceRequestFilterSet,
    TimelineEntryFilterSet,
)
from ..services import assignments as assignment_services
from ..services import incidents as incident_services
from ..services import plans as plan_services
from ..services import requests as request_services
from ..services import timeline as timeline_services
from .renderers import CAPRenderer, GeoJSONRenderer
from .serializers import (
    FEATURE_COLLECTION_SCHEMA,
    AlertSerializer,
    AssignmentSerializer,
    CloseSerializer,
    IncidentSerializer,
    OperationalPeriodSerializer,
    PlanSerializer,
    ReasonSerializer,
    ResourceRequestSerializer,
    TimelineEntrySerializer,
)

# The formats of a download; an error in answer to one is written as JSON, as every other error is.
DOWNLOAD_RENDERERS = (CAPRenderer, GeoJSONRenderer)


class ErrorsAsJSONMixin:
    """Write an error as JSON even where the request asked for a download format (CAP XML, GeoJSON)."""

    def finalize_response(self, request, response, *args, **kwargs):
        # No renderer yet: the request named a format none offers, and DRF would take the first (a download's).
        renderer = getattr(request, "accepted_renderer", None)
        if response.status_code >= 400 and (renderer is None or isinstance(renderer, DOWNLOAD_RENDERERS)):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def marked(response: Response, marking: str, filename: str) -> Response:
    mark_response(response, marking)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class IncidentViewSet(ErrorsAsJSONMixin, CommunityParameterMixin, CreateReadUpdateViewSet):
    """Incidents the partnership manages together. Opening one activates the partnership (members are alerted,
    a CAP Alert is issued); co-chairs, facilitators and the admins of a public-safety organization open them.
    An incident is never deleted: it is closed."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    selector = selectors.incident_list
    create_service = incident_services.incident_open
    update_service = incident_services.incident_update
    record_argument = "incident"
    fixed_fields = ("community", "organization")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("recipient_organizations")

    @extend_schema(request=CloseSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the incident (its leadership): the after-action summary is written, resources still held are
        released, and a CAP Cancel is issued."""
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = incident_services.incident_close(
            actor=request.user, incident=self.get_object(), note=serializer.validated_data["note"]
        )
        return Response(self.get_serializer(incident).data)

    @extend_schema(methods=["get"], responses=PlanSerializer)
    @extend_schema(methods=["post"], request=None, responses={201: PlanSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def plan(self, request, pk=None):
        """The latest allocation plan: its assignments you may see, and (for the leadership) its figures beside
        the greedy baseline's. POST proposes a new plan for the approved requests (the leadership)."""
        incident = self.get_object()
        if request.method == "POST":
            plan = plan_services.plan_propose(actor=request.user, incident=incident)
            answer = status.HTTP_201_CREATED
        else:
            plan = selectors.latest_plan(incident=incident)
            if plan is None:
                raise NotFound("No plan has been proposed for this incident yet.")
            answer = status.HTTP_200_OK
        plan.incident = incident
        assignments = selectors.assignment_list(viewer=self.viewer, incident=incident).filter(plan=plan)
        context = {**self.get_serializer_context(), "assignments": assignments}
        return Response(PlanSerializer(plan, context=context).data, status=answer)

    @extend_schema(
        responses={
            (200, GeoJSONRenderer.media_type): OpenApiResponse(FEATURE_COLLECTION_SCHEMA),
            (200, JSONRenderer.media_type): OpenApiResponse(FEATURE_COLLECTION_SCHEMA),
        }
    )
    @action(
        detail=True, methods=["get"], pagination_class=None, filter_backends=[],
        renderer_classes=[GeoJSONRenderer, JSONRenderer],
    )  # fmt: skip
    def geojson(self, request, pk=None):
        """The incident's map as GeoJSON: its area, the placed requests and the committed resources you may see,
        marked (`tlp`, and the `X-TLP` header) with the narrowest marking among them."""
        incident = self.get_object()
        collection, marking = incident_geojson(viewer=self.viewer, incident=incident)
        tag = marking.replace(":", "-").replace("+", "-")
        return marked(Response(collection), marking, f"{incident.reference}-{tag}.geojson")


class OperationalPeriodViewSet(CreateReadUpdateViewSet):
    """ICS operational periods of the incidents, each with its objectives; the incident's leadership plans them."""

    serializer_class = OperationalPeriodSerializer
    filterset_class = OperationalPeriodFilterSet
    selector = selectors.period_list
    create_service = incident_services.period_add
    update_service = incident_services.period_update
    record_argument = "period"
    fixed_fields = ("incident",)


def _transition(name: str, summary: str):
    """A request's transition as a POST action on it, `reason` in the body."""

    def transition(self, request, pk=None):
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = request_services.request_transition(
            actor=request.user,
            request=self.get_object(),
            action=name,
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(moved).data)

    # The router maps the method to the function by its name, read when `action` decorates it.
    transition.__name__, transition.__doc__ = name, summary
    path = name.replace("_", "-")
    routed = action(detail=True, methods=["post"], url_path=path, url_name=path)(transition)
    return extend_schema(request=ReasonSerializer, responses=ResourceRequestSerializer)(routed)


class ResourceRequestViewSet(CreateReadUpdateViewSet):
    """ICS-213RR resource requests: posted by the members of an organization at the table, approved by the
    incident's leadership, then committed, delivered and released, or cancelled or marked unfilled."""

    serializer_class = ResourceRequestSerializer
    filterset_class = ResourceRequestFilterSet
    selector = selectors.request_list
    create_service = request_services.request_create
    update_service = request_services.request_update
    record_argument = "request"
    fixed_fields = ("incident", "organization")

    def update_data(self, serializer) -> dict:
        data = super().update_data(serializer)
        if data.pop("submit", False):
            raise ValidationError({"submit": ["Submit a draft with its own action: POST .../submit/."]})
        if "needed_by" in data and data["needed_by"] == serializer.instance.needed_by:
            del data["needed_by"]  # unchanged: a time once to come may have passed since
        return data

    submit = _transition(
        "submit", "Submit a draft to the incident's leadership (the requesting organization)."
    )
    approve = _transition("approve", "Approve a submitted request (the incident's leadership).")
    cancel = _transition(
        "cancel", "Cancel the request, saying why (the requesting organization, the leadership)."
    )
    mark_unfilled = _transition(
        "mark_unfilled", "Close the request as unfilled, saying why (the leadership)."
    )
    deliver = _transition("deliver", "Record the committed resources as delivered (the leadership).")


def _assignment_action(name: str, summary: str, *, with_reason: bool = False):
    """An assignment's step as a POST action on it, through `plans.assignment_<name>`."""

    def step(self, request, pk=None):
        assignment = self.get_object()
        extra = {}
        if with_reason:
            serializer = ReasonSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            extra["reason"] = serializer.validated_data["reason"]
        service = getattr(assignment_services, f"assignment_{name}")
        done = service(actor=request.user, assignment=assignment, **extra)
        return Response(self.get_serializer(done).data)

    step.__name__, step.__doc__ = name, summary
    routed = action(detail=True, methods=["post"], url_path=name, url_name=name)(step)
    return extend_schema(request=ReasonSerializer if with_reason else None, responses=AssignmentSerializer)(
        routed
    )


class AssignmentViewSet(ReadOnlyServiceViewSet):
    """Resources assigned to requests: proposed by a plan, committed by the incident's leadership, accepted or
    declined by the resource's owner, released when they come back. Only those whose request and resource you
    may both see."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    selector = selectors.assignment_list

    commit = _assignment_action("commit", "Commit a proposed assignment (the incident's leadership).")
    accept = _assignment_action("accept", "Accept a committed assignment (the resource's owner).")
    decline = _assignment_action(
        "decline", "Decline an assignment, saying why (the resource's owner).", with_reason=True
    )
    release = _assignment_action("release", "Release the resource back to its owner.")


class CommitmentViewSet(ServiceViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Commitments: the assignments their resources' owners accepted, and those released since."""

    serializer_class = AssignmentSerializer
    filterset_class = CommitmentFilterSet
    selector = selectors.commitment_list


class TimelineEntryViewSet(CreateReadViewSet):
    """The incidents' ICS-214 activity log and situation reports, each under its own marking. POST a situation
    report in your organization's name while the incident is open."""

    serializer_class = TimelineEntrySerializer
    filterset_class = TimelineEntryFilterSet
    selector = selectors.timeline_list
    create_service = timeline_services.sitrep_post

    def get_queryset(self):
        return super().get_queryset().prefetch_related("recipient_organizations")


@extend_schema_view(
    list=extend_schema(parameters=[COMMUNITY_PARAMETER]),
    retrieve=extend_schema(
        responses={
            (200, JSONRenderer.media_type): AlertSerializer,
            (200, CAPRenderer.media_type): OpenApiResponse(
                OpenApiTypes.STR, description="The alert's CAP 1.2 XML, as issued."
            ),
        }
    ),
)
class AlertViewSet(ErrorsAsJSONMixin, CommunityParameterMixin, ReadOnlyServiceViewSet):
    """The CAP 1.2 alerts the incidents issued (Alert, Update, Cancel), each under its incident's marking then.
    `/api/v1/alerts/<id>.xml` (or `Accept: application/cap+xml`) is the alert's XML."""

    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    selector = selectors.alert_list

    def get_queryset(self):
        return super().get_queryset().select_related("community")

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "retrieve":
            renderers.append(CAPRenderer())
        return renderers

    def retrieve(self, request, *args, **kwargs):
        alert = self.get_object()
        if isinstance(request.accepted_renderer, CAPRenderer):
            return marked(Response(alert.xml), alert.tlp, f"alert-{alert.pk}.xml")
        return Response(self.get_serializer(alert).data)
