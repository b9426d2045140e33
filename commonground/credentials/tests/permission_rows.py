"""The permission matrix's rows for the credential program, and its part of the world.

The world holds the Riverbend program (its public-safety approver is the fire department: the co-chair and
`admin_other` are its admins), a facility of the logistics firm (`admin_own`, `member`), an issued credential of
`member`, a nomination waiting for approval and one whose orientation is not confirmed, and a current activation.
"""

from __future__ import annotations

import datetime
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from commonground.core.testing import (
    API_LIST,
    API_READ,
    DECIDERS,
    PAGE_DECIDERS,
    PAGE_LEADERS,
    PAGE_READ,
    expect,
)
from commonground.credentials import services

from .builders import build_program


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def build(world) -> None:
    table = world.table
    built = build_program(table)
    waiting = services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, person=built.employee,
        kind="standard", facilities=[built.facility], reason="shutdown", photo=png(),
    )  # fmt: skip
    services.nomination_acknowledge(actor=table.member, nomination=waiting)
    unconfirmed = services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, person=built.employee,
        kind="standard", facilities=[built.facility], reason="vital_records",
    )  # fmt: skip
    old_key = built.credential.key
    services.key_rotate(actor=table.cochair, community=table.community)
    world.add(
        cred_program=built, cred_waiting=waiting, cred_unconfirmed=unconfirmed, cred_old_key=old_key,
        cred_credential=built.credential,
    )  # fmt: skip


def _facility(w):
    return {
        "community": "riverbend", "organization": w.table.private_org.pk, "name": "Cold store",
        "latitude": 41.6, "longitude": -87.6, "zip_code": "60601",
    }  # fmt: skip


def _nomination(w):
    return {
        "community": "riverbend", "organization": w.table.private_org.pk, "person": w.cred_program.employee.pk,
        "kind": "standard", "facilities": [w.cred_program.facility.pk], "reason": "restoration",
    }  # fmt: skip


def _activation(w):
    now = timezone.now()
    return {
        "community": "riverbend", "name": "Storm re-entry", "area": w.cred_program.area.pk, "kinds": ["standard"],
        "starts_at": now.isoformat(), "ends_at": (now + datetime.timedelta(days=1)).isoformat(),
    }  # fmt: skip


def _checks(w):
    check = {
        "client_id": str(uuid.uuid4()),
        "checked_at": timezone.now().isoformat(),
        "result": "valid",
        "note": "",
    }
    return {"community": "riverbend", "checks": [check]}


ENROLERS_CREATE = expect(403, visitor=401, outsider=400, admin_own=201, cochair=201, facilitator=201)
NOMINEE = expect(403, visitor=401, outsider=404, member=200, admin_own=200)
APPROVERS = expect(403, visitor=401, outsider=404, admin_other=200, cochair=200, facilitator=200)
REVOKERS = expect(
    403, visitor=401, outsider=404, admin_own=200, admin_other=200, cochair=200, facilitator=200
)
OFFICIALS_CREATE = expect(403, visitor=401, outsider=400, admin_other=201, cochair=201, facilitator=201)
MEMBERS_CREATE = expect(201, visitor=401, outsider=404)
MEMBERS_POST = expect(200, visitor=401, outsider=404)
PUBLIC = expect(200)
PAGE_ENROLERS = expect(
    403, visitor=302, outsider=404, admin_own=200, admin_other=200, cochair=200, facilitator=200
)
PAGE_OFFICIALS = expect(403, visitor=302, outsider=404, admin_other=200, cochair=200, facilitator=200)
POST_NOMINEE = expect(403, visitor=302, outsider=404, member=302, admin_own=302)
POST_APPROVERS = expect(403, visitor=302, outsider=404, admin_other=302, cochair=302, facilitator=302)
POST_REVOKERS = expect(
    403, visitor=302, outsider=404, admin_own=302, admin_other=302, cochair=302, facilitator=302
)


def _program(w):
    return {
        "safety_organization": w.table.public_org.pk, "kinds": ["standard", "placard"], "standard_days": 365,
        "virtual_days": 30, "orientation": "Show the card and a photo ID.",
    }  # fmt: skip


