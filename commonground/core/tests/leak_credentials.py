"""The credential program's part of the leak world.

Its records carry no TLP marking: who reads them is decided by role (`visible_to`: the nominating
organization's admins, the nominee, the approvers, the facilitators; a check's uploader). Each planted record
holds markers only its readers may find: a nomination's reason and role, a vehicle placard's holder name on
its credential, a checkpoint's denial note. The oracle asks each model's own `visible_to`.
"""

from __future__ import annotations

import uuid

from django.utils import timezone

from commonground.credentials import services
from commonground.credentials.choices import KIND_CODES
from commonground.credentials.models import Credential, CredentialCheck, Nomination

# The models whose planted records the oracle reads through `visible_to` (their readers are roles, not a marking).
SEEN_BY_ROLE = {Nomination, Credential, CredentialCheck}
BY_ROLE = "by role"


def plant_credentials(community, safety_organization, organization, users, planted_type, new_token) -> list:
    """Plant a program at the table, an approved nomination, an approved placard and a reported denial."""
    cochair, safety, admin, member = (
        users["cochair"],
        users["admin_other"],
        users["admin_own"],
        users["member"],
    )
    services.program_save(
        actor=cochair, community=community,
        data={"safety_organization": safety_organization, "kinds": KIND_CODES, "orientation": "Carry your card."},
    )  # fmt: skip
    facility = services.facility_create(
        actor=admin, community=community, organization=organization, name="Planted depot",
        latitude=41.5, longitude=-87.5, zip_code="60601",
    )  # fmt: skip
    reason, role, label, note = (new_token() for _ in range(4))
    nomination = services.nomination_create(
        actor=admin, community=community, organization=organization, person=member.person, kind="standard",
        facilities=[facility], reason="shutdown", reason_detail=reason, job_role=role,
    )  # fmt: skip
    services.nomination_acknowledge(actor=member, nomination=nomination)
    placard = services.nomination_create(
        actor=admin, community=community, organization=organization, kind="placard", label=label,
        facilities=[facility], reason="restoration",
    )  # fmt: skip
    services.nomination_acknowledge(actor=admin, nomination=placard)
    credentials = []
    for approved in (nomination, placard):
        services.nomination_approve(actor=cochair, nomination=approved)
        credentials.append(services.nomination_approve(actor=safety, nomination=approved))
    client_id = uuid.uuid4()
    services.checks_upload(
        actor=admin, community=community,
        checks=[{"client_id": client_id, "checked_at": timezone.now(), "result": "revoked",
                 "credential_id": credentials[1].public_id, "note": note}],
    )  # fmt: skip
    check = CredentialCheck.objects.get(client_id=client_id)
    return [
        planted_type(record=nomination, marking=BY_ROLE, tokens={reason: "reason_detail", role: "job_role"}),
        planted_type(record=credentials[1], marking=BY_ROLE, tokens={label: "holder_name"}),
        planted_type(record=check, marking=BY_ROLE, tokens={note: "note"}),
    ]
