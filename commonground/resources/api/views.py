from functools import partial

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.viewsets import ServiceModelViewSet

from .. import selectors, services
from ..choices import categories
from ..filtersets import AgreementFilterSet, ResourceApiFilterSet
from .serializers import AgreementSerializer, CategorySerializer, ResourceSerializer


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class ResourceViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """The community's resource database (step 4). With `near`, results come nearest first with `distance_km`."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceApiFilterSet
    selector = selectors.resource_list
    create_service = services.resource_create
    update_service = services.resource_update
    delete_service = services.resource_delete
    record_argument = "resource"
    fixed_fields = ("community", "organization")
    community_by_key = True  # resource_list reads the community's key alone

    def list_queryset(self, selector):
        # The pages read their rows by key, with what a list shows (`resource_pages`): the list itself only keys.
        return self.narrowed(partial(selector, related=False))

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(selectors.resource_pages(queryset))

    @extend_schema(request=None, responses=ResourceSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Confirm that the record is still true today."""
        resource = services.resource_verify(actor=request.user, resource=self.get_object())
        return Response(self.get_serializer(resource).data)


class CategoryViewSet(viewsets.ViewSet):
    """The resource categories: the Emergency Support Functions of the National Response Framework."""

    serializer_class = CategorySerializer
    pagination_class = None

    @extend_schema(responses=CategorySerializer(many=True))
    def list(self, request):
        return Response(CategorySerializer(categories(), many=True).data)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class AgreementViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Sharing agreements (memoranda of understanding, mutual aid) between organizations."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    selector = selectors.agreement_list
    create_service = services.agreement_create
    update_service = services.agreement_update
    delete_service = services.agreement_delete
    record_argument = "agreement"
    fixed_fields = ("community", "organization")
