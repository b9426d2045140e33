from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.mixins import fixed_removed
from commonground.core.viewer import ViewerMixin

from .. import selectors, services
from ..choices import categories
from ..filtersets import AgreementFilterSet, ResourceFilterSet
from .serializers import AgreementSerializer, CategorySerializer, ResourceSerializer


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class ResourceViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """The community's resource database (step 4). With `near`, results come nearest first with `distance_km`."""

    serializer_class = ResourceSerializer
    filterset_class = ResourceFilterSet

    def get_queryset(self):
        if self.action == "list":
            return self.narrowed(selectors.resource_list)
        return selectors.resource_list(viewer=self.viewer)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.resource_create(
            actor=self.request.user,
            community=data.pop("community"),
            organization=data.pop("organization"),
            **data,
        )

    def perform_update(self, serializer):
        data = fixed_removed(serializer, ("community", "organization"))
        serializer.instance = services.resource_update(
            actor=self.request.user, resource=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.resource_delete(actor=self.request.user, resource=instance)

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
class AgreementViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """Sharing agreements (memoranda of understanding, mutual aid) between organizations."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet

    def get_queryset(self):
        if self.action == "list":
            return self.narrowed(selectors.agreement_list)
        return selectors.agreement_list(viewer=self.viewer)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.agreement_create(
            actor=self.request.user,
            community=data.pop("community"),
            organization=data.pop("organization"),
            **data,
        )

    def perform_update(self, serializer):
        data = fixed_removed(serializer, ("community", "organization"))
        serializer.instance = services.agreement_update(
            actor=self.request.user, agreement=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.agreement_delete(actor=self.request.user, agreement=instance)