API = {
    # The public documents, in the OpenAPI schema too (credentials/api/schema.py).
    ("GET", "/c/{slug}/credentials/jwks.json"): (lambda w: ("/c/riverbend/credentials/jwks.json", None), PUBLIC),
    ("GET", "/c/{slug}/credentials/checkpoint.json"): (lambda w: ("/c/riverbend/credentials/checkpoint.json", None), PUBLIC),
    ("GET", "/api/v1/credential-programs/"): (lambda w: ("/api/v1/credential-programs/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/credential-programs/{id}/"): (lambda w: (f"/api/v1/credential-programs/{w.cred_program.program.pk}/", None), API_READ),
    ("PUT", "/api/v1/credential-programs/{id}/"): (lambda w: (f"/api/v1/credential-programs/{w.cred_program.program.pk}/", _program(w)), DECIDERS),
    ("PATCH", "/api/v1/credential-programs/{id}/"): (lambda w: (f"/api/v1/credential-programs/{w.cred_program.program.pk}/", {"virtual_days": 60}), DECIDERS),
    ("GET", "/api/v1/credential-facilities/"): (lambda w: ("/api/v1/credential-facilities/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/credential-facilities/{id}/"): (lambda w: (f"/api/v1/credential-facilities/{w.cred_program.facility.pk}/", None), API_READ),
    ("POST", "/api/v1/credential-facilities/"): (lambda w: ("/api/v1/credential-facilities/", _facility(w)), ENROLERS_CREATE),
    ("GET", "/api/v1/credential-nominations/"): (lambda w: ("/api/v1/credential-nominations/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/credential-nominations/{id}/"): (lambda w: (f"/api/v1/credential-nominations/{w.cred_waiting.pk}/", None), API_READ),
    ("POST", "/api/v1/credential-nominations/"): (lambda w: ("/api/v1/credential-nominations/", _nomination(w)), ENROLERS_CREATE),
    ("POST", "/api/v1/credential-nominations/{id}/acknowledge/"): (lambda w: (f"/api/v1/credential-nominations/{w.cred_unconfirmed.pk}/acknowledge/", None), NOMINEE),
    ("POST", "/api/v1/credential-nominations/{id}/approve/"): (lambda w: (f"/api/v1/credential-nominations/{w.cred_waiting.pk}/approve/", None), APPROVERS),
    ("POST", "/api/v1/credential-nominations/{id}/refuse/"): (lambda w: (f"/api/v1/credential-nominations/{w.cred_waiting.pk}/refuse/", {"reason": "Not critical"}), APPROVERS),
    ("POST", "/api/v1/credential-nominations/{id}/withdraw/"): (lambda w: (f"/api/v1/credential-nominations/{w.cred_waiting.pk}/withdraw/", None), NOMINEE),
    ("GET", "/api/v1/credentials/"): (lambda w: ("/api/v1/credentials/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/credentials/{id}/"): (lambda w: (f"/api/v1/credentials/{w.cred_credential.pk}/", None), API_READ),
    ("POST", "/api/v1/credentials/{id}/revoke/"): (lambda w: (f"/api/v1/credentials/{w.cred_credential.pk}/revoke/", {"reason": "Left"}), REVOKERS),
    ("GET", "/api/v1/credential-activations/"): (lambda w: ("/api/v1/credential-activations/?community=riverbend", None), API_LIST),
    ("GET", "/api/v1/credential-activations/{id}/"): (lambda w: (f"/api/v1/credential-activations/{w.cred_program.activation.pk}/", None), API_READ),
    ("POST", "/api/v1/credential-activations/"): (lambda w: ("/api/v1/credential-activations/", _activation(w)), OFFICIALS_CREATE),
    ("POST", "/api/v1/credential-activations/{id}/end/"): (lambda w: (f"/api/v1/credential-activations/{w.cred_program.activation.pk}/end/", None), APPROVERS),
    ("POST", "/api/v1/credential-checks/"): (lambda w: ("/api/v1/credential-checks/", _checks(w)), MEMBERS_CREATE),
    ("POST", "/api/v1/credential-verifications/"): (lambda w: ("/api/v1/credential-verifications/", {"community": "riverbend", "code": w.cred_credential.code}), MEMBERS_POST),
}  # fmt: skip

P = "/c/riverbend/credentials/"
PAGES = {
    "credentials:jwks": (lambda w: P + "jwks.json", "GET", PUBLIC),
    "credentials:checkpoint_bundle": (lambda w: P + "checkpoint.json", "GET", PUBLIC),
    "credentials:program": (lambda w: P, "GET", PAGE_READ),
    "credentials:program_edit": (lambda w: P + "setup/", "GET", PAGE_LEADERS),
    "credentials:key_rotate": (lambda w: P + "keys/rotate/", "POST", PAGE_DECIDERS),
    "credentials:key_withdraw": (lambda w: f"{P}keys/{w.cred_old_key.pk}/withdraw/", "POST", PAGE_DECIDERS),
    "credentials:area_create": (lambda w: P + "areas/new/", "GET", PAGE_LEADERS),
    "credentials:facilities": (lambda w: P + "facilities/", "GET", PAGE_READ),
    "credentials:facility_create": (lambda w: P + "facilities/new/", "GET", PAGE_ENROLERS),
    "credentials:nominations": (lambda w: P + "nominations/", "GET", PAGE_READ),
    "credentials:nomination_create": (lambda w: P + "nominations/new/", "GET", PAGE_ENROLERS),
    "credentials:nomination_import": (lambda w: P + "nominations/import/", "GET", PAGE_ENROLERS),
    "credentials:nomination_detail": (lambda w: f"{P}nominations/{w.cred_waiting.pk}/", "GET", PAGE_READ),
    "credentials:nomination_photo": (lambda w: f"{P}nominations/{w.cred_waiting.pk}/photo/", "GET", PAGE_READ),
    "credentials:nomination_acknowledge": (lambda w: f"{P}nominations/{w.cred_unconfirmed.pk}/acknowledge/", "POST", POST_NOMINEE),
    "credentials:nomination_approve": (lambda w: f"{P}nominations/{w.cred_waiting.pk}/approve/", "POST", POST_APPROVERS),
    "credentials:nomination_refuse": (lambda w: (f"{P}nominations/{w.cred_waiting.pk}/refuse/", {"reason": "Not critical"}), "POST", POST_APPROVERS),
    "credentials:nomination_withdraw": (lambda w: f"{P}nominations/{w.cred_waiting.pk}/withdraw/", "POST", POST_NOMINEE),
    "credentials:wallet_list": (lambda w: P + "mine/", "GET", PAGE_READ),
    "credentials:credential_detail": (lambda w: f"{P}cards/{w.cred_credential.public_id}/", "GET", PAGE_READ),
    "credentials:credential_qr": (lambda w: f"{P}cards/{w.cred_credential.public_id}/qr.svg", "GET", PAGE_READ),
    "credentials:credential_revoke": (lambda w: (f"{P}cards/{w.cred_credential.public_id}/revoke/", {"reason": "Left"}), "POST", POST_REVOKERS),
    "credentials:activation_create": (lambda w: P + "activations/new/", "GET", PAGE_OFFICIALS),
    "credentials:activation_end": (lambda w: f"{P}activations/{w.cred_program.activation.pk}/end/", "POST", POST_APPROVERS),
}  # fmt: skip
