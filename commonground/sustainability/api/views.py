from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.viewsets import CreateReadUpdateViewSet

from .. import selectors, services
from ..models import NeedsAssessment
from ..priorities import needs_profile
from .serializers import (
    AnswerSerializer,
    AnswerSheetSerializer,
    AnswerSubmitSerializer,
    GoalSerializer,
    NeedRankSerializer,
    NeedsAssessmentSerializer,
    NeedsProfileSerializer,
    ProgressSerializer,
    TaskSerializer,
)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class NeedsAssessmentViewSet(CommunityParameterMixin, CreateReadUpdateViewSet):
    """Needs assessments (step 6): co-chairs open them from the template; organizations answer them."""

    serializer_class = NeedsAssessmentSerializer
    selector = selectors.needs_assessment_list
    create_service = services.needs_assessment_open
    update_service = services.needs_assessment_update
    record_argument = "assessment"
    fixed_fields = ("community",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("items")

    @extend_schema(methods=["get"], responses=AnswerSerializer(many=True))
    @extend_schema(
        methods=["post"], request=AnswerSheetSerializer, responses={201: AnswerSerializer(many=True)}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def answers(self, request, pk=None):
        """The answers you may see one by one; POST an organization's answers (all saved, or none)."""
        assessment = self.get_object()
        if request.method == "GET":
            answers = selectors.answer_list(viewer=self.viewer, assessment=assessment)
            return Response(AnswerSerializer(answers, many=True).data)
        sheet = AnswerSheetSerializer(data=request.data, context=self.get_serializer_context())
        sheet.is_valid(raise_exception=True)
        saved = services.needs_answers_save(actor=request.user, assessment=assessment, **sheet.validated_data)
        return Response(AnswerSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSubmitSerializer, responses=AnswerSerializer(many=True))
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def submit(self, request, pk=None):
        """Submit an organization's draft answers once every mission area has one; 400 names each area left."""
        assessment = self.get_object()
        serializer = AnswerSubmitSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        submitted = services.needs_answers_submit(
            actor=request.user, assessment=assessment, **serializer.validated_data
        )
        return Response(AnswerSerializer(submitted, many=True).data)

    @extend_schema(responses=NeedsProfileSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def profile(self, request, pk=None):
        """The areas for improvement and the prioritized needs, each figure as the requester may see it."""
        return Response(
            NeedsProfileSerializer(needs_profile(viewer=self.viewer, assessment=self.get_object())).data
        )

    @extend_schema(request=NeedRankSerializer, responses=NeedsProfileSerializer)
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def rank(self, request, pk=None):
        """Co-chairs place a need on the prioritized list and say why (null gives it back to its score)."""
        assessment = self.get_object()
        serializer = NeedRankSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        item = assessment.items.filter(pk=data.pop("item")).first()
        if item is None:
            raise ValidationError({"item": ["Choose an item of this assessment."]})
        services.need_rank_set(actor=request.user, item=item, **data)
        fresh = NeedsAssessment.objects.get(pk=assessment.pk)  # the list's prefetched items are out of date
        return Response(NeedsProfileSerializer(needs_profile(viewer=self.viewer, assessment=fresh)).data)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class GoalViewSet(CommunityParameterMixin, CreateReadUpdateViewSet):
    """Goals set against the prioritized needs (step 6); co-chairs set them."""

    serializer_class = GoalSerializer
    selector = selectors.goal_list
    create_service = services.goal_create
    update_service = services.goal_update
    record_argument = "goal"
    fixed_fields = ("community",)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class TaskViewSet(CommunityParameterMixin, CreateReadUpdateViewSet):
    """Tasks toward the goals: co-chairs hand them out; their owners report progress."""

    serializer_class = TaskSerializer
    selector = selectors.task_list
    create_service = services.task_create
    update_service = services.task_update
    record_argument = "task"
    fixed_fields = ("goal",)

    @extend_schema(request=ProgressSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """Report progress: the status, and a dated note kept with the earlier ones."""
        task = self.get_object()
        serializer = ProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = services.task_progress(actor=request.user, task=task, **serializer.validated_data)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)
