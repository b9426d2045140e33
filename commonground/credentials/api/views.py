"""The credential program's REST API: facilities, nominations, credentials, activations, the online
verification and the checkpoints' check-log upload. The JWKS and the checkpoint bundle are public pages
(`views.jwks`, `views.checkpoint_bundle`): they carry no login."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from commonground.communities.models import Community
from commonground.core.api.viewsets import CreateReadViewSet, ReadOnlyServiceViewSet
from commonground.core.viewer import ViewerMixin

from .. import selectors, services
from ..filtersets import ActivationFilterSet, CredentialFilterSet, FacilityFilterSet, NominationFilterSet
from ..verification import verify
from .serializers import (
    ActivationSerializer,
    CheckUploadResultSerializer,
    CheckUploadSerializer,
    CredentialReasonSerializer,
    CredentialSerializer,
    FacilitySerializer,
    NominationSerializer,
    VerificationResultSerializer,
    VerificationSerializer,
)


class FacilityViewSet(CreateReadViewSet):
    """Facilities enrolled in a community's credential program (by their organization's admins or the co-chairs)."""

    serializer_class = FacilitySerializer
    filterset_class = FacilityFilterSet
    selector = selectors.facility_list
    create_service = services.facility_create


class NominationViewSet(CreateReadViewSet):
    """Nominations of essential employees; the nominee confirms the orientation, a co-chair and the program's
    public-safety organization both approve (the second approval issues the credential), or one refuses."""

    serializer_class = NominationSerializer
    filterset_class = NominationFilterSet
    selector = selectors.nomination_list
    create_service = services.nomination_create

    @extend_schema(request=None, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The nominee confirms they read the program's orientation."""
        nomination = services.nomination_acknowledge(actor=request.user, nomination=self.get_object())
        return Response(self.get_serializer(nomination).data)

    @extend_schema(request=None, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve as a co-chair or as the public-safety organization."""
        nomination = self.get_object()
        services.nomination_approve(actor=request.user, nomination=nomination)
        nomination.refresh_from_db()
        return Response(self.get_serializer(nomination).data)

    @extend_schema(request=CredentialReasonSerializer, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Refuse, with the reason."""
        serializer = CredentialReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        nomination = services.nomination_refuse(
            actor=request.user, nomination=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(nomination).data)

    @extend_schema(request=None, responses={200: NominationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw before it is decided (the nominee, or the nominating organization's admins)."""
        nomination = services.nomination_withdraw(actor=request.user, nomination=self.get_object())
        return Response(self.get_serializer(nomination).data)


class CredentialViewSet(ReadOnlyServiceViewSet):
    """Issued credentials (their QR content in `code`); revoked ones stay listed with their status."""

    serializer_class = CredentialSerializer
    filterset_class = CredentialFilterSet
    selector = selectors.credential_list

    @extend_schema(request=CredentialReasonSerializer, responses={200: CredentialSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke: online at once, at checkpoints at their next refresh."""
        serializer = CredentialReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credential = services.credential_revoke(
            actor=request.user, credential=self.get_object(), reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(credential).data)


class ActivationViewSet(CreateReadViewSet):
    """Activations of the program for a restricted area and a window (holders and their admins are mailed)."""

    serializer_class = ActivationSerializer
    filterset_class = ActivationFilterSet
    selector = selectors.activation_list
    create_service = services.activation_create

    @extend_schema(request=None, responses={200: ActivationSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the activation now: the online check stops admitting at once, checkpoints at their next refresh."""
        activation = services.activation_end(actor=request.user, activation=self.get_object())
        return Response(self.get_serializer(activation).data)


def _community(viewer, slug):
    return get_object_or_404(Community.objects.visible_to(viewer), slug=slug)


class CredentialCheckUploadView(ViewerMixin, APIView):
    """A checkpoint's log of checks, uploaded when the network returns (idempotent on each `client_id`)."""

    @extend_schema(request=CheckUploadSerializer, responses={201: CheckUploadResultSerializer})
    def post(self, request):
        serializer = CheckUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        community = _community(self.viewer, data["community"])
        stored, duplicates = services.checks_upload(
            actor=request.user, community=community, checks=data["checks"]
        )
        return Response({"stored": stored, "duplicates": duplicates}, status=status.HTTP_201_CREATED)


class CredentialVerificationView(ViewerMixin, APIView):
    """Check a credential's QR content online, by the same rule as the checkpoint page; the check is logged."""

    @extend_schema(request=VerificationSerializer, responses={200: VerificationResultSerializer})
    def post(self, request):
        serializer = VerificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        community = _community(self.viewer, data["community"])
        from ..permissions import can_upload_checks

        if not can_upload_checks(self.viewer, community):
            raise PermissionDenied
        outcome = verify(community, data["code"], activation_id=data.get("activation"))
        credential = outcome.credential()
        services.check_record(
            actor=request.user, community=community, result=outcome.result,
            credential_id=credential["id"] if credential else "", activation_id=data.get("activation"),
        )  # fmt: skip
        return Response({"result": outcome.result, "reason": outcome.reason, "credential": credential})
