from commonground.core.filtersets import AuditEntryFilterSet
from commonground.core.models import AuditEntry
from commonground.core.viewer import Viewer

from .serializers import AuditEntrySerializer
from .viewsets import ReadOnlyServiceViewSet


def audit_entry_list(*, viewer: Viewer):
    """Return the audit entries the viewer may read, each knowing whether its marking lets the viewer see it."""
    return (
        AuditEntry.objects.visible_to(viewer).annotate_marking_visible(viewer).select_related("content_type")
    )


class AuditEntryViewSet(ReadOnlyServiceViewSet):
    """The record of every change, for co-chairs (their communities), admins (their organization) and facilitators."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    selector = audit_entry_list
