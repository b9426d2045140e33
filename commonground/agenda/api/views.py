from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.mixins import fixed_removed
from commonground.core.viewer import ViewerMixin

from .. import selectors, services
from ..filtersets import IssueFilterSet
from ..impact import collective_impacts, ranked
from .serializers import (
    BallotSerializer,
    CommentSerializer,
    DecisionSerializer,
    EndorsementSerializer,
    IssueSerializer,
    MergeSerializer,
    ResultSerializer,
    VoteSerializer,
    WithdrawSerializer,
)


def _with_impact(issue):
    issue.impact = collective_impacts([issue])[issue.pk]
    return issue


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class IssueViewSet(
    ViewerMixin,
    CommunityParameterMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Common issues (step 3), highest collective impact first. Co-chairs adopt, set aside and merge them."""

    serializer_class = IssueSerializer
    filterset_class = IssueFilterSet

    def get_queryset(self):
        queryset = (
            self.narrowed(selectors.issue_list)
            if self.action == "list"
            else selectors.issue_list(viewer=self.viewer)
        )
        return queryset.prefetch_related("hazards")

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(ranked(queryset))

    def get_object(self):
        return _with_impact(super().get_object())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = _with_impact(
            services.issue_propose(
                actor=self.request.user,
                community=data.pop("community"),
                organization=data.pop("organization"),
                **data,
            )  # fmt: skip
        )

    def perform_update(self, serializer):
        data = fixed_removed(serializer, ("community", "organization"))
        data.pop("severity", None)
        serializer.instance = _with_impact(
            services.issue_update(actor=self.request.user, issue=serializer.instance, data=data)
        )

    @extend_schema(request=EndorsementSerializer, responses=EndorsementSerializer)
    @action(detail=True, methods=["post"])
    def endorse(self, request, pk=None):
        """Endorse the issue for an organization (again: change its severity and comment)."""
        issue = self.get_object()
        serializer = EndorsementSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        endorsement = services.endorsement_save(actor=request.user, issue=issue, **serializer.validated_data)
        return Response(EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WithdrawSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an organization's endorsement."""
        issue = self.get_object()
        serializer = WithdrawSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        endorsement = issue.endorsements.filter(
            organization=serializer.validated_data["organization"]
        ).first()
        if endorsement is None:
            raise ValidationError({"organization": ["This organization does not endorse the issue."]})
        services.endorsement_withdraw(actor=request.user, endorsement=endorsement)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=EndorsementSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def endorsements(self, request, pk=None):
        issue = self.get_object()
        return Response(
            EndorsementSerializer(selectors.endorsement_list(viewer=self.viewer, issue=issue), many=True).data
        )

    @extend_schema(methods=["get"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["post"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def comments(self, request, pk=None):
        """The issue's discussion; a new comment is mailed to the people who proposed or endorsed it."""
        issue = self.get_object()
        if request.method == "GET":
            return Response(
                CommentSerializer(selectors.comment_list(viewer=self.viewer, issue=issue), many=True).data
            )
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_add(
            actor=request.user, issue=issue, body=serializer.validated_data["body"]
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Adopt the issue onto the agenda, set it aside with a reason, or reopen it (co-chairs)."""
        issue = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue = services.issue_decide(actor=request.user, issue=issue, **serializer.validated_data)
        return Response(self.get_serializer(_with_impact(issue)).data)

    @extend_schema(request=MergeSerializer, responses=IssueSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this duplicate into another issue; its endorsements carry over (co-chairs)."""
        issue = self.get_object()
        serializer = MergeSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        issue = services.issue_merge(actor=request.user, issue=issue, **serializer.validated_data)
        return Response(self.get_serializer(_with_impact(issue)).data)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class VoteViewSet(
    ViewerMixin,
    CommunityParameterMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Ranked or dot votes of the member organizations that order the adopted agenda."""

    serializer_class = VoteSerializer

    def get_queryset(self):
        queryset = (
            self.narrowed(selectors.vote_list)
            if self.action == "list"
            else selectors.vote_list(viewer=self.viewer)
        )
        return (
            queryset.prefetch_related("issues")
            .annotate(ballot_count=Count("ballots"))
            .order_by("-created", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.vote_open(
            actor=self.request.user, community=data.pop("community"), **data
        )

    @extend_schema(request=BallotSerializer, responses=BallotSerializer)
    @action(detail=True, methods=["post"])
    def ballot(self, request, pk=None):
        """Cast (or replace) an organization's ballot while the vote is open."""
        vote = self.get_object()
        serializer = BallotSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        ballot = services.ballot_cast(actor=request.user, vote=vote, **serializer.validated_data)
        return Response(BallotSerializer(ballot).data)

    @extend_schema(request=None, responses=ResultSerializer(many=True))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the vote: the ballots are counted and each issue takes its place on the agenda (co-chairs)."""
        results = services.vote_close(actor=request.user, vote=self.get_object())
        return Response(ResultSerializer(results, many=True).data)
