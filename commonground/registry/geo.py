"""Coordinates from US ZIP-code centroids, so a ZIP code alone places an organization on the map."""

from commonground.core.places import zip_centroid

__all__ = ["fill_coordinates", "zip_centroid"]


def fill_coordinates(values: dict) -> None:
    """Put the ZIP centroid into values that give a ZIP code but no coordinates."""
    if values.get("latitude") is None and values.get("longitude") is None and values.get("zip_code"):
        centroid = zip_centroid(values["zip_code"])
        if centroid:
            values["latitude"], values["longitude"] = centroid
