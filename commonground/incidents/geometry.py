"""The geometry of an incident's area: a GeoJSON polygon checked with Shapely, distances on the sphere."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from shapely.geometry import Point, Polygon, shape
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
MAX_POLYGON_POINTS = 1000


def polygon_errors(polygon) -> str | None:
    """Return what is wrong with a GeoJSON Polygon (one outer ring of [longitude, latitude] points), or None."""
    if not isinstance(polygon, dict) or polygon.get("type") != "Polygon":
        return _('Give a GeoJSON object of type "Polygon".')
    rings = polygon.get("coordinates")
    if not isinstance(rings, list) or len(rings) != 1 or not isinstance(rings[0], list):
        return _("Give one ring of points: an area with no holes.")
    ring = rings[0]
    if len(ring) > MAX_POLYGON_POINTS:
        return _("An area has at most %(count)s points.") % {"count": MAX_POLYGON_POINTS}
    for point in ring:
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in point
            )
        ):
            return _("Each point is a pair of numbers: [longitude, latitude].")
        if not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90):
            return _("A point lies outside the map: longitude -180 to 180, latitude -90 to 90.")
    if len(ring) < 4:
        return _("An area needs at least three distinct points, and its last point repeats the first.")
    if list(ring[0]) != list(ring[-1]):
        return _("The area does not close: its last point must repeat the first.")
    area = Polygon(ring)
    if not area.is_valid:
        reason = explain_validity(area)
        if "Self-intersection" in reason:
            return _("The area's edges cross each other: draw it without crossing lines.")
        return _("The area is not a simple shape (%(reason)s).") % {"reason": reason}
    if area.area == 0:
        return _("The area has no surface.")
    return None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def centre_of(incident) -> tuple[float, float] | None:
    """Return (latitude, longitude) of an incident's area: its point, or its polygon's centroid."""
    if incident.latitude is not None and incident.longitude is not None:
        return incident.latitude, incident.longitude
    if incident.polygon:
        centroid = shape(incident.polygon).centroid
        return centroid.y, centroid.x
    return None


def contains(incident, latitude: float, longitude: float) -> bool:
    """Return whether a place lies within an incident's area."""
    if incident.polygon:
        return shape(incident.polygon).covers(Point(longitude, latitude))
    if incident.latitude is None or incident.radius_km is None:
        return False
    return distance_m(incident.latitude, incident.longitude, latitude, longitude) <= incident.radius_km * 1000
