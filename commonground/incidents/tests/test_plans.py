"""Proposing the plan, and committing, accepting, declining and releasing its assignments.

The race: two co-chairs commit at once assignments of one resource whose units suffice for one of them;
exactly one goes through. On SQLite it runs in a real process on a file (pytest-django's database is in
memory, where SQLite's busy timeout does not apply), copied from the migrated test database; on PostgreSQL
it runs in this process when the suite does (DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, RequestState
from commonground.incidents.services import plans

from .plan_scene import NEAR, database_state, hold, moves, open_incident, post_request, proposal, resource


def test_the_leadership_proposes_the_optimal_plan_beside_the_greedy_one(table):
    incident = open_incident(table)
    urgent = post_request(incident, table.public_org, priority=1, quantity=2)
    normal = post_request(incident, table.private_org, priority=4, quantity=2, latitude=42.9)
    generators = resource(table, quantity=3.7)  # 3 whole units
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assert moves(plan) == {(generators.pk, urgent.pk, 2), (generators.pk, normal.pk, 1)}
    assert all(a.state == AssignmentState.PROPOSED for a in plan.assignments.all())
    assert plan.figures["optimal"]["served_by_priority"] == {"1": 2, "2": 0, "3": 0, "4": 1}
    assert plan.figures["greedy"]["weighted_units"] == plan.figures["optimal"]["weighted_units"] == 2001
    assert plan.figures["requests"] == 2 and plan.figures["resources"] == 1
    assert plan.reason == "" and plan.created_by == table.cochair
    for assignment in plan.assignments.all():
        assert assignment.arrives_at > timezone.now() + datetime.timedelta(hours=1)  # mobilization first
        assert assignment.distance_m > 0
    logged = AuditEntry.objects.filter(actor=table.cochair, action="create")
    assert logged.filter(object_id=str(plan.pk), content_type__model="plan").exists()
    assert logged.filter(content_type__model="assignment").count() == 2


def test_a_new_proposal_withdraws_the_earlier_one(table):
    incident = open_incident(table)
    post_request(incident, table.public_org)
    resource(table)
    first = plans.plan_propose(actor=table.cochair, incident=incident)
    second = plans.plan_propose(
        actor=table.other_admin, incident=incident
    )  # the opening organization's admin
    assert {a.state for a in first.assignments.all()} == {AssignmentState.WITHDRAWN}
    assert {a.state for a in second.assignments.all()} == {AssignmentState.PROPOSED}
    assert AuditEntry.objects.filter(
        content_type__model="assignment", action="update", changes__state=["proposed", "withdrawn"]
    ).exists()


@pytest.mark.parametrize("role", ["member", "admin", "outsider"])
def test_only_the_leadership_proposes_and_a_refusal_writes_nothing(table, role):
    incident = open_incident(table)
    post_request(incident, table.public_org)
    resource(table)
    before = database_state()
    with pytest.raises(PermissionDenied):
        plans.plan_propose(actor=table.user(role), incident=incident)
    assert database_state() == before


def test_a_closed_incident_has_no_plan(table):
    incident = open_incident(table, status="closed")
    post_request(incident, table.public_org)
    resource(table)
    before = database_state()
    with pytest.raises(ValidationError):
        plans.plan_propose(actor=table.cochair, incident=incident)
    assert database_state() == before


def test_an_empty_plan_says_why(table):
    incident = open_incident(table)
    post_request(incident, table.public_org, state=RequestState.SUBMITTED)
    resource(table)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assert plan.reason == "No approved request still needs units."
    assert plan.figures["optimal"]["reason"] == "no_requests" and not plan.assignments.exists()
    post_request(incident, table.public_org, category="esf6")
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assert "No available resource matches" in plan.reason


def test_the_plan_offers_only_the_units_left_of_resources_the_proposer_may_see(table):
    incident = open_incident(table)
    other_incident = open_incident(table, title="Flood")
    elsewhere = post_request(other_incident, table.public_org, quantity=5)
    request = post_request(incident, table.public_org, quantity=20)
    partly = resource(table, name="Partly held", quantity=3)
    hold(partly, elsewhere, 2)  # held in another incident: 1 unit left
    hold(resource(table, name="Wholly held", quantity=2), elsewhere, 2, state=AssignmentState.ACCEPTED)
    resource(table, name="Broken", availability="out_of_service")
    resource(table, name="Committed elsewhere", availability="committed")
    deployed = resource(table, name="Deployed with units left", availability="deployed", quantity=2)
    resource(table, name="Far away", community=table.other_community, organization=table.outside_org)
    resource(table, name="Hidden", tlp=TLP.AMBER_STRICT)
    disclosed = resource(table, name="Disclosed", tlp=TLP.AMBER_STRICT, disclosed_in_incidents=True)
    resource(table, name="Unplaced", latitude=None, longitude=None)
    resource(table, name="Less than one", quantity=0.5)
    proposal(deployed, request, 2)  # a proposal holds nothing
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assert moves(plan) == {
        (partly.pk, request.pk, 1),
        (deployed.pk, request.pk, 2),
        (disclosed.pk, request.pk, 3),
    }


def test_the_plan_asks_only_for_the_units_a_request_still_needs(table):
    incident = open_incident(table)
    request = post_request(incident, table.public_org, quantity=5, state=RequestState.PARTLY_COMMITTED)
    hold(resource(table, quantity=3), request, 3, state=AssignmentState.ACCEPTED)
    fresh = resource(table, quantity=10)
    post_request(incident, table.public_org, state=RequestState.COMMITTED)  # served already
    by_zip = post_request(incident, table.public_org, latitude=None, longitude=None, zip_code="48933")
    post_request(incident, table.public_org, latitude=None, longitude=None, zip_code="00000")
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assert moves(plan) == {(fresh.pk, request.pk, 2), (fresh.pk, by_zip.pk, 2)}
    assert plan.figures["requests_without_place"] == 1


def test_proposing_takes_as_many_queries_for_ten_requests_as_for_three(table):
    counts = []
    for requests in (1, 3, 10):  # the first warms the caches (content types)
        incident = open_incident(table)
        for number in range(requests):
            post_request(incident, table.public_org, quantity=1, latitude=NEAR[0] + number / 100)
        resource(table, quantity=requests)
        with CaptureQueriesContext(connection) as queries:
            plans.plan_propose(actor=table.cochair, incident=incident)
        counts.append(len(queries))
    assert counts[1] == counts[2], counts


def test_the_audit_entry_of_an_assignment_carries_its_incidents_marking_and_never_its_resources_name(table):
    # Audiences are not nested: an entry under one marking may name only what that marking covers. An
    # assignment's entry takes its incident's and names its units and request, not the resource.
    incident = open_incident(table)
    request = post_request(incident, table.public_org)
    strict = resource(table, tlp=TLP.AMBER_STRICT, disclosed_in_incidents=True, name="Strict pump QX-1")
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    entry = AuditEntry.objects.get(content_type__model="assignment", object_id=str(plan.assignments.get().pk))
    assert (entry.tlp, entry.owner_id, entry.community_id) == (
        incident.tlp,
        incident.organization_id,
        table.community.pk,
    )
    assert request.reference in entry.object_repr and strict.name not in entry.object_repr
    plan_entry = AuditEntry.objects.get(content_type__model="plan", object_id=str(plan.pk))
    assert (plan_entry.tlp, plan_entry.owner_id) == (incident.tlp, incident.organization_id)
