"""Each step of an assignment is written to the incident's activity log, under the marking of what the line
reveals, and mailed through the task queue to whoever must act next: the resource's owner is asked to answer a
commitment, the leader who committed it hears the answer."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.incidents.choices import TimelineKind
from commonground.incidents.models import Incident, TimelineEntry
from commonground.incidents.services import assignments, plans
from commonground.incidents.services import requests as request_services
from commonground.resources.models import Resource

from .plan_scene import open_incident, post_request, resource

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ROLES = ("cochair", "facilitator", "admin", "other_admin", "member", "outsider")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


def _proposal(table, **resource_fields):
    incident = open_incident(table)
    request = post_request(incident, table.public_org, quantity=2)
    generators = resource(table, quantity=3, **resource_fields)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    return incident, request, generators, plan.assignments.get()


def _log_lines(incident, resource_name):
    return list(
        TimelineEntry.objects.filter(
            incident=incident, kind=TimelineKind.ACTIVITY, text__contains=resource_name
        )
        .order_by("at", "id")
        .values_list("text", flat=True)
    )


def test_a_commitment_asks_the_owner_and_the_answer_reaches_the_committer(
    table, immediate_tasks, django_capture_on_commit_callbacks
):
    incident, request, generators, assignment = _proposal(table, name="Trailer generator GX-4")
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    # The owner's admin is asked; the owner's plain member (who cannot answer) and everyone else are not.
    assert [message.to for message in mail.outbox] == [[table.admin.person.email]]
    asked = mail.outbox[0]
    assert asked.subject.startswith(f"[{TLP.AMBER}] ") and request.reference in asked.subject
    assert "Accept or decline" in asked.body and "Trailer generator GX-4" in asked.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_decline(actor=table.admin, assignment=assignment, reason="In use at our plant")
    assert [message.to for message in mail.outbox] == [[table.cochair.person.email]]
    assert "In use at our plant" in mail.outbox[0].body
    lines = _log_lines(incident, "Trailer generator GX-4")
    assert len(lines) == 2
    assert (
        "committed by the leadership" in lines[0] and "declined by the owner: In use at our plant" in lines[1]
    )


def test_accepting_and_releasing_are_logged(table, immediate_tasks, django_capture_on_commit_callbacks):
    incident, _, _, assignment = _proposal(table, name="Pump P-17")
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_commit(actor=table.cochair, assignment=assignment)
        assignments.assignment_accept(actor=table.admin, assignment=assignment)
        assignments.assignment_release(actor=table.cochair, assignment=assignment)
    assert [message.to for message in mail.outbox] == [
        [table.admin.person.email],
        [table.cochair.person.email],
    ]
    assert mail.outbox[1].subject.startswith(f"[{TLP.AMBER}] Accepted: Pump P-17")
    lines = _log_lines(incident, "Pump P-17")
    assert [line.rsplit(": ", 1)[-1] for line in lines] == [
        "committed by the leadership; the owner is asked to accept.",
        "accepted by the owner; deployed.",
        "released.",
    ]


def test_a_line_naming_a_narrowly_marked_resource_shows_to_no_one_the_resource_is_hidden_from(
    table, immediate_tasks, django_capture_on_commit_callbacks
):
    marker = "ZQX-STRICT-RESOURCE-5521"
    incident, _, generators, assignment = _proposal(
        table, name=marker, tlp=TLP.AMBER_STRICT, disclosed_in_incidents=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    line = TimelineEntry.objects.get(incident=incident, text__contains=marker)
    assert (line.tlp, line.organization_id) == (TLP.AMBER_STRICT, generators.organization_id)
    for role in ROLES:
        viewer = viewer_for(table.user(role))
        sees_line = TimelineEntry.objects.visible_to(viewer).filter(pk=line.pk).exists()
        sees_resource = Resource.objects.visible_to(viewer).filter(pk=generators.pk).exists()
        assert not sees_line or sees_resource, role
    # Nobody but its owner's admin was told of it.
    assert {address for message in mail.outbox for address in message.to} == {table.admin.person.email}
    assert all(
        marker not in message.body for message in mail.outbox if table.admin.person.email not in message.to
    )


def test_once_an_owner_declines_the_plan_is_solved_again_for_what_remains(
    table, immediate_tasks, django_capture_on_commit_callbacks
):
    incident, request, first, assignment = _proposal(table, name="Generator near")
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_commit(actor=table.cochair, assignment=assignment)
    farther = resource(table, quantity=2, name="Generator farther", latitude=42.80, longitude=-84.60)
    with django_capture_on_commit_callbacks(execute=True):
        assignments.assignment_decline(actor=table.admin, assignment=assignment, reason="Broken down")
    latest = incident.plans.order_by("-created", "-id").first()
    assert latest.created_by == table.cochair
    proposed = {(a.resource_id, a.quantity) for a in latest.assignments.filter(state="proposed")}
    # The declined generator is not offered again to the request it was declined for; the farther one is.
    assert (farther.pk, 2) in proposed and request.assignments.filter(state="proposed").count() >= 1
    assert latest.assignments.filter(state="proposed", resource=first).count() <= 1


def test_the_plan_is_not_solved_again_for_a_closed_incident(table, immediate_tasks):
    from commonground.incidents.tasks import resolve_plan

    incident, _, _, _ = _proposal(table)
    incident.status = "closed"
    incident.save(update_fields=["status"])
    plans_before = incident.plans.count()
    assert resolve_plan.call(incident.pk) == 0
    assert incident.plans.count() == plans_before


def test_neither_the_log_nor_the_audit_shows_a_resource_to_an_incident_reader_it_is_hidden_from(
    table, django_capture_on_commit_callbacks
):
    # A TLP:AMBER+STRICT incident of the fire department, shared with the logistics firm; a TLP:AMBER resource
    # of the firm (no recipients). The fire department's other admin sees the incident, not the resource: the
    # audiences are not nested, so no line or entry may take just one of the two markings.
    marker = "ZQX-AMBER-GENERATOR-7731"
    incident = open_incident(table, tlp=TLP.AMBER_STRICT)
    post_request(incident, table.public_org, quantity=2)
    secret = resource(table, quantity=3, name=marker, tlp=TLP.AMBER)
    plan = plans.plan_propose(actor=table.cochair, incident=incident)
    with django_capture_on_commit_callbacks(execute=False):
        assignments.assignment_commit(actor=table.cochair, assignment=plan.assignments.get())
    assert TimelineEntry.objects.filter(text__contains=marker).exists()  # the line is written
    for role in ROLES:
        viewer = viewer_for(table.user(role))
        if Resource.objects.visible_to(viewer).filter(pk=secret.pk).exists():
            continue
        lines = TimelineEntry.objects.visible_to(viewer).filter(text__contains=marker)
        entries = AuditEntry.objects.visible_to(viewer).filter(object_repr__contains=marker)
        assert not lines.exists() and not entries.exists(), role


def test_a_requests_audit_entries_take_its_incidents_marking(table):
    # A TLP:AMBER+STRICT incident of the logistics firm with no recipients: the co-chairs do not see it, nor
    # the entries of its requests (which hold the request's words).
    marker = "ZQX-STRICT-NEED-4410"
    incident = open_incident(table, organization=table.private_org, tlp=TLP.AMBER_STRICT)
    incident.recipient_organizations.set([])
    request = request_services.request_create(
        actor=table.member, incident=incident, organization=table.private_org, kind="equipment",
        category="esf12", description=marker, quantity=2, unit="each", latitude=42.74, longitude=-84.56,
        needed_by=timezone.now() + datetime.timedelta(hours=6), priority=1,
    )  # fmt: skip
    request_services.request_update(actor=table.member, request=request, data={"quantity": 5})
    entries = AuditEntry.objects.filter(content_type__model="resourcerequest", object_id=str(request.pk))
    assert entries.count() == 2 and {entry.tlp for entry in entries} == {TLP.AMBER_STRICT}
    for role in ("cochair", "facilitator", "other_admin", "outsider"):
        viewer = viewer_for(table.user(role))
        assert not Incident.objects.visible_to(viewer).filter(pk=incident.pk).exists(), role
        visible = AuditEntry.objects.visible_to(viewer).filter(content_type__model="resourcerequest")
        assert not visible.filter(object_id=str(request.pk)).exists(), role
