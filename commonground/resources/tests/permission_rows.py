"""The permission matrix's rows for resources and agreements, and their part of the world."""

from django.core.files.base import ContentFile

from commonground.core.testing import (
    API_LIST,
    API_READ,
    PAGE_ORG_EDITORS,
    PAGE_READ,
    PAGE_RECORDERS,
    POST_EDITORS,
    expect,
    unique,
)
from commonground.core.tlp import TLP
from commonground.resources.models import Agreement
from commonground.resources.tests.factories import ResourceFactory, signed_agreement

DOCUMENT = b"%PDF-1.7 test"
RESOURCE_EDITORS = expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)


def build(world) -> None:
    table = world.table
    world.add(
        resource=ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN),
        agreement=signed_agreement(table, document=DOCUMENT, tlp=TLP.AMBER),
    )


def resource_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "name": f"Generator {next(unique)}",
        "kind": "equipment",
        "category": "esf12",
    }


def agreement_payload(world):
    return {
        "community": "riverbend",
        "organization": world.table.private_org.pk,
        "parties": [world.table.private_org.pk, world.table.public_org.pk],
        "title": f"MOU {next(unique)}",
        "starts_on": "2026-01-01",
    }


def document_path(world) -> str:
    """The agreement's document, put back if a delete row removed it (the file outlives the rollback)."""
    document = Agreement.objects.get(pk=world.agreement.pk).document
    if not document.storage.exists(document.name):
        document.storage.save(document.name, ContentFile(DOCUMENT))
    return f"/agreements/{world.agreement.pk}/document/"


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/resources/"): (lambda w: ("/api/v1/resources/?near=42.7,-84.5&radius_km=50", None), API_LIST),
    ("POST", "/api/v1/resources/"): (lambda w: ("/api/v1/resources/", resource_payload(w)), expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", None), API_READ),
    ("PATCH", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", {"quantity": 3}), RESOURCE_EDITORS),
    ("PUT", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", {**resource_payload(w), "name": "Renamed"}), RESOURCE_EDITORS),
    ("DELETE", "/api/v1/resources/{id}/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/", None), expect(403, visitor=401, outsider=404, admin_own=204, cochair=204, facilitator=204)),
    ("POST", "/api/v1/resources/{id}/verify/"): (lambda w: (f"/api/v1/resources/{w.resource.pk}/verify/", None), RESOURCE_EDITORS),
    ("GET", "/api/v1/resource-categories/"): (lambda w: ("/api/v1/resource-categories/", None), API_LIST),
    ("GET", "/api/v1/agreements/"): (lambda w: ("/api/v1/agreements/", None), API_LIST),
    ("POST", "/api/v1/agreements/"): (lambda w: ("/api/v1/agreements/", agreement_payload(w)), expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)),
    ("GET", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", None), API_READ),
    ("PATCH", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", {"terms": "Fuel at cost"}), RESOURCE_EDITORS),
    ("PUT", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", agreement_payload(w)), RESOURCE_EDITORS),
    ("DELETE", "/api/v1/agreements/{id}/"): (lambda w: (f"/api/v1/agreements/{w.agreement.pk}/", None), expect(403, visitor=401, outsider=404, admin_own=204, cochair=204, facilitator=204)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "resources:resources": (lambda w: "/c/riverbend/resources/?near=42.7,-84.5&radius_km=50&q=generator", "GET", PAGE_READ),
    "resources:resource_create": (lambda w: "/c/riverbend/resources/new/", "GET", PAGE_RECORDERS),
    "resources:geojson": (lambda w: "/c/riverbend/resources/export.geojson", "GET", PAGE_READ),
    "resources:contribution": (lambda w: "/c/riverbend/resources/contribution/", "GET", PAGE_READ),
    "resources:agreements": (lambda w: "/c/riverbend/agreements/", "GET", PAGE_READ),
    "resources:agreement_create": (lambda w: "/c/riverbend/agreements/new/", "GET", PAGE_RECORDERS),
    "resources:resource_detail": (lambda w: f"/resources/{w.resource.pk}/", "GET", PAGE_READ),
    "resources:resource_edit": (lambda w: f"/resources/{w.resource.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "resources:resource_verify": (lambda w: f"/resources/{w.resource.pk}/verify/", "POST", POST_EDITORS),
    "resources:resource_delete": (lambda w: f"/resources/{w.resource.pk}/delete/", "POST", POST_EDITORS),
    "resources:agreement_detail": (lambda w: f"/agreements/{w.agreement.pk}/", "GET", PAGE_READ),
    "resources:agreement_edit": (lambda w: f"/agreements/{w.agreement.pk}/edit/", "GET", PAGE_ORG_EDITORS),
    "resources:agreement_document": (document_path, "GET", PAGE_READ),
    "resources:agreement_delete": (lambda w: f"/agreements/{w.agreement.pk}/delete/", "POST", POST_EDITORS),
}  # fmt: skip
