from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.communities.selectors import community_get
from commonground.core.api.mixins import fixed_removed
from commonground.core.viewer import ViewerMixin
from commonground.registry.models import Organization

from .. import selectors, services
from ..filtersets import AssessmentFilterSet, CriticalFunctionFilterSet, HazardFilterSet
from ..models import CriticalFunction
from ..profile import risk_profile
from .serializers import (
    AssessmentSerializer,
    CriticalFunctionSerializer,
    HazardSerializer,
    RiskProfileSerializer,
)


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
        data = fixed_removed(serializer, ("community",))
        serializer.instance = services.hazard_update(
            actor=self.request.user, hazard=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.hazard_delete(actor=self.request.user, hazard=instance)


RECIPIENT_IDS = Prefetch("recipient_organizations", queryset=Organization.objects.only("id"))


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class CriticalFunctionViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """What each organization must keep running (step 5); TLP:AMBER unless marked otherwise."""

    serializer_class = CriticalFunctionSerializer
    filterset_class = CriticalFunctionFilterSet

    def get_queryset(self):
        queryset = (
            self.narrowed(selectors.function_list)
            if self.action == "list"
            else selectors.function_list(viewer=self.viewer)
        )
        return queryset.prefetch_related(RECIPIENT_IDS)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.function_create(
            actor=self.request.user,
            community=data.pop("community"),
            organization=data.pop("organization"),
            **data,
        )

    def perform_update(self, serializer):
        data = fixed_removed(serializer, ("community", "organization"))
        serializer.instance = services.function_update(
            actor=self.request.user, function=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.function_delete(actor=self.request.user, function=instance)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class AssessmentViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """Each organization's self-assessment of a hazard (step 5); TLP:AMBER unless marked otherwise."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet

    def get_queryset(self):
        queryset = (
            self.narrowed(selectors.hazard_assessment_list)
            if self.action == "list"
            else selectors.hazard_assessment_list(viewer=self.viewer)
        )
        return queryset.prefetch_related(
            Prefetch("critical_functions", queryset=CriticalFunction.objects.only("id")),
            RECIPIENT_IDS,
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.hazard_assessment_create(
            actor=self.request.user,
            community=data.pop("community"),
            organization=data.pop("organization"),
            hazard=data.pop("hazard"),
            **data,
        )

    def perform_update(self, serializer):
        data = fixed_removed(serializer, ("community", "organization", "hazard"))
        serializer.instance = services.hazard_assessment_update(
            actor=self.request.user, assessment=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.hazard_assessment_delete(actor=self.request.user, assessment=instance)


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
        return Response(RiskProfileSerializer(risk_profile(viewer=self.viewer, community=community)).data)
