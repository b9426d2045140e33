import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.communities.models import Membership
from commonground.core.models import AuditEntry
from commonground.registry import services
from commonground.registry.models import Person


def test_a_cochair_registers_an_organization_and_seats_it(table):
    org = services.organization_create(
        actor=table.cochair,
        community=table.community,
        name="  Summit   Telecom ",
        sector="private",
        category="utility",
        zip_code="48823",
    )
    assert org.name == "Summit Telecom"
    assert Membership.objects.filter(community=table.community, organization=org).exists()
    assert org.latitude == pytest.approx(42.7388) and org.longitude == pytest.approx(-84.4764)
    assert AuditEntry.objects.filter(object_id=str(org.pk), action="create").exists()


def test_a_member_cannot_register_organizations(table):
    with pytest.raises(PermissionDenied):
        services.organization_create(
            actor=table.member, community=table.community, name="X", sector="private", category="utility"
        )


def test_the_same_name_twice_at_one_table_is_refused(table):
    with pytest.raises(ValidationError) as error:
        services.organization_create(
            actor=table.cochair,
            community=table.community,
            name="riverbend FIRE",
            sector="public",
            category="fire",
            level="local",
        )
    assert "name" in error.value.message_dict


def test_an_admin_edits_their_own_organization_only(table):
    services.organization_update(actor=table.admin, organization=table.private_org, data={"employees": 10})
    with pytest.raises(PermissionDenied):
        services.organization_update(actor=table.admin, organization=table.public_org, data={"employees": 10})
    table.public_org.refresh_from_db()
    assert table.public_org.employees != 10


def test_a_member_cannot_edit_their_organization(table):
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=table.member, organization=table.private_org, data={"employees": 10}
        )


def test_a_cochair_edits_organizations_at_their_table_but_not_elsewhere(table):
    services.organization_update(
        actor=table.cochair, organization=table.private_org, data={"city": "Oakridge"}
    )
    with pytest.raises(PermissionDenied):
        services.organization_update(
            actor=table.cochair, organization=table.outside_org, data={"city": "Oakridge"}
        )


def test_changing_the_zip_code_moves_the_organization(table):
    services.organization_update(
        actor=table.admin, organization=table.private_org, data={"zip_code": "48823"}
    )
    assert table.private_org.latitude == pytest.approx(42.7388)


def test_people_edit_their_own_contact_details_but_not_their_role(table):
    person = table.member.person
    services.person_update(actor=table.member, person=person, data={"phone": "517-555-0199"})
    with pytest.raises(PermissionDenied):
        services.person_update(actor=table.member, person=person, data={"role": "admin"})
    person.refresh_from_db()
    assert person.role == "member" and person.phone == "517-555-0199"


def test_nobody_moves_a_person_into_an_organization_they_do_not_administer(table):
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=table.admin, person=table.member.person, data={"organization": table.public_org}
        )
    assert Person.objects.get(pk=table.member.person.pk).organization == table.private_org


def test_an_admin_adds_and_removes_people(table):
    person = services.person_create(
        actor=table.admin,
        organization=table.private_org,
        first_name="Ana",
        last_name="Lee",
        email="ana@example.org",
    )
    pk = person.pk
    services.person_delete(actor=table.admin, person=person)
    assert not Person.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()


def test_only_facilitators_delete_organizations(table):
    with pytest.raises(PermissionDenied):
        services.organization_delete(actor=table.cochair, organization=table.private_org)
    services.organization_delete(actor=table.facilitator, organization=table.private_org)
