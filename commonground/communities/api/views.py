from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonground.communities import selectors, services
from commonground.communities.filtersets import CoChairFilterSet, CommunityFilterSet, MembershipFilterSet
from commonground.communities.models import CoChair, Community
from commonground.communities.progress import community_progress
from commonground.core.api.mixins import CreateReadDeleteViewSet
from commonground.core.viewer import ViewerMixin

from .serializers import CoChairSerializer, CommunitySerializer, MembershipSerializer, StepSerializer


class CommunityViewSet(
    ViewerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Community partnerships: facilitators create them, co-chairs edit them, members read them."""

    serializer_class = CommunitySerializer
    filterset_class = CommunityFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.community_list(viewer=self.viewer)

    def perform_create(self, serializer):
        serializer.instance = services.community_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.community_update(
            actor=self.request.user, community=serializer.instance, data=serializer.validated_data
        )

    @extend_schema(responses=StepSerializer(many=True))
    @action(detail=True, pagination_class=None, filter_backends=[])
    def progress(self, request, slug=None):
        """The state of each of the six steps, computed from the community's data."""
        steps = community_progress(self.get_object())
        return Response(StepSerializer(steps, many=True).data)


class MembershipViewSet(CreateReadDeleteViewSet):
    """Organizations' seats at community tables."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet

    def get_queryset(self):
        return selectors.membership_list(viewer=self.viewer)

    def perform_create(self, serializer):
        serializer.instance = services.membership_add(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.membership_remove(actor=self.request.user, membership=instance)


class CoChairViewSet(CreateReadDeleteViewSet):
    """The public and private leaders who co-chair each partnership (step 1)."""

    serializer_class = CoChairSerializer
    filterset_class = CoChairFilterSet

    def get_queryset(self):
        return CoChair.objects.filter(community__in=Community.objects.visible_to(self.viewer)).select_related(
            "community", "person__organization"
        )

    def perform_create(self, serializer):
        serializer.instance = services.cochair_add(actor=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.cochair_remove(actor=self.request.user, cochair=instance)
