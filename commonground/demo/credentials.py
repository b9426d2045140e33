"""The demo's credential program: set up by the co-chairs, a grocery chain's stores enrolled, its staff
nominated and approved (one waiting, one refused), a key rotated, and the program active for the exercise."""

from __future__ import annotations

import datetime

from django.utils import timezone


def seed_credentials(community, users: dict) -> None:
    from commonground.core.places import resolve_place
    from commonground.credentials import services
    from commonground.incidents.models import Incident
    from commonground.registry.models import Organization, Person

    organizations = {o.name: o for o in Organization.objects.in_community(community)}
    safety = organizations.get("Riverbend Office of Emergency Management")
    grocers = organizations.get("Capital Grocers Cooperative")
    cochair, official, admin = (
        users.get("cochair.private"),
        users.get("cochair.public"),
        users.get("orgadmin"),
    )
    if not (safety and grocers and cochair and official and admin):
        return
    services.program_save(
        actor=cochair, community=community,
        data={
            "safety_organization": safety, "kinds": ["standard", "flex", "multi", "all", "placard"],
            "orientation": (
                "Carry this credential and a photo ID. It admits you only while the program is active for the "
                "area, and only to reach your facility. Follow every officer's direction; a credential never "
                "admits you past a fire, a flood or a downed line. Report any change of role to your "
                "organization's admin, who revokes the card."
            ),
        },
    )  # fmt: skip
    centre = resolve_place("48933")
    lat, lon = centre
    downtown = services.area_create(
        actor=cochair, community=community, name="Downtown Riverbend",
        polygon={"type": "Polygon", "coordinates": [[
            [lon - 0.15, lat - 0.1], [lon + 0.15, lat - 0.1], [lon + 0.15, lat + 0.1], [lon - 0.15, lat + 0.1],
            [lon - 0.15, lat - 0.1],
        ]]},
    )  # fmt: skip
    exercise = Incident.objects.filter(community=community, is_exercise=True).first()
    if exercise is not None and (exercise.polygon or exercise.radius_km):
        services.area_create(
            actor=cochair, community=community, name=f"{exercise.title} area", incident=exercise
        )
    stores = [
        services.facility_create(
            actor=admin,
            community=community,
            organization=grocers,
            name=name,
            address=address,
            zip_code=zip_code,
            latitude=lat + dlat,
            longitude=lon + dlon,
        )  # fmt: skip
        for name, address, zip_code, dlat, dlon in (
            ("Downtown store", "120 Washington Ave", "48933", 0.01, 0.02),
            ("Distribution centre", "4400 Dock Rd", "48917", 0.05, -0.08),
            ("Eastside store", "2100 Grand River Ave", "48912", -0.03, 0.3),
        )
    ]
    staff = list(Person.objects.filter(organization=grocers).order_by("pk"))
    reasons = ["damage_assessment", "shutdown", "vital_records", "restoration"]
    for number, person in enumerate(staff[:2]):
        nomination = services.nomination_create(
            actor=admin, community=community, organization=grocers, person=person,
            kind="multi" if number == 0 else "standard", facilities=stores[:2] if number == 0 else [stores[number]],
            reason=reasons[number], job_role=person.title or "Store manager",
            reason_detail="Opens the store's systems and checks the cold chain after a storm.",
        )  # fmt: skip
        services.nomination_acknowledge(actor=admin, nomination=nomination)
        services.nomination_approve(actor=cochair, nomination=nomination)
        services.nomination_approve(actor=official, nomination=nomination)
    services.nomination_create(
        actor=admin, community=community, organization=grocers, kind="placard", facilities=[stores[1]],
        label="Box truck, MI plate RBX 4471, white", reason="restoration",
    )  # fmt: skip
    if len(staff) > 2:
        refused = services.nomination_create(
            actor=admin, community=community, organization=grocers, person=staff[2], kind="all",
            facilities=[stores[0]], reason="other", reason_detail="Visits every store.",
        )  # fmt: skip
        services.nomination_refuse(
            actor=official,
            nomination=refused,
            reason="An all-areas card needs a regional role; nominate a multi-facility card.",
        )
    now = timezone.now().replace(second=0, microsecond=0)
    services.activation_create(
        actor=official, community=community, name="Flood exercise re-entry", area=downtown,
        kinds=["standard", "multi", "placard"], starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(days=3),
    )  # fmt: skip
