from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from commonground.communities import selectors, services
from commonground.communities.filtersets import CoChairFilterSet, CommunityFilterSet, MembershipFilterSet
from commonground.communities.progress import community_progress
from commonground.core.api.viewsets import CreateReadDeleteViewSet, CreateReadUpdateViewSet

from .serializers import CoChairSerializer, CommunitySerializer, MembershipSerializer, StepSerializer


class CommunityViewSet(CreateReadUpdateViewSet):
    """Community partnerships: facilitators create them, co-chairs edit them, members read them."""

    serializer_class = CommunitySerializer
    filterset_class = CommunityFilterSet
    lookup_field = "slug"
    selector = selectors.community_list
    create_service = services.community_create
    update_service = services.community_update
    record_argument = "community"

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
    selector = selectors.membership_list
    create_service = services.membership_add
    delete_service = services.membership_remove
    record_argument = "membership"


class CoChairViewSet(CreateReadDeleteViewSet):
    """The public and private leaders who co-chair each partnership (step 1)."""

    serializer_class = CoChairSerializer
    filterset_class = CoChairFilterSet
    selector = selectors.cochair_list
    create_service = services.cochair_add
    delete_service = services.cochair_remove
    record_argument = "cochair"
