import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from commonground.registry.models import Organization
from commonground.registry.tests.factories import PersonFactory


def test_a_public_body_needs_its_government_level():
    with pytest.raises(ValidationError) as error:
        Organization(name="X", sector="public", category="police").full_clean()
    assert "level" in error.value.message_dict


def test_only_public_bodies_have_a_level():
    with pytest.raises(ValidationError) as error:
        Organization(name="X", sector="private", category="small_employer", level="local").full_clean()
    assert "level" in error.value.message_dict


def test_coordinates_come_in_pairs():
    with pytest.raises(ValidationError) as error:
        Organization(name="X", sector="private", category="small_employer", latitude=42.0).full_clean()
    assert "latitude" in error.value.message_dict


@pytest.mark.django_db
def test_an_email_is_unique_within_an_organization_whatever_its_case():
    person = PersonFactory(email="a@example.org")
    with pytest.raises(IntegrityError):
        PersonFactory(organization=person.organization, email="A@example.org")


@pytest.mark.django_db
def test_people_without_email_do_not_clash():
    person = PersonFactory(email="")
    PersonFactory(organization=person.organization, email="")
