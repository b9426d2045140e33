from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.viewsets import CreateReadUpdateViewSet, CreateReadViewSet

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
class IssueViewSet(CommunityParameterMixin, CreateReadUpdateViewSet):
    """Common issues (step 3), highest collective impact first. Co-chairs adopt, set aside and merge them."""

    serializer_class = IssueSerializer
    filterset_class = IssueFilterSet
    selector = selectors.issue_list
    create_service = services.issue_propose
    update_service = services.issue_update
    record_argument = "issue"
    fixed_fields = ("community", "organization")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("hazards")

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(ranked(queryset))

    def get_object(self):
        return _with_impact(super().get_object())

    def update_data(self, serializer) -> dict:
        data = super().update_data(serializer)
        data.pop("severity", None)
        return data

    def written(self, record):
        return _with_impact(record)

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
class VoteViewSet(CommunityParameterMixin, CreateReadViewSet):
    """Ranked or dot votes of the member organizations that order the adopted agenda."""

    serializer_class = VoteSerializer
    selector = selectors.vote_list
    create_service = services.vote_open

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("issues")
            .annotate(ballot_count=Count("ballots"))
            .order_by("-created", "id")
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
