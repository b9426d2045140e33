"""Records the credential tests share: a program at the Riverbend table, a facility inside an area, a
nomination approved by both sides, a current activation."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.utils import timezone

from commonground.credentials import services
from commonground.credentials.choices import KIND_CODES
from commonground.registry.models import Person

# A square around Riverbend's facility (longitude, latitude).
AREA = {
    "type": "Polygon",
    "coordinates": [[[-88.0, 41.0], [-87.0, 41.0], [-87.0, 42.0], [-88.0, 42.0], [-88.0, 41.0]]],
}
ELSEWHERE = {"type": "Polygon", "coordinates": [[[-80.0, 35.0], [-79.0, 35.0], [-79.0, 36.0], [-80.0, 36.0], [-80.0, 35.0]]]}  # fmt: skip


def build_program(table, *, activate: bool = True, marker: str = "") -> SimpleNamespace:
    community = table.community
    program = services.program_save(
        actor=table.cochair, community=community,
        data={"safety_organization": table.public_org, "kinds": KIND_CODES,
              "orientation": "Carry your card and photo ID; follow the officers' directions."},
    )  # fmt: skip
    area = services.area_create(actor=table.cochair, community=community, name="Downtown", polygon=AREA)
    far = services.area_create(actor=table.cochair, community=community, name="Far away", polygon=ELSEWHERE)
    facility = services.facility_create(
        actor=table.admin, community=community, organization=table.private_org, name="Main warehouse",
        latitude=41.5, longitude=-87.5, zip_code="60601",
    )  # fmt: skip
    employee = Person.objects.get(user=table.member)
    nomination = services.nomination_create(
        actor=table.admin, community=community, organization=table.private_org, person=employee,
        kind="standard", facilities=[facility], reason="damage_assessment",
        reason_detail=marker or "Walks the racks after a storm.", job_role="Facilities lead",
    )  # fmt: skip
    services.nomination_acknowledge(actor=table.member, nomination=nomination)
    services.nomination_approve(actor=table.cochair, nomination=nomination)
    credential = services.nomination_approve(actor=table.other_admin, nomination=nomination)
    built = SimpleNamespace(
        program=program, area=area, far=far, facility=facility, employee=employee, nomination=nomination,
        credential=credential, activation=None,
    )  # fmt: skip
    if activate:
        now = timezone.now()
        built.activation = services.activation_create(
            actor=table.cochair, community=community, name="Hurricane re-entry", area=area,
            kinds=["standard", "multi"], starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(days=2),
        )  # fmt: skip
    return built
