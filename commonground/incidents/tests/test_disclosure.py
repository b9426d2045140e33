"""Activation-based disclosure: a resource its owner discloses is seen by an active incident's leadership only
while the incident is open; the rule is the resource's visibility queryset, so every surface follows it."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.incidents.choices import IncidentStatus
from commonground.incidents.models import Incident
from commonground.registry.tests.factories import PersonFactory, UserFactory
from commonground.resources.models import Resource
from commonground.resources.services import resource_update
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard

MARKER = "DISCLOSED-9F3A"


def _incident(table, **fields):
    values = {
        "community": table.community, "organization": table.public_org, "number": 1, "title": "Tornado",
        "hazard": Hazard.objects.get(community=None, code="tornado"), "latitude": 42.73, "longitude": -84.55,
        "radius_km": 10, "cap_category": "Met",
    }  # fmt: skip
    values.update(fields)
    return Incident.objects.create(**values)


@pytest.fixture
def strict(table):
    return ResourceFactory(
        community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT,
        name=f"Cold-chain trailer {MARKER}", disclosed_in_incidents=True,
    )  # fmt: skip


def _member_of(organization):
    user = UserFactory()
    PersonFactory(organization=organization, user=user, role="member")
    return user


def _sees(user, resource) -> bool:
    return Resource.objects.visible_to(viewer_for(user)).filter(pk=resource.pk).exists()


def _api_names(user) -> str:
    client = APIClient()
    client.force_authenticate(user)
    return client.get("/api/v1/resources/", {"community": "riverbend", "page_size": 200}).content.decode()


def test_the_leadership_sees_a_disclosed_resource_only_while_an_incident_is_open(table, strict):
    kept = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT,
                           name="Kept back")  # fmt: skip
    leaders = (table.cochair, table.other_admin)  # a co-chair, and the opening organization's admin
    # A member (not an admin) of the opening organization; someone of another community.
    others = (_member_of(table.public_org), table.outsider)
    for user in (*leaders, *others):
        assert not _sees(user, strict), "before the incident"
        assert MARKER not in _api_names(user)
    incident = _incident(table)
    for user in leaders:
        assert _sees(user, strict), "during the incident"
        assert MARKER in _api_names(user)
        assert not _sees(user, kept)
    assert not _sees(table.outsider, strict)
    incident.status = IncidentStatus.STABILIZING
    incident.save()
    assert _sees(table.cochair, strict)
    incident.status = IncidentStatus.CLOSED
    incident.save()
    for user in (*leaders, *others):
        assert not _sees(user, strict), "after the incident"
        assert MARKER not in _api_names(user)
    assert _sees(table.admin, strict) and _sees(table.member, strict)  # the owner always


def test_an_incident_elsewhere_discloses_nothing_here(table, strict):
    _incident(table, community=table.other_community, organization=table.outside_org)
    assert not _sees(table.outsider, strict)


def test_only_the_owner_discloses_a_resource(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.AMBER)
    with pytest.raises(ValidationError) as refused:
        resource_update(actor=table.cochair, resource=resource, data={"disclosed_in_incidents": True})
    assert "disclosed_in_incidents" in refused.value.message_dict
    resource.refresh_from_db()
    assert resource.disclosed_in_incidents is False
    resource_update(actor=table.admin, resource=resource, data={"disclosed_in_incidents": True})
    resource.refresh_from_db()
    assert resource.disclosed_in_incidents is True
    # Withdrawing the disclosure narrows the audience: anyone who may edit it may.
    resource_update(actor=table.cochair, resource=resource, data={"disclosed_in_incidents": False})
    resource.refresh_from_db()
    assert resource.disclosed_in_incidents is False
