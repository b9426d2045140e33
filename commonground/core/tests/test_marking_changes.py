"""Only a marking's owner lowers it; co-chairs and facilitators may raise it (DESIGN.md, TLP).

Every model that declares `TLPOptions` must have a row in CHANGES below, so a new marked model is covered.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonground.agenda import services as agenda
from commonground.core.tlp import TLP
from commonground.core.visibility import marked_models
from commonground.incidents.services import incidents
from commonground.incidents.tests.factories import make_incident
from commonground.registry import services as registry
from commonground.registry.tests.factories import PersonFactory
from commonground.resources import services as resources
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks import services as risks
from commonground.risks.models import Hazard
from commonground.risks.tests.factories import AssessmentFactory, CriticalFunctionFactory
from commonground.sustainability import services as sustainability

# Records no service changes after they are written: the audit log, an incident's log and the alerts it sent.
APPEND_ONLY = {"core.auditentry", "incidents.timelineentry", "incidents.alert"}


@dataclass
class Change:
    """How to make a record of the private organization at a marking, and how a service re-marks it."""

    make: Callable
    remark: Callable
    high: str = TLP.AMBER
    low: str = TLP.GREEN


def _issue(table, marking):
    return agenda.issue_propose(
        actor=None, community=table.community, organization=table.private_org, tlp=marking,
        hazards=[Hazard.objects.get(community=None, code="winter_weather")], title="Fuel for generators",
        description="In a winter storm the interstate closes and fuel deliveries to the hospitals stop for days.", mission_area="response",
        outcome="A shared fuel priority list before winter.",
    )  # fmt: skip


def _agreement(table, marking):
    return resources.agreement_create(
        actor=None, community=table.community, organization=table.private_org, title="MOU",
        starts_on=datetime.date(2026, 1, 1), parties=[table.private_org, table.public_org], tlp=marking,
    )  # fmt: skip


def _answer(table, marking):
    assessment = sustainability.needs_assessment_open(
        actor=None, community=table.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
    )
    [answer] = sustainability.needs_answers_save(
        actor=None, assessment=assessment, organization=table.private_org,
        answers=[{"item": assessment.items.first().pk, "level": 2, "importance": 4}], tlp=marking,
    )  # fmt: skip
    return answer


def _answer_remark(actor, answer, marking):
    sustainability.needs_answers_save(
        actor=actor, assessment=answer.item.assessment, organization=answer.organization,
        answers=[{"item": answer.item_id, "level": answer.level, "importance": answer.importance}], tlp=marking,
    )  # fmt: skip


CHANGES = {
    "registry.person": Change(
        make=lambda t, m: PersonFactory(organization=t.private_org, contact_tlp=m),
        remark=lambda a, r, m: registry.person_update(actor=a, person=r, data={"contact_tlp": m}),
    ),
    "agenda.issue": Change(
        make=_issue,
        remark=lambda a, r, m: agenda.issue_update(actor=a, issue=r, data={"tlp": m}),
        high=TLP.GREEN,
        low=TLP.CLEAR,
    ),
    "resources.resource": Change(
        make=lambda t, m: ResourceFactory(community=t.community, organization=t.private_org, tlp=m),
        remark=lambda a, r, m: resources.resource_update(actor=a, resource=r, data={"tlp": m}),
    ),
    "resources.agreement": Change(
        make=_agreement,
        remark=lambda a, r, m: resources.agreement_update(actor=a, agreement=r, data={"tlp": m}),
    ),
    "risks.criticalfunction": Change(
        make=lambda t, m: CriticalFunctionFactory(community=t.community, organization=t.private_org, tlp=m),
        remark=lambda a, r, m: risks.function_update(actor=a, function=r, data={"tlp": m}),
    ),
    "risks.hazardassessment": Change(
        make=lambda t, m: AssessmentFactory(community=t.community, organization=t.private_org, tlp=m),
        remark=lambda a, r, m: risks.hazard_assessment_update(actor=a, assessment=r, data={"tlp": m}),
    ),
    "sustainability.needsanswer": Change(make=_answer, remark=_answer_remark),
    "incidents.incident": Change(
        make=lambda t, m: make_incident(t.community, t.private_org, tlp=m),
        remark=lambda a, r, m: incidents.incident_update(actor=a, incident=r, data={"tlp": m}),
    ),
}


def _row(record) -> dict:
    return type(record).objects.filter(pk=record.pk).values().get()


def _marking(record) -> str:
    return _row(record)[type(record).TLPOptions.marking]


def test_every_marked_model_has_a_service_that_is_checked():
    marked = {m._meta.label_lower for m in marked_models()}
    assert set(CHANGES) == marked - APPEND_ONLY


@pytest.mark.parametrize("role", ["cochair", "facilitator"])
@pytest.mark.parametrize("label", sorted(CHANGES))
def test_a_cochair_or_facilitator_may_not_lower_a_marking(table, label, role):
    change = CHANGES[label]
    record = change.make(table, change.high)
    before = _row(record)
    with pytest.raises(ValidationError) as refused:
        change.remark(table.user(role), record, change.low)
    assert type(record).TLPOptions.marking in refused.value.message_dict
    assert _row(record) == before


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_the_owning_organizations_admin_lowers_a_marking(table, label):
    change = CHANGES[label]
    record = change.make(table, change.high)
    change.remark(table.admin, record, change.low)
    assert _marking(record) == change.low


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_a_cochair_raises_a_marking(table, label):
    change = CHANGES[label]
    record = change.make(table, change.low)
    change.remark(table.cochair, record, change.high)
    assert _marking(record) == change.high


@pytest.mark.parametrize("label", sorted(CHANGES))
def test_the_system_lowers_a_marking(table, label):
    change = CHANGES[label]
    record = change.make(table, change.high)
    change.remark(None, record, change.low)
    assert _marking(record) == change.low


@pytest.mark.parametrize("make", [ResourceFactory, AssessmentFactory, CriticalFunctionFactory])
def test_the_facilitator_may_not_lower_amber_strict_to_amber(table, make):
    record = make(community=table.community, organization=table.private_org, tlp=TLP.AMBER_STRICT)
    label = type(record)._meta.label_lower
    before = _row(record)
    with pytest.raises(PermissionDenied):
        CHANGES[label].remark(table.facilitator, record, TLP.AMBER)
    assert _row(record) == before


def test_the_facilitator_may_not_lower_an_amber_strict_agreement(table):
    agreement = _agreement(table, TLP.AMBER_STRICT)
    before = _row(agreement)
    with pytest.raises(PermissionDenied):
        resources.agreement_update(actor=table.facilitator, agreement=agreement, data={"tlp": TLP.AMBER})
    assert _row(agreement) == before


def test_a_named_admin_lowers_a_red_resource_and_an_admin_not_named_does_not(table):
    resource = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.RED)
    resource.recipient_people.set([table.admin.person])
    resources.resource_update(actor=table.admin, resource=resource, data={"tlp": TLP.AMBER_STRICT})
    assert _marking(resource) == TLP.AMBER_STRICT
    red = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.RED)
    red.recipient_people.set([table.member.person])
    before = _row(red)
    with pytest.raises(PermissionDenied):
        resources.resource_update(actor=table.admin, resource=red, data={"tlp": TLP.AMBER})
    assert _row(red) == before


def test_a_cochair_does_not_overwrite_answers_marked_beyond_them(table):
    answer = _answer(table, TLP.AMBER_STRICT)
    before = _row(answer)
    with pytest.raises(PermissionDenied):
        _answer_remark(table.cochair, answer, TLP.AMBER)
    assert _row(answer) == before
