"""Regression (issue 19, review): a nomination's reason, role and photo, a placard's label and a check's note
reached other communities' co-chairs through the audit log's shared-organization rule (an organization seated
at two tables lets each table's co-chairs read entries about it). The credential program's entries are now
read only by their own community's co-chairs and the facilitators (`audit_community`, core.audit)."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from commonground.communities.tests.factories import CoChairFactory, MembershipFactory
from commonground.core.models import AuditEntry
from commonground.core.testing import api_client, page_client
from commonground.credentials import services
from commonground.registry import services as registry_services
from commonground.registry.tests.factories import PersonFactory, UserFactory

from .builders import build_program

pytestmark = pytest.mark.django_db

REASON = "QZX-reason-marker-4417"
ROLE = "QZX-role-marker-9902"
PHOTO = "qzxphotomarker3318"
LABEL = "QZX-placard-marker-5521"
NOTE = "QZX-denial-note-7730"
MARKERS = (REASON, ROLE, PHOTO, LABEL, NOTE)


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")


def _plant(table):
    built = build_program(table, activate=False)
    nomination = services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, person=built.employee,
        kind="standard", facilities=[built.facility], reason="shutdown", reason_detail=REASON, job_role=ROLE,
        photo=_png(PHOTO),
    )  # fmt: skip
    placard = services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, kind="placard",
        label=LABEL, facilities=[built.facility], reason="restoration",
    )  # fmt: skip
    services.nomination_acknowledge(actor=table.admin, nomination=placard)
    services.nomination_approve(actor=table.cochair, nomination=placard)
    services.nomination_approve(actor=table.other_admin, nomination=placard)
    check = {"client_id": uuid.uuid4(), "checked_at": timezone.now(), "result": "revoked", "note": NOTE}
    services.checks_upload(actor=table.cochair, community=table.community, checks=[check])
    return nomination


def _shared_organization_cochairs(table):
    """The logistics firm sits at the Elsewhere table too; that table's co-chairs: an admin of another
    organization, and a plain member of the logistics firm itself."""
    MembershipFactory(community=table.other_community, organization=table.private_org)
    CoChairFactory(community=table.other_community, person=table.outsider.person)
    colleague = UserFactory()
    CoChairFactory(
        community=table.other_community,
        person=PersonFactory(organization=table.private_org, user=colleague, role="member"),
    )
    return [table.outsider, colleague]


CREDENTIAL_MODELS = {
    "program", "restrictedarea", "signingkey", "facility", "nomination", "credential", "activation",
    "credentialcheck",
}  # fmt: skip


def _readings(user, organization) -> dict[str, str]:
    """The audit log as a reader reads it: the table's page, the API (JSON, by organization, browsable)."""
    api = api_client(user)
    return {
        "audit page": page_client(user).get("/c/elsewhere/audit/").content.decode(),
        "audit page by organization": page_client(user)
        .get(f"/c/elsewhere/audit/?organization={organization.pk}")
        .content.decode(),
        "audit API": api.get("/api/v1/audit/?page_size=200").content.decode(),
        "audit API by organization": api.get(
            f"/api/v1/audit/?page_size=200&organization={organization.pk}"
        ).content.decode(),
        "audit API, browsable": api.get("/api/v1/audit/?format=api&page_size=200").content.decode(),
    }


def test_another_tables_cochairs_read_no_credential_entry_through_a_shared_organization(table):
    _plant(table)
    readers = _shared_organization_cochairs(table)
    for user in readers:
        for surface, body in _readings(user, table.private_org).items():
            for marker in MARKERS:
                assert marker not in body, (user, surface, marker)
    # The shared-organization rule still reads the firm's own records (its profile's changes).
    registry_services.organization_update(
        actor=table.admin, organization=table.private_org, data={"website": "https://logistics.example.org/"}
    )
    body = api_client(table.outsider).get(f"/api/v1/audit/?organization={table.private_org.pk}").json()
    assert "organization" in {r["model"] for r in body["results"]}
    assert not {r["model"] for r in body["results"]} & CREDENTIAL_MODELS, body["results"]


def test_the_programs_own_cochairs_and_the_facilitators_still_read_its_entries(table):
    _plant(table)
    for user in (table.cochair, table.facilitator):
        body = api_client(user).get("/api/v1/audit/?page_size=500").content.decode()
        for marker in (REASON, ROLE, PHOTO, LABEL):
            assert marker in body, (user, marker)
    assert REASON in page_client(table.cochair).get("/c/riverbend/audit/?model=nomination").content.decode()


def test_every_entry_of_the_program_is_held_in_its_community(table):
    _plant(table)
    entries = AuditEntry.objects.filter(content_type__app_label="credentials")
    assert entries.exists()
    assert set(entries.values_list("tlp", "owner_id", "record_community_id").distinct()) == {
        ("TLP:AMBER", None, table.community.pk)
    }
