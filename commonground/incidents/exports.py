"""Export the incidents as the reader may see them: resource requests and commitments (CSV, XLSX), and one
incident's map (GeoJSON: its area, its requests, the resources committed to it).

Each export holds only the rows the reader may see (the same selectors as the pages and the API) and is marked
with the narrowest marking among them, at least TLP:GREEN, as every export of the table is: a request carries
its incident's marking, a commitment the narrower of its incident's and its resource's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from commonground.core.exchange import Export
from commonground.core.timezones import local_time
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer

from . import selectors
from .choices import HOLDING_STATES
from .models import Incident

REQUEST_COLUMNS = [
    "incident", "incident_title", "request", "state", "priority", "organization", "kind", "category", "capability",
    "description", "min_capability_type", "quantity", "unit", "latitude", "longitude", "zip_code", "location",
    "needed_by", "substitutes_ok", "accepted_terms", "notes", "reason", "submitted_at", "approved_at", "filled_at",
]  # fmt: skip
REQUEST_FIELDS = [
    "incident__community__slug", "incident__number", "incident__title", "number", "state", "priority",
    "organization__name", "kind", "category", "capability", "description", "min_capability_type", "quantity",
    "unit", "latitude", "longitude", "zip_code", "location", "needed_by", "substitutes_ok", "accepted_terms",
    "notes", "state_reason", "submitted_at", "approved_at", "filled_at",
]  # fmt: skip
COMMITMENT_COLUMNS = [
    "incident", "request", "description", "priority", "resource", "owner", "quantity", "unit", "state",
    "distance_km", "arrives_at", "committed_at", "accepted_at", "released_at",
]  # fmt: skip
COMMITMENT_FIELDS = [
    "request__incident__community__slug", "request__incident__number", "request__number", "request__description",
    "request__priority", "resource__name", "resource__organization__name", "quantity", "request__unit", "state",
    "distance_m", "arrives_at", "committed_at", "decided_at", "released_at",
]  # fmt: skip


TIME_COLUMNS = {
    "needed_by", "submitted_at", "approved_at", "filled_at", "arrives_at", "committed_at", "accepted_at",
    "released_at",
}  # fmt: skip


def _marking(queryset: QuerySet, *paths: str) -> str:
    """Return the narrowest of the markings found at the given paths of the rows, at least TLP:GREEN."""
    found = set()
    for path in paths:
        found |= set(queryset.order_by().values_list(path, flat=True).distinct())
    return narrowest([TLP.GREEN, *found])


def _local(values, community) -> list:
    """Write times on the community's clock, to the minute (a workbook holds no time zone: `_zoned` names it)."""
    return [local_time(v, community) if isinstance(v, datetime.datetime) else v for v in values]


def _zoned(columns: list[str], community) -> list[str]:
    """Name the community's zone in the headers of the time columns."""
    return [f"{name} ({community.time_zone})" if name in TIME_COLUMNS else name for name in columns]


def _reference(slug: str, incident: int, request: int | None = None) -> str:
    return f"{slug}-{incident}" if request is None else f"{slug}-{incident}-{request}"


def _requests(viewer: Viewer, community):
    return (
        selectors.request_list(viewer=viewer)
        .filter(incident__community=community)
        .order_by("-incident__started_at", "incident__number", "number")
    )


def requests_export(*, viewer: Viewer, community) -> Export:
    """The community's resource requests the reader may see, with their incident's reference."""
    queryset = _requests(viewer, community)

    def rows():
        for row in queryset.values(*REQUEST_FIELDS).iterator(chunk_size=2000):
            slug, incident = row.pop("incident__community__slug"), row.pop("incident__number")
            row["accepted_terms"] = ";".join(row["accepted_terms"] or [])
            yield [
                _reference(slug, incident), row.pop("incident__title"),
                _reference(slug, incident, row.pop("number")), *_local(row.values(), community),
            ]  # fmt: skip

    return Export(
        _zoned(REQUEST_COLUMNS, community), rows(), _marking(queryset, "incident__tlp"), "resource requests"
    )


def _commitments(viewer: Viewer, community):
    return (
        selectors.commitment_list(viewer=viewer)
        .filter(request__incident__community=community)
        .order_by("-request__incident__started_at", "request__incident__number", "request__number", "pk")
    )


def commitments_export(*, viewer: Viewer, community) -> Export:
    """The resources committed to the community's incidents (accepted, and released since), as the reader may
    see them: a commitment of a resource the reader may not see is left out."""
    queryset = _commitments(viewer, community)

    def rows():
        for row in queryset.values(*COMMITMENT_FIELDS).iterator(chunk_size=2000):
            slug, incident = (
                row.pop("request__incident__community__slug"),
                row.pop("request__incident__number"),
            )
            row["distance_m"] = round(row["distance_m"] / 1000, 1)  # in km
            request = _reference(slug, incident, row.pop("request__number"))
            yield [_reference(slug, incident), request, *_local(row.values(), community)]

    marking = _marking(queryset, "request__incident__tlp", "resource__tlp")
    return Export(_zoned(COMMITMENT_COLUMNS, community), rows(), marking, "commitments")


def _feature(geometry: dict, properties: dict[str, Any]) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(latitude: float, longitude: float) -> dict:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def incident_geojson(*, viewer: Viewer, incident: Incident) -> tuple[dict, str]:
    """Return one incident's map as a GeoJSON FeatureCollection, and its marking.

    The incident is one the reader may see. Its area is a Polygon, or a Point with `radius_km`; then each
    placed request the reader may see, and each resource committed to it (committed or accepted) that the
    reader may see, at the resource's place. `properties.feature` says which of the three a feature is.
    """
    features = []
    area = {
        "feature": "area", "incident": incident.pk, "reference": incident.reference, "title": incident.title,
        "status": incident.status, "area_description": incident.area_description, "tlp": incident.tlp,
    }  # fmt: skip
    if incident.polygon:
        features.append(_feature(incident.polygon, area))
    elif incident.latitude is not None and incident.longitude is not None:
        features.append(
            _feature(_point(incident.latitude, incident.longitude), {**area, "radius_km": incident.radius_km})
        )
    requests = selectors.request_list(viewer=viewer, incident=incident).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    for request in requests:
        features.append(
            _feature(
                _point(request.latitude, request.longitude),
                {
                    "feature": "request", "id": request.pk, "reference": request.reference,
                    "description": request.description, "organization": request.organization.name,
                    "quantity": request.quantity, "unit": request.unit, "priority": request.priority,
                    "state": request.state, "needed_by": request.needed_by.isoformat(),
                },
            )
        )  # fmt: skip
    assignments = list(
        selectors.assignment_list(viewer=viewer, incident=incident).filter(
            state__in=HOLDING_STATES, resource__latitude__isnull=False, resource__longitude__isnull=False
        )
    )
    for assignment in assignments:
        resource = assignment.resource
        features.append(
            _feature(
                _point(resource.latitude, resource.longitude),
                {
                    "feature": "resource", "id": resource.pk, "assignment": assignment.pk,
                    "name": resource.name, "organization": resource.organization.name,
                    "quantity": assignment.quantity, "state": assignment.state,
                    "request": assignment.request.reference, "tlp": resource.tlp,
                },
            )
        )  # fmt: skip
    marking = narrowest([TLP.GREEN, incident.tlp, *(a.resource.tlp for a in assignments)])
    return {"type": "FeatureCollection", "tlp": marking, "features": features}, marking
