"""A nomination withdrawn before it is decided; the program read and changed through the API; every credential
endpoint in the OpenAPI schema."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.core.models import AuditEntry
from commonground.core.testing import api_client, page_client, watching_writes
from commonground.credentials import services
from commonground.credentials.choices import NominationStatus
from commonground.credentials.models import Nomination, Program

from .builders import build_program

pytestmark = pytest.mark.django_db


def nominate(table, built):
    return services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, person=built.employee,
        kind="standard", facilities=[built.facility], reason="shutdown",
    )  # fmt: skip


def entries(record):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    )


@pytest.mark.parametrize("who", ["admin", "member"])
def test_the_admin_or_the_nominee_withdraws_a_waiting_nomination(table, who):
    built = build_program(table, activate=False)
    nomination = nominate(table, built)
    services.nomination_withdraw(actor=getattr(table, who), nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    last = entries(nomination).order_by("-id").first()
    assert last.action == "update" and last.actor == getattr(table, who)
    assert last.changes["status"] == ["submitted", "withdrawn"]


@pytest.mark.parametrize("who", ["cochair", "other_admin", "outsider", "facilitator"])
def test_no_one_else_withdraws_and_nothing_changes(table, who):
    built = build_program(table, activate=False)
    nomination = nominate(table, built)
    with watching_writes() as writes, pytest.raises(PermissionDenied):
        services.nomination_withdraw(actor=getattr(table, who), nomination=nomination)
    assert not writes.changed


def test_a_decided_nomination_is_not_withdrawn(table):
    built = build_program(table, activate=False)
    built.nomination.refresh_from_db()
    assert built.nomination.status == NominationStatus.APPROVED
    with watching_writes() as writes, pytest.raises(ValidationError, match="decided"):
        services.nomination_withdraw(actor=table.admin, nomination=built.nomination)
    assert not writes.changed


def test_the_page_button_and_the_api_action_withdraw(table):
    built = build_program(table, activate=False)
    first, second = nominate(table, built), nominate(table, built)
    client = page_client(table.member)
    page = client.get(f"/c/riverbend/credentials/nominations/{first.pk}/").content.decode()
    assert f"/nominations/{first.pk}/withdraw/" in page
    approver_page = page_client(table.cochair).get(f"/c/riverbend/credentials/nominations/{first.pk}/")
    assert f"/nominations/{first.pk}/withdraw/" not in approver_page.content.decode()
    response = client.post(f"/c/riverbend/credentials/nominations/{first.pk}/withdraw/")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == NominationStatus.WITHDRAWN
    assert "withdraw/" not in client.get(f"/c/riverbend/credentials/nominations/{first.pk}/").content.decode()
    response = api_client(table.admin).post(f"/api/v1/credential-nominations/{second.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    with watching_writes() as writes:
        again = api_client(table.admin).post(f"/api/v1/credential-nominations/{second.pk}/withdraw/")
    assert again.status_code == 400 and not writes.changed


def test_the_program_is_read_by_the_table_and_changed_by_cochairs_through_the_service(table):
    built = build_program(table, activate=False)
    url = f"/api/v1/credential-programs/{built.program.pk}/"
    listed = api_client(table.member).get("/api/v1/credential-programs/", {"community": "riverbend"}).json()
    assert [p["id"] for p in listed["results"]] == [built.program.pk]
    assert {a["name"] for a in listed["results"][0]["areas"]} == {"Downtown", "Far away"}
    assert api_client(table.outsider).get(url).status_code == 404
    with watching_writes() as writes:
        refused = api_client(table.admin).patch(url, {"virtual_days": 30}, format="json")
    assert refused.status_code == 403 and not writes.changed
    response = api_client(table.cochair).patch(
        url, {"virtual_days": 30, "kinds": ["standard"]}, format="json"
    )
    assert response.status_code == 200, response.content
    program = Program.objects.get(pk=built.program.pk)
    assert program.virtual_days == 30 and program.kinds == ["standard"]
    assert entries(program).filter(action="update").exists()
    with watching_writes() as writes:
        bad = api_client(table.cochair).patch(
            url, {"safety_organization": table.private_org.pk}, format="json"
        )
    assert bad.status_code == 400 and "safety_organization" in bad.json() and not writes.changed
    with watching_writes() as writes:
        fixed = api_client(table.cochair).patch(url, {"community": "elsewhere"}, format="json")
    assert not writes.changed or fixed.json()["community"] == "riverbend"
    assert Program.objects.get(pk=built.program.pk).community == table.community


def test_every_credential_endpoint_is_in_the_openapi_schema(table):
    response = api_client(table.member).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, methods in {
        "/api/v1/credential-programs/": {"get"},
        "/api/v1/credential-programs/{id}/": {"get", "put", "patch"},
        "/api/v1/credential-facilities/": {"get", "post"},
        "/api/v1/credential-nominations/": {"get", "post"},
        "/api/v1/credential-nominations/{id}/withdraw/": {"post"},
        "/api/v1/credentials/": {"get"},
        "/api/v1/credentials/{id}/revoke/": {"post"},
        "/api/v1/credential-activations/": {"get", "post"},
        "/api/v1/credential-verifications/": {"post"},
        "/api/v1/credential-checks/": {"post"},
        "/c/{slug}/credentials/jwks.json": {"get"},
        "/c/{slug}/credentials/checkpoint.json": {"get"},
    }.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))


def test_a_withdrawn_nomination_is_listed_as_decided(table):
    built = build_program(table, activate=False)
    nomination = nominate(table, built)
    services.nomination_withdraw(actor=table.admin, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).get_status_display() == "Withdrawn"
