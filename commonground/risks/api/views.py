from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.viewer import ViewerMixin

from .. import selectors, services
from ..filtersets import HazardFilterSet
from .serializers import HazardSerializer


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class HazardViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """Hazards (step 5): the catalogue every community shares, and those a community adds."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet

    def get_queryset(self):
        if self.action == "list":
            return self.narrowed(selectors.hazard_list)
        return selectors.hazard_list(viewer=self.viewer)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.hazard_create(
            actor=self.request.user, community=data.pop("community"), **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("community", None)
        serializer.instance = services.hazard_update(
            actor=self.request.user, hazard=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.hazard_delete(actor=self.request.user, hazard=instance)
