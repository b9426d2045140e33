"""Proposing the plan, and committing, accepting, declining and releasing its assignments.

The race: two co-chairs commit at once assignments of one resource whose units suffice for one of them;
exactly one goes through. On SQLite it runs in a real process on a file (pytest-django's database is in
memory, where SQLite's busy timeout does not apply), copied from the migrated test database; on PostgreSQL
it runs in this process when the suite does (DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>).
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, RequestState
from commonground.incidents.models import Assignment, Incident, Plan, ResourceRequest
from commonground.incidents.services import assignments, holdings, plans
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard

NEAR = (42.74, -84.56)


def tornado() -> Hazard:
    """The catalogue's tornado (made again after a transactional test emptied the catalogue)."""
    return Hazard.objects.get_or_create(
        community=None, code="tornado", defaults={"name": "Tornado", "kind": "natural"}
    )[0]


def open_incident(table, **fields) -> Incident:
    values = dict(
        community=table.community, organization=table.public_org, hazard=tornado(),
        title="Tornado on the east side", latitude=42.73, longitude=-84.55, radius_km=20, cap_category="Met",
        number=Incident.objects.filter(community=table.community).count() + 1,
    )  # fmt: skip
    incident = Incident.objects.create(**(values | fields))
    # Shared with the table, as the opening form does by default: every owner may see what it is asked for.
    incident.recipient_organizations.set([table.public_org, table.private_org])
    return incident


def post_request(incident, organization, **fields) -> ResourceRequest:
    values = dict(
        incident=incident, organization=organization, kind="equipment", category="esf12",
        description="Generators for the shelter", quantity=2, latitude=NEAR[0], longitude=NEAR[1],
        needed_by=timezone.now() + datetime.timedelta(hours=6), priority=2, state=RequestState.APPROVED,
        number=ResourceRequest.objects.filter(incident=incident).count() + 1,
    )  # fmt: skip
    return ResourceRequest.objects.create(**(values | fields))


def resource(table, **fields) -> Resource:
    values = dict(
        community=table.community, organization=table.private_org, quantity=3, deploy_hours=1, terms="loan",
        capability_type=None, availability="available",
    )  # fmt: skip
    return ResourceFactory(**(values | fields))


def hold(resource_, request, quantity, state=AssignmentState.PENDING) -> Assignment:
    """An assignment stored as it stands (not through the services), to set the scene."""
    return Assignment.objects.create(
        request=request, resource=resource_, quantity=quantity, state=state, distance_m=1000,
        arrives_at=timezone.now() + datetime.timedelta(hours=2),
    )  # fmt: skip


def proposal(resource_, request, quantity) -> Assignment:
    return hold(resource_, request, quantity, state=AssignmentState.PROPOSED)


def database_state() -> tuple:
    """What a refused write must leave as it was."""
    return (
        AuditEntry.objects.count(),
        Plan.objects.count(),
        sorted(Assignment.objects.values_list("pk", "state", "quantity", "reason")),
        sorted(Resource.objects.values_list("pk", "availability")),
        sorted(ResourceRequest.objects.values_list("pk", "state")),
    )


def moves(plan) -> set[tuple[int, int, int]]:
    return {(a.resource_id, a.request_id, a.quantity) for a in plan.assignments.all()}


# -- proposing ---------------------------------------------------------------------------------------------


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


# -- committing, accepting, declining, releasing ----------------------------------------------------------


@pytest.fixture
def scene(table):
    """An incident, a request for 2 generators, a resource of 3, and the plan's proposal of 2 of them."""
    incident = open_incident(table)
    request = post_request(incident, table.public_org, quantity=2)
    generators = resource(table, quantity=3)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    return incident, request, generators, plan.assignments.get()


def test_the_leadership_commits_a_proposal(table, scene):
    incident, _, generators, assignment = scene
    assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING and assignment.committed_by == table.cochair
    assert assignment.committed_at is not None
    entry = AuditEntry.objects.filter(content_type__model="assignment", action="update").latest("pk")
    assert entry.changes["state"] == ["proposed", "pending"]
    # The resource is TLP:GREEN, the incident TLP:AMBER: the entry shows no more than the incident does.
    assert (generators.tlp, incident.tlp) == (TLP.GREEN, TLP.AMBER)
    assert (entry.tlp, entry.owner_id) == (TLP.AMBER, incident.organization_id)


@pytest.mark.parametrize("role", ["admin", "member", "outsider"])
def test_only_the_leadership_commits(table, scene, role):
    assignment = scene[3]
    before = database_state()
    with pytest.raises(PermissionDenied):
        assignments.assignment_commit(actor=table.user(role), assignment=assignment)
    assert database_state() == before


