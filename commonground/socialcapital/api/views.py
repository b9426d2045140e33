from commonground.core.api.viewsets import ReadOnlyServiceViewSet
from commonground.socialcapital import selectors
from commonground.socialcapital.filtersets import NetworkSnapshotFilterSet

from .serializers import NetworkSnapshotSerializer


def _snapshots(*, viewer):
    return selectors.snapshot_list(viewer=viewer).select_related("community")


class NetworkSnapshotViewSet(ReadOnlyServiceViewSet):
    """Each community's network, measured month by month from its record (newest month first); computed by
    the worker, never on request. Only records every member of the table may see are counted."""

    serializer_class = NetworkSnapshotSerializer
    filterset_class = NetworkSnapshotFilterSet
    selector = _snapshots
