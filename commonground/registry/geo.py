"""Coordinates from US ZIP-code centroids, so a ZIP code alone places an organization on the map."""

from functools import lru_cache

import zipcodes


@lru_cache(maxsize=4096)
def zip_centroid(zip_code: str) -> tuple[float, float] | None:
    """Return (latitude, longitude) of a five-digit ZIP code's centroid, or None when unknown."""
    code = (zip_code or "").strip()[:5]
    if len(code) != 5 or not code.isdigit():
        return None
    try:
        matches = zipcodes.matching(code)
    except (TypeError, ValueError):
        return None
    if not matches or not matches[0].get("lat"):
        return None
    return float(matches[0]["lat"]), float(matches[0]["long"])


def fill_coordinates(values: dict) -> None:
    """Put the ZIP centroid into values that give a ZIP code but no coordinates."""
    if values.get("latitude") is None and values.get("longitude") is None and values.get("zip_code"):
        centroid = zip_centroid(values["zip_code"])
        if centroid:
            values["latitude"], values["longitude"] = centroid
