from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.communities.api.views import CommunityViewSet
from commonground.core.api.viewsets import CreateReadViewSet, ServiceModelViewSet
from commonground.core.counting import ListCount
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
class OrganizationViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Organizations at the table (steps 1 and 2); another community's organization is not found."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    selector = selectors.organization_list
    create_service = services.organization_create
    update_service = services.organization_update
    delete_service = services.organization_delete
    record_argument = "organization"
    fixed_fields = ("community",)
    community_by_key = True  # organization_list, its filters and seat_count read the community's key alone

    UNFILTERED = {"community", "page", "page_size", "ordering", "cursor"}

    def known_count(self, queryset) -> ListCount | None:
        """A member listing a whole table sees every organization at it: count the seats, not the list."""
        _given, community = self.community_parameter
        if community is None or not set(self.request.query_params) <= self.UNFILTERED:
            return None
        return selectors.whole_table_count(viewer=self.viewer, community=community)

    def fixed_held(self, record) -> dict:
        # An organization sits at several tables: naming any of them is no change.
        return {"community": [seat.community for seat in record.memberships.select_related("community")]}


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class PersonViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """People of the organizations; contact details show only as their TLP marking allows."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    selector = selectors.person_list
    create_service = services.person_create
    update_service = services.person_update
    delete_service = services.person_delete
    record_argument = "person"

    def written(self, record):
        return self.get_queryset().filter(pk=record.pk).first() or record


class InvitationViewSet(CreateReadViewSet):
    """Invitations to the table: members send them; senders, co-chairs and facilitators see them."""

    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet
    selector = selectors.invitation_list
    create_service = services.invitation_send

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
