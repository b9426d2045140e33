"""A create that collides with a record the writer may not see does not say that the record exists."""

import pytest

from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment

from .factories import AssessmentFactory, CriticalFunctionFactory

PAYLOAD = {"likelihood": 4, "impact_life_safety": 3, "impact_operations": 5, "impact_property": 2,
           "vulnerability": 4, "preparedness": 2}  # fmt: skip
HIDDEN_NOTE = "strict-assessment-marker-2b7d"


def _assessment(table):
    hazard = Hazard.objects.get(community=None, code="tornado").pk
    return {**PAYLOAD, "community": "riverbend", "organization": table.private_org.pk, "hazard": hazard}


def _function(table):
    return {"community": "riverbend", "organization": table.private_org.pk, "name": "Cold storage"}


CASES = {
    "assessments": (_assessment, lambda t: AssessmentFactory(community=t.community, organization=t.private_org,
                                                             notes=HIDDEN_NOTE, tlp=TLP.AMBER_STRICT)),
    "critical-functions": (_function, lambda t: CriticalFunctionFactory(
        community=t.community, organization=t.private_org, name="Cold storage", description=HIDDEN_NOTE,
        tlp=TLP.AMBER_STRICT)),
}  # fmt: skip


def _rows():
    return list(HazardAssessment.objects.values()), list(CriticalFunction.objects.values())


@pytest.mark.parametrize("endpoint", sorted(CASES))
@pytest.mark.parametrize("role", ["cochair", "facilitator"])
def test_a_collision_with_a_hidden_record_is_answered_as_a_writer_without_permission(table, endpoint, role):
    payload, make_hidden = CASES[endpoint]
    make_hidden(table)
    before = _rows()
    without_permission = api_client(table.member).post(f"/api/v1/{endpoint}/", payload(table), format="json")
    collision = api_client(table.user(role)).post(f"/api/v1/{endpoint}/", payload(table), format="json")
    assert (collision.status_code, collision.json()) == (
        without_permission.status_code,
        without_permission.json(),
    )
    body = collision.content.decode()
    assert "unique" not in body and "already" not in body and HIDDEN_NOTE not in body
    assert _rows() == before


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_collision_with_a_record_the_writer_sees_names_the_field(table, endpoint):
    payload, make_hidden = CASES[endpoint]
    record = make_hidden(table)
    type(record).objects.filter(pk=record.pk).update(tlp=TLP.AMBER)
    response = api_client(table.cochair).post(f"/api/v1/{endpoint}/", payload(table), format="json")
    assert response.status_code == 400 and "already" in response.content.decode()
    assert "unique set" not in response.content.decode()
