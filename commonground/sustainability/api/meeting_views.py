import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.viewsets import ServiceModelViewSet

from .. import selectors, services
from ..choices import MeetingKind
from ..models import Meeting
from .meeting_serializers import (
    AttendanceListSerializer,
    CorrectiveActionSerializer,
    MeetingSerializer,
    ObjectiveSerializer,
    ObservationSerializer,
)
from .serializers import TaskSerializer


class MeetingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    since = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")

    class Meta:
        model = Meeting
        fields = ["kind", "since"]


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class MeetingViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Workshops, exercises and meetings (step 6): attendance, and an exercise's after-action report."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    selector = selectors.meeting_list
    create_service = services.meeting_create
    update_service = services.meeting_update
    delete_service = services.meeting_delete
    record_argument = "meeting"
    fixed_fields = ("community",)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "scenario_hazards",
                "attendance__organization",
                "objectives",
                "observations__corrective_actions",
            )
            .select_related("improvement_plan")
        )

    def _fresh(self, pk) -> Meeting:
        return self.get_queryset().get(pk=pk)

    @extend_schema(request=AttendanceListSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who came, replacing the earlier list: organizations at the table and how many of their people."""
        meeting = self.get_object()
        serializer = AttendanceListSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["attendance"]
        services.attendance_record(
            actor=request.user,
            meeting=meeting,
            attendance={row["organization"]: row["people"] for row in rows},
        )
        return Response(
            MeetingSerializer(self._fresh(meeting.pk), context=self.get_serializer_context()).data
        )

    def _add_to_exercise(self, request, serializer_class, create) -> Response:
        """Add what the request describes to the meeting (`create(actor=..., meeting=..., **data)`); answer 201."""
        meeting = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = create(actor=request.user, meeting=meeting, **serializer.validated_data)
        return Response(serializer_class(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObjectiveSerializer, responses={201: ObjectiveSerializer})
    @action(detail=True, methods=["post"])
    def objectives(self, request, pk=None):
        """Give a tabletop exercise an objective."""
        return self._add_to_exercise(request, ObjectiveSerializer, services.objective_create)

    @extend_schema(request=ObservationSerializer, responses={201: ObservationSerializer})
    @action(detail=True, methods=["post"])
    def observations(self, request, pk=None):
        """Record a strength or an area for improvement of a tabletop exercise (its after-action report)."""
        return self._add_to_exercise(request, ObservationSerializer, services.observation_create)

    @extend_schema(request=CorrectiveActionSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="corrective-actions")
    def corrective_actions(self, request, pk=None):
        """Answer an area for improvement with a corrective action: a task, in the improvement plan by default."""
        meeting = self.get_object()
        serializer = CorrectiveActionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        observation = meeting.observations.filter(pk=data.pop("observation")).first()
        if observation is None:
            raise ValidationError({"observation": ["Choose an observation of this exercise."]})
        task = services.corrective_action_create(actor=request.user, observation=observation, **data)
        return Response(
            TaskSerializer(task, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )
