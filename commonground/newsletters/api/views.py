from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import wants_mail
from commonground.communities.api.mixins import COMMUNITY_PARAMETER, CommunityParameterMixin
from commonground.core.api.viewsets import ServiceModelViewSet
from commonground.newsletters import selectors, services
from commonground.newsletters.audience import newsletter_audience, recipient_name, with_contact_shown
from commonground.newsletters.email import newsletter_parts
from commonground.newsletters.filtersets import NewsletterFilterSet
from commonground.newsletters.permissions import can_compose
from commonground.newsletters.rendering import shown_sections

from .serializers import NewsletterSerializer, PreviewSerializer, RecipientSerializer, SendResultSerializer

RECIPIENT_PARAMETER = OpenApiParameter(
    "recipient",
    OpenApiTypes.INT,
    description="The login (of the audience) to preview as; the first when none.",
)


def _create(*, actor, community, **data):
    return services.newsletter_create(actor=actor, community=community, **data)


@extend_schema_view(list=extend_schema(parameters=[COMMUNITY_PARAMETER]))
class NewsletterViewSet(CommunityParameterMixin, ServiceModelViewSet):
    """Newsletters: co-chairs compose drafts (pre-filled from the table's news), see the audience and a
    recipient's preview, and send; everyone at the table reads the sent ones (`archive`). Each reader gets only
    the sections whose every record they may see."""

    serializer_class = NewsletterSerializer
    filterset_class = NewsletterFilterSet
    selector = selectors.newsletter_list
    create_service = _create
    update_service = services.newsletter_update
    delete_service = services.newsletter_delete
    record_argument = "newsletter"
    fixed_fields = ("community",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sections")

    def paginate_queryset(self, queryset):
        """Decide each newsletter's sections for the requester for the whole page at once."""
        page = super().paginate_queryset(queryset)
        if page is not None and self.action in ("list", "archive"):
            # Those the requester was not sent are read as their public editions (TLP:CLEAR parts only).
            shown = shown_sections(self.viewer, [n for n in page if n.in_full])
            shown |= shown_sections(self.viewer, [n for n in page if not n.in_full], public=True)
            for newsletter in page:
                newsletter.shown_sections = shown[newsletter.pk]
        return page

    def composed(self):
        newsletter = self.get_object()
        if not can_compose(self.viewer, newsletter.community):
            raise PermissionDenied("Only co-chairs and facilitators compose and send newsletters.")
        return newsletter

    @extend_schema(parameters=[COMMUNITY_PARAMETER], responses=NewsletterSerializer(many=True))
    @action(detail=False, methods=["get"])
    def archive(self, request):
        """The sent newsletters the requester's tables received, newest first."""
        queryset = self.filter_queryset(
            self.narrowed(selectors.newsletter_archive).prefetch_related("sections")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=RecipientSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def audience(self, request, pk=None):
        """The exact recipients, a page at a time (`count` is how many); opted-out ones are marked."""
        newsletter = self.composed()
        audience = with_contact_shown(newsletter_audience(newsletter, viewer=self.viewer), viewer=self.viewer)
        page = self.paginate_queryset(audience)
        rows = [
            {
                "id": user.pk, "name": recipient_name(user, contact_shown=user.contact_shown),
                "email": user.email if user.contact_shown else "",
                "wants_newsletters": wants_mail(user, MailKind.NEWSLETTERS),
            }
            for user in page
        ]  # fmt: skip
        return self.get_paginated_response(RecipientSerializer(rows, many=True).data)

    @extend_schema(parameters=[RECIPIENT_PARAMETER], responses=PreviewSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def preview(self, request, pk=None):
        """The e-mail as one recipient would receive it: TLP applied to that reader."""
        newsletter = self.composed()
        audience = with_contact_shown(newsletter_audience(newsletter, viewer=self.viewer), viewer=self.viewer)
        raw = request.query_params.get("recipient")
        if raw:
            if not raw.isdigit():
                raise ValidationError({"recipient": ["A whole number."]})
            recipient = get_object_or_404(audience, pk=int(raw))
        else:
            recipient = audience.first()
            if recipient is None:
                raise Http404
        contact_shown = recipient.contact_shown
        recipient = get_user_model().objects.get(pk=recipient.pk)
        parts = newsletter_parts(newsletter, recipient, shown_to=self.viewer)
        if not contact_shown:
            parts["to"] = ""
        return Response(PreviewSerializer(parts).data)

    @extend_schema(request=None, responses=SendResultSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send the draft to its audience through the task queue (a delivery record per recipient)."""
        newsletter = self.composed()
        count = services.newsletter_send(actor=request.user, newsletter=newsletter)
        return Response({"recipients": count})
