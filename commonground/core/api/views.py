from rest_framework import viewsets

from commonground.core.filtersets import AuditEntryFilterSet
from commonground.core.models import AuditEntry
from commonground.core.viewer import ViewerMixin

from .serializers import AuditEntrySerializer


class AuditEntryViewSet(ViewerMixin, viewsets.ReadOnlyModelViewSet):
    """The record of every change, for co-chairs (their communities), admins (their organization) and facilitators."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet

    def get_queryset(self):
        return (
            AuditEntry.objects.visible_to(self.viewer)
            .annotate_marking_visible(self.viewer)
            .select_related("content_type")
        )
