from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.communities.api.views import CommunityViewSet
from commonground.core.api.mixins import fixed_removed
from commonground.core.viewer import ViewerMixin
from commonground.registry import selectors, services
from commonground.registry.filtersets import InvitationFilterSet, OrganizationFilterSet, PersonFilterSet
from commonground.registry.tokens import InvalidToken

from .serializers import (
    AcceptedSerializer,
    CoverageSerializer,
    InvitationAcceptSerializer,
    InvitationSerializer,
    OrganizationSerializer,
    PersonSerializer,
)


class CommunityCoverageViewSet(CommunityViewSet):
    """Community partnerships: facilitators create them, co-chairs edit them, members read them."""

    # The coverage report reads organizations' sectors and categories, which are this app's, not the
    # communities' below it; so the communities' endpoint gains its action here (the API's schema reads
    # the docstring above, kept as the communities' own).
    @extend_schema(responses=CoverageSerializer)
    @action(detail=True, pagination_class=None, filter_backends=[])
    def coverage(self, request, slug=None):
        """Which recommended stakeholder categories are at the table, and how businesses spread by size."""
        return Response(CoverageSerializer(selectors.coverage_report(self.get_object())).data)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class OrganizationViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """Organizations at the table (steps 1 and 2); another community's organization is not found."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet

    def get_queryset(self):
        if self.action == "list":
            return self.narrowed(selectors.organization_list)
        return selectors.organization_list(viewer=self.viewer)

    UNFILTERED = {"community", "page", "page_size", "ordering"}

    def known_count(self, queryset) -> int | None:
        """A member listing a whole table sees every organization at it: count the seats, not the list."""
        _given, community = self.community_parameter
        if community is None or not set(self.request.query_params) <= self.UNFILTERED:
            return None
        return selectors.seat_count(community) if self.viewer.is_member_of(community.pk) else None

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        community = data.pop("community")
        serializer.instance = services.organization_create(
            actor=self.request.user, community=community, **data
        )

    def perform_update(self, serializer):
        seats = serializer.instance.memberships.select_related("community")
        data = fixed_removed(
            serializer, ("community",), held={"community": [seat.community for seat in seats]}
        )
        serializer.instance = services.organization_update(
            actor=self.request.user, organization=serializer.instance, data=data
        )

    def perform_destroy(self, instance):
        services.organization_delete(actor=self.request.user, organization=instance)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class PersonViewSet(ViewerMixin, CommunityParameterMixin, viewsets.ModelViewSet):
    """People of the organizations; contact details show only as their TLP marking allows."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        if self.action == "list":
            return self.narrowed(selectors.person_list)
        return selectors.person_list(viewer=self.viewer)

    def _reload(self, person):
        return self.get_queryset().filter(pk=person.pk).first() or person

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        person = services.person_create(actor=self.request.user, organization=organization, **data)
        serializer.instance = self._reload(person)

    def perform_update(self, serializer):
        person = services.person_update(
            actor=self.request.user, person=serializer.instance, data=dict(serializer.validated_data)
        )
        serializer.instance = self._reload(person)

    def perform_destroy(self, instance):
        services.person_delete(actor=self.request.user, person=instance)


class InvitationViewSet(
    ViewerMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations to the table: members send them; senders, co-chairs and facilitators see them."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet

    def get_queryset(self):
        return selectors.invitation_list(viewer=self.viewer)

    def perform_create(self, serializer):
        serializer.instance = services.invitation_send(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Withdraw a pending invitation."""
        invitation = services.invitation_revoke(actor=request.user, invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)


class InvitationAcceptView(APIView):
    """Accept an invitation with the token from its link: registers the person and, where new, the organization."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=InvitationAcceptSerializer, responses={201: AcceptedSerializer})
    def post(self, request):
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = data.pop("organization", None)
        try:
            person = services.invitation_accept(organization_data=organization, **data)
        except InvalidToken as error:
            raise ValidationError({"token": [str(error)]}) from None
        membership_community = person.invitations_accepted.first().community.slug
        return Response(
            {"person": person.pk, "organization": person.organization_id, "community": membership_community},
            status=status.HTTP_201_CREATED,
        )
