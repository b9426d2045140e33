"""The incidents' API answers in two more formats: an alert as CAP 1.2 XML, an incident's map as GeoJSON."""

from rest_framework import renderers

from commonground.core.api.renderers import JSONRenderer


class CAPRenderer(renderers.BaseRenderer):
    """An alert's CAP 1.2 XML, as it was issued (`/api/v1/alerts/<id>.xml`, or `Accept: application/cap+xml`)."""

    media_type = "application/cap+xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return str(data).encode(self.charset)


class GeoJSONRenderer(JSONRenderer):
    """GeoJSON (RFC 7946) is JSON under its own media type."""

    media_type = "application/geo+json"
    format = "geojson"