def _out_of_service(table, incident, request, generators, assignment):
    Resource.objects.filter(pk=generators.pk).update(availability="out_of_service")


def _units_taken(table, incident, request, generators, assignment):
    other = post_request(open_incident(table, title="Flood"), table.public_org)
    hold(generators, other, 2)


def _request_served(table, incident, request, generators, assignment):
    hold(resource(table), request, 1)


def _request_cancelled(table, incident, request, generators, assignment):
    ResourceRequest.objects.filter(pk=request.pk).update(state=RequestState.CANCELLED)


def _already_committed(table, incident, request, generators, assignment):
    Assignment.objects.filter(pk=assignment.pk).update(state=AssignmentState.PENDING)


def _withdrawn(table, incident, request, generators, assignment):
    plans.plan_propose(actor=table.cochair, incident=incident)


def _incident_closed(table, incident, request, generators, assignment):
    Incident.objects.filter(pk=incident.pk).update(status="closed")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_out_of_service, "out of service now"),
        (_units_taken, "Only 1 unit(s)"),
        (_request_served, "still needs 1 unit(s), not 2"),
        (_request_cancelled, "is cancelled"),
        (_already_committed, "no longer a proposal"),
        (_withdrawn, "no longer a proposal"),
        (_incident_closed, "The incident is closed"),
    ],
)
def test_a_commit_checks_again_and_refuses_what_changed_writing_nothing(table, scene, change, message):
    change(table, *scene)
    before = database_state()
    with pytest.raises(ValidationError) as refused:
        assignments.assignment_commit(actor=table.cochair, assignment=scene[3])
    assert message in " ".join(refused.value.messages)
    assert database_state() == before


def test_the_owner_accepts_a_commitment_and_the_resource_is_deployed(table, scene):
    _, request, generators, assignment = scene
    assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    before = database_state()
    for role in ("cochair", "member", "other_admin"):
        with pytest.raises(PermissionDenied):
            assignments.assignment_accept(actor=table.user(role), assignment=assignment)
    assert database_state() == before
    assignments.assignment_accept(actor=table.admin, assignment=assignment)
    assert assignment.state == AssignmentState.ACCEPTED and assignment.decided_by == table.admin
    generators.refresh_from_db()
    request.refresh_from_db()
    assert generators.availability == "deployed"
    assert request.state == RequestState.COMMITTED and request.filled_at is not None
    assert AuditEntry.objects.filter(
        content_type__model="resource",
        object_id=str(generators.pk),
        changes__availability=["available", "deployed"],
    ).exists()
    assert AuditEntry.objects.filter(
        content_type__model="resourcerequest", changes__state=["approved", "committed"]
    ).exists()


def test_accepting_part_of_a_request_commits_it_partly(table):
    incident = open_incident(table)
    request = post_request(incident, table.public_org, quantity=5)
    resource(table, quantity=2)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    assignment = assignments.assignment_commit(actor=table.cochair, assignment=plan.assignments.get())
    assignments.assignment_accept(actor=table.facilitator, assignment=assignment)
    request.refresh_from_db()
    assert request.state == RequestState.PARTLY_COMMITTED and request.filled_at is None


def test_only_a_committed_assignment_is_accepted(table, scene):
    before = database_state()
    with pytest.raises(ValidationError):
        assignments.assignment_accept(actor=table.admin, assignment=scene[3])
    assert database_state() == before


def test_declining_frees_the_units_for_the_next_plan(table, scene):
    incident, request, generators, assignment = scene
    assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    with pytest.raises(PermissionDenied):
        assignments.assignment_decline(actor=table.cochair, assignment=assignment, reason="No")
    before = database_state()
    with pytest.raises(ValidationError) as refused:
        assignments.assignment_decline(actor=table.admin, assignment=assignment, reason="x" * 501)
    assert "reason" in refused.value.message_dict
    assert database_state() == before
    assignments.assignment_decline(actor=table.admin, assignment=assignment, reason="In use at our own plant")
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED and assignment.reason == "In use at our own plant"
    # Not offered again to the request its owner declined it for; its units are free for another.
    again = plans.plan_propose(actor=table.cochair, incident=incident)
    assert moves(again) == set()
    other = post_request(incident, table.public_org, quantity=2, description="Generators for the clinic")
    again = plans.plan_propose(actor=table.cochair, incident=incident)
    assert moves(again) == {(generators.pk, other.pk, 2)}
    with pytest.raises(ValidationError):
        assignments.assignment_decline(actor=table.admin, assignment=assignment, reason="Twice")


