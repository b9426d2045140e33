"""The pages of step 4: the resource database, its map and exports, and sharing agreements."""

from .agreements import (
    AgreementCreateView,
    AgreementDeleteView,
    AgreementDetailView,
    AgreementDocumentView,
    AgreementEditView,
    AgreementListView,
)
from .resources import (
    ContributionView,
    GeoJSONExportView,
    ResourceCreateView,
    ResourceDeleteView,
    ResourceDetailView,
    ResourceEditView,
    ResourceListView,
    ResourceVerifyView,
)

__all__ = [
    "AgreementCreateView", "AgreementDeleteView", "AgreementDetailView", "AgreementDocumentView",
    "AgreementEditView", "AgreementListView", "ContributionView", "GeoJSONExportView", "ResourceCreateView",
    "ResourceDeleteView", "ResourceDetailView", "ResourceEditView", "ResourceListView", "ResourceVerifyView",
]  # fmt: skip
