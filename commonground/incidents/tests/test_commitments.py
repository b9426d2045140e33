"""Committing a plan's proposals, the owner accepting, declining and releasing them, and two commits at once."""

from __future__ import annotations

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

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, RequestState
from commonground.incidents.models import Assignment, Incident, ResourceRequest
from commonground.incidents.services import assignments, holdings, plans
from commonground.resources.models import Resource

from .plan_scene import database_state, hold, moves, open_incident, post_request, proposal, resource

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
