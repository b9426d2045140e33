import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commonground.core.models import AuditEntry
from commonground.core.services import SYSTEM
from commonground.core.tlp import TLP
from commonground.registry.tests.factories import PersonFactory
from commonground.resources import selectors, services
from commonground.resources.models import Resource
from commonground.resources.steps import resources_step

from .factories import ResourceFactory

GENERATOR = {
    "name": "Generator",
    "kind": "equipment",
    "category": "esf12",
    "capacity": 200,
    "capacity_unit": "kW",
}


def test_an_admin_records_a_resource_of_their_organization_with_an_audit_entry(table):
    resource = services.resource_create(
        actor=table.admin,
        community=table.community,
        organization=table.private_org,
        zip_code="48933",
        **GENERATOR,
    )
    assert resource.latitude is not None  # placed at the ZIP code's centre
    assert AuditEntry.objects.filter(action="create", object_id=str(resource.pk)).exists()


@pytest.mark.parametrize("user", ["member", "other_admin", "outsider"])
def test_others_may_not_record_for_an_organization(table, user):
    with pytest.raises(PermissionDenied):
        services.resource_create(
            actor=getattr(table, user), community=table.community, organization=table.private_org, **GENERATOR
        )
    assert not Resource.objects.exists()


def test_an_organization_not_at_the_table_is_refused(table):
    with pytest.raises(ValidationError):
        services.resource_create(
            actor=None, community=table.community, organization=table.outside_org, **GENERATOR
        )


def test_bad_values_are_field_errors_and_nothing_is_saved(table):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            actor=table.admin, community=table.community, organization=table.private_org,
            **{**GENERATOR, "quantity": -1, "latitude": 91, "longitude": 0, "capacity_unit": ""},
        )  # fmt: skip
    assert {"quantity", "latitude", "capacity_unit"} <= set(error.value.message_dict)
    assert not Resource.objects.exists()


def test_a_contact_from_another_organization_is_refused(table):
    stranger = PersonFactory(organization=table.public_org)
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            actor=table.admin,
            community=table.community,
            organization=table.private_org,
            contact=stranger,
            **GENERATOR,
        )
    assert "contact" in error.value.message_dict


def test_a_red_marking_that_would_hide_the_resource_from_its_writer_is_refused(table):
    with pytest.raises(ValidationError) as error:
        services.resource_create(
            actor=table.admin,
            community=table.community,
            organization=table.private_org,
            tlp=TLP.RED,
            **GENERATOR,
        )
    assert "tlp" in error.value.message_dict
    assert not Resource.objects.exists()
    resource = services.resource_create(
        actor=table.admin, community=table.community, organization=table.private_org, tlp=TLP.RED,
        recipient_people=[table.admin.person], **GENERATOR,
    )  # fmt: skip
    assert resource.recipient_people.get() == table.admin.person


def test_verifying_makes_a_stale_resource_fresh(table, settings):
    resource = ResourceFactory(
        community=table.community, organization=table.private_org,
        verified_on=datetime.date.today() - datetime.timedelta(days=settings.RESOURCE_STALE_DAYS + 1),
    )  # fmt: skip
    assert resource.is_stale
    services.resource_verify(actor=table.admin, resource=resource)
    assert not Resource.objects.get(pk=resource.pk).is_stale


def test_a_person_counts_once_in_the_totals_however_many_qualifications(table):
    person = PersonFactory(organization=table.private_org)
    for qualification in ("Crane operator", "Paramedic", "Interpreter"):
        ResourceFactory(
            name=qualification, kind="personnel", category="esf8", capacity=None, capacity_unit="",
            person=person, community=table.community, organization=table.private_org,
        )  # fmt: skip
    ResourceFactory(
        name="Security officers", kind="personnel", category="esf13", quantity=12, capacity=None,
        capacity_unit="", community=table.community, organization=table.private_org,
    )  # fmt: skip
    totals = selectors.resource_totals(viewer=SYSTEM, community=table.community)
    assert [(q.amount, q.unit) for q in totals["personnel"]] == [(13, "")]


def test_step_four_needs_both_sectors_and_something_public_bodies_lack(table):
    assert resources_step(table.community).status == "not_started"
    ResourceFactory(category="esf4", community=table.community, organization=table.public_org)
    assert resources_step(table.community).status == "in_progress"
    ResourceFactory(category="esf4", community=table.community, organization=table.private_org)
    assert resources_step(table.community).status == "in_progress"
    ResourceFactory(category="esf7", community=table.community, organization=table.private_org)
    state = resources_step(table.community)
    assert state.status == "done", state.missing
    contribution = selectors.partnership_contribution(viewer=SYSTEM, community=table.community)
    assert [c.code for c in contribution.private_only] == ["esf7"]
    assert "esf11" in [c.code for c in contribution.gaps]


def test_an_agreement_needs_two_parties_including_its_recorder_and_their_resources(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org)
    outsider_resource = ResourceFactory(community=table.other_community, organization=table.outside_org)
    base = {
        "community": table.community,
        "organization": table.private_org,
        "title": "MOU",
        "starts_on": datetime.date(2026, 1, 1),
    }
    with pytest.raises(ValidationError):
        services.agreement_create(actor=table.admin, parties=[table.private_org], **base)
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=table.admin,
            parties=[table.private_org, table.public_org],
            resources=[outsider_resource],
            **base,
        )
    with pytest.raises(ValidationError):
        services.agreement_create(
            actor=table.admin,
            parties=[table.private_org, table.public_org],
            **{**base, "ends_on": datetime.date(2025, 1, 1)},
        )
    agreement = services.agreement_create(
        actor=table.admin, parties=[table.private_org, table.public_org], resources=[resource], **base
    )
    # The other party sees it, though TLP:AMBER and not named.
    assert selectors.agreement_list(viewer=_viewer(table.other_admin)).filter(pk=agreement.pk).exists()


def test_an_agreement_document_is_checked_for_size_and_type(table, settings):
    from commonground.resources.documents import check_document

    types = settings.AGREEMENT_DOCUMENT_TYPES
    check_document(SimpleUploadedFile("mou.pdf", b"%PDF-1.7 ..."), 1000, types)
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("mou.pdf", b"MZ\x90 not a pdf"), 1000, types)
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("mou.exe", b"%PDF-"), 1000, types)
    with pytest.raises(ValidationError):
        check_document(SimpleUploadedFile("mou.pdf", b"%PDF-" + b"x" * 2000), 1000, types)


def _viewer(user):
    from commonground.core.viewer import viewer_for

    return viewer_for(user)
