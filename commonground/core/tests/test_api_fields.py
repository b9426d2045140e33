"""A related field declares its model; its choices are the records the requester may see."""

from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from commonground.core.api.fields import VisibleRelatedField
from commonground.registry.models import Organization


class _Pick(serializers.Serializer):
    organization = VisibleRelatedField(model=Organization)
    organizations = VisibleRelatedField(model=Organization, many=True)


def _picked(user, data):
    request = APIRequestFactory().post("/")
    request.user = user
    serializer = _Pick(data=data, context={"request": request})
    return serializer.is_valid(), serializer


def test_a_visible_related_field_takes_a_record_the_requester_may_see(table):
    valid, serializer = _picked(table.member, {"organization": table.public_org.pk, "organizations": []})
    assert valid and serializer.validated_data["organization"] == table.public_org


def test_a_visible_related_field_calls_a_hidden_record_missing(table):
    for data in (
        {"organization": table.outside_org.pk, "organizations": []},
        {"organization": table.public_org.pk, "organizations": [table.outside_org.pk]},
    ):
        valid, serializer = _picked(table.member, data)
        assert not valid
        assert "does not exist" in str(serializer.errors)
        assert "Elsewhere Bakery" not in str(serializer.errors)


def test_a_visible_related_field_refuses_an_id_that_is_not_a_whole_number(table):
    valid, serializer = _picked(table.facilitator, {"organization": 24.5, "organizations": [True]})
    assert not valid and set(serializer.errors) == {"organization", "organizations"}
