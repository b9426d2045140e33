"""Export the resources a reader may see: CSV and XLSX in the import's own columns, and GeoJSON for maps."""

from __future__ import annotations

import json
from collections.abc import Iterator

from commonground.core.exchange import Export
from commonground.core.visibility import Viewer

from . import selectors
from .imports import ResourceImporter

COLUMNS = [column.name for column in ResourceImporter.columns]
FIELDS = ["organization__name", *COLUMNS[1:]]


def _queryset(viewer: Viewer, community):
    return selectors.resource_list(viewer=viewer, community=community).order_by(
        "organization__name", "name", "pk"
    )


def resources_export(*, viewer: Viewer, community) -> Export:
    """The resources the reader may see, marked with the narrowest marking among them."""
    queryset = _queryset(viewer, community)
    rows = (list(values) for values in queryset.values_list(*FIELDS).iterator(chunk_size=2000))
    return Export(COLUMNS, rows, queryset.narrowest_marking(), "resources")


def geojson_export(*, viewer: Viewer, community) -> tuple[Iterator[str], str]:
    """Return the GeoJSON FeatureCollection of the placed resources, streamed as text, and its marking."""
    queryset = _queryset(viewer, community).filter(latitude__isnull=False, longitude__isnull=False)
    marking = queryset.narrowest_marking()
    properties = ["id", "name", "kind", "category", "capability_type", "capacity", "capacity_unit", "quantity",
                  "unit", "availability", "deploy_hours", "terms", "tlp", "verified_on", "organization__name"]  # fmt: skip

    def chunks() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "tlp": ' + json.dumps(marking) + ', "features": ['
        first = True
        for values in queryset.values("latitude", "longitude", *properties).iterator(chunk_size=2000):
            feature = {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [values.pop("longitude"), values.pop("latitude")],
                },
                "properties": {**values, "organization": values.pop("organization__name")},
            }
            yield ("" if first else ",") + json.dumps(feature, default=str)
            first = False
        yield "]}"

    return chunks(), marking
