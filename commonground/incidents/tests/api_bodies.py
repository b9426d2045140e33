"""The bodies the incidents' API tests post, and the check that a refused write wrote nothing."""

from commonground.core.testing import database_state
from commonground.core.tlp import TLP

from .records import LATITUDE, LONGITUDE, later, tornado

SQUARE = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8], [-84.6, 42.7]]]}  # fmt: skip


def incident_body(table, **changes):
    body = {
        "community": "riverbend", "organization": table.public_org.pk, "hazard": tornado().pk,
        "title": "Flooded underpass", "latitude": LATITUDE, "longitude": LONGITUDE, "radius_km": 5,
        "tlp": TLP.GREEN,
    }  # fmt: skip
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def request_body(incident, requester, **changes):
    body = {
        "incident": incident.pk, "organization": requester.pk, "kind": "supply", "category": "esf6",
        "description": "Cots", "quantity": 40, "unit": "each", "latitude": LATITUDE, "longitude": LONGITUDE,
        "needed_by": later().isoformat(), "priority": 2,
    }  # fmt: skip
    body.update(changes)
    return body


def refused_with(response, field: str, before: dict) -> None:
    """The write was refused with a message on the field, and nothing was written."""
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert database_state() == before, "a refused write changed the database"
