from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.communities.selectors import community_get
from commonground.core.api.viewsets import ServiceModelViewSet
from commonground.core.viewer import ViewerMixin
from commonground.registry.models import Organization

from .. import selectors, services
from ..filtersets import AssessmentFilterSet, CriticalFunctionFilterSet, HazardFilterSet
from ..models import CriticalFunction
from ..profile import kept_risk_profile
from .serializers import (
    AssessmentSerializer,
    CriticalFunctionSerializer,
    HazardSerializer,
    RiskProfileSerializer,
)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class HazardViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Hazards (step 5): the catalogue every community shares, and those a community adds."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    selector = selectors.hazard_list
    create_service = services.hazard_create
    update_service = services.hazard_update
    delete_service = services.hazard_delete
    record_argument = "hazard"
    fixed_fields = ("community",)


RECIPIENT_IDS = Prefetch("recipient_organizations", queryset=Organization.objects.only("id"))


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class CriticalFunctionViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """What each organization must keep running (step 5); TLP:AMBER unless marked otherwise."""

    serializer_class = CriticalFunctionSerializer
    filterset_class = CriticalFunctionFilterSet
    selector = selectors.function_list
    create_service = services.function_create
    update_service = services.function_update
    delete_service = services.function_delete
    record_argument = "function"
    fixed_fields = ("community", "organization")

    def get_queryset(self):
        return super().get_queryset().prefetch_related(RECIPIENT_IDS)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class AssessmentViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Each organization's self-assessment of a hazard (step 5); TLP:AMBER unless marked otherwise."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    selector = selectors.hazard_assessment_list
    create_service = services.hazard_assessment_create
    update_service = services.hazard_assessment_update
    delete_service = services.hazard_assessment_delete
    record_argument = "assessment"
    fixed_fields = ("community", "organization", "hazard")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("critical_functions", queryset=CriticalFunction.objects.only("id")),
                RECIPIENT_IDS,
            )
        )


class RiskProfileView(ViewerMixin, GenericAPIView):
    """The community risk profile (the joint assessment), as the requester may see it.

    Hazards come ranked by joint risk. Assessments the requester may not see count in a figure only when
    at least three organizations' such assessments stand behind it (`core.aggregates`).
    """

    serializer_class = RiskProfileSerializer
    pagination_class = None
    filter_backends = []

    def get(self, request, slug):
        community = community_get(viewer=self.viewer, slug=slug)
        return Response(
            RiskProfileSerializer(kept_risk_profile(viewer=self.viewer, community=community)).data
        )