def test_releasing_returns_the_resource_when_nothing_else_holds_it(table):
    incident = open_incident(table)
    first = post_request(incident, table.public_org, quantity=2)
    second = post_request(incident, table.public_org, quantity=1, latitude=42.8)
    generators = resource(table, quantity=3)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    by_request = {a.request_id: a for a in plan.assignments.all()}
    for assignment in by_request.values():
        assignments.assignment_commit(actor=table.cochair, assignment=assignment)
        assignments.assignment_accept(actor=table.admin, assignment=assignment)
    before = database_state()
    with pytest.raises(PermissionDenied):
        assignments.assignment_release(actor=table.member, assignment=by_request[first.pk])
    assert database_state() == before

    assignments.assignment_release(actor=table.cochair, assignment=by_request[first.pk])
    generators.refresh_from_db()
    first.refresh_from_db()
    assert by_request[first.pk].state == AssignmentState.RELEASED and by_request[first.pk].released_at
    assert generators.availability == "deployed"  # the second request still holds a unit
    assert first.state == RequestState.RELEASED

    assignments.assignment_release(actor=table.admin, assignment=by_request[second.pk])  # the owner may too
    generators.refresh_from_db()
    second.refresh_from_db()
    assert generators.availability == "available" and second.state == RequestState.RELEASED
    with pytest.raises(ValidationError):
        assignments.assignment_release(actor=table.cochair, assignment=by_request[second.pk])


# -- the race -----------------------------------------------------------------------------------------------


@dataclass
class Race:
    user: object
    assignments: tuple[int, int]
    resource: int


def race_scene(table) -> Race:
    """A resource of 3 units and two proposals of 2 each, for two requests: only one can be committed."""
    incident = open_incident(table)
    generators = resource(table, quantity=3)
    first = proposal(generators, post_request(incident, table.public_org), 2)
    second = proposal(generators, post_request(incident, table.public_org), 2)
    return Race(user=table.cochair, assignments=(first.pk, second.pk), resource=generators.pk)


def race(scene: Race) -> list[str]:
    """Two threads commit at once; return what each got. The units held are counted slowly, so that two
    commits not kept apart by a lock would both count the units free, and both go through."""
    counted = holdings.units_held

    def slowly(**where):
        units = counted(**where)
        time.sleep(0.3)
        return units

    holdings.units_held = slowly
    barrier = threading.Barrier(2)
    outcomes = ["", ""]

    def commit(index: int) -> None:
        from django.db import connection as own

        try:
            assignment = Assignment.objects.select_related("request__incident", "resource").get(
                pk=scene.assignments[index]
            )
            barrier.wait(timeout=60)
            assignments.assignment_commit(actor=scene.user, assignment=assignment)
            outcomes[index] = "committed"
        except ValidationError as error:
            outcomes[index] = "refused: " + " ".join(error.messages)
        except Exception as error:  # a crash: what a user would see as a 500
            outcomes[index] = f"error: {error!r}"
        finally:
            own.close()

    threads = [threading.Thread(target=commit, args=(index,)) for index in (0, 1)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        holdings.units_held = counted
    return outcomes


def check_race(outcomes: list[str], held: int) -> None:
    assert sorted(outcome.split(":")[0] for outcome in outcomes) == ["committed", "refused"], outcomes
    assert "Only 1 unit(s)" in next(o for o in outcomes if o.startswith("refused")), outcomes
    assert held == 2


@pytest.mark.django_db(transaction=True)
def test_two_commits_at_once_of_too_few_units_let_exactly_one_through_on_this_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite in memory has no busy timeout: the file database runs in the test below")
    from commonground.conftest import build_table

    scene = race_scene(build_table())
    outcomes = race(scene)
    check_race(outcomes, holdings.units_held(resource_id=scene.resource))


def test_two_commits_at_once_of_too_few_units_let_exactly_one_through_on_sqlite(django_db_blocker, tmp_path):
    """On a file, from a copy of the migrated test database, in a process of its own."""
    with django_db_blocker.unblock():
        if connection.vendor != "sqlite":
            pytest.skip("the suite runs on another database: the test above races on it")
        assert not connection.in_atomic_block
        path = tmp_path / "race.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "COMMONGROUND_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "commonground.settings",
    }
    finished = subprocess.run(
        [sys.executable, "-m", "commonground.incidents.tests.racing"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite" and not result["in_memory"]
    check_race(result["outcomes"], result["held"])
