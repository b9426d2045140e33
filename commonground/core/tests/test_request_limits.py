"""Hostile request bodies (nested thousands of levels deep, or larger than the limit) are a 400, never a 500."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from commonground.core.api.parsers import MAX_DEPTH, json_depth
from commonground.core.models import AuditEntry
from commonground.registry.models import Organization
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory

DEEP = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def snapshot():
    return (
        sorted(Organization.objects.values_list("id", "name", "website", "zip_code")),
        sorted(Resource.objects.values_list("id", "name", "description")),
        AuditEntry.objects.count(),
    )


def client_for(user=None):
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def test_json_depth_counts_nesting_but_not_brackets_inside_strings():
    assert json_depth('{"a": [1, {"b": "[[[[{{"}]}') == 3
    assert json_depth(r'"\"[["') == 0
    assert json_depth("[]" * 1000) == 1
    assert json_depth(DEEP) == 5000


def test_deeply_nested_json_to_the_token_endpoint_is_a_400_without_log_in(db):
    response = client_for().post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert str(MAX_DEPTH) in response.json()["detail"]


def test_json_just_within_the_depth_limit_is_parsed(db):
    body = '{"username": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    response = client_for().post("/api/v1/auth/token/", body, content_type="application/json")
    assert response.status_code == 400
    assert "username" in response.json()


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/organizations/"),
        ("post", "/api/v1/resources/"),
        ("patch", "/api/v1/organizations/{org}/"),
        ("patch", "/api/v1/resources/{resource}/"),
        ("post", "/api/v1/invitations/accept/"),
    ],
)
def test_deeply_nested_json_to_authenticated_writes_is_a_400_and_writes_nothing(table, method, url):
    resource = ResourceFactory(organization=table.public_org, community=table.community)
    url = url.format(org=table.public_org.pk, resource=resource.pk)
    before = snapshot()
    response = getattr(client_for(table.cochair), method)(url, DEEP, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert "nests deeper" in response.json()["detail"]
    assert snapshot() == before


def test_a_json_body_over_the_size_limit_is_a_400_and_writes_nothing(table, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = '{"name": "' + "x" * 20_000 + '"}'
    before = snapshot()
    response = client_for(table.cochair).patch(
        f"/api/v1/organizations/{table.public_org.pk}/", body, content_type="application/json"
    )
    assert response.status_code in (400, 413)
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    assert snapshot() == before


def test_a_form_body_over_the_size_limit_to_the_token_endpoint_is_a_400(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = "username=someone&password=" + "x" * 20_000
    response = client_for().post(
        "/api/v1/auth/token/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 413)


def test_the_default_body_limit_is_two_megabytes(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024


def test_an_import_upload_larger_than_the_body_limit_still_reaches_the_import_page(client, table, settings):
    # Uploaded files are spooled by Django's upload handlers; only the other form fields count.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = "".join(f"Importer {n},private,utility\n" for n in range(1000))
    upload = SimpleUploadedFile("orgs.csv", f"name,sector,category\n{rows}".encode(), content_type="text/csv")
    assert upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(table.cochair)
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    assert response.status_code == 200 and b"would be created" in response.content
