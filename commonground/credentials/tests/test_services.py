"""The program's rules: two approvals after the orientation, one active credential a person, bad input refused
with nothing written, activations mailed to holders and their organization admins, everything audited."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from commonground.core.models import AuditEntry
from commonground.core.testing import page_client
from commonground.credentials import services
from commonground.credentials.choices import CredentialStatus, NominationStatus
from commonground.credentials.models import Facility, Nomination
from commonground.registry.models import Person
from commonground.registry.tests.factories import PersonFactory

from .builders import build_program

pytestmark = pytest.mark.django_db


def png(size=(8, 8), kind="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    return SimpleUploadedFile(f"photo.{kind.lower()}", buffer.getvalue())


def nominate(table, built, **extra):
    data = dict(
        actor=table.admin, community=table.community, organization=table.private_org, person=built.employee,
        kind="standard", facilities=[built.facility], reason="shutdown",
    )  # fmt: skip
    data.update(extra)
    return services.nomination_create(**data)


def test_two_approvers_after_the_orientation_and_one_active_credential(table, mail_at_once):
    built = build_program(table)
    first = built.credential
    assert first.status == CredentialStatus.ACTIVE
    second = nominate(table, built)
    with pytest.raises(ValidationError, match="orientation"):
        services.nomination_approve(actor=table.cochair, nomination=second)
    services.nomination_acknowledge(actor=table.member, nomination=second)
    assert services.nomination_approve(actor=table.cochair, nomination=second) is None
    with pytest.raises(ValidationError):
        services.nomination_approve(actor=table.cochair, nomination=second)
    with pytest.raises(ValidationError):  # a facilitator is on the co-chairs' side, already taken
        services.nomination_approve(actor=table.facilitator, nomination=second)
    with pytest.raises(PermissionDenied):
        services.nomination_approve(actor=table.admin, nomination=second)
    issued = services.nomination_approve(actor=table.other_admin, nomination=second)
    first.refresh_from_db()
    assert issued.status == CredentialStatus.ACTIVE
    assert first.status == CredentialStatus.SUPERSEDED
    assert first.key.credentials.exclude(status=CredentialStatus.ACTIVE).count() == 1
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="update").exists()


def test_refuse_needs_a_reason(table):
    built = build_program(table)
    nomination = nominate(table, built)
    with pytest.raises(ValidationError):
        services.nomination_refuse(actor=table.cochair, nomination=nomination, reason=" ")
    services.nomination_refuse(actor=table.other_admin, nomination=nomination, reason="Not critical")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REFUSED


def test_bad_input_writes_nothing(table, settings):
    built = build_program(table)
    before = Nomination.objects.count(), Facility.objects.count()
    with pytest.raises(ValidationError) as error:
        nominate(table, built, photo=SimpleUploadedFile("photo.png", b"not an image at all"))
    assert "photo" in error.value.message_dict
    huge = png()
    huge.size = 50 * 1024 * 1024
    with pytest.raises(ValidationError, match="larger"):
        nominate(table, built, photo=huge)
    stranger = PersonFactory(organization=table.public_org)
    with pytest.raises(ValidationError) as error:
        nominate(table, built, person=stranger)
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.facility_create(
            actor=table.admin, community=table.community, organization=table.private_org, name="Paris office",
            latitude=48.85, longitude=2.35,
        )  # fmt: skip
    assert "place" in error.value.message_dict
    assert (Nomination.objects.count(), Facility.objects.count()) == before
    ok = nominate(table, built, photo=png())
    assert ok.photo


def test_the_nomination_page_refuses_a_bad_photo(table):
    build_program(table)
    client = page_client(table.admin)
    facility = Facility.objects.get()
    before = Nomination.objects.count()
    response = client.post(
        "/c/riverbend/credentials/nominations/new/",
        {
            "organization": table.private_org.pk, "kind": "standard", "person": Person.objects.get(user=table.member).pk,
            "facilities": [facility.pk], "reason": "shutdown",
            "photo": SimpleUploadedFile("x.png", b"%PDF-1.4 not an image"),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert Nomination.objects.count() == before


def test_activation_mails_holders_and_their_admins(table, mail_at_once):
    built = build_program(table, activate=False)
    mail.outbox.clear()
    now = timezone.now()
    services.activation_create(
        actor=table.other_admin, community=table.community, name="Flood re-entry", area=built.area,
        kinds=["standard"], starts_at=now, ends_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    addressees = {address for message in mail.outbox for address in message.to}
    assert table.member.person.email in addressees or table.member.email in addressees
    assert table.admin.person.email in addressees or table.admin.email in addressees
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert table.outsider.email not in addressees


def test_activation_refusals(table):
    built = build_program(table, activate=False)
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.activation_create(
            actor=table.admin, community=table.community, name="x", area=built.area, kinds=["standard"],
            starts_at=now, ends_at=now + datetime.timedelta(hours=1),
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.activation_create(
            actor=table.cochair, community=table.community, name="x", area=built.area, kinds=["green"],
            starts_at=now, ends_at=now - datetime.timedelta(hours=1),
        )  # fmt: skip
    assert {"kinds", "ends_at"} <= set(error.value.message_dict)


def test_an_incidents_area(table):
    from commonground.incidents.tests.factories import make_incident

    build_program(table, activate=False)
    incident = make_incident(table.community, table.public_org, title="Storm")
    incident.latitude, incident.longitude, incident.radius_km, incident.polygon = 41.5, -87.5, 5, None
    incident.save()
    area = services.area_create(
        actor=table.cochair, community=table.community, name="Storm zone", incident=incident
    )
    assert services.area_contains(area, 41.51, -87.5)
    assert not services.area_contains(area, 40.0, -87.5)


def test_pages_render_for_the_holder(table):
    built = build_program(table)
    client = page_client(table.member)
    wallet = client.get("/c/riverbend/credentials/mine/")
    assert wallet.status_code == 200
    assert "<svg" in wallet.content.decode()
    card = client.get(f"/c/riverbend/credentials/cards/{built.credential.public_id}/?print=1")
    assert card.status_code == 200 and "TLP:CLEAR" in card.content.decode()
    assert "Walks the racks" not in card.content.decode()


MARKER = "ZQX-credential-reason-7731"


def test_a_nominations_reason_reaches_only_its_readers(table, client):
    """The reason and the photo stay with the nominating organization, the nominee, the approvers and the
    facilitators: not another organization's member, nor an outsider, nor the public documents."""
    from commonground.core.testing import api_client

    built = build_program(table, marker=MARKER)
    bystander = PersonFactory(organization=table.public_org)
    from commonground.registry.tests.factories import UserFactory

    bystander.user = UserFactory()
    bystander.save()
    paths = [
        "/api/v1/credential-nominations/?community=riverbend",
        f"/api/v1/credential-nominations/{built.nomination.pk}/",
    ]
    pages = [
        f"/c/riverbend/credentials/nominations/{built.nomination.pk}/",
        "/c/riverbend/credentials/nominations/",
    ]
    for user in (table.outsider, bystander.user):
        for path in paths:
            assert MARKER not in api_client(user).get(path).content.decode()
        for path in pages:
            assert MARKER not in page_client(user).get(path).content.decode()
    for path in ("/c/riverbend/credentials/jwks.json", "/c/riverbend/credentials/checkpoint.json"):
        assert MARKER not in client.get(path).content.decode()
    for user in (table.member, table.admin, table.other_admin, table.cochair, table.facilitator):
        assert MARKER in api_client(user).get(paths[1]).content.decode(), user


def test_the_api_nominates_with_a_photo_and_refuses_a_bad_one(table):
    from commonground.core.testing import api_client

    built = build_program(table, activate=False)
    client = api_client(table.admin)
    data = {
        "community": "riverbend", "organization": table.private_org.pk, "person": built.employee.pk,
        "kind": "standard", "facilities": [built.facility.pk], "reason": "shutdown",
    }  # fmt: skip
    before = Nomination.objects.count()
    bad = client.post(
        "/api/v1/credential-nominations/",
        {**data, "photo": SimpleUploadedFile("x.png", b"nope")},
        format="multipart",
    )
    assert bad.status_code == 400 and "photo" in bad.json()
    assert Nomination.objects.count() == before
    good = client.post("/api/v1/credential-nominations/", {**data, "photo": png()}, format="multipart")
    assert good.status_code == 201, good.content
    stranger = PersonFactory(organization=table.public_org)
    refused = client.post("/api/v1/credential-nominations/", {**data, "person": stranger.pk}, format="json")
    assert refused.status_code == 400 and "person" in refused.json()
    assert Nomination.objects.count() == before + 1
